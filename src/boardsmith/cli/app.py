"""The ``boardsmith`` root command and its single error boundary.

Sub-command modules are registered in :func:`_register`. They import heavy
libraries (httpx, pydantic models, the emulator, rich) inside their command
functions so that ``boardsmith --version`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer
from typer import _click as click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from boardsmith.cli.options import DebugOpt, QuietOpt, VerboseOpt, VersionOpt
from boardsmith.errors import BoardsmithError, UsageError

if TYPE_CHECKING:
    from typer.exceptions import TyperException

#: ``rich_help_panel`` of the commands people building boardsmith use (templates,
#: emulator, config); the workshop commands stay under the default "Commands".
DEVELOPER_PANEL = "Developer"
#: ``rich_help_panel`` of one-time set-up (logging in, shell completion).
SETUP_PANEL = "Setup"

EXAMPLES = """\b
Examples:
  boardsmith templates list
  boardsmith create vision-board --participants "Ana,Ben,Chris"
  boardsmith harvest BOARD --format md --out summary.md
  boardsmith COMMAND -h          the options and examples of one command
"""

EXIT_CODES = """\b
Exit codes:
  0    done
  1    error: the message says what is wrong and where
  2    usage: a wrong flag or argument (the message names it)
  3    the board is locked by another boardsmith run (with --no-wait)
  4    partial result: part of the work was done; the message says how to finish
  70   a bug in boardsmith (run again with --debug for the traceback)
  130  interrupted (Ctrl-C)
"""


class _PlainArgument(TyperArgument):
    """An argument shown as its plain name (``BOARD_ID...``), not ``{paths}... <list[Path]>``.

    Typer's help lists an argument's Python type after its name and wraps required
    arguments in braces in the usage line; facilitators read neither, so the usage
    line follows the usual ``NAME`` / ``[NAME]`` / ``NAME...`` convention.
    """

    @property
    def display_name_raw(self) -> str:
        return self.metavar or (self.name or "value").upper()

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None

    def _more(self) -> str:
        # A metavar may already say "BOARD..."; never show "BOARD......".
        return "..." if self.nargs != 1 and not self.display_name_raw.endswith("...") else ""

    def _rich_display_name(self) -> str:
        return self.display_name_raw + self._more()

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + self._more()


class _PlainOption(TyperOption):
    """An option whose value placeholder is a word (``--out FILE``), never ``<path>``.

    Commands set ``metavar=`` to the word that fits; this is the fallback, the
    option's own name, so a new option without one still reads as a word.
    """

    def display_type_rich(self, ctx: click.Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        return (self.name or "value").upper()


def _unset_help_is_false(option: TyperOption | None) -> TyperOption | None:
    """``-h`` absent reads as False, not None.

    Typer coerces a flag's value through a pydantic ``TypeAdapter`` unless it is
    already a bool; for the help flag's None that imports pydantic (with its plugin
    loader and ``importlib.metadata``), about a third of ``templates list``'s
    start-up. The help callback treats False and None alike.
    """
    if option is not None and option.default is None:
        option.default = False
    return option


class _Command(TyperCommand):
    """A command whose help flag needs no type coercion (see :func:`_unset_help_is_false`)."""

    def get_help_option(self, ctx: click.Context) -> TyperOption | None:
        return _unset_help_is_false(super().get_help_option(ctx))


class _Group(TyperGroup):
    """A command group whose help flag needs no type coercion."""

    def get_help_option(self, ctx: click.Context) -> TyperOption | None:
        return _unset_help_is_false(super().get_help_option(ctx))


def _plain_placeholders(command: click.Command) -> None:
    # Swapping the class (no new state) reaches every command, also those the
    # other modules register, without each of them passing a custom class.
    for param in command.params:
        if type(param) is TyperArgument:
            param.__class__ = _PlainArgument
        elif type(param) is TyperOption:
            param.__class__ = _PlainOption
    if type(command) is TyperCommand:
        command.__class__ = _Command
    elif type(command) is TyperGroup:
        command.__class__ = _Group
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _plain_placeholders(sub)


class _RootGroup(TyperGroup):
    """The root command: plain placeholders everywhere, and commands listed by panel.

    The help is click's plain text (``rich_markup_mode=None``: stable in pipes and
    tests), which ignores ``rich_help_panel``; this lists each panel as its own
    section, the workshop commands first.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        # Typer builds the whole tree before the root, so every command is here.
        _plain_placeholders(self)

    def get_help_option(self, ctx: click.Context) -> TyperOption | None:
        return _unset_help_is_false(super().get_help_option(ctx))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        panels: dict[str, list[tuple[str, click.Command]]] = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            panel = getattr(cmd, "rich_help_panel", None) or "Commands"
            panels.setdefault(panel, []).append((name, cmd))
        if not panels:
            return
        width = max(len(name) for rows in panels.values() for name, _ in rows)
        limit = formatter.width - 6 - width
        # The workshop commands first even where a module registering developer
        # commands was imported before theirs; then set-up, then developer tools.
        order = ["Commands", SETUP_PANEL, DEVELOPER_PANEL]
        for panel in sorted(panels, key=lambda p: order.index(p) if p in order else len(order)):
            with formatter.section(panel):
                # Names padded to one width so the sections' columns line up.
                formatter.write_dl(
                    [(n.ljust(width), c.get_short_help_str(limit)) for n, c in panels[panel]]
                )


