"""Finding plan items that are already on a board without knowing their ids.

Two situations need it: a create call that failed ambiguously (it may have
been applied) or a run killed between a call and the state write, and a
board whose state file is missing. In both, an item on the board counts as
a plan item when its type, text, size, parent and position all match what
boardsmith would send. Matching is one-to-one and never takes an item that
is already recorded for another key.

Without state a participant may also have moved a template item: then only
type and text are left to go by, and an item is adopted only when exactly
one unclaimed board item qualifies (:func:`match_moved`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from boardsmith.boards.diff import POSITION_TOLERANCE, BoardItem, same_position
from boardsmith.boards.requests import Placement, item_text
from boardsmith.templates.plan import Plan, PlanItem

_SIZED = frozenset({"frame", "shape", "card"})


def _same_size(item: PlanItem, found: BoardItem) -> bool:
    if found.width is not None and abs(found.width - item.width) > POSITION_TOLERANCE:
        return False
    return not (
        item.type in _SIZED
        and found.height is not None
        and abs(found.height - item.height) > POSITION_TOLERANCE
    )


def matches(
    item: PlanItem,
    found: BoardItem,
    *,
    placement: Placement,
    plan: Mapping[str, PlanItem],
    ids: Mapping[str, str],
) -> bool:
    """Whether ``found`` on the board is what boardsmith creates for ``item``.

    ``ids`` maps the keys already known (frames, connector endpoints) to board ids.
    """
    if found.type != item.type or found.text != item_text(item):
        return False
    if item.type == "connector":
        return (
            item.start is not None
            and item.end is not None
            and found.start_id == ids.get(item.start)
            and found.end_id == ids.get(item.end)
        )
    if not _same_size(item, found):
        return False
    if item.parent is None:
        x, y = placement.absolute(item)
        return found.parent_id is None and same_position(found.x, found.y, x, y)
    parent_id = ids.get(item.parent)
    if parent_id is None or found.parent_id != parent_id:
        return False
    x, y = placement.relative(item, plan[item.parent])
    return same_position(found.rel_x, found.rel_y, x, y)


def match_items(
    items: Sequence[PlanItem],
    board: Iterable[BoardItem],
    *,
    placement: Placement,
    plan: Mapping[str, PlanItem],
    ids: Mapping[str, str],
    taken: Iterable[str] = (),
) -> dict[str, BoardItem]:
    """Plan key -> board item for every item of ``items`` found on the board.

    Items are matched in order (frames before their children when ``items``
    is in plan order, so children see their frame's id), each board item at
    most once, never one whose id is in ``taken``.
    """
    used = set(taken)
    by_kind: dict[tuple[str, str], list[BoardItem]] = defaultdict(list)
    for found in board:
        if found.id not in used:
            by_kind[(found.type, found.text)].append(found)
    known = dict(ids)
    result: dict[str, BoardItem] = {}
    for item in items:
        for found in by_kind.get((item.type, item_text(item)), ()):
            if found.id in used:
                continue
            if matches(item, found, placement=placement, plan=plan, ids=known):
                result[item.key] = found
                used.add(found.id)
                known[item.key] = found.id
                break
    return result


def match_moved(
    items: Sequence[PlanItem],
    board: Iterable[BoardItem],
    *,
    taken: Iterable[str] = (),
    creator: str | None = None,
) -> tuple[dict[str, BoardItem], list[str]]:
    """Plan items a participant may have moved: (key -> board item, ambiguous keys).

    A plan item (not a connector: those match by their endpoints anyway)
    matches the board items of its type and text not in ``taken``, restricted
    to those ``creator`` made when it is known. It is adopted only when it has
    exactly one such candidate and no other unmatched plan item shares its type
    and text; with several candidates it is reported as ambiguous (and will be
    created). Items with no candidate are neither.
    """
    used = set(taken)
    by_kind: dict[tuple[str, str], list[BoardItem]] = defaultdict(list)
    for found in board:
        if found.id in used or found.type == "connector":
            continue
        if creator is not None and found.created_by not in (creator, None):
            continue
        by_kind[(found.type, found.text)].append(found)
    wanted = [item for item in items if item.type != "connector"]
    twins = Counter((item.type, item_text(item)) for item in wanted)
    result: dict[str, BoardItem] = {}
    ambiguous: list[str] = []
    for item in wanted:
        kind = (item.type, item_text(item))
        candidates = by_kind.get(kind, [])
        if not candidates:
            continue
        if len(candidates) == 1 and twins[kind] == 1:
            result[item.key] = candidates[0]
        else:
            ambiguous.append(item.key)
    return result, ambiguous


def infer_placement(plan: Plan, board: Iterable[BoardItem]) -> Placement | None:
    """The offset at which this plan already sits on the board, if it visibly does.

    Used when the state file is missing: every top-level plan item with text
    votes for the offsets at which an item of the same type, text and size
    sits on the board. The winner needs two votes, or one from a frame (frame
    titles are distinctive).
    """
    top = [i for i in plan.items if i.parent is None and i.type != "connector"]
    found = [b for b in board if b.parent_id is None and b.type != "connector" and b.text]
    index: dict[tuple[str, str], list[BoardItem]] = defaultdict(list)
    for b in found:
        index[(b.type, b.text)].append(b)
    votes: Counter[tuple[float, float]] = Counter()
    frame_votes: Counter[tuple[float, float]] = Counter()
    for item in top:
        text = item_text(item)
        if not text:
            continue
        for b in index.get((item.type, text), ()):
            if not _same_size(item, b):
                continue
            offset = (float(round(b.x - item.x)), float(round(b.y - item.y)))
            votes[offset] += 1
            if item.type == "frame":
                frame_votes[offset] += 1
    if not votes:
        return None
    (best, count), *_ = votes.most_common(1)
    if count >= 2 or frame_votes[best] >= 1:
        return Placement(*best)
    return None
