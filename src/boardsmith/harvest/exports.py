"""Exports of a harvest: JSON (the schema), CSV (one row per sticky), Markdown report.

CSV cells are written for spreadsheets, which run a cell starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return as a formula; such text cells get a leading
``'`` so a sticky reading ``=HYPERLINK(...)`` stays text. Numbers are left as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from boardsmith.harvest.model import BoardHarvest, HarvestDocument, TallyRecord
from boardsmith.harvest.result import display, tidy

__all__ = ["CSV_COLUMNS", "neutralise_cell", "to_csv", "to_json", "to_markdown"]

CSV_COLUMNS: tuple[str, ...] = (
    "board_id",
    "sticky_id",
    "region",
    "role",
    "participant",
    "raw_text",
    "term",
    "colour",
    "x",
    "y",
    "created_by",
    "created_at",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to text a spreadsheet would evaluate as a formula."""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_json(document: HarvestDocument) -> str:
    """The harvest document as JSON (see docs/schemas/harvest.schema.json)."""
    return document.to_json()


def _rows(board: BoardHarvest) -> Iterable[list[str | float]]:
    for sticky in board.stickies:
        creator = sticky.created_by
        yield [
            board.board_id,
            sticky.id,
            sticky.region or "",
            sticky.role or "",
            sticky.participant or "",
            sticky.text,
            "; ".join(sticky.terms),
            sticky.colour or "",
            round(sticky.bounds.x, 2),
            round(sticky.bounds.y, 2),
            (creator.name or creator.id) if creator else "",
            sticky.created_at or "",
        ]


