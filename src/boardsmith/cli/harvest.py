"""``boardsmith harvest | tally | narrow``: from finished boards to the group's adjectives.

* ``harvest BOARD_ID...`` writes the harvest document (JSON), one CSV row per sticky,
  or a Markdown report;
* ``tally BOARD_ID...`` ranks the adjectives (a table, JSON, CSV, and an SVG chart);
* ``narrow BOARD_ID`` proposes the top N, and with ``--apply`` / ``--runoff`` writes
  them into the empty top slots or sets up a runoff vote.

Boards built here are read with their local state (exact regions); other boards are
recognised by their frame titles. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from boardsmith.cli.app import app
from boardsmith.cli.board_access import board_sources, no_such_board, read_progress, run_settings
from boardsmith.cli.options import (
    AnonymiseOpt,
    ApplyOpt,
    BoardId,
    BoardIds,
    BoardsFromOpt,
    ChartOpt,
    HarvestFormatOpt,
    JsonOpt,
    NarrowFormatOpt,
    NoWaitOpt,
    OutOpt,
    RunoffOpt,
    SinceOpt,
    TallyFormatOpt,
    TemplateOpt,
    TopOpt,
)
from boardsmith.cli.output import counted, note
from boardsmith.errors import UsageError
from boardsmith.harvest.constants import RANKING_RULE

if TYPE_CHECKING:
    from boardsmith.cli.backend import Backend
    from boardsmith.harvest.api import HarvestResult
    from boardsmith.harvest.model import BoardHarvest, HarvestDocument, ResultRecord, TallyRecord
    from boardsmith.harvest.narrow import NarrowPlan, RunoffDecision
    from boardsmith.harvest.snapshot import Snapshot


HARVEST_FORMATS = ("json", "csv", "md", "html")
TALLY_FORMATS = ("table", "json", "csv")
NARROW_FORMATS = ("text", "json")


def _json_format(fmt: str, json_out: bool, *, text: str) -> str:
    """``--json`` means ``--format json``; with another --format it is a usage error."""
    if not json_out:
        return fmt
    if fmt not in ("json", text):
        raise UsageError(f"--json: it means --format json, and --format {fmt} was given too")
    return "json"


def _check_format(value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise UsageError(f"--format: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def _say_notes(document: HarvestDocument, *, template: str | None = None) -> None:
    """What the user should know before reading the output, on stderr, one line each."""
    for board in document.boards:
        label = board.board_name or board.board_id
        for warning in board.warnings:
            if warning.code == "history-unreadable":
                note(f"warning: {warning.message}")
        missing = _regions_missing(board)
        if missing == "unknown":
            # Else the output alone ("no adjectives picked yet") hides why it is empty.
            note(
                f"warning: board {label}: no template regions were recognised (no local "
                "state, no known frame title), so every sticky is unplaced; name the "
                "template with --template"
            )
        elif missing is not None:
            named = f"--template {template}" if template else f"template {board.template}"
            note(f"warning: board {label}: the regions of {named} were not found on it ({missing})")
        rules = board.rules
        if rules.board_top_n is not None:
            note(
                f"--top {rules.top_n} overrides the {rules.board_top_n} top slots of board "
                f"{board.board_name or board.board_id}"
            )


def _regions_missing(board: BoardHarvest) -> str | None:
    """Why the template's regions are not on the board (``"unknown"``: no template), or
    ``None`` when they were found. A template that does not fit gives no single warning:
    its frame may be missing, no region may match, or only a frame may have been taken."""
    by_code = {w.code: w.message for w in board.warnings}
    if "template-unknown" in by_code:
        return "unknown"
    if "template-not-found" in by_code:
        return by_code["template-not-found"]
    if board.located_by == "state":
        return None
    if not board.regions:
        return "nothing of it is on the board: every sticky is unplaced"
    if "region-estimated" in by_code and all(r.item_id is None for r in board.regions):
        return "only a frame was; their places are estimates"
    return None


@asynccontextmanager
async def _harvested(
    board_ids: Sequence[str],
    *,
    template: str | None,
    top: int | None,
    write: bool = False,
    no_wait: bool = False,
    labels: Mapping[str, str] | None = None,
) -> AsyncIterator[tuple[Backend, HarvestDocument, list[HarvestResult]]]:
    """Read and harvest the boards (recording the reads in their history); the backend
    stays open for write-back. With ``write`` the boards' locks are held from before the
    read until the write is done, so two write-backs never both see an empty slot."""
    from contextlib import AsyncExitStack

    from boardsmith.cli.backend import open_backend
    from boardsmith.harvest.api import harvest_boards
    from boardsmith.harvest.history import HistoryStore
    from boardsmith.miro.errors import BadRequestError, NotFoundError

    if template is not None:
        from boardsmith.templates import find_template

        find_template(template)  # an unknown name fails before anything is read
    settings = run_settings()
    async with open_backend(settings) as backend, AsyncExitStack() as locks:
        if write:
            # Only a write-back locks (filelock is imported for it alone).
            from boardsmith.boards.lock import async_board_lock

            for board_id in dict.fromkeys(board_ids):
                await locks.enter_async_context(
                    async_board_lock(
                        settings.home,
                        backend.name,
                        board_id,
                        wait=not no_wait,
                        on_wait=note,
                    )
                )
        sources = board_sources(settings, backend, board_ids, labels)
        try:
            with read_progress(len(sources)) as (progress, on_board):
                document, results = await harvest_boards(
                    backend.client,
                    sources,
                    template=template,
                    top=top,
                    progress=progress,
                    history=HistoryStore(settings.home),
                    backend=backend.name,
                    # One board that fails fails the command; in a collection it is named
                    # and the others still report.
                    partial=len(sources) > 1,
                    on_board=on_board,
                )
        except (NotFoundError, BadRequestError):
            # Several boards are read with ``partial``, which lists a missing one in
            # ``document.failed``; only a single board's read raises.
            raise no_such_board(backend, sources[0].board_id) from None
        _say_notes(document, template=template)
        yield backend, document, results


async def harvest_for(
    board_ids: Sequence[str],
    *,
    template: str | None = None,
    top: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> tuple[HarvestDocument, list[HarvestResult]]:
    """Harvest the boards as ``boardsmith harvest`` does (history recorded, errors as
    one line), for every command that reads boards."""
    async with _harvested(board_ids, template=template, top=top, labels=labels) as (
        _,
        document,
        results,
    ):
        return document, results


def _read(
    board_ids: list[str] | None,
    boards_from: Path | None,
    *,
    template: str | None,
    top: int | None,
    since: Path | None = None,
) -> tuple[HarvestDocument, list[HarvestResult]]:
    """The boards of the command line and of ``--boards-from``, harvested; with
    ``--since``, last time's boards are read in the same run and compared."""
    import asyncio

    from boardsmith.cli.collection import boards_to_read, with_earlier

    ids, labels = boards_to_read(board_ids, boards_from)
    if since is None:
        return asyncio.run(harvest_for(ids, template=template, top=top, labels=labels))
    from boardsmith.harvest.since import with_since

    earlier, labels = with_earlier(ids, labels, since)
    document, results = asyncio.run(
        harvest_for([*ids, *earlier], template=template, top=top, labels=labels)
    )
    last = set(earlier)
    document = with_since(
        document,
        last,
        then_label=since.stem,
        now_label=boards_from.stem if boards_from is not None else "this time",
        top=top,
    )
    return document, [r for r in results if r.harvest.board_id not in last]


