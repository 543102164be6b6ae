"""Finding plan items that are already on a board without knowing their ids.

Two situations need it: a create call that failed ambiguously (it may have
been applied) or a run killed between a call and the state write, and a
board whose state file is missing. In both, an item on the board counts as
a plan item when its type, text, size, parent and position all match what
boardsmith would send. Matching is one-to-one and never takes an item that
is already recorded for another key.

Without state a participant may also have moved a template item: then only
type and text are left to go by, and an item is adopted only when exactly
one unclaimed board item qualifies (:func:`match_moved`). Or they edited its
text where it stands: then its kind (type, shape, colours, size) and its place
are left, and an item is adopted only when exactly one unclaimed board item of
its kind sits in its place and no other plan item could be it
(:func:`match_edited`). Whatever still has a plausible candidate is reported
(:func:`unmatched`), never created silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from boardsmith.boards.constants import POSITION_TOLERANCE
from boardsmith.boards.diff import BoardItem, same_position
from boardsmith.boards.requests import Placement, item_text, look_changed, plan_look
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


def same_kind(item: PlanItem, found: BoardItem) -> bool:
    """Whether ``found`` is the kind of item boardsmith makes for ``item``, whatever its text.

    Type, size and look (shape and colours; only what boardsmith sends is
    compared, and a look that was not read does not count against it).
    """
    if found.type != item.type or not _same_size(item, found):
        return False
    return found.look is None or not look_changed(plan_look(item), found.look)


def _offset(
    item: PlanItem,
    found: BoardItem,
    *,
    placement: Placement,
    plan: Mapping[str, PlanItem],
    ids: Mapping[str, str],
) -> tuple[float, float] | None:
    """How far ``found`` sits from where ``item`` goes, or ``None`` in another frame.

    Children compare frame-relative positions, so a frame a participant moved
    still holds its items in their places.
    """
    if item.parent is None:
        if found.parent_id is not None:
            return None
        x, y = placement.absolute(item)
        return found.x - x, found.y - y
    parent_id = ids.get(item.parent)
    if parent_id is None or found.parent_id != parent_id:
        return None
    x, y = placement.relative(item, plan[item.parent])
    return found.rel_x - x, found.rel_y - y


def in_place(
    item: PlanItem,
    found: BoardItem,
    *,
    placement: Placement,
    plan: Mapping[str, PlanItem],
    ids: Mapping[str, str],
) -> bool:
    """Whether ``found``'s centre lies on the area ``item`` takes on the board.

    Template layouts never overlap two items of one kind (checked for every
    built-in), so an item centred on the spot covers most of it and is no
    neighbour nudged a little.
    """
    off = _offset(item, found, placement=placement, plan=plan, ids=ids)
    if off is None:
        return False
    return abs(off[0]) <= item.width / 2 + POSITION_TOLERANCE and (
        abs(off[1]) <= item.height / 2 + POSITION_TOLERANCE
    )


def _texts(items: Iterable[PlanItem]) -> set[tuple[str, str]]:
    return {(i.type, item_text(i)) for i in items}


def _edited_candidates(
    item: PlanItem,
    free: Sequence[BoardItem],
    *,
    placement: Placement,
    plan: Plan,
    ids: Mapping[str, str],
    others: set[tuple[str, str]],
) -> list[BoardItem]:
    """Board items that could be ``item`` with its text edited, closest first."""
    if item.type == "connector":
        start, end = ids.get(item.start or ""), ids.get(item.end or "")
        if start is None or end is None:
            return []
        return [b for b in free if b.type == "connector" and (b.start_id, b.end_id) == (start, end)]
    out: list[tuple[float, BoardItem]] = []
    for b in free:
        # An item showing another template item's text is that item, moved here.
        if b.text and (b.type, b.text) in others and b.text != item_text(item):
            continue
        if not same_kind(item, b):
            continue
        off = _offset(item, b, placement=placement, plan=plan.by_key, ids=ids)
        if off is None or not in_place(item, b, placement=placement, plan=plan.by_key, ids=ids):
            continue
        out.append((abs(off[0]) + abs(off[1]), b))
    out.sort(key=lambda pair: pair[0])
    exact = [b for d, b in out if d <= 2 * POSITION_TOLERANCE]
    # One item exactly where it goes is the item; others on the spot are laid on it.
    return exact if len(exact) == 1 else [b for _, b in out]


def match_edited(
    items: Sequence[PlanItem],
    board: Iterable[BoardItem],
    *,
    placement: Placement,
    plan: Plan,
    ids: Mapping[str, str],
    taken: Iterable[str] = (),
    creator: str | None = None,
) -> dict[str, BoardItem]:
    """Plan items whose text a participant edited where they stand: key -> board item.

    A plan item matches the unclaimed board items (not in ``taken``, made by
    ``creator`` when it is known) of its kind (:func:`same_kind`) whose centre
    lies on its place (:func:`in_place`; children in the frame ``ids`` names
    for their parent), and connectors the unclaimed connectors between the same
    two items. It is adopted only when it has exactly one candidate (or exactly
    one sits precisely where it goes) and that candidate is no other plan item's
    candidate. A board item showing another plan item's text is never taken:
    that is the other item, moved.
    """
    used = set(taken)
    free = [
        b
        for b in board
        if b.id not in used and (creator is None or b.created_by in (creator, None))
    ]
    others = _texts(plan.items)
    options = {
        item.key: _edited_candidates(
            item, free, placement=placement, plan=plan, ids=ids, others=others
        )
        for item in items
    }
    claims = Counter(b.id for found in options.values() for b in found)
    return {
        key: found[0]
        for key, found in options.items()
        if len(found) == 1 and claims[found[0].id] == 1
    }


@dataclass(frozen=True)
class Unmatched:
    """A plan item adoption could not match although board items could be it.

    ``candidates`` pairs each such board item's id with why it could be the
    item; none was taken, and the item is created beside them.
    """

    key: str
    type: str
    candidates: tuple[tuple[str, str], ...]


def unmatched(
    items: Sequence[PlanItem],
    board: Iterable[BoardItem],
    *,
    placement: Placement,
    plan: Plan,
    ids: Mapping[str, str],
    taken: Iterable[str] = (),
    creator: str | None = None,
) -> list[Unmatched]:
    """The plan items (left after matching) that unclaimed board items could be.

    A candidate has the item's type and either its text (anywhere), its place
    (:func:`in_place`, in any look) or, for connectors, its two endpoints.
    Board items another user made are not boardsmith's, so not candidates when
    ``creator`` is known. Items with no candidate are not listed: nothing on
    the board could be them.
    """
    used = set(taken)
    free = [
        b
        for b in board
        if b.id not in used and (creator is None or b.created_by in (creator, None))
    ]
    out: list[Unmatched] = []
    for item in items:
        text = item_text(item)
        found: list[tuple[str, str]] = []
        for b in free:
            if b.type != item.type:
                continue
            if item.type == "connector":
                ends = (ids.get(item.start or ""), ids.get(item.end or ""))
                if None not in ends and (b.start_id, b.end_id) == ends:
                    found.append((b.id, "joins the same two items"))
                continue
            if in_place(item, b, placement=placement, plan=plan.by_key, ids=ids):
                where = "in its place"
            elif text and b.text == text:
                where = "elsewhere"
            else:
                continue
            words = "its text" if b.text == text else "another text"
            look = "its look" if same_kind(item, b) else "another look or size"
            found.append((b.id, f"{where}, {words}, {look}"))
        if found:
            out.append(Unmatched(item.key, item.type, tuple(found)))
    return out
