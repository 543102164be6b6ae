"""Placing a template beside existing content, never on top of it."""

from __future__ import annotations

from boardsmith.boards.constants import MARGIN
from boardsmith.boards.diff import BoardItem
from boardsmith.boards.placement import beside, bounding_box, plan_box
from boardsmith.boards.requests import Placement

from .plans import small_plan


def _item(x: float, y: float, w: float, h: float, kind: str = "sticky_note") -> BoardItem:
    return BoardItem(id=f"{x},{y}", type=kind, parent_id=None, x=x, y=y, width=w, height=h)


def test_empty_board_keeps_plan_coordinates() -> None:
    assert beside(small_plan(), []) == Placement()


def test_plan_goes_right_of_existing_content_top_aligned() -> None:
    existing = [_item(0, 0, 200, 200), _item(1000, 500, 100, 100)]
    plan = small_plan()
    placement = beside(plan, existing)

    own = plan_box(plan)
    assert own is not None
    left, top = own[0], own[1]
    taken = bounding_box(existing)
    assert taken is not None
    assert taken == (-100.0, -100.0, 1050.0, 550.0)
    assert left + placement.dx >= taken[2] + MARGIN
    assert left + placement.dx < taken[2] + MARGIN + 1
    assert top + placement.dy == taken[1]
    # No placed plan item intersects any existing item.
    for item in plan.items:
        x, y = placement.absolute(item)
        for other in existing:
            assert x - item.width / 2 > other.right or y - item.height / 2 > other.bottom


def test_connectors_and_sizeless_items_do_not_count() -> None:
    connector = BoardItem(id="c", type="connector", parent_id=None, x=0, y=0)
    assert bounding_box([connector]) is None
    assert beside(small_plan(), [connector]) == Placement()