def _partial(document: HarvestDocument) -> None:
    """After the output: boards that could not be read make the result partial (exit 4)."""
    if not document.failed:
        return
    from boardsmith.errors import PartialResultError

    total = len(document.failed) + len(document.boards)
    listed = "; ".join(f"{f.label}: {f.reason}" for f in document.failed)
    raise PartialResultError(
        f"{len(document.failed)} of {total} boards could not be read ({listed}); "
        "the others are in the output"
    )


def _write(text: str, out: Path | None, *, flag: str = "--out") -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{flag} {out}: cannot write: {exc.strerror}") from None


def _board_label(document: HarvestDocument) -> str | list[str]:
    ids = [b.board_id for b in document.boards]
    return ids[0] if len(ids) == 1 else ids


def _tally_of(document: HarvestDocument) -> TallyRecord:
    return document.aggregate or document.boards[0].tally


def _anonymised(
    document: HarvestDocument, snapshots: dict[str, Snapshot]
) -> tuple[HarvestDocument, dict[str, Snapshot]]:
    """Every name replaced by the same pseudonym in the document and the pictures."""
    from boardsmith.harvest.anonymise import Pseudonyms, names_in

    names = Pseudonyms(names_in([document], snapshots.values()))
    return names.document(document), {k: names.snapshot(v) for k, v in snapshots.items()}


