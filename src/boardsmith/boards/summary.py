"""What a plan would do, in the words of the workshop rather than the template's keys.

``plan`` and ``create --dry-run`` lead with counts by item type and what the run
would cost in API calls and Miro credits, then list the work by board area
("lane for Ana: 7 items", "word bank: 47 items"). The areas come from the
items' region roles and labels; the internal keys are only shown on request.

The estimate follows the order of work in :mod:`boardsmith.boards.apply` and
prices every call with the client's own rate table
(:mod:`boardsmith.miro.ratelimit`), so it cannot drift from what is charged.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from boardsmith.boards.apply import chunks_by_parent
from boardsmith.boards.constants import PAGE_SIZE
from boardsmith.boards.requests import BULK_TYPES
from boardsmith.miro.ratelimit import bulk_cost, operation_cost
from boardsmith.templates.plan import REGION_ROLES, Plan, PlanItem

__all__ = [
    "SUMMARY_TYPES",
    "Estimate",
    "Group",
    "count_phrase",
    "estimate",
    "group_items",
    "group_keys",
    "type_name",
]

#: The item types the summary always shows, in this order (others only when present).
SUMMARY_TYPES: tuple[str, ...] = ("frame", "sticky_note", "shape", "text", "connector")

_NAMES: dict[str, tuple[str, str]] = {
    "frame": ("frame", "frames"),
    "sticky_note": ("sticky note", "sticky notes"),
    "shape": ("shape", "shapes"),
    "text": ("text", "texts"),
    "connector": ("connector", "connectors"),
    "card": ("card", "cards"),
}

#: Resource names of the client per item type (its operations are priced by them).
_RESOURCE: dict[str, str] = {
    "frame": "frames",
    "sticky_note": "sticky_notes",
    "shape": "shapes",
    "text": "texts",
    "card": "cards",
    "connector": "connectors",
}


#: Roles of which a template has many small, alike areas: one line for all of them.
_MERGED: dict[str, str] = {
    "top_slot": "top slots",
    "cell": "table cells",
    "column": "column headers",
    "rating": "rating boxes",
    "evidence": "evidence boxes",
    "condition": "condition names",
    "dot": "voting dots",
    "word": "word stickies",
}

#: Items outside any area, by role.
_LOOSE: dict[str, str] = {
    "title": "board title",
    "instructions": "instructions",
}


def type_name(item_type: str, count: int = 2) -> str:
    """``sticky note`` / ``sticky notes`` for ``sticky_note``."""
    one, many = _NAMES.get(item_type, (item_type.replace("_", " "), item_type.replace("_", " ")))
    return one if count == 1 else many


def count_phrase(types: Counter[str]) -> str:
    """``5 shapes`` when all are alike, else ``7 items (5 shapes, 2 texts)``."""
    total = sum(types.values())
    parts = [f"{n} {type_name(t, n)}" for t, n in types.most_common()]
    if len(parts) == 1:
        return parts[0]
    return f"{total} item{'s' if total != 1 else ''} ({', '.join(parts)})"


@dataclass(frozen=True)
class Estimate:
    """API calls and credits a run would take (writes and the reads around them)."""

    calls: int
    credits: int


def _pages(count: int) -> int:
    # Listing an empty board still takes one call.
    return max(1, math.ceil(count / PAGE_SIZE))


def estimate(
    *,
    creates: Sequence[PlanItem],
    updates: Iterable[str] = (),
    deletes: Iterable[str] = (),
    new_board: bool,
    board_items: int = 0,
    board_connectors: int = 0,
) -> Estimate:
    """The calls and credits of a run; ``updates``/``deletes`` are item types.

    ``board_items``/``board_connectors`` are what the board holds before the run
    (read at its start unless boardsmith makes the board); every run ends by
    reading the whole board again to find copies another machine made.
    """
    calls = 0
    credits = 0

    def spend(operation: str, times: int = 1) -> None:
        nonlocal calls, credits
        calls += times
        credits += times * operation_cost(operation)

    def read(items: int, connectors: int) -> None:
        spend("items.list", _pages(items))
        spend("connectors.list", _pages(connectors))

    if new_board:
        spend("boards.create")
    else:
        spend("boards.get")
        read(board_items, board_connectors)
    spend("frames.create", sum(1 for i in creates if i.type == "frame"))
    # The same chunking the run uses: bulk calls are ceil(items / 20), grouped by parent.
    for chunk in chunks_by_parent([i for i in creates if i.type in BULK_TYPES]):
        calls += 1
        credits += bulk_cost(len(chunk))
    new_connectors = sum(1 for i in creates if i.type == "connector")
    spend("connectors.create", new_connectors)
    for item_type in updates:
        spend(f"{_RESOURCE.get(item_type, 'items')}.update")
    gone = Counter(deletes)
    spend("connectors.delete", gone.pop("connector", 0))
    spend("items.delete", sum(gone.values()))
    read(
        board_items + len(creates) - new_connectors - sum(gone.values()),
        board_connectors + new_connectors,
    )
    return Estimate(calls=calls, credits=credits)


@dataclass
class Group:
    """Items of one board area (or kind) that the same thing happens to."""

    label: str
    why: str = ""
    types: Counter[str] = field(default_factory=Counter)
    keys: list[tuple[str, str]] = field(default_factory=list)

    @property
    def line(self) -> str:
        """``lane for Ana: 7 items (5 shapes, 2 texts)``, with the reason if any."""
        text = f"{self.label}: {count_phrase(self.types)}"
        return f"{text} ({self.why})" if self.why else text


def _area_label(item: PlanItem) -> str:
    labels = item.labels
    role = item.role or ""
    if role in _MERGED:
        return _MERGED[role]
    if role == "lane":
        return f"lane for {labels.get('participant', '?')}"
    if role == "why":
        return f"why box for {labels.get('participant', '?')}"
    if role == "word_bank":
        return "word bank"
    if role == "prompt_notes":
        return f"notes area '{labels.get('prompt', '?')}'"
    if role == "notes":
        return f"notes area '{labels['section']}'" if "section" in labels else "notes area"
    if role == "section":
        return f"section '{labels.get('section', '?')}'"
    if role == "step":
        title = labels.get("title")
        return f"step {labels.get('step', '?')}" + (f" '{title}'" if title else "")
    return role.replace("_", " ")


def _loose_label(item: PlanItem) -> str:
    if item.type == "frame":
        return f"frame '{item.plain_text}'"
    if item.role in _MERGED:
        return _MERGED[item.role]
    if item.role in _LOOSE:
        return _LOOSE[item.role]
    if item.type == "connector":
        return "connectors"
    if item.type == "text":
        return "headings and labels"
    return f"other {type_name(item.type)}"


def group_keys(plan: Plan) -> dict[str, str]:
    """Each plan key's group label: its outermost area, else what it is."""
    areas = {item.key: item for item in plan.items if item.role in REGION_ROLES}
    labels: dict[str, str] = {}
    for item in plan.items:
        parts = item.key.split("/")
        area = next(
            (
                areas[prefix]
                for prefix in ("/".join(parts[: n + 1]) for n in range(len(parts)))
                if prefix in areas
            ),
            None,
        )
        labels[item.key] = _area_label(area) if area is not None else _loose_label(item)
    return labels


def _retired_label(key: str) -> str:
    # A retired item is no longer in the plan, so no role says what it was: its
    # place in the key path ("lanes/lane-cy/...") is the best name left.
    parts = key.split("/")
    for part in parts:
        if part.startswith("lane-"):
            return f"lane for {part.removeprefix('lane-')}"
    return (parts[1] if len(parts) > 1 else parts[0]).replace("-", " ")


def group_items(labels: Mapping[str, str], rows: Iterable[tuple[str, str, str]]) -> list[Group]:
    """``(key, type, why)`` rows grouped by label (:func:`group_keys`) and reason.

    Keys without a label (retired items the plan no longer has) are named from
    their key path. Groups come in the order their first item does.
    """
    groups: dict[tuple[str, str], Group] = {}
    for key, item_type, why in rows:
        label = labels.get(key) or _retired_label(key)
        group = groups.setdefault((label, why), Group(label=label, why=why))
        group.types[item_type] += 1
        group.keys.append((key, item_type))
    return list(groups.values())
