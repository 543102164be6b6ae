"""The root of boardsmith's exception tree.

Every error a user can cause or meet derives from :class:`BoardsmithError`. Its
``str()`` is one line that says what is wrong and where; the CLI prints exactly
that line and exits non-zero, so messages must never carry secrets or tracebacks.

This module imports nothing so every layer (including ``miro/`` and
``emulator/``, which must stay independent of the rest of boardsmith) may
derive from it.
"""

from __future__ import annotations


class BoardsmithError(Exception):
    """Base class of every error boardsmith raises on purpose.

    ``hint`` is an optional second sentence telling the user how to fix it.
    """

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class UsageError(BoardsmithError):
    """A command-line flag or argument is wrong; the message names the flag."""

    exit_code = 2


class ConfigError(BoardsmithError):
    """The configuration (file, environment or flags) is invalid."""


class TemplateError(BoardsmithError):
    """A board template is invalid. The message starts with ``file:line:``."""


class StateError(BoardsmithError):
    """A board's local state file is unreadable or inconsistent with the board."""


class PartialResultError(BoardsmithError):
    """A command did part of its work and stopped (exit 4).

    The message says what was done and the command that finishes it, e.g. a
    ``create`` that made the board and some items before a write failed.
    """

    exit_code = 4


class InterruptedRunError(BoardsmithError):
    """The user pressed Ctrl-C (exit 130); the message says what was done by then.

    Raise it from ``except KeyboardInterrupt`` where a command knows what it left
    behind; a bare KeyboardInterrupt still exits 130 with just "interrupted".
    """

    exit_code = 130
