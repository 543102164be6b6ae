"""The report phase: the template's declared report, filled from the board.

The template says which sections the report has and which regions feed each
(:mod:`boardsmith.templates.report_spec`); this phase reads those regions the way a
person reads the board (top to bottom, left to right; numbered notes by their number)
and keeps who wrote what. Rendering is ``render/``'s job: this returns plain records.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from boardsmith.harvest.areas import area_name, column_heading, humanise
from boardsmith.harvest.model import (
    ConditionRatings,
    NoteRecord,
    ParticipantRecord,
    Rating,
    ReportGroup,
    ReportRecord,
    ReportSectionRecord,
    ReportTable,
    ResultRecord,
    TableRow,
    TallyRecord,
)
from boardsmith.harvest.records import markers_in_ratings, note
from boardsmith.harvest.regions import LocatedRegion
from boardsmith.harvest.snapshot import SnapItem
from boardsmith.harvest.view import BoardView, StickyView
from boardsmith.templates import Plan
from boardsmith.templates.report_spec import RegionSelector, ReportSection, ReportSpec

__all__ = ["default_report", "median", "participant_roles", "read_report", "region_title"]

Owner = Callable[[str], str | None]

#: Ratings this many levels apart are flagged: the gap the protocol asks teams to discuss.
RATINGS_APART = 2
#: Where a theme key leaves a sticky's colour out, its notes go under this heading.
OTHER_THEME = "Not color-coded"
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.):]\s")


def region_title(view: BoardView, region: LocatedRegion) -> str:
    """What the board calls a region ("How it functions", "Ana's lane")."""
    return area_name(view.plan, region.key, region.role, region.labels)


def participant_roles(view: BoardView) -> dict[str, str]:
    """Each participant's role (casefolded name → role), from the template's labels.

    A ``with_roles`` parameter ("Dana (principal)") puts the role beside the name on the
    lanes and markers it repeats over.
    """
    roles: dict[str, str] = {}
    for item in view.plan.items:
        name = item.labels.get("participant") or item.labels.get("owner")
        if name and item.labels.get("role"):
            roles.setdefault(name.casefold(), item.labels["role"])
    return roles


def _marker_owner(
    view: BoardView, marker: SnapItem, owners: Mapping[str, str], people: frozenset[str]
) -> str | None:
    """Whose rating a marker is: the template's owner label, else who moved it (when they
    are one of ``people``, casefolded), else who made it."""
    if marker.id in owners:
        return owners[marker.id]
    moved = view.snapshot.name_of(marker.modified_by)
    if moved is not None and moved.casefold() in people:
        return moved
    return view.snapshot.name_of(marker.created_by)


def _number(text: str) -> int | None:
    found = _NUMBERED.match(text)
    return int(found.group(1)) if found else None


def in_reading_order(stickies: Sequence[StickyView]) -> list[StickyView]:
    """Reading order, except that numbered notes ("1.", "2)") follow their numbers."""
    numbers = [_number(s.text) for s in stickies]
    if sum(n is not None for n in numbers) < 2:
        return list(stickies)
    ranked = sorted(
        range(len(stickies)),
        key=lambda i: (numbers[i] is None, numbers[i] or 0, i),
    )
    return [stickies[i] for i in ranked]


def _regions(view: BoardView, selectors: Sequence[RegionSelector]) -> list[LocatedRegion]:
    """The regions the selectors name: by selector, then in the board's order."""
    found: dict[str, LocatedRegion] = {}
    for selector in selectors:
        for r in view.regions:
            if selector.matches(r.role, r.labels):
                found.setdefault(r.key, r)
    return list(found.values())


def _is_note(s: StickyView, carried: frozenset[str] = frozenset()) -> bool:
    # A template sticky the group moved here (a carried-in action, a bank word) is theirs,
    # and so is what an earlier board of theirs carried in.
    return bool(s.text) and (s.moved or not s.from_template or s.id in carried)


def _notes(view: BoardView, region: LocatedRegion, owner: Owner) -> list[NoteRecord]:
    inside = [s for s in view.in_region(region.key) if _is_note(s, view.carried)]
    return [note(s, owner) for s in in_reading_order(inside)]


def _groups(view: BoardView, regions: Iterable[LocatedRegion], owner: Owner) -> list[ReportGroup]:
    return [
        ReportGroup(title=region_title(view, r), region=r.key, notes=_notes(view, r, owner))
        for r in regions
    ]


def _themed(
    view: BoardView, section: ReportSection, regions: Sequence[LocatedRegion], owner: Owner
) -> list[ReportGroup]:
    stickies = [s for r in regions for s in view.in_region(r.key) if _is_note(s, view.carried)]
    if not section.themes:
        notes = [note(s, owner) for s in in_reading_order(stickies)]
        return [ReportGroup(title=section.heading, notes=notes)]
    by_theme: dict[str, list[StickyView]] = {theme: [] for theme in section.themes.values()}
    others: list[StickyView] = []
    for s in stickies:
        theme = section.themes.get(s.item.fill_color or "")
        (by_theme[theme] if theme is not None else others).append(s)
    groups = [
        ReportGroup(title=theme, notes=[note(s, owner) for s in in_reading_order(members)])
        for theme, members in by_theme.items()
    ]
    if others:
        groups.append(
            ReportGroup(title=OTHER_THEME, notes=[note(s, owner) for s in in_reading_order(others)])
        )
    return groups


