"""Every command-line option and argument of the board commands, declared once.

A new flag goes here, as an ``Annotated`` alias next to its kin (board arguments,
reading boards, output, create/plan/apply, watch, the emulator server, templates,
auth/config/completion); the command
then takes it as a parameter (``top: TopOpt = None``). Two commands that take the
same flag use the same alias, so its name, help and checks read the same in both.
The callbacks that turn board URLs into ids live here too.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import unquote, urlsplit

import typer

from boardsmith.errors import UsageError

__all__ = [
    "FormatOpt",
    "NoWaitOpt",
    "OutputFormat",
    "board_argument",
    "board_arguments",
    "board_option",
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


def from_option(value: str | None) -> str | None:
    """Typer callback of ``--from``: a board id or URL, as the board id."""
    return None if value is None else board_ref(value, flag="--from")


def show_version(value: bool) -> None:
    """Typer callback of ``--version``: print it and stop."""
    if value:
        from boardsmith import __version__

        typer.echo(f"boardsmith {__version__}")
        raise typer.Exit()


# -- the root command (every command's modes) -------------------------------------------

VersionOpt = Annotated[
    bool,
    typer.Option(
        "--version", callback=show_version, is_eager=True, help="Show the version and exit."
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Print only data and errors, no progress or hints."),
]
VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Also print details such as internal item keys."),
]
DebugOpt = Annotated[
    bool,
    typer.Option(
        "--debug",
        help="Show the traceback of an internal error (same as BOARDSMITH_DEBUG=1).",
    ),
]


# -- boards -----------------------------------------------------------------------------

BoardIds = Annotated[
    list[str] | None,
    typer.Argument(
        help="Board id(s) or URL(s); several boards are rolled up, each board first.",
        callback=board_arguments,
        metavar="BOARD...",
        show_default=False,
    ),
]
BoardId = Annotated[
    str, typer.Argument(help="Board id or URL.", callback=board_argument, metavar="BOARD")
]
OldBoard = Annotated[
    str,
    typer.Argument(help="The earlier board (id or URL).", callback=board_argument, metavar="OLD"),
]
NewBoard = Annotated[
    str, typer.Argument(help="The later board (id or URL).", callback=board_argument, metavar="NEW")
]
SinceOpt = Annotated[
    Path | None,
    typer.Option(
        "--since",
        help="Last time's boards file (the same format as --boards-from): the report adds what "
        "changed, school by school, matched by label.",
        metavar="FILE",
    ),
]
BoardsFromOpt = Annotated[
    Path | None,
    typer.Option(
        "--boards-from",
        help="A file of boards, one id or URL per line, optionally followed by a label "
        "(a school's name); blank lines and # comments are skipped.",
        metavar="FILE",
    ),
]


# -- reading boards (harvest, tally, narrow, watch) ---------------------------------------

TopOpt = Annotated[
    int | None,
    typer.Option(
        "--top",
        help="How many adjectives the group keeps, 1-50 (default: the board's own number of "
        "top slots).",
        min=1,
        max=50,
        metavar="N",
    ),
]
TemplateOpt = Annotated[
    str | None,
    typer.Option(
        "--template",
        help="Template the board was made from, when it has no local state "
        "(default: recognised from the frame titles).",
        metavar="TEMPLATE",
    ),
]
AnonymiseOpt = Annotated[
    bool,
    typer.Option(
        "--anonymise",
        "--anonymize",
        help="Replace every name with a stable pseudonym (Participant A, B, ...), the same "
        "in every format and on every board of the run.",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="Write to this file instead of stdout.", metavar="FILE"),
]
HarvestFormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        help="json (the harvest document), csv (one row per sticky), md (a report to "
        "paste into an email) or html (the report with pictures, to print or send).",
        metavar="FORMAT",
    ),
]
TallyFormatOpt = Annotated[
    str, typer.Option("--format", help="table, json or csv.", metavar="FORMAT")
]
ChartOpt = Annotated[
    Path | None,
    typer.Option("--chart", help="Also write an SVG bar chart to this file.", metavar="FILE"),
]
CompareFormatOpt = Annotated[
    str, typer.Option("--format", help="md, json or html.", metavar="FORMAT")
]
NarrowFormatOpt = Annotated[str, typer.Option("--format", help="text or json.", metavar="FORMAT")]
ApplyOpt = Annotated[
    bool,
    typer.Option(
        "--apply", help="Write the chosen adjectives into the EMPTY top slots as new stickies."
    ),
]
RunoffOpt = Annotated[
    bool,
    typer.Option(
        "--runoff",
        help="Put tied adjectives in a runoff area with fresh dots (once: later runs "
        "count the runoff's votes to settle the tie).",
    ),
]

# -- output -----------------------------------------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="The same as --format json.")]


# -- create, plan, apply ----------------------------------------------------------------

TemplateArg = Annotated[
    str,
    typer.Argument(
        help="Template name or alias (see `boardsmith templates list`), or a file.",
        metavar="TEMPLATE",
        show_default=False,
    ),
]
BoardOpt = Annotated[
    str | None,
    typer.Option(
        "--board",
        help="Id or URL of an existing board to apply the template to.",
        callback=board_option,
        metavar="BOARD",
    ),
]
TitleOpt = Annotated[
    str | None,
    typer.Option(
        "--title", help="Name of the new board (default: the template's).", metavar="TITLE"
    ),
]
DryRunOpt = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Show what would be created and what it would cost; change nothing.",
    ),
]
NewBoardOpt = Annotated[
    bool,
    typer.Option(
        "--new",
        help="Always make a fresh board, even if the same create stopped unfinished before.",
    ),
]
ApplyBoardOpt = Annotated[
    str,
    typer.Option(
        "--board",
        help="Id or URL of the board to bring up to date.",
        callback=board_option,
        metavar="BOARD",
    ),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        help=(
            "Template parameter as key=value (repeatable). A list is comma-separated, "
            '"A, B",C keeps a quoted comma, and repeating --param KEY=VALUE adds one value each.'
        ),
        metavar="KEY=VALUE",
    ),
]
TeamOpt = Annotated[
    str | None,
    typer.Option("--team", help="Team or system name (the 'team' parameter).", metavar="NAME"),
]
ParticipantsOpt = Annotated[
    str | None,
    typer.Option(
        "--participants",
        help='Comma-separated names, one lane each: "Ana,Ben,Chris".',
        metavar="NAMES",
    ),
]
SummaryJsonOpt = Annotated[
    bool,
    typer.Option(
        "--json", help="Print a machine-readable summary (and no progress); same as --format json."
    ),
]
RestoreOpt = Annotated[
    bool,
    typer.Option("--restore", help="Recreate template items that participants deleted."),
]
DedupeOpt = Annotated[
    bool,
    typer.Option(
        "--dedupe",
        help=(
            "Delete extra copies of template items that boardsmith made and nobody "
            "touched (e.g. two machines applied at once); others are only reported."
        ),
    ),
]
PruneOpt = Annotated[
    bool,
    typer.Option(
        "--prune",
        help=(
            "Delete retired items (dropped from the template) that are unchanged since "
            "boardsmith wrote them; moved or edited ones are kept. Asks first on a "
            "terminal; elsewhere it needs --yes."
        ),
    ),
]
YesOpt = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Do not ask before --prune deletes items."),
]
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Id or URL of an earlier board whose results start this one (its top "
        "adjectives, action plan or vision statement, as the template says).",
        callback=from_option,
        metavar="BOARD",
    ),
]


# -- watch ------------------------------------------------------------------------------

IntervalOpt = Annotated[
    float | None,
    typer.Option(
        "--interval",
        help="Seconds between refreshes (default: chosen from the board's size so watch "
        "spends at most a quarter of the credit budget; raised if it would exceed the "
        "whole budget).",
        min=0.1,
        metavar="SECONDS",
    ),
]
EventsJsonOpt = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Write one NDJSON event per change instead of the view (schema in the README).",
    ),
]
WatchTemplateOpt = Annotated[
    str | None,
    typer.Option(
        "--template",
        help="Template the board was made from, when it has no local state.",
        metavar="TEMPLATE",
    ),
]
WatchTopOpt = Annotated[
    int | None,
    typer.Option("--top", help="How many adjectives the group keeps.", min=1, max=50, metavar="N"),
]
WatchAnonymiseOpt = Annotated[
    bool,
    typer.Option("--anonymise", "--anonymize", help="Show Participant A, B, ... instead of names."),
]
WebOpt = Annotated[
    bool,
    typer.Option(
        "--web",
        help="Also serve the view as a page on 127.0.0.1 for projecting to the room "
        "(read-only; big type, the tally chart, progress).",
    ),
]
WebPortOpt = Annotated[
    int | None,
    typer.Option(
        "--port",
        help="Port of the --web page (default 8750; 0: any free port).",
        min=0,
        max=65535,
        metavar="N",
    ),
]
RefreshesOpt = Annotated[
    int | None,
    typer.Option("--refreshes", hidden=True, min=1, help="Stop after N refreshes (tests)."),
]

# -- emulator serve ---------------------------------------------------------------------

HostOpt = Annotated[
    str, typer.Option("--host", help="Loopback address to listen on.", metavar="ADDRESS")
]
ServePortOpt = Annotated[int, typer.Option("--port", help="TCP port.", metavar="PORT")]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite file (or a directory for emulator.sqlite3); "
        "default DATA_DIR/emulator.sqlite3.",
        metavar="FILE",
    ),
]
LatencyOpt = Annotated[
    float, typer.Option("--latency-ms", help="Added latency per request.", metavar="MS")
]
CreditsOpt = Annotated[
    int,
    typer.Option("--credits-per-minute", help="Per-user rate-limit budget.", metavar="N"),
]
Rate429Opt = Annotated[
    float,
    typer.Option(
        "--rate-429", help="Fraction (0 to 1) of requests answered 429.", metavar="FRACTION"
    ),
]
Rate500Opt = Annotated[
    float,
    typer.Option(
        "--rate-500", help="Fraction (0 to 1) of requests answered 500.", metavar="FRACTION"
    ),
]
FailAfterCommitOpt = Annotated[
    float,
    typer.Option(
        "--fail-after-commit",
        help="Fraction (0 to 1) of writes that commit, then fail (500 or dropped connection).",
        metavar="FRACTION",
    ),
]
SeedOpt = Annotated[
    int | None,
    typer.Option("--seed", help="Seed for reproducible faults and ids.", metavar="N"),
]


# -- templates and preview --------------------------------------------------------------

TemplateNameArg = Annotated[
    str, typer.Argument(help="Template name, alias or file.", metavar="TEMPLATE")
]
TemplateFilesArg = Annotated[
    list[Path], typer.Argument(help="Template files to check.", metavar="FILE")
]
TemplateDirsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Folders of templates (*.yaml); default: the built-in templates.",
        metavar="[DIR]...",
    ),
]
BuildOutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Put compiled/ and schema.json under this folder instead of beside the templates "
        "(one DIR only).",
        metavar="DIR",
    ),
]
DiffOpt = Annotated[bool, typer.Option("--diff", help="Print a unified diff of each difference.")]
NewTemplateArg = Annotated[
    str, typer.Argument(help="The template's name, lowercase-with-dashes.", metavar="NAME")
]
NewTemplateDirOpt = Annotated[
    Path, typer.Option("--dir", help="Where to write NAME.yaml.", metavar="DIR")
]
PreviewTargetArg = Annotated[
    str,
    typer.Argument(
        help="Template name, alias or file (the empty board), or a board id or URL "
        "(the board as it is now).",
        metavar="TEMPLATE_OR_BOARD",
    ),
]
PreviewOutOpt = Annotated[
    Path, typer.Option("--out", help="Where to write the SVG.", metavar="FILE")
]
PreviewParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        help=(
            "A template parameter (repeatable). A list is comma-separated, "
            '"A, B",C keeps a quoted comma, and repeating --param KEY=VALUE adds one '
            "value each."
        ),
        metavar="KEY=VALUE",
    ),
]

# -- auth, config, completion -----------------------------------------------------------

OAuthPortOpt = Annotated[
    int | None,
    typer.Option(
        "--port",
        help="Loopback port for Miro's redirect; must match the app's redirect URI "
        "(default 8899, or BOARDSMITH_OAUTH_PORT).",
        metavar="PORT",
    ),
]
TeamIdOpt = Annotated[
    str | None,
    typer.Option("--team-id", help="Preselect this Miro team when authorizing.", metavar="TEAM_ID"),
]
NoBrowserOpt = Annotated[
    bool, typer.Option("--no-browser", help="Only print the URL; do not open a browser.")
]
PrintJsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ShellArg = Annotated[
    str,
    typer.Argument(help="The shell to complete in: bash, zsh or fish.", metavar="SHELL"),
]