app = typer.Typer(
    name="boardsmith",
    help="Build visioning-workshop boards on Miro from templates, and harvest them into data.",
    epilog=f"{EXAMPLES}\n{EXIT_CODES}",
    cls=_RootGroup,
    # Sub-commands inherit the help option names from the root's context.
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    version: VersionOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Build visioning-workshop boards on Miro from templates, and harvest them into data."""
    from boardsmith.cli.output import set_mode

    if quiet and verbose:
        raise UsageError("--quiet and --verbose: choose one")
    set_mode(quiet=quiet, verbose=verbose, debug=debug)


#: The environment variable through which a shell asks ``boardsmith`` for completions.
COMPLETE_VAR = "_BOARDSMITH_COMPLETE"


#: The command modules; each adds its commands or sub-apps to ``app`` when imported.
COMMAND_MODULES = (
    "templates", "emulator", "auth", "config", "completion", "create", "harvest", "watch",
    "compare",
)  # fmt: skip


#: The module that registers each command and command group, so that ``boardsmith
#: COMMAND ...`` imports that module alone: building the others' commands cost a
#: harvest or create 20-30 ms (tests/cli/test_startup.py checks this table).
COMMAND_HOMES = {
    "harvest": "harvest", "tally": "harvest", "narrow": "harvest",
    "create": "create", "plan": "create", "apply": "create",
    "watch": "watch", "compare": "compare", "completion": "completion",
    "preview": "templates", "templates": "templates", "emulator": "emulator",
    "auth": "auth", "config": "config",
}  # fmt: skip


def _command_modules(argv: list[str] | None) -> tuple[str, ...]:
    """The command modules to import: the one of the command ``argv`` names, else all
    (the root's help, an unknown command's message, shell completion)."""
    if os.environ.get(COMPLETE_VAR):
        return COMMAND_MODULES
    words = sys.argv[1:] if argv is None else argv
    # The root's options are all flags: the first other word is the command.
    command = next((w for w in words if not w.startswith("-")), None)
    home = COMMAND_HOMES.get(command) if command is not None else None
    return COMMAND_MODULES if home is None or home not in COMMAND_MODULES else (home,)


def _register(modules: Sequence[str] | None = None) -> None:
    """Import the command ``modules`` (all by default), which registers their commands."""
    # No module is optional: a renamed or missing one must fail loudly (as an internal
    # error), never quietly drop its commands from --help.
    import importlib

    for name in COMMAND_MODULES if modules is None else modules:
        importlib.import_module(f"boardsmith.cli.{name}")


def _fail(message: str, code: int) -> None:
    # One red line on stderr; colour only when stderr is a terminal.
    if sys.stderr.isatty() and "NO_COLOR" not in os.environ:
        message = f"\x1b[31m{message}\x1b[0m"
    print(message, file=sys.stderr)
    sys.exit(code)


def _run(argv: list[str] | None) -> None:
    """Register the commands and run the one ``argv`` names (no error handling)."""
    _register(_command_modules(argv))
    if os.environ.get(COMPLETE_VAR):
        # A shell asking for completions (the script `boardsmith completion`
        # printed); typer answers only once its completion classes are registered,
        # which it skips because the root has no --install-completion option.
        from typer._completion_classes import completion_init

        completion_init()
    # Without standalone mode typer returns the code of ``typer.Exit`` instead of
    # raising it; a command that exits non-zero must still fail the process.
    code = app(args=argv, prog_name="boardsmith", standalone_mode=False)
    if code == 130:
        # Typer turns a KeyboardInterrupt inside a command into Exit(130), silently.
        _fail("interrupted", 130)
    if isinstance(code, int) and code != 0:
        sys.exit(code)


def _usage_failure(exc: TyperException) -> None:
    """A usage error (unknown option, missing argument) in typer's words, which name
    the offending flag, on one line; a bare group (``boardsmith``) shows its help."""
    # typer exports no name for this error; its vendored click does (and app.py already
    # builds on that click). A rename fails at import, where a name comparison would
    # silently stop matching.
    from typer._click.exceptions import NoArgsIsHelpError

    if isinstance(exc, NoArgsIsHelpError):
        # Bare ``boardsmith`` (or a bare group): the help, which is not an error.
        print(exc.format_message())
        sys.exit(0)
    if exc.exit_code == 0:
        sys.exit(0)
    _fail(f"error: {exc.format_message()}", exc.exit_code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``boardsmith`` console script."""
    from typer.exceptions import Abort, Exit, TyperException

    try:
        _run(argv)
    except BoardsmithError as exc:
        _fail(f"error: {exc}", exc.exit_code)
    except Exit as exc:
        sys.exit(exc.exit_code)
    except Abort:
        _fail("aborted", 130)
    except TyperException as exc:
        _usage_failure(exc)
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
