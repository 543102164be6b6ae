"""Harvest's write-backs reach the board through create_body, as plan items do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from boardsmith.boards.add_items import add_items
from boardsmith.miro.models import BoardCreate
from boardsmith.templates.plan import PlanItem

MakeClient = Callable[..., Awaitable[Any]]

FRAME = PlanItem(
    key="runoff", type="frame", x=1500, y=400, width=1000, height=800, content="Runoff"
)


def _child(key: str, kind: str, x: float, y: float, **more: Any) -> PlanItem:
    return PlanItem.model_validate(
        {"key": key, "type": kind, "parent": "runoff", "x": x, "y": y, "width": 200, "height": 200}
        | more
    )


async def test_a_new_frame_and_its_children_land_where_the_plan_puts_them(
    make_client: MakeClient,
) -> None:
    client = await make_client()
    board = await client.boards.create(BoardCreate(name="Narrow"))
    items = [
        FRAME,
        _child("runoff/0", "sticky_note", 1200, 200, content="R&amp;D"),
        _child(
            "runoff/1",
            "shape",
            1300,
            300,
            shape="circle",
            style={"fillColor": "#f16c7f", "borderColor": "#f16c7f"},
        ),
    ]
    ids = await add_items(client, board.id, items)
    assert len(ids) == 3
    frame = await client.frames.get(board.id, ids[0])
    assert frame.data.title == "Runoff"
    inside = {i.id: i async for i in client.items.list(board.id, parent_item_id=ids[0])}
    assert set(inside) == set(ids[1:])
    sticky, dot = inside[ids[1]], inside[ids[2]]
    # Children are placed relative to the frame's top-left corner (1000, 0).
    assert (sticky.position.x, sticky.position.y) == (200, 200)
    assert sticky.data.content == "R&amp;D"
    assert dot.data.shape == "circle"
    assert dot.style.fill_color == "#f16c7f"


async def test_children_of_a_frame_already_on_the_board(make_client: MakeClient) -> None:
    client = await make_client()
    board = await client.boards.create(BoardCreate(name="Narrow"))
    [frame_id] = await add_items(client, board.id, [FRAME])
    sticky = _child("slot", "sticky_note", 1100, 100, content="Bold")
    [sticky_id] = await add_items(client, board.id, [sticky], frames={"runoff": (frame_id, FRAME)})
    found = await client.items.get(board.id, sticky_id)
    assert found.parent is not None
    assert found.parent.id == frame_id
    assert (found.position.x, found.position.y) == (100, 100)
