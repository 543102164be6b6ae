"""Harvesting one board: from a Snapshot and its template's Plan to a BoardHarvest.

What each template's protocol asks is answered from the roles its regions carry, so
one harvester serves every built-in template:

* ``lane`` / ``word_bank`` / ``top_slot`` / ``dot`` (leadership-vision): individual
  picks, dot votes, the tally, and the group's top slots in rank order;
* ``prompt_notes``: the notes under each prompt (functions/looks/sounds/feels,
  think/see/say/hear/feel, purpose/problem/theory ...);
* ``cell`` (action-timeline, purpose-map): one record per action-plan row with
  what / who / when / evidence;
* ``rating`` + ``evidence`` + ``condition`` (conditions-self-assessment): per condition,
  the levels marked and the evidence written;
* ``step``, ``section``, ``notes``, ``column``: the stickies in each, as records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from boardsmith.harvest.attribution import attribute, person
from boardsmith.harvest.model import (
    Attribution,
    BoardHarvest,
    Bounds,
    DotRecord,
    HarvestWarning,
    NoteRecord,
    ParticipantRecord,
    PromptNotes,
    RegionRecord,
    SectionRecord,
    StickyRecord,
    TopSlotRecord,
)
from boardsmith.harvest.regions import LocatedRegion, Location, assign
from boardsmith.harvest.snapshot import SnapItem, Snapshot
from boardsmith.harvest.tally import DotVote, Pick, RunoffBallot, tally
from boardsmith.harvest.text import TermMerger, clean, split_items
from boardsmith.templates import Plan, PlanItem

__all__ = ["RUNOFF_TITLE", "harvest_board"]

#: Title of the frame ``narrow --runoff`` creates; harvest reads its votes back.
RUNOFF_TITLE = "Runoff vote"

#: Regions whose stickies are adjectives (get terms); elsewhere stickies are notes.
_WORD_ROLES = frozenset({"lane", "word_bank", "top_slot"})
_MOVE_TOLERANCE = 1.0


@dataclass
class _Sticky:
    item: SnapItem
    region: LocatedRegion | None
    on_border: bool
    from_template: bool
    moved: bool
    text: str
    items: list[str]


def _reading_order(item: SnapItem) -> tuple[float, float, str]:
    return (round(item.top / 10), item.left, item.id)


def _template_words(plan: Plan) -> list[PlanItem]:
    return [i for i in plan.items if i.type == "sticky_note" and i.role == "word"]


def _dot_items(plan: Plan) -> list[PlanItem]:
    return [i for i in plan.items if i.role == "dot"]


def _expected_position(
    plan_item: PlanItem, plan: Plan, location: Location
) -> tuple[float, float] | None:
    frame = location.frames.get(plan_item.parent or "")
    if plan_item.parent is None:
        return (plan_item.x, plan_item.y)
    if frame is None:
        return None
    frame_item = plan.by_key[plan_item.parent]
    return (plan_item.x + frame.left - frame_item.left, plan_item.y + frame.top - frame_item.top)


def _is_moved(item: SnapItem, expected: tuple[float, float] | None) -> bool:
    if expected is None:
        return bool(item.modified_by and item.modified_by != item.created_by)
    return (
        abs(item.x - expected[0]) > _MOVE_TOLERANCE or abs(item.y - expected[1]) > _MOVE_TOLERANCE
    )


def _template_stickies(
    plan: Plan, snapshot: Snapshot, location: Location
) -> dict[str, tuple[float, float] | None]:
    """Ids of stickies the template created, with where the template put them."""
    words = _template_words(plan)
    found: dict[str, tuple[float, float] | None] = {}
    if location.located_by == "state":
        for word in words:
            ident = location.template_items.get(word.key)
            if ident and snapshot.get(ident) is not None:
                found[ident] = _expected_position(word, plan, location)
        return found
    if not words or not location.template_creators:
        return found
    # Without state: stickies made by whoever built the template, in the word look.
    sample = words[0]
    for sticky in snapshot.of_type("sticky_note"):
        if sticky.created_by not in location.template_creators:
            continue
        if abs(sticky.width - sample.width) > 1 or (
            sticky.fill_color or "light_yellow"
        ) != sample.style.get("fillColor", "light_yellow"):
            continue
        # Default parameters lay the bank out differently from this board, so a
        # planned position means nothing here: "moved" falls back to modifiedBy.
        found[sticky.id] = None
    return found


def _template_dots(
    plan: Plan, snapshot: Snapshot, location: Location, regions: Sequence[LocatedRegion]
) -> tuple[dict[str, str | None], set[str], list[SnapItem]]:
    """Template dots with their owner, the ones still where the template put them, and
    dot-like shapes the template did not create."""
    dots = _dot_items(plan)
    owners: dict[str, str | None] = {}
    unmoved: set[str] = set()
    if not dots:
        return owners, unmoved, []
    sample = dots[0]
    look = (
        sample.shape,
        sample.style.get("fillColor", "").lower(),
        round(sample.width),
        round(sample.height),
    )

    def looks_like_dot(s: SnapItem) -> bool:
        return (
            s.type == "shape"
            and s.shape == look[0]
            and abs(s.width - sample.width) <= sample.width * 0.5
            and abs(s.height - sample.height) <= sample.height * 0.5
        )

    if location.located_by == "state":
        for dot in dots:
            ident = location.template_items.get(dot.key)
            snap = snapshot.get(ident) if ident else None
            if ident and snap is not None:
                owners[ident] = dot.labels.get("owner") or dot.labels.get("participant")
                if not _is_moved(snap, _expected_position(dot, plan, location)):
                    unmoved.add(ident)
    else:
        lanes = [r for r in regions if r.role == "lane"]
        names = {r.labels.get("participant") for r in lanes}
        for shape in snapshot.of_type("shape"):
            if not looks_like_dot(shape) or shape.created_by not in location.template_creators:
                continue
            if (shape.fill_color or "").lower() != look[1]:
                continue
            owner: str | None = None
            moved_by = snapshot.name_of(shape.modified_by)
            if shape.modified_by != shape.created_by and moved_by in names:
                owner = moved_by
            else:
                lane, _ = assign(shape.bounds, lanes)
                if lane is not None and shape.modified_by == shape.created_by:
                    owner = lane.labels.get("participant")
            owners[shape.id] = owner
            if shape.modified_by == shape.created_by:
                unmoved.add(shape.id)
    strangers = [s for s in snapshot.of_type("shape") if looks_like_dot(s) and s.id not in owners]
    return owners, unmoved, strangers


def _created(snapshot: Snapshot, item_id: str | None) -> tuple[str, str]:
    item = snapshot.get(item_id or "")
    return ((item.created_at or "") if item else "", item_id or "")


def _sticky_under(point: SnapItem, stickies: Sequence[_Sticky]) -> _Sticky | None:
    under = [s for s in stickies if s.item.contains(point.x, point.y)]
    if not under:
        return None
    return min(under, key=lambda s: (abs(s.item.x - point.x) + abs(s.item.y - point.y), s.item.id))


def _uncounted_dot(
    snapshot: Snapshot,
    shape: SnapItem,
    under: _Sticky | None,
    *,
    reason: str,
    warning: HarvestWarning,
    dots: list[DotRecord],
    warnings: list[HarvestWarning],
) -> None:
    """Report a dot that is not a vote; warn only when it sits on a sticky (looks like one)."""
    dots.append(
        DotRecord(
            id=shape.id,
            owner=snapshot.name_of(shape.created_by),
            bounds=shape.bounds,
            sticky=under.item.id if under else None,
            counted=False,
            reason=reason,
        )
    )
    if under is not None:
        warnings.append(warning)


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


def _note(s: _Sticky, participant: str | None) -> NoteRecord:
    return NoteRecord(sticky=s.item.id, text=s.text, participant=participant)


def _sections(
    regions: Sequence[LocatedRegion],
    members: Mapping[str, list[_Sticky]],
    participants: Mapping[str, str | None],
    markers: Mapping[str, list[SnapItem]],
) -> list[SectionRecord]:
    records: list[SectionRecord] = []
    rows: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    row_notes: dict[tuple[str | None, str], list[NoteRecord]] = {}
    conditions: dict[str, dict[str, list[str]]] = {}
    condition_notes: dict[str, list[NoteRecord]] = {}
    for region in regions:
        inside = members.get(region.key, [])
        notes = [_note(s, participants.get(s.item.id)) for s in inside]
        texts = [s.text for s in inside]
        if region.role == "cell" and "row" in region.labels:
            row = (region.labels.get("section"), region.labels["row"])
            column = region.labels.get("column", region.key)
            rows.setdefault(row, {})[column] = texts
            row_notes.setdefault(row, []).extend(notes)
        elif region.role in ("rating", "evidence", "condition") and "condition" in region.labels:
            name = region.labels["condition"]
            fields = conditions.setdefault(name, {"rating": [], "evidence": []})
            if region.role == "rating":
                level = region.labels.get("level", region.key)
                count = len(inside) + len(markers.get(region.key, []))
                fields["rating"].extend([level] * count)
            elif region.role == "evidence":
                fields["evidence"].extend(texts)
            else:
                fields.setdefault("notes", []).extend(texts)
            condition_notes.setdefault(name, []).extend(notes)
        elif region.role in ("step", "section", "notes", "column"):
            records.append(
                SectionRecord(
                    key=region.key,
                    kind=region.role,
                    label=region.labels.get("title") or region.label,
                    notes=notes,
                )
            )
    for row_key, fields in rows.items():
        if not any(fields.values()):
            continue
        prefix = f"{row_key[0]}/" if row_key[0] else ""
        records.append(
            SectionRecord(
                key=f"{prefix}row-{row_key[1]}",
                kind="row",
                label=f"row {row_key[1]}",
                fields=fields,
                notes=row_notes.get(row_key, []),
            )
        )
    for name, fields in conditions.items():
        records.append(
            SectionRecord(
                key=f"condition/{name}",
                kind="condition",
                label=name,
                fields=fields,
                notes=condition_notes.get(name, []),
            )
        )
    return records


def harvest_board(
    snapshot: Snapshot,
    plan: Plan,
    location: Location,
    *,
    top: int = 5,
) -> BoardHarvest:
    """Assign, attribute, normalise and tally everything on one board."""
    warnings: list[HarvestWarning] = list(location.warnings)
    runoffs = [
        LocatedRegion(
            key=f"runoff/{frame.id}",
            role="runoff",
            labels={"title": clean(frame.content)},
            bounds=frame.bounds,
            item_id=frame.id,
            order=1 << 40,
        )
        for frame in snapshot.of_type("frame")
        if clean(frame.content).startswith(RUNOFF_TITLE)
    ]
    regions = [*location.regions, *runoffs]
    template_stickies = _template_stickies(plan, snapshot, location)

    stickies: list[_Sticky] = []
    for item in sorted(snapshot.of_type("sticky_note"), key=lambda i: (i.created_at or "", i.id)):
        region, on_border = assign(item.bounds, regions)
        from_template = item.id in template_stickies
        moved = from_template and _is_moved(item, template_stickies[item.id])
        text = clean(item.content)
        stickies.append(
            _Sticky(item, region, on_border, from_template, moved, text, split_items(text))
        )

    lanes = [r for r in regions if r.role == "lane"]
    participant_names = list(
        dict.fromkeys(r.labels["participant"] for r in lanes if r.labels.get("participant"))
    )
    word_bank = [w.labels.get("word") or w.plain_text for w in _template_words(plan)]
    if location.located_by != "state" and template_stickies:
        # Without state the bank is what the template put on this board.
        by_id = {s.item.id: s for s in stickies}
        word_bank = list(dict.fromkeys(by_id[i].text for i in template_stickies if i in by_id))

    owners: dict[str, str | None] = {}
    attributed: dict[str, tuple[str | None, Attribution]] = {}
    for s in stickies:
        attributed[s.item.id] = attribute(
            s.item, s.region, snapshot, from_template=s.from_template, moved=s.moved
        )
        owners[s.item.id] = attributed[s.item.id][0]

    # Picks: every item of every sticky in a lane; a list sticky is reported.
    picks: list[Pick] = []
    seen_picks: dict[tuple[str, str], str] = {}
    merger = TermMerger(word_bank)
    for s in stickies:
        if len(s.items) > 1:
            warnings.append(
                HarvestWarning(
                    code="list-sticky",
                    message=f"sticky {s.item.id} holds {len(s.items)} items "
                    f"({', '.join(s.items)}); each is counted",
                    item_id=s.item.id,
                )
            )
        if s.region is None or s.region.role != "lane":
            continue
        name = s.region.labels.get("participant")
        if not name:
            continue
        for entry in s.items:
            group = merger.resolve(entry)
            if group is None:
                continue
            earlier = seen_picks.get((name, group.key))
            if earlier is not None:
                warnings.append(
                    HarvestWarning(
                        code="duplicate-pick",
                        message=f"{name} picked {entry!r} more than once; counted once",
                        item_id=s.item.id,
                    )
                )
            seen_picks.setdefault((name, group.key), s.item.id)
            picks.append(Pick(name, entry))

    # Dots.
    dot_owners, unmoved_dots, strangers = _template_dots(plan, snapshot, location, regions)
    in_runoff = {
        shape.id
        for shape in snapshot.of_type("shape")
        if any(r.bounds.contains(shape.x, shape.y) for r in runoffs)
    }
    if location.located_by != "state":
        dot_owners = {k: v for k, v in dot_owners.items() if k not in in_runoff}
    strangers = [s for s in strangers if s.id not in in_runoff]
    dot_records: list[DotRecord] = []
    votes: list[DotVote] = []
    placed: dict[str, int] = {}
    for ident, owner in dot_owners.items():
        dot = snapshot.get(ident)
        if dot is None:
            continue
        # A dot still in its tray is no vote, even when a sticky was put over the tray.
        under = None if ident in unmoved_dots else _sticky_under(dot, stickies)
        counted = under is not None and bool(under.items)
        reason = None if counted else "not on a sticky"
        if ident in unmoved_dots:
            reason = "not used (still where the template put it)"
        if counted and under is not None:
            votes.extend(DotVote(owner, entry) for entry in under.items)
            if owner:
                placed[owner] = placed.get(owner, 0) + 1
            if owner is None:
                warnings.append(
                    HarvestWarning(
                        code="dot-owner-unknown",
                        message=f"dot {ident} was counted but its owner is unknown",
                        item_id=ident,
                    )
                )
        dot_records.append(
            DotRecord(
                id=ident,
                owner=owner,
                bounds=dot.bounds,
                sticky=under.item.id if under else None,
                terms=[],
                counted=counted,
                reason=reason,
            )
        )
    for shape in strangers:
        under = _sticky_under(shape, stickies)
        _uncounted_dot(
            snapshot,
            shape,
            under,
            reason="not created by the template",
            warning=HarvestWarning(
                code="foreign-dot",
                message=f"a dot the template did not create sits on sticky "
                f"{under.item.id if under else ''}; not counted",
                item_id=shape.id,
            ),
            dots=dot_records,
            warnings=warnings,
        )

    runoff_sections: list[SectionRecord] = []
    ballot: RunoffBallot | None = None
    # The newest runoff counts: an older one was superseded (or copied by hand).
    newest = max(runoffs, key=lambda r: _created(snapshot, r.item_id), default=None)
    if len(runoffs) > 1 and newest is not None:
        warnings.append(
            HarvestWarning(
                code="several-runoffs",
                message=f"{len(runoffs)} '{RUNOFF_TITLE}' frames on the board; only the newest "
                f"({newest.item_id}) is counted",
                item_id=newest.item_id,
            )
        )
    for runoff in runoffs:
        votes_for: dict[str, list[str]] = {}
        inside_runoff = sorted(
            (s for s in stickies if s.region is not None and s.region.key == runoff.key),
            key=lambda s: _reading_order(s.item),
        )
        for s in inside_runoff:
            votes_for.setdefault(s.text, [])
        frame = snapshot.get(runoff.item_id or "")
        maker = frame.created_by if frame is not None else None
        for shape in snapshot.of_type("shape"):
            if shape.id not in in_runoff or shape.width > 120:
                continue
            if not runoff.bounds.contains(shape.x, shape.y):
                continue
            under = _sticky_under(shape, inside_runoff)
            if shape.created_by != maker:
                # Only the dots ``narrow --runoff`` handed out are ballots.
                _uncounted_dot(
                    snapshot,
                    shape,
                    under,
                    reason="not created by the runoff",
                    warning=HarvestWarning(
                        code="foreign-runoff-dot",
                        message=f"a dot the runoff did not create sits on "
                        f"{under.text if under else ''!r} in the runoff; not counted",
                        item_id=shape.id,
                    ),
                    dots=dot_records,
                    warnings=warnings,
                )
                continue
            if under is None:
                continue
            moved_by = shape.modified_by if shape.modified_by != shape.created_by else None
            votes_for[under.text].append(snapshot.name_of(moved_by) or moved_by or "unknown")
        if runoff is newest:
            ballot = RunoffBallot(
                region=runoff.key, votes={text: len(v) for text, v in votes_for.items()}
            )
        runoff_sections.append(
            SectionRecord(
                key=runoff.key,
                kind="runoff",
                label=runoff.labels["title"],
                fields=votes_for,
                notes=[_note(s, owners.get(s.item.id)) for s in inside_runoff],
            )
        )
    result = tally(
        picks,
        votes,
        participants=participant_names,
        word_bank=word_bank,
        top=top,
        merger=merger,
        runoff=ballot,
    )

    display: dict[int, str] = {}  # a term's display form, computed once per term

    def terms_of(s: _Sticky) -> list[str]:
        word_like = s.region is None or s.region.role in _WORD_ROLES
        if not word_like or not lanes:
            return []
        out = []
        for entry in s.items:
            found = merger.resolve(entry)
            if found is not None:
                if id(found) not in display:
                    display[id(found)] = found.term
                out.append(display[id(found)])
        return out

    sticky_terms = {s.item.id: terms_of(s) for s in stickies}
    dot_records = [
        d.model_copy(update={"terms": sticky_terms.get(d.sticky or "", [])}) for d in dot_records
    ]

    members: dict[str, list[_Sticky]] = {}
    for s in stickies:
        if s.region is not None:
            members.setdefault(s.region.key, []).append(s)
    for inside in members.values():
        inside.sort(key=lambda s: _reading_order(s.item))

    top_slots = [
        TopSlotRecord(
            rank=int(r.labels.get("rank", "0") or 0),
            region=r.key,
            stickies=[s.item.id for s in members.get(r.key, [])],
            texts=[s.text for s in members.get(r.key, [])],
            terms=[t for s in members.get(r.key, []) for t in sticky_terms[s.item.id]],
        )
        for r in regions
        if r.role == "top_slot"
    ]
    top_slots.sort(key=lambda t: t.rank)
    for slot in top_slots:
        if len(slot.stickies) > 1:
            warnings.append(
                HarvestWarning(
                    code="crowded-slot",
                    message=f"top slot {slot.rank} holds {len(slot.stickies)} stickies",
                )
            )

    notes = [
        PromptNotes(
            prompt=r.labels.get("prompt", r.key),
            region=r.key,
            notes=[_note(s, owners.get(s.item.id)) for s in members.get(r.key, [])],
        )
        for r in regions
        if r.role == "prompt_notes"
    ]

    # Non-sticky markers (dots, stamps drawn as shapes) count in rating cells.
    markers: dict[str, list[SnapItem]] = {}
    rating_regions = [r for r in regions if r.role == "rating"]
    if rating_regions:
        region_ids = {r.item_id for r in regions}
        for shape in snapshot.of_type("shape"):
            if shape.id in region_ids or shape.width > 120 or shape.height > 120:
                continue
            region, _ = assign(shape.bounds, rating_regions)
            if region is not None:
                markers.setdefault(region.key, []).append(shape)
    sections = _sections(regions, members, owners, markers)
    sections.extend(runoff_sections)

    unplaced = [s.item.id for s in stickies if s.region is None]
    if unplaced:
        warnings.append(
            HarvestWarning(
                code="unplaced",
                message=f"{len(unplaced)} sticky note(s) sit in no region of the template",
            )
        )
    for s in stickies:
        if s.on_border and s.region is not None:
            warnings.append(
                HarvestWarning(
                    code="on-border",
                    message=f"sticky {s.item.id} ({s.text!r}) sits on the edge of "
                    f"{s.region.key}; counted there",
                    item_id=s.item.id,
                )
            )

    by_name = {name.casefold(): ident for ident, name in snapshot.members.items()}
    lane_of = {r.labels.get("participant"): r.key for r in lanes}
    picked: dict[str, list[str]] = {name: [] for name in participant_names}
    for s in stickies:
        if s.region is not None and s.region.role == "lane":
            name = s.region.labels.get("participant", "")
            for term in sticky_terms[s.item.id]:
                if term not in picked.setdefault(name, []):
                    picked[name].append(term)
    participants = [
        ParticipantRecord(
            name=name,
            member_id=by_name.get(name.casefold()),
            lane=lane_of.get(name),
            picks=picked.get(name, []),
            dots_placed=placed.get(name, 0),
        )
        for name in participant_names
    ]

    sticky_records = [
        StickyRecord(
            id=s.item.id,
            region=s.region.key if s.region else None,
            role=s.region.role if s.region else None,
            participant=attributed[s.item.id][0],
            attributed_by=attributed[s.item.id][1],
            raw=s.item.content,
            text=s.text,
            items=s.items,
            terms=sticky_terms[s.item.id],
            from_template=s.from_template,
            colour=s.item.fill_color,
            bounds=Bounds(x=s.item.x, y=s.item.y, width=s.item.width, height=s.item.height),
            on_border=s.on_border,
            created_by=person(snapshot, s.item.created_by),
            created_at=s.item.created_at,
            modified_by=person(snapshot, s.item.modified_by),
            modified_at=s.item.modified_at,
        )
        for s in stickies
    ]
    return BoardHarvest(
        board_id=snapshot.board_id,
        board_name=snapshot.board_name,
        template=plan.template,
        template_version=plan.version,
        word_bank=word_bank,
        located_by=location.located_by,
        participants=participants,
        regions=[_region_record(r) for r in regions],
        stickies=sticky_records,
        dots=dot_records,
        tally=result,
        top_slots=top_slots,
        notes=notes,
        sections=sections,
        unplaced=unplaced,
        lists=[s.item.id for s in stickies if len(s.items) > 1],
        item_count=len(snapshot.items),
        warnings=warnings,
    )
