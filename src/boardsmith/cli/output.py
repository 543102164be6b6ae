"""Where the CLI's words go: data on stdout, messages for the user on stderr.

The root command's ``--quiet``, ``--verbose`` and ``--debug`` flags set one
process-wide mode with :func:`set_mode`; commands call :func:`note` and
:func:`detail` instead of printing messages themselves, so every command honours
the flags the same way and stdout stays clean for pipes (``--json | jq``).

This module imports nothing heavy: the error boundary in ``app.py`` and every
command module use it.
"""

from __future__ import annotations

import os
import sys

__all__ = ["counted", "detail", "is_debug", "is_quiet", "is_verbose", "note", "set_mode"]

_quiet = False
_verbose = False
_debug = False


def set_mode(quiet: bool, verbose: bool, debug: bool) -> None:
    """Set the output mode for the rest of the process (the root callback calls it)."""
    global _quiet, _verbose, _debug
    _quiet = quiet
    _verbose = verbose
    _debug = debug


def is_quiet() -> bool:
    """``--quiet``: only data and errors are printed."""
    return _quiet


def is_verbose() -> bool:
    """``--verbose``: :func:`detail` messages are printed too."""
    return _verbose


def is_debug() -> bool:
    """``--debug`` or ``BOARDSMITH_DEBUG`` set: show tracebacks of internal errors.

    The environment variable is read on every call (not once at import) so that it
    also holds before the root callback has run, e.g. for an error in option parsing.
    """
    return _debug or bool(os.environ.get("BOARDSMITH_DEBUG"))


def note(message: str) -> None:
    """A message for the user (progress, next steps) on stderr; ``--quiet`` drops it."""
    if not _quiet:
        print(message, file=sys.stderr, flush=True)


def detail(message: str) -> None:
    """A message only ``--verbose`` shows (internal keys, timings), on stderr."""
    if _verbose and not _quiet:
        print(message, file=sys.stderr, flush=True)


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, in the plural unless ``n`` is 1: "1 pick", "3 picks"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
