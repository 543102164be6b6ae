"""Options more than one command module takes, defined once so they read the same."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated
from urllib.parse import unquote, urlsplit

import typer

from boardsmith.errors import UsageError

__all__ = [
    "FormatOpt",
    "NoWaitOpt",
    "OutputFormat",
    "board_ref",
    "wants_json",
]

NoWaitOpt = Annotated[
    bool,
    typer.Option(
        "--no-wait",
        help="Fail at once (exit 3) when another boardsmith run is changing the board.",
    ),
]


class OutputFormat(StrEnum):
    """What ``--format`` accepts on commands that print text or JSON."""

    text = "text"
    json = "json"


FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        help="text (the default) or json (same as --json).",
        metavar="[text|json]",
        case_sensitive=False,
    ),
]


def wants_json(json_out: bool, fmt: OutputFormat | None) -> bool:
    """``--json`` and ``--format json`` are one switch; contradicting them is a usage error."""
    if json_out and fmt is OutputFormat.text:
        raise UsageError("--json and --format text: choose one")
    return json_out or fmt is OutputFormat.json


_MIRO_HOSTS = frozenset({"miro.com", "www.miro.com"})
# A board id is one path segment: letters, digits and Miro's base64 extras.
_BOARD_ID = re.compile(r"[A-Za-z0-9_\-+=.]+")


def board_ref(value: str, *, flag: str) -> str:
    """The board id in ``value``: an id as is, or taken from a Miro board URL.

    Facilitators copy the board's address from the browser
    (``https://miro.com/app/board/uXjV...=/?share_link_id=...``), so every place
    that takes a board id takes that too. A URL that is not a Miro board's address
    is a :class:`UsageError` naming ``flag`` rather than a "no such board" later.
    """
    text = value.strip()
    if "://" not in text and not text.lower().startswith(("miro.com/", "www.miro.com/")):
        return text
    parts = urlsplit(text if "://" in text else f"https://{text}")
    segments = [s for s in parts.path.split("/") if s]
    board_id = unquote(segments[2]) if len(segments) == 3 else ""
    if (
        parts.scheme not in ("http", "https")
        or (parts.hostname or "") not in _MIRO_HOSTS
        or segments[:2] != ["app", "board"]
        or not _BOARD_ID.fullmatch(board_id)
    ):
        raise UsageError(
            f"{flag} {value}: not a Miro board URL; expected "
            "https://miro.com/app/board/<board id>/ or the board id itself"
        )
    return board_id


def board_option(value: str | None) -> str | None:
    """Typer callback of ``--board``: a board id or URL, as the board id."""
    return None if value is None else board_ref(value, flag="--board")


def board_arguments(values: list[str] | None) -> list[str] | None:
    """Typer callback of ``BOARD_ID...``: board ids or URLs, as board ids."""
    return None if values is None else [board_ref(v, flag="BOARD_ID") for v in values]


def board_argument(value: str) -> str:
    """Typer callback of a single ``BOARD_ID``."""
    return board_ref(value, flag="BOARD_ID")
