"""Where a template goes on a board that already has content, and where its lanes go.

A template is placed to the right of the bounding box of everything on the
board (plus a margin), top-aligned with it, so it never covers anyone's work.
Connectors have no geometry and do not count.

Lanes (one per participant) are laid out in the order of the participant
list, so removing or adding someone would shift every lane after them: a lane
would slide onto its neighbour's place and away from the stickies put in it.
:func:`arrange_lanes` adjusts the plan instead: a lane that holds participants'
items stays where it is on the board, a retired lane still on the board keeps
its place, and a lane with nothing in it goes to its place in the template
when that is free, else to the first free place in the template's grid of
lanes. A lane's children (name, dots, why box) go wherever it goes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from boardsmith.boards.constants import LANE_GAP, MARGIN
from boardsmith.boards.diff import BoardItem, items_inside, participant_items
from boardsmith.boards.requests import Placement
from boardsmith.boards.state import BoardState
from boardsmith.templates.plan import Plan, PlanItem

#: Roles of areas repeated once per value of a list parameter and laid out in
#: its order, so that a change to the list moves them.
LANE_ROLES: frozenset[str] = frozenset({"lane"})
#: Overlaps smaller than this (rounding) are not overlaps.
_EPSILON = 0.5

Box = tuple[float, float, float, float]
"""(left, top, right, bottom) in plan coordinates."""


def bounding_box(items: Iterable[BoardItem]) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of the items that have a geometry, or ``None``."""
    boxes = [
        (i.left, i.top, i.right, i.bottom)
        for i in items
        if i.type != "connector" and i.width is not None and i.height is not None
    ]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def plan_box(plan: Plan) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of the plan's items with a geometry."""
    items = [i for i in plan.items if i.type != "connector"]
    if not items:
        return None
    return (
        min(i.left for i in items),
        min(i.top for i in items),
        max(i.right for i in items),
        max(i.bottom for i in items),
    )


def beside(plan: Plan, existing: Iterable[BoardItem], margin: float = MARGIN) -> Placement:
    """The placement that puts ``plan`` right of ``existing`` content, top-aligned.

    An empty board keeps the plan's own coordinates.
    """
    taken = bounding_box(existing)
    own = plan_box(plan)
    if taken is None or own is None:
        return Placement()
    # Whole numbers keep the coordinates sent (and stored) readable; rounding
    # dx up never eats into the margin.
    dx = math.ceil(taken[2] + margin - own[0])
    dy = round(taken[1] - own[1])
    return Placement(float(dx), float(dy))


@dataclass(frozen=True)
class LaneSpot:
    """A lane that is not where the template puts it, and why.

    ``why``: ``"holds items"`` (it keeps its place on the board, ``holding``
    participants' items in it) or ``"place taken"`` (its place in the template
    is held by a lane that stays, so it went to the first free place).
    """

    key: str
    why: Literal["holds items", "place taken"]
    holding: int = 0


@dataclass(frozen=True)
class LaneArrangement:
    """The plan with its lanes (and their children) where they go on this board."""

    plan: Plan
    spots: tuple[LaneSpot, ...] = ()


def arrange_lanes(
    plan: Plan, state: BoardState, board: Mapping[str, BoardItem] | None
) -> LaneArrangement:
    """Move the plan's lanes so none moves away from what participants put in it.

    Pure: ``board`` is what is on the board now (``None``: not read, i.e. a
    board boardsmith has just created, where the plan stands as it is). The
    returned plan is the one to diff and apply; the plan command shows the
    same result because it runs the same function.
    """
    lanes = [i for i in plan.items if i.role in LANE_ROLES and i.type != "frame"]
    if board is None or not lanes:
        return LaneArrangement(plan)
    layout = _LaneLayout(plan, state, board, lanes)
    layout.keep_retired_lanes()
    empty = layout.keep_lanes_that_hold_items()
    layout.place_empty_lanes(empty)
    return layout.arrangement()