@app.command("harvest")
def harvest_command(
    board_ids: BoardIds = None,
    fmt: HarvestFormatOpt = "json",
    out: OutOpt = None,
    top: TopOpt = None,
    template: TemplateOpt = None,
    json_out: JsonOpt = False,
    anonymise: AnonymiseOpt = False,
    boards_from: BoardsFromOpt = None,
    since: SinceOpt = None,
) -> None:
    """Read finished boards into structured data: picks, dots, terms, slots, notes.

    \b
    Examples:
      boardsmith harvest BOARD                          the harvest document (JSON)
      boardsmith harvest BOARD --format md --out summary.md   a report to paste
      boardsmith harvest BOARD --format html --out report.html  to print or send
      boardsmith harvest BOARD --format csv --out stickies.csv
      boardsmith harvest A B --format md --anonymise      names become Participant A, B ...
      boardsmith harvest --boards-from schools-2026.txt --since schools-2025.txt --format html
    """
    fmt = _json_format(_check_format(fmt, HARVEST_FORMATS), json_out, text="json")
    document, results = _read(board_ids, boards_from, template=template, top=top, since=since)
    # After the read: the document's models load on the harvest's thread meanwhile.
    from boardsmith.harvest.exports import to_csv, to_json

    snapshots = {r.harvest.board_id: r.snapshot for r in results}
    if anonymise:
        document, snapshots = _anonymised(document, snapshots)
    if fmt == "json":
        text = to_json(document)
    elif fmt == "csv":
        text = to_csv(document)
    else:
        from boardsmith.render.report import render_report

        text = render_report(document, "md" if fmt == "md" else "html", snapshots=snapshots)
    _write(text, out)
    if out is not None:
        count = sum(len(b.stickies) for b in document.boards)
        unplaced = sum(len(b.unplaced) for b in document.boards)
        note(
            f"harvested {count} stickies from {counted(len(document.boards), 'board')} "
            f"({unplaced} unplaced) into {out}"
        )
    _partial(document)


def _tally_csv(record: TallyRecord, top: Sequence[str] | None = None) -> str:
    """One row per term; ``top`` marks the one result, ``proposed`` the tally's own top."""
    import csv
    import io

    from boardsmith.harvest.exports import neutralise_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    chosen = set(record.top if top is None else top)
    writer.writerow(
        ["rank", "term", "picks", "dots", "pickers", "variants", "top", "proposed", "tie"]
    )
    for rank, term in enumerate(record.terms, 1):
        row: list[str | int] = [
            rank,
            term.term,
            term.picks,
            term.dots,
            "; ".join(term.pickers),
            "; ".join(term.variants),
            "yes" if term.term in chosen else "",
            "yes" if term.term in record.top else "",
            "yes" if term.term in record.ties_at_cutoff else "",
        ]
        writer.writerow([neutralise_cell(c) if isinstance(c, str) else c for c in row])
    return buffer.getvalue()


def _spelling(record: TallyRecord) -> Callable[[str], str]:
    """Each term as the report spells it (its most common spelling), for lines a
    facilitator reads; a term the tally does not hold as it is."""
    from boardsmith.harvest.result import spellings

    shown = spellings(record)
    return lambda term: shown.get(term, term)


def _tie_sentence(
    record: TallyRecord, board_id: str = "BOARD_ID", *, hint: bool = True
) -> str | None:
    if not record.ties_at_cutoff:
        return None
    terms = {t.term: t for t in record.terms}
    first = terms[record.ties_at_cutoff[0]]
    names = ", ".join(map(_spelling(record), record.ties_at_cutoff))
    picks, dots = counted(first.picks, "pick"), counted(first.dots, "dot")
    votes = f"{picks} and {dots}"
    if first.runoff is not None:
        votes = f"{picks}, {dots} and {counted(first.runoff, 'runoff vote')}"
    if record.runoff is not None and record.runoff.outcome in ("no-votes", "tied"):
        advice = " The group decides, or votes with the dots in the runoff frame."
    else:
        advice = f" The group decides, or run `boardsmith narrow {board_id} --runoff`."
    return (
        f"tie at the cut-off: {names} each have {votes}; "
        f"only {sum(1 for t in record.ties_at_cutoff if t in record.top)} of them fit in the "
        f"top {record.cutoff}." + (advice if hint else "")
    )