def _table(
    view: BoardView, section: ReportSection, cells: Sequence[LocatedRegion], owner: Owner
) -> ReportTable:
    columns = list(section.columns) or list(
        dict.fromkeys(c.labels.get("column", "") for c in cells)
    )
    headings = [section.columns.get(c) or column_heading(view.plan, c) for c in columns]
    rows: dict[str, dict[str, list[NoteRecord]]] = {}
    for cell in cells:
        row = rows.setdefault(cell.labels.get("row", ""), {c: [] for c in columns})
        column = cell.labels.get("column", "")
        if column in row:
            row[column].extend(_notes(view, cell, owner))

    def order(label: str) -> tuple[int, str]:
        return (int(label), "") if label.isdigit() else (10**9, label)

    filled = [
        TableRow(
            row=label,
            cells=row,
            missing=[h for c, h in zip(columns, headings, strict=True) if not row[c]],
        )
        for label, row in sorted(rows.items(), key=lambda kv: order(kv[0]))
        if any(row.values())
    ]
    said, met = _expectation(section, columns, headings, filled)
    return ReportTable(
        columns=columns, headings=headings, rows=filled, expectation=said, expectation_met=met
    )


def _expectation(
    section: ReportSection, columns: list[str], headings: list[str], rows: list[TableRow]
) -> tuple[str | None, bool | None]:
    """The protocol's ask of the table, and what the table has, in one sentence."""
    expect = section.expect
    if expect is None:
        return None, None
    met = expect.rows is None or len(rows) >= expect.rows
    have = [f"{len(rows)} row{'s' if len(rows) != 1 else ''}"]
    for column, wanted in expect.distinct.items():
        answers = {
            " ".join(n.text.casefold().split()) for row in rows for n in row.cells.get(column, [])
        }
        met = met and len(answers) >= wanted
        heading = headings[columns.index(column)] if column in columns else humanise(column)
        have.append(f"{len(answers)} different in \u201c{heading}\u201d")
    return f"{expect.says} This one has {' and '.join(have)}.", met


def _ratings(
    view: BoardView, levels: Sequence[LocatedRegion], owner: Owner
) -> list[ConditionRatings]:
    roles = participant_roles(view)
    markers = markers_in_ratings(view)
    template_ids = view.location.template_items
    owners = {
        template_ids[item.key]: item.labels["owner"]
        for item in view.plan.with_role("marker")
        if item.key in template_ids and item.labels.get("owner")
    }
    raters = frozenset(
        {n.casefold() for n in owners.values()} | {p.casefold() for p in view.participants}
    )
    per: dict[str, list[Rating]] = {}
    scale: dict[str, int] = {}
    for region in levels:
        condition = region.labels.get("condition", region.key)
        level_text = region.labels.get("level", "")
        ratings = per.setdefault(condition, [])
        if not level_text.isdigit():
            continue
        level = int(level_text)
        scale[condition] = max(scale.get(condition, 0), level)
        people = [(owner(s.id), "sticky") for s in view.in_region(region.key)]
        people += [
            (_marker_owner(view, m, owners, raters), "dot") for m in markers.get(region.key, [])
        ]
        for name, by in people:
            role = roles.get(name.casefold()) if name else None
            ratings.append(Rating(level=level, participant=name, role=role, by=by))  # type: ignore[arg-type]
    evidence: dict[str, list[NoteRecord]] = {}
    for region in view.of_role("evidence"):
        if "condition" in region.labels:
            evidence.setdefault(region.labels["condition"], []).extend(_notes(view, region, owner))
    return [
        _condition(name, sorted(ratings, key=_rating_order), evidence.get(name, [])).model_copy(
            update={"levels": scale.get(name)}
        )
        for name, ratings in per.items()
    ]


def _rating_order(rating: Rating) -> tuple[int, str]:
    return (rating.level, (rating.participant or "").casefold())


def median(values: Sequence[int]) -> float:
    """The median of some rating levels (``2.5`` between two)."""
    return float(statistics.median(values))


def _condition(name: str, ratings: list[Rating], evidence: list[NoteRecord]) -> ConditionRatings:
    levels = [r.level for r in ratings]
    by_role: dict[str, list[int]] = {}
    for r in ratings:
        if r.role:
            by_role.setdefault(r.role, []).append(r.level)
    return ConditionRatings(
        condition=name,
        ratings=ratings,
        median=median(levels) if levels else None,
        low=min(levels) if levels else None,
        high=max(levels) if levels else None,
        apart=bool(levels) and max(levels) - min(levels) >= RATINGS_APART,
        by_role={role: median(v) for role, v in by_role.items()},
        evidence=evidence,
    )


