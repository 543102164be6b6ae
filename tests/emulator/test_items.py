"""Items: typed create/get/update, geometry rules, frames and positions, generic list."""

from __future__ import annotations

import math
import re

import httpx
import pytest

from tests.emulator.helpers import create, new_board

NUMERIC_ID = re.compile(r"^\d{19}$")


async def test_sticky_geometry_follows_shape_and_width(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    default = await create(http, board, "sticky_notes", {"data": {"content": "a"}})
    assert NUMERIC_ID.match(default["id"])
    assert default["geometry"]["width"] == 199
    assert default["geometry"]["height"] == 228
    assert default["style"]["fillColor"] == "light_yellow"
    square = await create(http, board, "sticky_notes", {"geometry": {"width": 300}})
    assert square["geometry"]["height"] == pytest.approx(300 * 228 / 199)
    rect = await create(
        http,
        board,
        "sticky_notes",
        {"data": {"shape": "rectangle"}, "geometry": {"height": 114}},
    )
    assert rect["geometry"]["width"] == pytest.approx(114 * 350 / 228)
    both = await http.post(
        f"/v2/boards/{board}/sticky_notes", json={"geometry": {"width": 100, "height": 100}}
    )
    assert both.status_code == 400
    assert both.json()["context"]["fields"][0]["field"] == "geometry"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"style": {"fillColor": "puce"}}, "style.fillColor"),
        ({"data": {"shape": "circle"}}, "data.shape"),
        ({"data": {"content": 7}}, "data.content"),
        ({"position": {"x": "left"}}, "position.x"),
        ({"geometry": {"width": -5}}, "geometry.width"),
        ({"geometry": {"width": True}}, "geometry.width"),
        ({"data": "text"}, "data"),
        ({"parent": {"id": "1234"}}, "parent.id"),
    ],
)
async def test_sticky_rejects_bad_fields_with_miro_400(
    http: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    board = await new_board(http)
    response = await http.post(f"/v2/boards/{board}/sticky_notes", json=body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalidParameters"
    assert error["type"] == "error"
    assert error["context"]["fields"][0]["field"] == field


async def test_text_height_is_computed_from_content(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    content = "<p>Hello &amp; welcome to the vision board</p>"
    text = await create(
        http,
        board,
        "texts",
        {"data": {"content": content}, "style": {"fontSize": "20"}, "geometry": {"width": 100}},
    )
    plain = len("Hello & welcome to the vision board")
    lines = math.ceil(plain * 0.55 * 20 / 100)
    assert text["geometry"]["height"] == pytest.approx(lines * 1.4 * 20)
    narrow = await http.post(
        f"/v2/boards/{board}/texts",
        json={"data": {"content": "x"}, "style": {"fontSize": "20"}, "geometry": {"width": 30}},
    )
    assert narrow.status_code == 400
    missing = await http.post(f"/v2/boards/{board}/texts", json={})
    assert missing.status_code == 400
    assert missing.json()["context"]["fields"][0]["field"] == "data"


async def test_frame_children_are_relative_to_frame_top_left(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    frame = await create(
        http,
        board,
        "frames",
        {
            "data": {"title": "Lane"},
            "position": {"x": 1000, "y": 500},
            "geometry": {"width": 400, "height": 300},
        },
    )
    assert frame["links"]["related"].endswith(f"parent_item_id={frame['id']}&limit=10&cursor=")
    child = await create(
        http, board, "shapes", {"parent": {"id": frame["id"]}, "position": {"x": 50, "y": 60}}
    )
    assert child["position"] == {
        "x": 50,
        "y": 60,
        "origin": "center",
        "relativeTo": "parent_top_left",
    }
    assert child["parent"]["id"] == frame["id"]
    # Move the child out to the canvas keeping its place: absolute = top-left + relative.
    moved = await http.patch(f"/v2/boards/{board}/items/{child['id']}", json={"parent": None})
    assert moved.status_code == 200
    assert moved.json()["position"]["x"] == 1000 - 200 + 50
    assert moved.json()["position"]["y"] == 500 - 150 + 60
    assert moved.json()["position"]["relativeTo"] == "canvas_center"
    # Re-parent without a position: converted back to frame coordinates.
    back = await http.patch(
        f"/v2/boards/{board}/items/{child['id']}", json={"parent": {"id": frame["id"]}}
    )
    assert back.json()["position"]["x"] == 50
    assert back.json()["position"]["y"] == 60
    # Re-parent with a position: the position is taken relative to the new parent.
    other = await create(
        http,
        board,
        "frames",
        {"data": {}, "position": {"x": -500, "y": 0}, "geometry": {"width": 200, "height": 200}},
    )
    placed = await http.patch(
        f"/v2/boards/{board}/items/{child['id']}",
        json={"parent": {"id": other["id"]}, "position": {"x": 10, "y": 20}},
    )
    assert placed.json()["position"]["x"] == 10
    assert placed.json()["parent"]["id"] == other["id"]


async def test_frames_cannot_have_a_parent_and_have_a_minimum_size(
    http: httpx.AsyncClient,
) -> None:
    board = await new_board(http)
    frame = await create(http, board, "frames", {"data": {"title": "A"}})
    nested = await http.post(
        f"/v2/boards/{board}/frames", json={"data": {}, "parent": {"id": frame["id"]}}
    )
    assert nested.status_code == 400
    assert nested.json()["context"]["fields"][0]["field"] == "parent"
    patched = await http.patch(
        f"/v2/boards/{board}/items/{frame['id']}", json={"parent": {"id": frame["id"]}}
    )
    assert patched.status_code == 400
    small = await http.post(
        f"/v2/boards/{board}/frames", json={"data": {}, "geometry": {"width": 50, "height": 200}}
    )
    assert small.status_code == 400


async def test_deleting_a_frame_keeps_its_children_in_place(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    frame = await create(
        http,
        board,
        "frames",
        {"data": {}, "position": {"x": 100, "y": 100}, "geometry": {"width": 200, "height": 200}},
    )
    child = await create(
        http, board, "cards", {"parent": {"id": frame["id"]}, "position": {"x": 10, "y": 10}}
    )
    assert (await http.delete(f"/v2/boards/{board}/frames/{frame['id']}")).status_code == 204
    after = (await http.get(f"/v2/boards/{board}/items/{child['id']}")).json()
    assert "parent" not in after
    assert (after["position"]["x"], after["position"]["y"]) == (10, 10)


async def test_typed_update_get_delete_and_wrong_kind(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    note = await create(http, board, "sticky_notes", {"data": {"content": "old"}})
    url = f"/v2/boards/{board}/sticky_notes/{note['id']}"
    updated = await http.patch(
        url, json={"data": {"content": "new"}, "style": {"fillColor": "red"}}
    )
    assert updated.status_code == 200
    assert updated.json()["data"] == {"content": "new", "shape": "square"}
    assert updated.json()["style"]["fillColor"] == "red"
    assert (await http.get(f"/v2/boards/{board}/shapes/{note['id']}")).status_code == 404
    assert (await http.get(url)).json()["data"]["content"] == "new"
    assert (await http.delete(url)).status_code == 204
    assert (await http.get(url)).status_code == 404
    assert (await http.get(f"/v2/boards/{board}/items/{note['id']}")).status_code == 404


async def test_items_are_cursor_paged_and_filtered(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    frame = await create(
        http, board, "frames", {"data": {}, "geometry": {"width": 2000, "height": 2000}}
    )
    notes = [
        (await create(http, board, "sticky_notes", {"parent": {"id": frame["id"]}}))["id"]
        for _ in range(23)
    ]
    await create(http, board, "texts", {"data": {"content": "title"}})
    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        page = (
            await http.get(
                f"/v2/boards/{board}/items",
                params={"type": "sticky_note", "limit": 10, "cursor": cursor},
            )
        ).json()
        pages += 1
        assert page["total"] == 23
        assert page["limit"] == 10
        assert page["size"] == len(page["data"])
        seen += [i["id"] for i in page["data"]]
        cursor = page["cursor"]
        if not cursor:
            break
        assert page["links"]["next"]
    assert seen == notes
    assert pages == 3
    everything = (await http.get(f"/v2/boards/{board}/items", params={"limit": 50})).json()
    assert everything["total"] == 25
    children = (
        await http.get(
            f"/v2/boards/{board}/items", params={"parent_item_id": frame["id"], "limit": 50}
        )
    ).json()
    assert [i["id"] for i in children["data"]] == notes
    for bad in ({"limit": 9}, {"limit": 51}, {"limit": "ten"}, {"cursor": "zzz"}, {"type": "x"}):
        response = await http.get(f"/v2/boards/{board}/items", params=bad)
        assert response.status_code == 400, bad


async def test_unknown_board_and_item_are_404(http: httpx.AsyncClient) -> None:
    assert (await http.get("/v2/boards/uXjVKnope00=/items")).status_code == 404
    board = await new_board(http)
    missing = await http.get(f"/v2/boards/{board}/items/3458764000000000000")
    assert missing.status_code == 404
    assert missing.json()["code"] == "notFound"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"position": {"x": 1' + b"0" * 400 + b"}}",
        b'{"style": {"fillColor": "red"}, "geometry": {"width": 1e999}}',
        b'{"data": {"content": "\\ud800"}, "position": {"y": NaN}}',
        b"[" * 5000 + b"]" * 5000,
        b"\xff\xfe not utf-8",
    ],
)
async def test_hostile_json_is_a_400_not_a_500(http: httpx.AsyncClient, raw: bytes) -> None:
    board = await new_board(http)
    response = await http.post(
        f"/v2/boards/{board}/sticky_notes",
        content=raw,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalidParameters"
