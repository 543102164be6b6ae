"""A harvest as the blocks of a report: headings, paragraphs, lists, tables, figures.

The report's words are decided here, once; :mod:`~boardsmith.render.report_md` and
:mod:`~boardsmith.render.report_html` only write the blocks out in their format. The
body holds no internal key, no sticky id and no board id: those go in the footer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from boardsmith.harvest.areas import humanise
from boardsmith.harvest.model import (
    BoardHarvest,
    ConditionRatings,
    HarvestDocument,
    NoteRecord,
    ReportGroup,
    ReportRecord,
    ReportSectionRecord,
    TallyRecord,
)
from boardsmith.harvest.result import display, slot_words, tidy
from boardsmith.harvest.rollup import board_labels
from boardsmith.render.blocks import (
    NUMBERED,
    Block,
    Entry,
    Figure,
    Heading,
    Items,
    Para,
    Report,
    Table,
    level_range,
    level_text,
)
from boardsmith.render.report_rollup import rollup_blocks
from boardsmith.render.since_blocks import since_blocks

__all__ = ["report_blocks"]


def _entry(note: NoteRecord) -> Entry:
    lines = tuple(line for line in note.text.split("\n") if line.strip()) or (note.text,)
    return Entry(lines=lines, author=note.participant)


def _items(notes: Sequence[NoteRecord]) -> Items:
    """Notes as a list; when every note carries its own number, a list with those numbers."""
    entries = [_entry(n) for n in notes]
    found = [NUMBERED.match(e.lines[0]) for e in entries]
    if len(entries) > 1 and all(found):
        numbered = tuple(
            replace(e, lines=(e.lines[0][m.end() :], *e.lines[1:]), number=int(m.group(1)))
            for e, m in zip(entries, found, strict=True)
            if m is not None
        )
        return Items(numbered, ordered=True)
    return Items(tuple(entries))


def _cell(notes: Sequence[NoteRecord]) -> str:
    return "; ".join(" / ".join(ln for ln in n.text.split("\n") if ln.strip()) for n in notes)


def _authors(notes: Sequence[NoteRecord]) -> str:
    return ", ".join(dict.fromkeys(n.participant for n in notes if n.participant))


def _result(board: BoardHarvest) -> Iterator[Block]:
    result, tally = board.result, board.tally
    if result.source == "group":
        by_slot = {s.rank: s for s in board.top_slots}
        by_term = {t.term: t for t in tally.terms}
        entries = []
        for rank in sorted(by_slot):
            slot = by_slot[rank]
            # What harvest could not read as an adjective is shown as written.
            words = [word for _, _, word in slot_words(slot, by_term)]
            texts = words or [tidy(t) for t in slot.texts]
            entries.append(Entry(lines=(", ".join(texts) or "(still empty)",), strong=bool(texts)))
        yield Items(tuple(entries), ordered=True)
        if result.top == result.proposal and not tally.ties_at_cutoff:
            yield Para("The tally proposed the same adjectives, in the same order.", "aside")
        else:
            shown = ", ".join(display(t) for t in tally.terms if t.term in result.proposal)
            yield Para(f"The tally proposed: {shown}." if shown else "", "aside")
            for sentence in result.disagreements:
                yield Para(sentence, "flag")
    else:
        if not result.texts:
            return
        label = "Proposed by the tally"
        if board.top_slots:
            label += "; the group has not filled the top boxes yet"
        yield Para(label + ".", "aside")
        yield Items(tuple(Entry(lines=(t,), strong=True) for t in result.texts), ordered=True)
    yield from _tally_notes(tally)


def _tally_notes(tally: TallyRecord) -> Iterator[Block]:
    runoff = tally.runoff
    if runoff is not None and runoff.outcome in ("settled", "tied"):
        counts = ", ".join(
            f"{display(t)} {t.runoff}" for t in tally.terms if t.term in runoff.tied_before
        )
        verb = "settled" if runoff.outcome == "settled" else "did not settle"
        yield Para(
            f"The runoff vote {verb} the tie at the cut-off (runoff votes: {counts}).", "aside"
        )
    if tally.ties_at_cutoff:
        by_term = {t.term: t for t in tally.terms}
        tied = ", ".join(display(by_term[t]) for t in tally.ties_at_cutoff if t in by_term)
        yield Para(
            f"Tied at the cut-off of {tally.cutoff}: {tied}. They have the same picks, dots "
            "and runoff votes, so the group decides.",
            "flag",
        )


def _picks(board: BoardHarvest) -> Iterator[Block]:
    by_term = {t.term: t for t in board.tally.terms}
    rows = []
    for p in board.participants:
        picked = ", ".join(display(by_term[t]) if t in by_term else t for t in p.picks)
        rows.append((p.name, picked or "(no picks yet)", " / ".join(p.why) or "(not written)"))
    yield Table(headers=("Person", "Picked", "Why"), rows=tuple(rows))


def _tally(board: BoardHarvest, chart: str | None) -> Iterator[Block]:
    if chart:
        yield Figure("tally", "The tally as a chart: picks, then dots, per adjective.", chart)
    yield _tally_table(board.tally)


def _tally_table(tally: TallyRecord) -> Table:
    rows = []
    for i, t in enumerate(tally.terms, 1):
        rows.append((str(i), display(t), ", ".join(t.pickers), str(t.picks), str(t.dots)))
    return Table(
        headers=("#", "Adjective", "Picked by", "Picks", "Dots"),
        rows=tuple(rows),
        numeric=(True, False, False, True, True),
    )


def _ratings(
    conditions: Sequence[ConditionRatings], level: int, rates: str | None = None
) -> Iterator[Block]:
    roles = sorted({role for c in conditions for role in c.by_role})
    headers = (
        rates or "Condition",
        "Ratings",
        "Median",
        "Range",
        *(f"Median ({r})" for r in roles),
    )
    rows = []
    flags = []
    for c in conditions:
        given = "; ".join(
            f"{r.participant or 'someone'}{f' ({r.role})' if r.role else ''}: {r.level}"
            for r in c.ratings
        )
        rows.append(
            (
                c.condition,
                given or "(no rating yet)",
                level_text(c.median) if c.median is not None else "",
                level_range(c.low, c.high),
                *(level_text(c.by_role[r]) if r in c.by_role else "" for r in roles),
            )
        )
        flags.append(f"{c.low} to {c.high}: two or more levels apart" if c.apart else "")
    yield Table(headers=headers, rows=tuple(rows), flags=tuple(flags), flag_header="Gap")
    apart = [c.condition for c in conditions if c.apart]
    if apart:
        yield Para(
            "Ratings two or more levels apart, worth talking through first: "
            + ", ".join(apart)
            + ".",
            "flag",
        )
    for c in conditions:
        if c.evidence:
            yield Heading(level + 1, f"Evidence: {c.condition}")
            yield _items(c.evidence)


def _statement(section: ReportSectionRecord) -> Iterator[Block]:
    for group in section.groups:
        for n in group.notes:
            yield Para(n.text.replace("\n", " ") + (f" ({n.participant})" if n.participant else ""))


def _notes(section: ReportSectionRecord, level: int) -> Iterator[Block]:
    # A "list" reads as one list; with several groups each gets its title, as notes do.
    titled = section.show == "notes" or len(section.groups) > 1
    for group in section.groups:
        if not group.notes:
            continue
        if titled:
            yield Heading(level + 1, group.title)
        yield _items(group.notes)


def _table(section: ReportSectionRecord) -> Iterator[Block]:
    table = section.table
    if table is None:
        return
    rows = tuple(
        (
            *(_cell(row.cells.get(c, [])) or "(missing)" for c in table.columns),
            _authors([n for c in table.columns for n in row.cells.get(c, [])]),
        )
        for row in table.rows
    )
    flags = tuple(", ".join(row.missing) for row in table.rows)
    yield Table(
        headers=(*table.headings, "Added by"), rows=rows, flags=flags, flag_header="Missing"
    )
    if table.expectation:
        yield Para(table.expectation, "aside" if table.expectation_met else "flag")


@dataclass(frozen=True)
class _Shown:
    """What a section's blocks are made from: the board, the section, its heading level."""

    board: BoardHarvest
    section: ReportSectionRecord
    level: int
    chart: str | None