def _runoff_sentence(record: TallyRecord) -> str | None:
    """What the board's runoff did to the tie, in one line (None without a runoff)."""
    runoff = record.runoff
    if runoff is None:
        return None
    spell = _spelling(record)
    ranked = [t.term for t in record.terms if t.term in runoff.tied_before]
    counts = ", ".join(f"{spell(t)} {counted(runoff.votes.get(t, 0), 'vote')}" for t in ranked)
    held = ", ".join(map(spell, runoff.terms)) or "no adjectives"
    if runoff.outcome == "settled":
        return f"runoff settled the tie: {counts}"
    if runoff.outcome == "tied":
        still = ", ".join(map(spell, record.ties_at_cutoff))
        return f"runoff is tied too: {counts}; still tied: {still}"
    if runoff.outcome == "no-votes":
        return f"runoff has no votes yet ({held}): the tie stands until the group votes"
    if runoff.outcome == "stale":
        tie = ", ".join(map(spell, runoff.tied_before))
        return f"runoff not used: it holds {held}, but the tie is now {tie}"
    return "runoff not used: nothing is tied at the cut-off any more"


def _group_choice(result: ResultRecord) -> str:
    """The group's choice as every output words it."""
    return f"the group's choice ({result.filled} of {result.slots} top slots filled): " + ", ".join(
        result.texts
    )


def _print_table(
    record: TallyRecord,
    title: str,
    boards: str | list[str],
    board: BoardHarvest | None,
    *,
    pooled: bool = False,
) -> None:
    from rich.console import Console
    from rich.table import Table

    from boardsmith.harvest.result import display

    console = Console()
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("term")
    table.add_column("picks", justify="right")
    table.add_column("dots", justify="right")
    with_runoff = any(t.runoff is not None for t in record.terms)
    if with_runoff:
        table.add_column("runoff", justify="right")
    table.add_column("picked by")
    table.add_column("variants")
    chosen = board.result.top if board is not None else record.top
    for rank, term in enumerate(record.terms, 1):
        style = "bold" if term.term in chosen else None
        mark = " (tie)" if term.term in record.ties_at_cutoff else ""
        runoff = [] if not with_runoff else ["" if term.runoff is None else str(term.runoff)]
        table.add_row(
            str(rank),
            display(term) + mark,
            str(term.picks),
            str(term.dots),
            *runoff,
            ", ".join(term.pickers),
            ", ".join(term.variants),
            style=style,
        )
    if record.terms:
        console.print(table)
    else:
        console.print("no adjectives picked yet")
    if board is not None and board.result.source == "group":
        result = board.result
        console.print(
            f"in bold, {_group_choice(result)}; the tally proposed: "
            + ", ".join(map(_spelling(record), result.proposal)),
            markup=False,
            highlight=False,
        )
        for line in result.disagreements:
            console.print(f"disagreement: {line}", markup=False, highlight=False)
    settled = _runoff_sentence(record)
    if settled:
        console.print(settled, markup=False, highlight=False)
    # A tie among pooled picks is no group's tie: each board's own is named above it.
    tie = (
        None if pooled else _tie_sentence(record, boards if isinstance(boards, str) else "BOARD_ID")
    )
    if tie:
        console.print(tie, markup=False, highlight=False)


def _check_chart(chart: Path | None) -> None:
    """``--chart`` names an SVG file (checked before anything is read)."""
    if chart is None:
        return
    if chart.is_dir():
        # Checked before the suffix: a directory is never what the user meant to name.
        raise UsageError(
            f"--chart {chart}: is a directory; give a file name ending in .svg, "
            f"e.g. {chart / 'tally.svg'}"
        )
    if chart.suffix.lower() != ".svg":
        raise UsageError(f"--chart {chart}: the chart is SVG; use a file name ending in .svg")


def _tally_document(document: HarvestDocument) -> dict[str, Any]:
    """``tally --json``: the tally, and for several boards each board's and the roll-up."""
    from boardsmith.harvest.tally import tally_json

    one = document.boards[0] if document.aggregate is None else None
    data = tally_json(_board_label(document), _tally_of(document), one.result if one else None)
    if document.aggregate is not None:
        data["boards"] = [tally_json(b.board_id, b.tally, b.result) for b in document.boards]
    if document.rollup is not None:
        data["rollup"] = document.rollup.model_dump(mode="json")
    if document.failed:
        data["failed"] = [f.model_dump(mode="json") for f in document.failed]
    return data


