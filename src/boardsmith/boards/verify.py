"""The verification read that ends every apply: extra copies of template items.

The board lock (:mod:`boardsmith.boards.lock`) keeps runs sharing a data
directory apart, but two machines applying the same template to one board
each create the missing items. So every apply reads the whole board once more
and looks for *copies*: board items, not recorded in state, that are exactly
what boardsmith sends for a recorded plan key (type, text, size, place, and
for children the frame, or a copy of the frame). They are reported by key.

``apply --dedupe`` deletes a copy only when it is boardsmith's own and
untouched: made by the user whose token created the recorded template items,
its look still the template's, nothing of anyone else's inside it (frames) or
attached to it (connectors). The recorded item always stays; a participant's
item is never deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from boardsmith.boards.diff import BoardItem
from boardsmith.boards.reconcile import matches
from boardsmith.boards.requests import Placement, item_text, look_changed, plan_look
from boardsmith.boards.state import BoardState
from boardsmith.templates.plan import Plan, PlanItem

__all__ = ["Duplicate", "find_duplicates", "removal_order"]


@dataclass(frozen=True)
class Duplicate:
    """An extra copy of the template item ``key`` on the board.

    ``why`` is ``None`` when ``apply --dedupe`` may delete it, else why not.
    """

    key: str
    item: BoardItem
    why: str | None = None

    @property
    def removable(self) -> bool:
        """Whether the copy is boardsmith's own and untouched."""
        return self.why is None


def _owner(state: BoardState, board: Mapping[str, BoardItem]) -> str | None:
    # Whoever created most recorded items is the token boardsmith writes with.
    creators = Counter(
        board[e.item_id].created_by
        for e in state.items.values()
        if e.item_id in board and board[e.item_id].created_by
    )
    return creators.most_common(1)[0][0] if creators else None


def _copies_of(
    item: PlanItem,
    free: Iterable[BoardItem],
    copies: Mapping[str, list[str]],
    *,
    placement: Placement,
    plan: Plan,
) -> list[BoardItem]:
    text = item_text(item)
    if item.type == "connector":
        starts = set(copies.get(item.start or "", ()))
        ends = set(copies.get(item.end or "", ()))
        return [
            b
            for b in free
            if b.type == "connector"
            and b.text == text
            and b.start_id in starts
            and b.end_id in ends
        ]
    parents: list[str | None] = [None] if item.parent is None else list(copies.get(item.parent, ()))
    found: list[BoardItem] = []
    for parent_id in parents:
        ids = {} if item.parent is None or parent_id is None else {item.parent: parent_id}
        found += [
            b
            for b in free
            if b.type == item.type
            and b not in found
            and matches(item, b, placement=placement, plan=plan.by_key, ids=ids)
        ]
    return found


def find_duplicates(
    plan: Plan, state: BoardState, board: Mapping[str, BoardItem]
) -> list[Duplicate]:
    """Every unrecorded copy of a recorded plan item on ``board``, in plan order."""
    placement = Placement(state.offset_x, state.offset_y)
    taken = {e.item_id for e in state.items.values()}
    copies: dict[str, list[str]] = {
        key: [e.item_id] for key, e in state.items.items() if e.item_id in board
    }
    free = {i: b for i, b in board.items() if i not in taken}
    found: list[tuple[PlanItem, BoardItem]] = []
    for item in plan.items:
        if item.key not in copies:
            continue  # never created (or deleted): nothing to be a copy of
        for extra in _copies_of(item, free.values(), copies, placement=placement, plan=plan):
            free.pop(extra.id)
            copies[item.key].append(extra.id)
            found.append((item, extra))
    owner = _owner(state, board)
    extra_ids = {b.id for _, b in found}
    result = [
        Duplicate(item.key, extra, _kept_because(item, extra, board, extra_ids, owner))
        for item, extra in found
    ]
    return _settle_frames(result, board)


def _kept_because(
    item: PlanItem,
    extra: BoardItem,
    board: Mapping[str, BoardItem],
    extra_ids: set[str],
    owner: str | None,
) -> str | None:
    if owner is None or extra.created_by != owner:
        return "not created by boardsmith's user"
    if extra.look is None or look_changed(plan_look(item), extra.look):
        return "look changed on the board"
    attached = [
        b
        for b in board.values()
        if b.type == "connector" and extra.id in (b.start_id, b.end_id) and b.id not in extra_ids
    ]
    if attached:
        return "a connector that is not a copy is attached to it"
    return None


def _settle_frames(found: list[Duplicate], board: Mapping[str, BoardItem]) -> list[Duplicate]:
    """A copied frame stays unless everything inside it is a removable copy too."""
    removable = {d.item.id for d in found if d.removable}
    settled: list[Duplicate] = []
    for dup in found:
        if dup.removable and dup.item.type == "frame":
            inside = [b.id for b in board.values() if b.parent_id == dup.item.id]
            if any(i not in removable for i in inside):
                dup = Duplicate(dup.key, dup.item, "holds items that are not copies")
        settled.append(dup)
    return settled


def removal_order(duplicates: Sequence[Duplicate]) -> list[list[Duplicate]]:
    """Removable copies in delete order: connectors, then items, then frames."""
    rank = {"connector": 0, "frame": 2}
    batches: list[list[Duplicate]] = [[], [], []]
    for dup in duplicates:
        if dup.removable:
            batches[rank.get(dup.item.type, 1)].append(dup)
    return [b for b in batches if b]