#: The blocks under each ``show`` kind's heading and intro (report_spec.ShowKind): a
#: new kind is one entry here. ``text`` shows its intro alone.
_SHOW: dict[str, Callable[[_Shown], Iterator[Block]]] = {
    "result": lambda s: _result(s.board),
    "picks": lambda s: _picks(s.board),
    "tally": lambda s: _tally(s.board, s.chart),
    "statement": lambda s: _statement(s.section),
    "notes": lambda s: _notes(s.section, s.level),
    "list": lambda s: _notes(s.section, s.level),
    "table": lambda s: _table(s.section),
    "ratings": lambda s: _ratings(s.section.ratings, s.level, s.section.rates),
    "text": lambda s: iter(()),
}


def _section(
    board: BoardHarvest, section: ReportSectionRecord, level: int, chart: str | None
) -> Iterator[Block]:
    yield Heading(level, section.heading)
    if section.intro:
        yield Para(section.intro)
    # A document written by another version may name a kind this one does not know.
    show = _SHOW.get(section.show)
    if show is not None:
        yield from show(_Shown(board, section, level, chart))


def _things_to_check(board: BoardHarvest, level: int) -> Iterator[Block]:
    unplaced = [s for s in board.stickies if s.region is None and s.text]
    # The "unplaced" count is said below, with each sticky's words and author.
    lines = [w.message for w in board.warnings if w.code != "unplaced"]
    if unplaced:
        listed = "; ".join(
            f"{s.text.replace(chr(10), ' / ')!r}" + (f" ({s.participant})" if s.participant else "")
            for s in unplaced
        )
        lines.append(f"Outside every area of the board, so not in this report: {listed}.")
    if lines:
        yield Heading(level, "Things to check")
        yield Items(tuple(Entry(lines=(line[:1].upper() + line[1:],)) for line in lines))


