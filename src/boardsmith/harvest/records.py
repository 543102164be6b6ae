"""The record phases: top slots, notes per prompt, "why" boxes and per-template sections.

What each template's protocol asks is answered from the roles its regions carry:

* ``top_slot``: the group's choice, in rank order;
* ``prompt_notes``: the notes under each prompt (functions/looks/sounds/feels ...);
* ``why``: each participant's reasons for their picks;
* ``cell`` (action-timeline, purpose-map): one record per action-plan row with
  what / who / when / evidence;
* ``rating`` + ``evidence`` + ``condition`` (conditions-self-assessment): per condition,
  the levels marked and the evidence written;
* ``step``, ``section``, ``notes``, ``column``: the stickies in each, as records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from boardsmith.harvest.constants import DOT_MAX_SIZE
from boardsmith.harvest.model import (
    HarvestWarning,
    NoteRecord,
    PromptNotes,
    SectionRecord,
    TopSlotRecord,
)
from boardsmith.harvest.regions import LocatedRegion, assign
from boardsmith.harvest.snapshot import SnapItem
from boardsmith.harvest.view import BoardView, StickyView

__all__ = [
    "markers_in_ratings",
    "note",
    "read_notes",
    "read_sections",
    "read_top_slots",
    "read_why",
]

Owner = Callable[[str], str | None]
Terms = Mapping[str, list[str]]


def note(s: StickyView, owner: Owner) -> NoteRecord:
    """A sticky as a note: its text and who it belongs to."""
    return NoteRecord(sticky=s.id, text=s.text, participant=owner(s.id))


def read_top_slots(
    view: BoardView, terms: Terms
) -> tuple[list[TopSlotRecord], list[HarvestWarning]]:
    """The group's top slots in rank order, and a warning per crowded slot."""
    slots = []
    for region in view.of_role("top_slot"):
        inside = view.in_region(region.key)
        slots.append(
            TopSlotRecord(
                rank=int(region.labels.get("rank", "0") or 0),
                region=region.key,
                stickies=[s.id for s in inside],
                texts=[s.text for s in inside],
                terms=[t for s in inside for t in terms.get(s.id, [])],
            )
        )
    slots.sort(key=lambda t: t.rank)
    warnings = [
        HarvestWarning(
            code="crowded-slot",
            message=f"top slot {slot.rank} holds {len(slot.stickies)} stickies: "
            + ", ".join(repr(t) for t in slot.texts),
        )
        for slot in slots
        if len(slot.stickies) > 1
    ]
    return slots, warnings


def read_notes(view: BoardView, owner: Owner) -> list[PromptNotes]:
    """The notes under each prompt, in reading order."""
    return [
        PromptNotes(
            prompt=r.labels.get("prompt", r.key),
            region=r.key,
            notes=[note(s, owner) for s in view.in_region(r.key)],
        )
        for r in view.of_role("prompt_notes")
    ]


def read_why(view: BoardView) -> dict[str, list[str]]:
    """Per participant, what they wrote in their lane's "why I chose these" box."""
    why: dict[str, list[str]] = {}
    for region in view.of_role("why"):
        name = region.labels.get("participant")
        if name:
            why.setdefault(name, []).extend(s.text for s in view.in_region(region.key))
    return why


def markers_in_ratings(view: BoardView) -> dict[str, list[SnapItem]]:
    """Non-sticky markers (dots, stamps drawn as shapes) in rating cells."""
    markers: dict[str, list[SnapItem]] = {}
    rating_regions = view.of_role("rating")
    if not rating_regions:
        return markers
    region_ids = {r.item_id for r in view.regions}
    for shape in view.snapshot.of_type("shape"):
        if shape.id in region_ids or shape.width > DOT_MAX_SIZE or shape.height > DOT_MAX_SIZE:
            continue
        region, _ = assign(shape.bounds, rating_regions)
        if region is not None:
            markers.setdefault(region.key, []).append(shape)
    return markers


def read_sections(view: BoardView, owner: Owner) -> list[SectionRecord]:
    """Per-template records: action-plan rows, conditions, steps and sections."""
    markers = markers_in_ratings(view)
    records: list[SectionRecord] = []
    rows: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    row_notes: dict[tuple[str | None, str], list[NoteRecord]] = {}
    conditions: dict[str, dict[str, list[str]]] = {}
    condition_notes: dict[str, list[NoteRecord]] = {}
    regions: Sequence[LocatedRegion] = view.regions
    for region in regions:
        inside = view.in_region(region.key)
        notes = [note(s, owner) for s in inside]
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