class _LaneLayout:
    """Lanes placed one step after another; each takes its place on the board.

    Boxes are in plan coordinates (the board's less the template's offset).
    """

    def __init__(
        self, plan: Plan, state: BoardState, board: Mapping[str, BoardItem], lanes: list[PlanItem]
    ) -> None:
        self.plan = plan
        self.state = state
        self.board = board
        self.lanes = lanes
        self.taken: list[Box] = []
        #: Lane key -> its top-left in the arranged plan.
        self.targets: dict[str, tuple[float, float]] = {}
        self.spots: list[LaneSpot] = []

    def on_board(self, item: BoardItem) -> Box | None:
        if item.width is None or item.height is None:
            return None
        dx, dy = self.state.offset_x, self.state.offset_y
        return (item.left - dx, item.top - dy, item.right - dx, item.bottom - dy)

    def put(self, lane: PlanItem, left: float, top: float) -> None:
        self.targets[lane.key] = (left, top)
        self.taken.append((left, top, left + lane.width, top + lane.height))

    def is_free(self, box: Box) -> bool:
        return not any(_overlap(box, other) for other in self.taken)

    def keep_retired_lanes(self) -> None:
        """Retired lanes still on the board keep their place, whatever they hold.

        Only --prune removes them, and only when nothing rests on them.
        """
        folders = {_folder(lane.key) for lane in self.lanes}
        kind = self.lanes[0].type
        for key, old in self.state.items.items():
            if key in self.plan.by_key or _folder(key) not in folders or old.type != kind:
                continue
            gone = self.board.get(old.item_id)
            kept = self.on_board(gone) if gone is not None else None
            if kept is not None:
                self.taken.append(kept)

    def keep_lanes_that_hold_items(self) -> list[tuple[PlanItem, Box | None]]:
        """Lanes holding participants' items stay where they are on the board.

        Returns the other lanes, each with its box on the board (``None``: not there).
        """
        loose = participant_items(self.state, self.board)
        empty: list[tuple[PlanItem, Box | None]] = []
        for lane in self.lanes:
            entry = self.state.items.get(lane.key)
            found = self.board.get(entry.item_id) if entry is not None else None
            box = self.on_board(found) if found is not None else None
            held = items_inside(found, loose, self.state, lane.key) if found is not None else 0
            if box is None or not held:
                empty.append((lane, box))
                continue
            # Top-left stays: a lane the template makes taller grows downwards.
            left, top = round(box[0], 2), round(box[1], 2)
            self.put(lane, left, top)
            if not _same(left, top, lane.left, lane.top):
                self.spots.append(LaneSpot(lane.key, "holds items", held))
        return empty

    def place_empty_lanes(self, empty: Sequence[tuple[PlanItem, Box | None]]) -> None:
        """Empty lanes go to their own place when free, else where they are, else the grid."""
        # Own places are checked against what stays before any is taken: planned
        # places never overlap one another.
        own = [lane for lane, _ in empty if self.is_free(_box(lane))]
        placed = {lane.key for lane in own}
        crowded = [(lane, box) for lane, box in empty if lane.key not in placed]
        for lane in own:
            self.targets[lane.key] = (lane.left, lane.top)
            self.taken.append(_box(lane))
        for lane, box in crowded:
            # Where it already is, if that is free, else the first free place in the grid.
            here = [(box[0], box[1])] if box is not None else []
            for left, top in itertools.chain(here, _grid(self.plan, self.lanes, lane)):
                if self.is_free((left, top, left + lane.width, top + lane.height)):
                    break
            self.put(lane, round(left, 2), round(top, 2))
            self.spots.append(LaneSpot(lane.key, "place taken"))

    def arrangement(self) -> LaneArrangement:
        """The plan with every lane (and its children) moved to its target."""
        plan, spots = self.plan, tuple(self.spots)
        moves = {
            lane.key: (self.targets[lane.key][0] - lane.left, self.targets[lane.key][1] - lane.top)
            for lane in self.lanes
            if not _same(*self.targets[lane.key], lane.left, lane.top)
        }
        if not moves:
            return LaneArrangement(plan, spots)
        items = tuple(_shifted(item, moves) for item in plan.items)
        # A new Plan, not model_copy: a copy would keep the cached by_key of the old items.
        fields = {name: getattr(plan, name) for name in Plan.model_fields}
        return LaneArrangement(Plan(**{**fields, "items": items}), spots)


def _folder(key: str) -> str:
    return key.rpartition("/")[0]


def _box(item: PlanItem) -> Box:
    return (item.left, item.top, item.right, item.bottom)


def _same(ax: float, ay: float, bx: float, by: float) -> bool:
    return abs(ax - bx) < _EPSILON and abs(ay - by) < _EPSILON


def _overlap(a: Box, b: Box) -> bool:
    # Touching edges is not overlapping.
    return (
        a[0] < b[2] - _EPSILON
        and b[0] < a[2] - _EPSILON
        and a[1] < b[3] - _EPSILON
        and b[1] < a[3] - _EPSILON
    )


def _shifted(item: PlanItem, moves: Mapping[str, tuple[float, float]]) -> PlanItem:
    for key, (mx, my) in moves.items():
        if item.key == key or item.key.startswith(key + "/"):
            return item.model_copy(update={"x": round(item.x + mx, 2), "y": round(item.y + my, 2)})
    return item


def _gap(lanes: Sequence[PlanItem], across: bool) -> float | None:
    """The smallest gap between neighbouring lanes in a row (or a column)."""
    gaps = [
        (b.left - a.right) if across else (b.top - a.bottom)
        for a in lanes
        for b in lanes
        if (abs(a.top - b.top) < _EPSILON if across else abs(a.left - b.left) < _EPSILON)
        and ((b.left > a.right) if across else (b.top > a.bottom))
    ]
    return min(gaps) if gaps else None


def _grid(plan: Plan, lanes: Sequence[PlanItem], lane: PlanItem) -> Iterator[tuple[float, float]]:
    """Top-left corners of the template's grid of lanes, row by row, without end.

    The grid starts at the first lane, with the plan's spacing, as many
    columns as the frame holds (inside the margin it leaves on the left);
    past every place taken a row is always free.
    """
    gap_x = _gap(lanes, across=True)
    gap_y = _gap(lanes, across=False)
    step_x = lane.width + (gap_x if gap_x is not None else gap_y or LANE_GAP)
    step_y = lane.height + (gap_y if gap_y is not None else gap_x or LANE_GAP)
    left0 = min(i.left for i in lanes)
    top0 = min(i.top for i in lanes)
    limit = max(i.right for i in lanes)
    frame = plan.by_key.get(lane.parent) if lane.parent else None
    if frame is not None:
        limit = max(limit, frame.right - (left0 - frame.left))
    columns = max(1, math.floor((limit - left0 - lane.width + _EPSILON) / step_x) + 1)
    for row in itertools.count():
        for column in range(columns):
            yield left0 + column * step_x, top0 + row * step_y
