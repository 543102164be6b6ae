"""The ``boardsmith`` root command and its single error boundary.

Sub-command modules are registered in :func:`_register`. They import heavy
libraries (httpx, pydantic models, the emulator, rich) inside their command
functions so that ``boardsmith --version`` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from boardsmith import __version__
from boardsmith.errors import BoardsmithError, UsageError

app = typer.Typer(
    name="boardsmith",
    help="Build visioning-workshop boards on Miro from templates, and harvest them into data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"boardsmith {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print only data and errors, no progress or hints."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Also print details such as internal item keys."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the traceback of an internal error (same as BOARDSMITH_DEBUG=1).",
        ),
    ] = False,
) -> None:
    """Build visioning-workshop boards on Miro from templates, and harvest them into data."""
    from boardsmith.cli.output import set_mode

    if quiet and verbose:
        raise UsageError("--quiet and --verbose: choose one")
    set_mode(quiet=quiet, verbose=verbose, debug=debug)


def _register() -> None:
    # Each module adds its commands or sub-apps to ``app`` when imported.
    import importlib

    for name in ("templates", "emulator", "auth", "config", "create", "harvest"):
        try:
            importlib.import_module(f"boardsmith.cli.{name}")
        except ModuleNotFoundError as exc:
            # A command module that does not exist yet is simply absent from --help;
            # a missing dependency inside an existing module is a real error.
            if exc.name != f"boardsmith.cli.{name}":
                raise


def _fail(message: str, code: int) -> None:
    # One red line on stderr; colour only when stderr is a terminal.
    if sys.stderr.isatty() and "NO_COLOR" not in os.environ:
        message = f"\x1b[31m{message}\x1b[0m"
    print(message, file=sys.stderr)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``boardsmith`` console script."""
    from typer.exceptions import Abort, Exit, TyperException

    _register()
    try:
        # Without standalone mode typer returns the code of ``typer.Exit`` instead of
        # raising it; a command that exits non-zero must still fail the process.
        code = app(args=argv, prog_name="boardsmith", standalone_mode=False)
        if isinstance(code, int) and code != 0:
            sys.exit(code)
    except BoardsmithError as exc:
        _fail(f"error: {exc}", exc.exit_code)
    except Exit as exc:
        sys.exit(exc.exit_code)
    except Abort:
        _fail("aborted", 130)
    except TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            # Bare ``boardsmith``: show the help, which is not an error.
            print(getattr(exc, "format_message", lambda: "")())
            sys.exit(0)
        # Usage errors (unknown option, missing argument) keep typer's wording,
        # which names the offending flag, on one line.
        code = getattr(exc, "exit_code", 2)
        fmt = getattr(exc, "format_message", None)
        if fmt is None or code == 0:
            sys.exit(code)
        _fail(f"error: {fmt()}", code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:  # the last line of defence against tracebacks
        from boardsmith.cli.output import is_debug

        if is_debug():
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc} "
            "(this is a bug in boardsmith; run again with --debug for the traceback)",
            70,
        )