def _print_rolled_up(document: HarvestDocument) -> None:
    """Several boards on a terminal: each group's choice, then every pick pooled."""
    from boardsmith.cli.rollup_view import print_rollup

    record = _tally_of(document)
    shown = print_rollup(document)
    if record.terms:
        title = f"Every participant's picks, pooled across {len(document.boards)} boards"
        _print_table(record, title, _board_label(document), None, pooled=True)
    elif not shown:
        typer.echo("no adjectives picked and no ratings given yet on any board")


_TALLY_EXAMPLES = """

\b
Examples:
  boardsmith tally BOARD                       a ranked table
  boardsmith tally BOARD --chart tally.svg     ... and a bar chart
  boardsmith tally BOARD_A BOARD_B --json      several boards, aggregated"""


@app.command(
    "tally",
    help="Rank the adjectives participants picked.\n\n" + RANKING_RULE + _TALLY_EXAMPLES,
)
def tally_command(
    board_ids: BoardIds = None,
    fmt: TallyFormatOpt = "table",
    chart: ChartOpt = None,
    top: TopOpt = None,
    template: TemplateOpt = None,
    json_out: JsonOpt = False,
    boards_from: BoardsFromOpt = None,
) -> None:
    from boardsmith.render.chart import tally_chart_svg

    fmt = _json_format(_check_format(fmt, TALLY_FORMATS), json_out, text="table")
    _check_chart(chart)
    document, _ = _read(board_ids, boards_from, template=template, top=top)
    record = _tally_of(document)
    one = document.boards[0] if document.aggregate is None else None
    chosen = one.result if one is not None else None
    if fmt == "json":
        typer.echo(json.dumps(_tally_document(document), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        typer.echo(_tally_csv(record, chosen.top if chosen else None), nl=False)
    elif document.rollup is not None:
        _print_rolled_up(document)
    else:
        names = ", ".join(b.board_name or b.board_id for b in document.boards)
        _print_table(record, f"Adjectives on {names}", _board_label(document), one)
    if chart is not None:
        title = "Adjectives: " + ", ".join(b.board_name or b.board_id for b in document.boards)
        bold = chosen.top if chosen is not None else None
        _write(tally_chart_svg(record, title=title, top=bold), chart, flag="--chart")
    _partial(document)


def _result_lines(board: BoardHarvest, *, hint: bool) -> list[str]:
    """The board's one result, then the proposal (labelled) and every disagreement."""
    record, result = board.tally, board.result
    lines: list[str] = []
    if result.source == "group":
        lines.append(_group_choice(result))
    lines.append(
        ("proposal, " if result.source == "group" else "")
        + f"top {record.cutoff} (by participants who picked, then dots, then runoff votes "
        "among terms tied at the cut-off, then word-bank order, then A-Z):"
    )
    spell = _spelling(record)
    by_term = {t.term: t for t in record.terms}
    for rank, term in enumerate(record.top, 1):
        t = by_term[term]
        tied = " (tied)" if term in record.ties_at_cutoff else ""
        extra = "" if t.runoff is None else f", {counted(t.runoff, 'runoff vote')}"
        counts = f"{counted(t.picks, 'pick')}, {counted(t.dots, 'dot')}"
        lines.append(f"  {rank}. {spell(term)}: {counts}{extra}{tied}")
    settled = _runoff_sentence(record)
    if settled:
        lines.append(settled)
    tie = _tie_sentence(record, board.board_id, hint=hint)
    lines.append(tie if tie else "no tie at the cut-off")
    return lines


def _narrow_data(board: BoardHarvest) -> dict[str, Any]:
    """The ``--json`` document of ``narrow`` before anything is written."""
    record = board.tally
    return {
        "board_id": board.board_id,
        "result": board.result.model_dump(mode="json"),
        "rules": board.rules.model_dump(mode="json"),
        "tally": {
            "terms": [
                {"term": t.term, "picks": t.picks, "dots": t.dots, "runoff": t.runoff}
                for t in record.terms
            ],
            "runoff": record.runoff.model_dump(mode="json") if record.runoff else None,
        },
    }


def _applied(
    plan: NarrowPlan, created: int, spell: Callable[[str], str]
) -> tuple[list[str], dict[str, Any]]:
    """What ``--apply`` did, as lines and as the ``applied`` JSON member (``spell``:
    how a term is shown, :func:`_spelling`)."""
    lines = [
        f"kept slot {rank}: {', '.join(map(spell, texts))} (filled by the group)"
        for rank, texts in sorted(plan.kept.items())
    ]
    lines += [f"wrote {w.text!r} into empty slot {w.rank}" for w in plan.writes]
    if plan.left_for_group:
        lines.append("left for the group (tied): " + ", ".join(map(spell, plan.left_for_group)))
    lines += [f"no empty slot left for {spell(term)!r}" for term in plan.no_room]
    lines += [f"disagreement: {note}" for note in plan.disagreements]
    lines.append(f"created {counted(created, 'sticky note')}; nothing was moved or overwritten")
    data = {
        "kept": {str(rank): texts for rank, texts in sorted(plan.kept.items())},
        "written": [{"slot": w.rank, "text": w.text} for w in plan.writes],
        "left_for_group": list(plan.left_for_group),
        "no_room": list(plan.no_room),
        "created": created,
    }
    return lines, data


def _runoff_line(decision: RunoffDecision, record: TallyRecord, created: int) -> str:
    """The one line ``--runoff`` says."""
    from boardsmith.harvest.narrow import RUNOFF_TITLE

    existing, layout = decision.existing, decision.plan
    if existing is not None:
        held = list(map(_spelling(record), record.runoff.terms)) if record.runoff else []
        stale = record.runoff is not None and record.runoff.outcome == "stale"
        return (
            f"--runoff: a '{existing.label or RUNOFF_TITLE}' frame is already on the board "
            f"(item {existing.item_id}, holding {', '.join(held) or 'no adjectives'}); "
            "no second one was created"
            + (". Rename that frame to start a new runoff for the new tie" if stale else "")
        )
    if layout is None:
        return "--runoff: no tie at the cut-off, so no runoff is needed"
    return (
        f"runoff: a '{layout.title}' frame beside the board holds "
        f"{counted(len(layout.terms), 'tied adjective')} and "
        f"{counted(layout.dots_each, 'fresh dot')} per participant ({created} items created)"
    )


async def _narrow(
    board_id: str,
    *,
    top: int | None,
    do_apply: bool,
    runoff: bool,
    template: str | None,
    no_wait: bool = False,
) -> tuple[list[str], dict[str, Any]]:
    """What narrow says, as lines for people and as the ``--json`` document; what it
    writes is decided by :func:`boardsmith.harvest.narrow.decide`."""
    from boardsmith.boards.add_items import add_items
    from boardsmith.harvest.narrow import decide

    writes = do_apply or runoff
    async with _harvested(
        [board_id], template=template, top=top, write=writes, no_wait=no_wait
    ) as (backend, _, results):
        board = results[0].harvest
        data = _narrow_data(board)
        decision = decide(results[0], do_apply=do_apply, runoff=runoff)
        if decision.empty:
            return ["no adjectives picked yet: nothing to narrow"], data
        lines = _result_lines(board, hint=not runoff)
        slots = decision.apply
        if slots is None:
            lines += [f"disagreement: {d}" for d in board.result.disagreements]
        else:
            created = await add_items(backend.client, board_id, slots.items, frames=slots.frames)
            more, data["applied"] = _applied(slots.plan, len(created), _spelling(board.tally))
            lines += more
        if decision.runoff is not None:
            layout = decision.runoff.plan
            ids = await add_items(backend.client, board_id, layout.items) if layout else []
            if layout is not None:
                data["runoff_created"] = {
                    "terms": list(layout.terms),
                    "dots_each": layout.dots_each,
                }
            lines.append(_runoff_line(decision.runoff, board.tally, len(ids)))
    return lines, data


@app.command("narrow")
def narrow_command(
    board_id: BoardId,
    top: TopOpt = None,
    do_apply: ApplyOpt = False,
    runoff: RunoffOpt = False,
    template: TemplateOpt = None,
    no_wait: NoWaitOpt = False,
    fmt: NarrowFormatOpt = "text",
    json_out: JsonOpt = False,
) -> None:
    """Propose the group's top adjectives; optionally write them back or set up a runoff.

    \b
    Examples:
      boardsmith narrow BOARD                  the group's choice, or the proposal
      boardsmith narrow BOARD --apply          fill only the EMPTY top slots
      boardsmith narrow BOARD --runoff         tied adjectives get a runoff vote
      boardsmith narrow BOARD --json           the same as --format json
    """
    import asyncio

    fmt = _json_format(_check_format(fmt, NARROW_FORMATS), json_out, text="text")
    lines, data = asyncio.run(
        _narrow(
            board_id,
            top=top,
            do_apply=do_apply,
            runoff=runoff,
            template=template,
            no_wait=no_wait,
        )
    )
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in lines:
        typer.echo(line)
