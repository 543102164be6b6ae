"""Requests Miro's spec makes invalid get Miro's 400 naming the field, never a quiet 2xx."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from boardsmith.emulator.routes.boards import TEAM
from tests.emulator.helpers import create, new_board


def field_of(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == "invalidParameters"
    field: str = body["context"]["fields"][0]["field"]
    assert field in body["message"]
    return field


@pytest.mark.parametrize(
    ("raw", "field"), [(b"null", "body"), (b"false", "body"), (b"[]", "body"), (b"3", "body")]
)
async def test_a_body_that_is_not_an_object(
    http: httpx.AsyncClient, raw: bytes, field: str
) -> None:
    board = await new_board(http)
    headers = {"content-type": "application/json"}
    assert field_of(await http.post("/v2/boards", content=raw, headers=headers)) == field
    sticky = await http.post(f"/v2/boards/{board}/sticky_notes", content=raw, headers=headers)
    assert field_of(sticky) == field


async def test_a_required_body_that_is_missing(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    item = await create(http, board, "sticky_notes", {"data": {"content": "a"}})
    assert field_of(await http.patch(f"/v2/boards/{board}/sticky_notes/{item['id']}")) == "body"
    assert field_of(await http.post(f"/v2/boards/{board}/tags")) == "body"
    # Board create's body is optional (BoardChanges is not required).
    assert (await http.post("/v2/boards")).status_code == 201


async def test_text_that_is_not_sent_as_json(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/v2/boards", content=b'{"name": "x"}', headers={"content-type": "text/plain"}
    )
    assert field_of(response) == "Content-Type"
    charset = {"content-type": "application/json; charset=utf-8"}
    assert (await http.post("/v2/boards", content=b"{}", headers=charset)).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": {"content": None}}, "data.content"),
        ({"data": None}, "data"),
        ({"style": {"fillColor": None}}, "style.fillColor"),
        ({"position": {"x": 1, "y": None}}, "position.y"),
        ({"data": {"colour": "red"}}, "data.colour"),
        ({"tags": []}, "tags"),
        ({"geometry": {"width": 200, "rotation": 30}}, "geometry.rotation"),
        ({"geometry": {"rotation": 0}}, "geometry.rotation"),
    ],
)
async def test_sticky_fields_the_spec_does_not_allow(
    http: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    board = await new_board(http)
    assert field_of(await http.post(f"/v2/boards/{board}/sticky_notes", json=body)) == field


async def test_a_sticky_rotation_names_why(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    response = await http.post(
        f"/v2/boards/{board}/sticky_notes", json={"geometry": {"rotation": 45}}
    )
    assert "cannot be rotated" in response.json()["message"]


async def test_a_frame_needs_data_and_no_parent(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    assert field_of(await http.post(f"/v2/boards/{board}/frames", json={})) == "data"
    assert (await http.post(f"/v2/boards/{board}/frames", json={"data": {}})).status_code == 201
    parent = {"data": {}, "parent": {"id": "1"}}
    assert field_of(await http.post(f"/v2/boards/{board}/frames", json=parent)) == "parent"


async def test_bulk_fields_are_named_with_the_index(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    items = [
        {"type": "sticky_note", "data": {"content": "ok"}},
        {"type": "sticky_note", "data": {"content": "a", "size": 3}},
    ]
    response = await http.post(f"/v2/boards/{board}/items/bulk", json=items)
    assert field_of(response) == "1.data.size"
    nulls = [{"type": "shape", "style": {"fillColor": None}}]
    response = await http.post(f"/v2/boards/{board}/items/bulk", json=nulls)
    assert field_of(response) == "0.style.fillColor"
    listed = (await http.get(f"/v2/boards/{board}/items")).json()
    assert listed["total"] == 0


async def test_a_team_the_emulator_does_not_have(http: httpx.AsyncClient) -> None:
    response = await http.post("/v2/boards", json={"teamId": "3458764599999999999"})
    assert response.status_code == 404
    assert response.json()["context"]["fields"][0]["field"] == "teamId"
    assert "teamId" in response.json()["message"]
    ok = await http.post("/v2/boards", json={"teamId": TEAM["id"]})
    assert ok.status_code == 201
    assert ok.json()["team"]["id"] == TEAM["id"]


async def test_unknown_board_and_connector_fields(http: httpx.AsyncClient) -> None:
    assert field_of(await http.post("/v2/boards", json={"title": "x"})) == "title"
    policy = {"policy": {"sharingPolicy": {"everyone": "edit"}}}
    assert field_of(await http.post("/v2/boards", json=policy)) == "policy.sharingPolicy.everyone"
    board = await new_board(http)
    a = await create(http, board, "shapes", {})
    b = await create(http, board, "shapes", {})
    connector = {
        "startItem": {"id": a["id"]},
        "endItem": {"id": b["id"]},
        "captions": [{"content": "x", "bold": True}],
    }
    response = await http.post(f"/v2/boards/{board}/connectors", json=connector)
    assert field_of(response) == "captions.0.bold"


async def test_moving_out_of_a_frame_with_a_null_parent_is_the_one_null(
    http: httpx.AsyncClient,
) -> None:
    board = await new_board(http)
    item = await create(http, board, "shapes", {})
    moved = await http.patch(f"/v2/boards/{board}/items/{item['id']}", json={"parent": None})
    assert moved.status_code == 200
    nulled = await http.patch(f"/v2/boards/{board}/items/{item['id']}", json={"position": None})
    assert field_of(nulled) == "position"
