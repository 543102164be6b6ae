"""One box geometry: plan items, board items, snapshot items and bounds agree."""

from __future__ import annotations

from boardsmith.boards.diff import BoardItem
from boardsmith.harvest.model import Bounds
from boardsmith.harvest.snapshot import SnapItem
from boardsmith.templates import PlanItem
from boardsmith.templates.geometry import CentredBox


def test_every_box_has_the_same_edges_to_the_last_float() -> None:
    x, y, w, h = 100.1, -37.3, 199.0, 228.0 / 199 * 199
    boxes: list[CentredBox] = [
        Bounds(x=x, y=y, width=w, height=h),
        PlanItem(key="k", type="sticky_note", x=x, y=y, width=w, height=h),
        SnapItem(id="1", type="sticky_note", x=x, y=y, width=w, height=h),
    ]
    for box in boxes:
        assert (box.left, box.top, box.right, box.bottom) == (
            x - w / 2,
            y - h / 2,
            x + w / 2,
            y + h / 2,
        )
    board = BoardItem(id="1", type="sticky_note", parent_id=None, x=x, y=y, width=w, height=h)
    assert (board.left, board.top, board.right, board.bottom) == (
        boxes[0].left,
        boxes[0].top,
        boxes[0].right,
        boxes[0].bottom,
    )


def test_edges_are_inside_and_a_sizeless_item_is_its_point() -> None:
    bounds = Bounds(x=0, y=0, width=10, height=20)
    assert bounds.contains(5, 10)
    assert bounds.contains(-5, -10)
    assert not bounds.contains(5.0001, 0)
    connector = BoardItem(id="c", type="connector", parent_id=None, x=3, y=4)
    assert (connector.left, connector.right, connector.top, connector.bottom) == (3, 3, 4, 4)
    assert connector.contains(3, 4)
    assert not connector.contains(3, 4.5)


def test_pydantic_models_take_no_fields_from_the_mixin() -> None:
    assert list(Bounds.model_fields) == ["x", "y", "width", "height"]