def to_csv(document: HarvestDocument) -> str:
    """One row per sticky of every board, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for board in document.boards:
        for row in _rows(board):
            writer.writerow([neutralise_cell(c) if isinstance(c, str) else c for c in row])
    return out.getvalue()


def _md(text: str) -> str:
    # Table cells: no pipes or line breaks; everything else renders as typed.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " / ")


def _tally_table(tally: TallyRecord) -> list[str]:
    lines = ["| # | term | picked by | picks | dots | variants |", "|---|---|---|---|---|---|"]
    for i, term in enumerate(tally.terms, 1):
        lines.append(
            f"| {i} | {_md(term.term)} | {_md(', '.join(term.pickers))} | {term.picks} "
            f"| {term.dots} | {_md(', '.join(term.variants))} |"
        )
    return lines


def _five(tally: TallyRecord, shown: Sequence[str] | None = None) -> list[str]:
    if not tally.top:
        return ["_No adjectives were picked yet._"]
    by_term = {t.term: t for t in tally.terms}
    names = list(shown) if shown is not None else [display(by_term[t]) for t in tally.top]
    return [f"{i}. **{_md(term)}**" for i, term in enumerate(names, 1)] + _tally_notes(tally)


def _tally_notes(tally: TallyRecord) -> list[str]:
    """What the runoff did, and any tie left at the cut-off."""
    lines: list[str] = []
    runoff = tally.runoff
    if runoff is not None and runoff.outcome in ("settled", "tied"):
        counts = ", ".join(
            f"{_md(t.term)} {t.runoff}" for t in tally.terms if t.term in runoff.tied_before
        )
        verb = "settled" if runoff.outcome == "settled" else "did not settle"
        lines.append("")
        lines.append(f"> The runoff vote {verb} the tie at the cut-off (runoff votes: {counts}).")
    if tally.ties_at_cutoff:
        lines.append("")
        lines.append(
            f"> Tie at the cut-off of {tally.cutoff}: "
            + ", ".join(_md(t) for t in tally.ties_at_cutoff)
            + " have the same picks, dots and runoff votes; the group decides "
            "(try `boardsmith narrow --runoff`)."
        )
    return lines


def _result(board: BoardHarvest, heading: str) -> list[str]:
    """The board's one set of top adjectives; the tally's proposal only as a proposal."""
    result, tally = board.result, board.tally
    if result.source == "proposal":
        out = ["", f"{heading}# Proposed top {tally.cutoff}", ""]
        if board.top_slots:
            out += ["_The group has not filled the top slots yet; this is the tally's proposal._"]
            out.append("")
        return out + _five(tally, result.texts)
    out = ["", f"{heading}# Our top {result.slots}", ""]
    for slot in board.top_slots:
        shown = ", ".join(_md(tidy(t)) for t in slot.texts) or "_still empty_"
        out.append(f"{slot.rank}. **{shown}**" if slot.texts else f"{slot.rank}. {shown}")
    if result.top == result.proposal and not tally.ties_at_cutoff:
        same = "_The tally proposed the same adjectives, in the same order._"
        return [*out, "", same, *_tally_notes(tally)]
    out += ["", f"{heading}## The tally's proposal", ""]
    out += _five(tally)
    if result.disagreements:
        out += [""] + [f"- {_md(d)}" for d in result.disagreements]
    return out


def _people(board: BoardHarvest, heading: str) -> list[str]:
    if not board.participants:
        return []
    out = ["", f"{heading}# Who picked what", ""]
    for p in board.participants:
        picks = ", ".join(_md(t) for t in p.picks) or "_no picks yet_"
        out.append(f"- **{_md(p.name)}**: {picks}")
        out += [f"  - why: {_md(w)}" for w in p.why]
    return out


def _board_section(board: BoardHarvest, heading: str) -> list[str]:
    title = board.board_name or board.board_id
    out = [f"{heading} {_md(title)}", ""]
    out.append(f"Board `{board.board_id}`, template `{board.template or 'unknown'}`.")
    out += _result(board, heading)
    out += _people(board, heading)
    out += ["", f"{heading}# Tally", ""]
    out += _tally_table(board.tally) if board.tally.terms else ["_Nothing to tally._"]
    if board.notes:
        out += ["", f"{heading}# Notes per prompt", ""]
        for prompt in board.notes:
            out.append(f"**{_md(prompt.prompt)}**")
            out.append("")
            out += [
                f"- {_md(n.text)}" + (f" ({n.participant})" if n.participant else "")
                for n in prompt.notes
            ] or ["- _no notes_"]
            out.append("")
    if board.sections:
        out += ["", f"{heading}# Sections", ""]
        for section in board.sections:
            out.append(f"**{_md(section.label or section.key)}**")
            out.append("")
            for name, texts in section.fields.items():
                out.append(f"- {_md(name)}: {_md('; '.join(texts)) or '_empty_'}")
            if not section.fields:
                out += [f"- {_md(n.text)}" for n in section.notes] or ["- _empty_"]
            out.append("")
    out += ["", f"{heading}# Unplaced stickies", ""]
    unplaced = {s.id: s for s in board.stickies if s.region is None}
    if unplaced:
        out += [
            f"- {_md(s.text) or '_empty_'} (`{s.id}`, at {s.bounds.x:.0f}, {s.bounds.y:.0f})"
            for s in unplaced.values()
        ]
    else:
        out.append("_None: every sticky sits in a region._")
    if board.warnings:
        out += ["", f"{heading}# Warnings", ""]
        out += [f"- {_md(w.message)}" for w in board.warnings]
    out.append("")
    return out


def to_markdown(document: HarvestDocument, *, title: str = "Workshop harvest") -> str:
    """A report a coach can paste into a summary: the five, the tally, notes, unplaced."""
    lines = [f"# {title}", ""]
    boards: Sequence[BoardHarvest] = document.boards
    if document.aggregate is not None:
        lines += [f"## Across {len(boards)} boards", "", f"### The {document.aggregate.cutoff}", ""]
        lines += _five(document.aggregate)
        lines += ["", "### Tally", ""]
        lines += _tally_table(document.aggregate)
        lines.append("")
        for board in boards:
            lines += _board_section(board, "##")
    else:
        for board in boards:
            lines += _board_section(board, "##")
    return "\n".join(lines).rstrip("\n") + "\n"