def _fallback(board: BoardHarvest) -> ReportRecord:
    """The report of a document written without one (by hand, or by an older version)."""
    result = board.result
    sections = [
        ReportSectionRecord(
            heading=f"Our top {board.rules.top_n} adjectives",
            show="result",
            empty=not board.tally.terms and result.filled == 0,
        ),
        ReportSectionRecord(
            heading="Who picked what, and why",
            show="picks",
            empty=not any(p.picks or p.why for p in board.participants),
        ),
        ReportSectionRecord(
            heading="How the picks were tallied", show="tally", empty=not board.tally.terms
        ),
    ]
    groups = [
        ReportGroup(title=humanise(p.prompt), region=p.region, notes=p.notes) for p in board.notes
    ]
    sections.append(
        ReportSectionRecord(
            heading="Notes per prompt",
            show="notes",
            groups=groups,
            empty=not any(g.notes for g in groups),
        )
    )
    title = board.board_name or "Workshop harvest"
    return ReportRecord(
        title=title, sections=sections, not_filled=[s.heading for s in sections if s.empty]
    )


def _board(
    board: BoardHarvest, level: int, pictures: Mapping[str, str], charts: Mapping[str, str]
) -> Iterator[Block]:
    report = board.report or _fallback(board)
    for section in report.sections:
        if not section.empty:
            yield from _section(board, section, level, charts.get(board.board_id))
    picture = pictures.get(board.board_id)
    if picture:
        # After the words: the report leads with what the group decided.
        yield Heading(level, "The board at the end of the session")
        yield Figure("board", "The board as the group left it.", picture)
    yield from _things_to_check(board, level)
    if report.not_filled:
        # Names with commas in them ("A Shared, Forward-Thinking Vision") need semicolons.
        joiner = "; " if any("," in name for name in report.not_filled) else ", "
        yield Para("Not filled in: " + joiner.join(report.not_filled) + ".", "aside")


def _footer(board: BoardHarvest) -> str:
    name = board.board_name or "untitled board"
    template = board.template or "no known template"
    version = f" v{board.template_version}" if board.template_version else ""
    return (
        f"{name}: Miro board {board.board_id}, template {template}{version}, "
        f"{board.item_count} items read."
    )


def report_blocks(
    document: HarvestDocument,
    *,
    pictures: Mapping[str, str] | None = None,
    charts: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Report:
    """The report of every board in ``document``, in order, as blocks.

    ``pictures`` and ``charts`` map a board id to SVG text of the finished board and of
    its tally; the HTML embeds them, the Markdown leaves them out.
    """
    pictures = pictures or {}
    charts = charts or {}
    boards = document.boards
    body: list[Block] = []
    if len(boards) == 1:
        report_title = title or (boards[0].report or _fallback(boards[0])).title
        if document.since is not None:
            body += since_blocks(document.since)
        body += _board(boards[0], 2, pictures, charts)
    else:
        report_title = title or "Workshop harvest"
        if document.rollup is not None:
            body += rollup_blocks(document.rollup, len(boards))
        if document.aggregate is not None and document.aggregate.terms:
            body.append(Heading(3, "Every participant's picks, pooled across the boards"))
            body.append(
                Para(
                    "Second to the groups' choices: each person's picks counted together, "
                    "as if the boards were one room.",
                    "aside",
                )
            )
            body.append(_tally_table(document.aggregate))
        if document.since is not None:
            body += since_blocks(document.since)
        if document.failed:
            body.append(Heading(2, "Boards that could not be read"))
            body.append(Items(tuple(Entry((f"{f.label}: {f.reason}",)) for f in document.failed)))
        for board, label in zip(boards, board_labels(boards), strict=True):
            own = (board.report or _fallback(board)).title
            body.append(Heading(2, own if board.label is None else f"{label}: {own}"))
            body += _board(board, 3, pictures, charts)
    return Report(title=report_title, body=tuple(body), footer=tuple(_footer(b) for b in boards))
