"""Harvesting one board: from a Snapshot and its template's Plan to a BoardHarvest.

One frozen :class:`~boardsmith.harvest.view.BoardView` is built first; the phases are
functions of it, run in order: picks (who chose what, :mod:`~boardsmith.harvest.picks`),
dots and runoff votes (:mod:`~boardsmith.harvest.dots`), the tally, the top slots and
the one result (:mod:`~boardsmith.harvest.result`), then notes, "why" boxes and
per-template records (:mod:`~boardsmith.harvest.records`). Last, what this read saw is
returned as :class:`~boardsmith.harvest.history.Sighting` records for the board history.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from boardsmith.harvest.areas import area_name
from boardsmith.harvest.attribution import person
from boardsmith.harvest.collector import collector_paused
from boardsmith.harvest.constants import MOVE_TOLERANCE, RUNOFF_TITLE
from boardsmith.harvest.dots import DotPhase, read_dots
from boardsmith.harvest.history import BoardHistory, Sighting, sighted
from boardsmith.harvest.memo import HarvestMemo, RecordMemo, SightingEntry, SightingMemo
from boardsmith.harvest.model import (
    BoardHarvest,
    Bounds,
    HarvestWarning,
    HistoryUse,
    ParticipantRecord,
    Person,
    RegionRecord,
    RulesRecord,
    SectionRecord,
    StickyRecord,
)
from boardsmith.harvest.picks import PickPhase, read_picks
from boardsmith.harvest.records import note, read_notes, read_sections, read_top_slots, read_why
from boardsmith.harvest.regions import LocatedRegion, Location
from boardsmith.harvest.report import read_report
from boardsmith.harvest.result import choose
from boardsmith.harvest.snapshot import SnapItem, Snapshot
from boardsmith.harvest.tally import tally
from boardsmith.harvest.text import TermMerger
from boardsmith.harvest.view import WORD_ROLES, BoardView, Rules, StickyView, build_view
from boardsmith.templates import Plan

__all__ = ["RUNOFF_TITLE", "harvest_board", "sightings"]


def _region_record(region: LocatedRegion) -> RegionRecord:
    return RegionRecord(
        key=region.key,
        role=region.role,
        label=region.label,
        labels=dict(region.labels),
        bounds=region.bounds,
        frame=region.frame,
        item_id=region.item_id,
    )


def _terms(view: BoardView, merger: TermMerger) -> dict[str, list[str]]:
    """The merged term of each item of every word-like sticky."""
    display: dict[int, str] = {}  # a term's display form, computed once per term

    def terms_of(s: StickyView) -> list[str]:
        if s.role not in WORD_ROLES and s.region is not None:
            return []
        out = []
        for entry in s.items:
            found = merger.resolve(entry)
            if found is not None:
                if id(found) not in display:
                    display[id(found)] = found.term
                out.append(display[id(found)])
        return out

    if not view.lanes:
        return {s.id: [] for s in view.stickies}
    return {s.id: terms_of(s) for s in view.stickies}


def _rules_record(rules: Rules) -> RulesRecord:
    return RulesRecord(
        top_n=rules.top_n,
        top_source=rules.top_source,
        board_top_n=rules.overridden,
        picks_min=rules.picks_min,
        picks_max=rules.picks_max,
        dots_per_participant=rules.dots_per_participant,
    )


def _picks_warning(
    rules: Rules, picked: Mapping[str, list[str]], names: list[str]
) -> HarvestWarning | None:
    low, high = rules.picks_min, rules.picks_max
    if low is None and high is None:
        return None
    counts = {n: len(picked.get(n, [])) for n in names}
    if not any(counts.values()):
        return None  # nobody has picked yet: nothing to flag
    outside = [
        f"{n} ({count})"
        for n, count in counts.items()
        if (low is not None and count < low) or (high is not None and count > high)
    ]
    if not outside:
        return None
    wanted = (
        f"{low}-{high}"
        if low is not None and high is not None and low != high
        else str(low if low is not None else high)
    )
    return HarvestWarning(
        code="picks-out-of-range",
        message=f"the protocol asks each person for {wanted} adjectives; picked a different "
        f"number: {', '.join(outside)}",
    )


def _placement_warnings(view: BoardView) -> list[HarvestWarning]:
    warnings = []
    unplaced = [s for s in view.stickies if s.region is None]
    if unplaced:
        warnings.append(
            HarvestWarning(
                code="unplaced",
                message=(
                    "1 sticky note sits"
                    if len(unplaced) == 1
                    else f"{len(unplaced)} sticky notes sit"
                )
                + " outside every area of the template",
            )
        )
    warnings += [
        HarvestWarning(
            code="on-border",
            message=f"{s.text!r} sits on the edge of "
            f"{area_name(view.plan, s.region.key, s.region.role, s.region.labels)}; "
            "counted there",
            item_id=s.id,
        )
        for s in view.stickies
        if s.on_border and s.region is not None
    ]
    return warnings


def _history_use(history: BoardHistory | None) -> HistoryUse:
    if history is None:
        return "off"
    if history.problem:
        return "unreadable"
    return "none" if history.empty else "used"


def _participants(
    view: BoardView, picks: PickPhase, dots: DotPhase, terms: Mapping[str, list[str]]
) -> tuple[list[ParticipantRecord], dict[str, list[str]]]:
    by_name = {name.casefold(): ident for ident, name in view.snapshot.members.items()}
    lane_of = {r.labels.get("participant"): r.key for r in view.lanes}
    names = view.participants
    picked: dict[str, list[str]] = {name: [] for name in names}
    for name, ids in picks.pick_stickies.items():
        for ident in ids:
            for term in terms.get(ident, []):
                if term not in picked.setdefault(name, []):
                    picked[name].append(term)
    why = read_why(view)
    return [
        ParticipantRecord(
            name=name,
            member_id=by_name.get(name.casefold()),
            lane=lane_of.get(name),
            picks=picked.get(name, []),
            dots_placed=dots.placed.get(name, 0),
            why=why.get(name, []),
        )
        for name in names
    ], picked


def _sticky_records(
    view: BoardView,
    picks: PickPhase,
    terms: Mapping[str, list[str]],
    memo: RecordMemo | None = None,
) -> list[StickyRecord]:
    """One record per sticky, in the order stickies were made (each person built once).

    Validated as usual: ``model_construct`` is slower than pydantic-core's validation
    for records this size (measured: 138 against 63 us a record). With a ``memo`` a
    record whose every input is as last time is the last harvest's record.
    """
    snapshot = view.snapshot
    known = memo.start(snapshot.members) if memo is not None else {}
    kept: dict[Hashable, StickyRecord] = {}
    people: dict[str, Person | None] = {}

    def who(user_id: str | None) -> Person | None:
        if not user_id:
            return None
        if user_id not in people:
            people[user_id] = person(snapshot, user_id)
        return people[user_id]

    picked_ids = {i for ids in picks.pick_stickies.values() for i in ids}
    records = []
    for s in view.stickies:
        item = s.item
        participant, attributed_by = picks.owners[s.id]
        key: Hashable = None
        if memo is not None:
            # The item's equality covers its geometry, text, colour and authors.
            key = (
                item,
                s.region.key if s.region else None,
                s.role,
                participant,
                attributed_by,
                s.id in picked_ids,
                s.text,
                s.items,
                tuple(terms[s.id]),
                s.from_template,
                s.on_border,
            )
            found = known.get(key)
            if found is not None:
                kept[key] = found
                records.append(found)
                continue
        bounds = Bounds(x=item.x, y=item.y, width=item.width, height=item.height)
        records.append(
            StickyRecord(
                id=s.id,
                region=s.region.key if s.region else None,
                role=s.role,
                participant=participant,
                attributed_by=attributed_by,
                pick=s.id in picked_ids,
                raw=item.content,
                text=s.text,
                items=list(s.items),
                terms=terms[s.id],
                from_template=s.from_template,
                colour=item.fill_color,
                bounds=bounds,
                on_border=s.on_border,
                created_by=who(item.created_by),
                created_at=item.created_at,
                modified_by=who(item.modified_by),
                modified_at=item.modified_at,
            )
        )
        if memo is not None:
            kept[key] = records[-1]
    if memo is not None:
        memo.keep(kept)
    return records


def _opening_warnings(location: Location, history: BoardHistory | None) -> list[HarvestWarning]:
    warnings: list[HarvestWarning] = list(location.warnings)
    if history is not None and history.problem:
        warnings.insert(0, HarvestWarning(code="history-unreadable", message=history.problem))
    return warnings


def _all_sections(
    view: BoardView, dots: DotPhase, owner: Callable[[str], str | None]
) -> list[SectionRecord]:
    """The template's sections, then each runoff frame's notes."""
    sections = read_sections(view, owner)
    sections += [
        s.model_copy(update={"notes": [note(x, owner) for x in view.in_region(s.key)]})
        for s in dots.runoff_sections
    ]
    return sections


def harvest_board(
    snapshot: Snapshot,
    plan: Plan,
    location: Location,
    *,
    top: int | None = None,
    history: BoardHistory | None = None,
    memo: HarvestMemo | None = None,
) -> tuple[BoardHarvest, list[Sighting]]:
    """Assign, attribute, normalise and tally everything on one board.

    ``top`` overrides the board's own number of top slots; ``history`` is what earlier
    reads saw (``None``: no history is kept); ``memo`` is what earlier harvests of this
    board keep for this one (:mod:`boardsmith.harvest.memo`). Returns the harvest and
    what this read saw, for the board history.
    """
    with collector_paused():
        return _harvest_board(snapshot, plan, location, top=top, history=history, memo=memo)


def _harvest_board(
    snapshot: Snapshot,
    plan: Plan,
    location: Location,
    *,
    top: int | None,
    history: BoardHistory | None,
    memo: HarvestMemo | None,
) -> tuple[BoardHarvest, list[Sighting]]:
    views = memo.views if memo is not None else None
    view = build_view(snapshot, plan, location, top=top, history=history, memo=views)
    warnings = _opening_warnings(location, history)
    # An English board never loads the other languages' dictionaries (seconds each).
    merger = TermMerger.for_board(
        view.word_bank, (item for sticky in view.stickies for item in sticky.items)
    )

    picks = read_picks(view, merger)
    dots = read_dots(view)
    warnings += picks.warnings + dots.warnings
    record = tally(
        picks.picks,
        dots.votes,
        participants=view.participants,
        word_bank=view.word_bank,
        top=view.rules.top_n,
        merger=merger,
        runoff=dots.ballot,
    )
    terms = _terms(view, merger)

    def owner(ident: str) -> str | None:
        return picks.owners[ident][0]

    top_slots, slot_warnings = read_top_slots(view, terms)
    warnings += slot_warnings
    participants, picked = _participants(view, picks, dots, terms)
    range_warning = _picks_warning(view.rules, picked, view.participants)
    if range_warning is not None:
        warnings.append(range_warning)
    sections = _all_sections(view, dots, owner)
    warnings += _placement_warnings(view)
    result = choose(record, top_slots)
    harvest = BoardHarvest(
        board_id=snapshot.board_id,
        board_name=snapshot.board_name,
        template=plan.template,
        template_version=plan.version,
        word_bank=list(view.word_bank),
        located_by=location.located_by,
        participants=participants,
        regions=[_region_record(r) for r in view.regions],
        stickies=_sticky_records(view, picks, terms, memo.records if memo is not None else None),
        dots=[d.model_copy(update={"terms": terms.get(d.sticky or "", [])}) for d in dots.records],
        tally=record,
        result=result,
        rules=_rules_record(view.rules),
        history=_history_use(history),
        top_slots=top_slots,
        notes=read_notes(view, owner),
        sections=sections,
        unplaced=[s.id for s in view.stickies if s.region is None],
        lists=[s.id for s in view.stickies if len(s.items) > 1],
        item_count=len(snapshot.items),
        warnings=warnings,
        report=read_report(view, owner, tally=record, participants=participants, result=result),
    )
    return harvest, sightings(view, dots, memo.sightings if memo is not None else None)


def sightings(view: BoardView, dots: DotPhase, memo: SightingMemo | None = None) -> list[Sighting]:
    """What this read saw of every item, folded onto what earlier reads remembered
    (``memo``: what the last harvest of this board saw, see :mod:`~boardsmith.harvest.memo`)."""
    history = view.history
    lanes = {r.key: r for r in view.lanes}
    out: list[Sighting] = []
    kept: dict[str, SightingEntry] = {}
    for item in view.snapshot.items:
        before = history.get(item.id) if history is not None else None
        sticky = view.by_id.get(item.id)
        counted = dots.counted_on.get(item.id)
        if memo is None:
            out.append(_sighting(item, before, sticky, counted, lanes))
            continue
        found = memo.get(item, before, sticky, counted)
        if found is None:
            found = _sighting(item, before, sticky, counted, lanes)
        kept[item.id] = (item, before, sticky, counted, found)
        out.append(found)
    if memo is not None:
        memo.keep(kept)
    return out


def _sighting(
    item: SnapItem,
    before: Sighting | None,
    sticky: StickyView | None,
    counted: str | None,
    lanes: Mapping[str, LocatedRegion],
) -> Sighting:
    """What this read saw of one item (``counted``: the sticky its dot counts on)."""
    lane, lane_name = (before.lane, before.lane_name) if before else (None, None)
    on, on_x, on_y = (before.on, before.on_x, before.on_y) if before else (None, None, None)
    if sticky is not None and sticky.region is not None and sticky.region.key in lanes:
        lane, lane_name = sticky.region.key, sticky.region.labels.get("participant")
    elif sticky is not None and sticky.role == "word_bank":
        lane = lane_name = None  # put back into the bank: un-picked
    if counted is not None:
        on, on_x, on_y = counted, item.x, item.y
    elif on is not None and not (before and before.same_place(item.x, item.y, MOVE_TOLERANCE)):
        on = on_x = on_y = None  # the dot itself moved off: it no longer votes there
    # In the order of the fields of Sighting (``seen`` aside).
    content = (
        item.id,
        item.type,
        sticky.text if sticky is not None else item.content[:200],
        item.parent_id,
        round(item.x, 2),
        round(item.y, 2),
        item.created_by,
        item.modified_by,
        item.modified_at,
        lane,
        lane_name,
        on,
        on_x,
        on_y,
    )
    return sighted(before, content)