@dataclass(frozen=True)
class _Fill:
    """What filling one section reads: the board, the section and its regions."""

    view: BoardView
    section: ReportSection
    regions: list[LocatedRegion]
    owner: Owner
    tally: TallyRecord
    participants: list[ParticipantRecord]
    result: ResultRecord


#: A filled section: the fields to set on its record, whether it is empty, and the
#: headings of its areas nobody wrote in.
_Filled = tuple[dict[str, object], bool, list[str]]


def _fill_result(f: _Fill) -> _Filled:
    return {}, not f.tally.terms and f.result.filled == 0, []


def _fill_picks(f: _Fill) -> _Filled:
    return {}, not any(p.picks or p.why for p in f.participants), []


def _fill_tally(f: _Fill) -> _Filled:
    return {}, not f.tally.terms, []


def _fill_text(f: _Fill) -> _Filled:
    return {}, not (f.section.intro or "").strip(), []


def _fill_notes(f: _Fill) -> _Filled:
    groups = _groups(f.view, f.regions, f.owner)
    empty = not any(g.notes for g in groups)
    blank = [g.title for g in groups if not g.notes] if not empty and len(groups) > 1 else []
    return {"groups": groups}, empty, blank


def _fill_list(f: _Fill) -> _Filled:
    groups = _themed(f.view, f.section, f.regions, f.owner)
    return {"groups": groups}, not any(g.notes for g in groups), []


def _fill_table(f: _Fill) -> _Filled:
    table = _table(f.view, f.section, f.regions, f.owner)
    return {"table": table}, not table.rows, []


def _fill_ratings(f: _Fill) -> _Filled:
    ratings = _ratings(f.view, f.regions, f.owner)
    empty = not any(c.ratings or c.evidence for c in ratings)
    blank = [] if empty else [f"{c.condition} (no rating)" for c in ratings if not c.ratings]
    return {"ratings": ratings, "rates": f.section.columns.get("condition")}, empty, blank


#: How each ``show`` kind is filled from the board: one entry per kind
#: (``tests/templates/test_kinds.py`` checks every kind has one).
FILL: dict[str, Callable[[_Fill], _Filled]] = {
    "result": _fill_result,
    "picks": _fill_picks,
    "tally": _fill_tally,
    "text": _fill_text,
    "notes": _fill_notes,
    "statement": _fill_notes,
    "list": _fill_list,
    "table": _fill_table,
    "ratings": _fill_ratings,
}


def _section(
    view: BoardView,
    section: ReportSection,
    owner: Owner,
    board: tuple[TallyRecord, list[ParticipantRecord], ResultRecord],
) -> tuple[ReportSectionRecord, list[str]]:
    """The filled section, and the headings of its areas nobody wrote in."""
    tally, participants, result = board
    regions = _regions(view, section.selectors or (RegionSelector(role="rating"),))
    fill = _Fill(view, section, regions, owner, tally, participants, result)
    updates, empty, blank = FILL[section.show](fill)
    record = ReportSectionRecord(
        heading=section.heading, show=section.show, intro=section.intro, empty=empty
    )
    return record.model_copy(update=updates), blank


def default_report(plan: Plan) -> ReportSpec:
    """The report of a template that declares none: a section per kind of region it has."""
    roles = {item.role for item in plan.items if item.role}
    sections: list[ReportSection] = []

    def add(heading: str, show: str, *selectors: RegionSelector) -> None:
        data: dict[str, object] = {"heading": heading, "show": show}
        if selectors:
            data["from"] = list(selectors)
        sections.append(ReportSection.model_validate(data))

    if "top_slot" in roles:
        add("Our top adjectives", "result")
    if "lane" in roles:
        add("Who picked what, and why", "picks")
        add("How the picks were tallied", "tally")
    if "prompt_notes" in roles:
        add("Notes per prompt", "notes", RegionSelector(role="prompt_notes"))
    if "cell" in roles:
        add("The plan", "table", RegionSelector(role="cell"))
    if "rating" in roles:
        add("Ratings", "ratings")
    others = [r for r in ("step", "section", "notes", "column") if r in roles]
    if others:
        add("Notes", "notes", *(RegionSelector(role=r) for r in others))
    if not sections:
        add("Notes", "notes", RegionSelector(role="notes"))
    return ReportSpec(sections=sections)


def read_report(
    view: BoardView,
    owner: Owner,
    *,
    tally: TallyRecord,
    participants: list[ParticipantRecord],
    result: ResultRecord,
) -> ReportRecord:
    """The template's report filled from the board (a default one when it declares none)."""
    spec = view.plan.report or default_report(view.plan)
    sections: list[ReportSectionRecord] = []
    not_filled: list[str] = []
    carried = view.carried

    def author(ident: str) -> str | None:
        # What an earlier board carried in is the group's, not the facilitator's.
        return None if ident in carried else owner(ident)

    for section in spec.sections:
        record, blank = _section(view, section, author, (tally, participants, result))
        sections.append(record)
        not_filled += [record.heading] if record.empty else blank
    title = spec.title or view.snapshot.board_name or view.plan.title
    return ReportRecord(title=title, sections=sections, not_filled=not_filled)
