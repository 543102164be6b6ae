"""Boards, identity, members and the emulator's stats endpoint."""

from __future__ import annotations

import re

import httpx

from boardsmith.emulator import EmulatorApp
from tests.emulator.conftest import Http
from tests.emulator.helpers import create, new_board

BOARD_ID = re.compile(r"^uXjVK[A-Za-z0-9]{6}=$")
NUMERIC_ID = re.compile(r"^\d{19}$")


async def test_board_create_get_list_delete(http: httpx.AsyncClient) -> None:
    created = await http.post("/v2/boards", json={"name": "Vision", "description": "2030"})
    assert created.status_code == 201
    board = created.json()
    assert BOARD_ID.match(board["id"])
    assert board["owner"]["name"] == "Ana"
    assert board["currentUserMembership"]["role"] == "owner"
    fetched = (await http.get(f"/v2/boards/{board['id']}")).json()
    assert fetched["name"] == "Vision"
    assert fetched["description"] == "2030"
    listed = (await http.get("/v2/boards", params={"query": "visi"})).json()
    assert [b["id"] for b in listed["data"]] == [board["id"]]
    assert listed["total"] == 1
    assert (await http.delete(f"/v2/boards/{board['id']}")).status_code == 204
    gone = await http.get(f"/v2/boards/{board['id']}")
    assert gone.status_code == 404
    assert gone.json()["code"] == "notFound"


async def test_board_name_is_validated(http: httpx.AsyncClient) -> None:
    too_long = await http.post("/v2/boards", json={"name": "x" * 61})
    assert too_long.status_code == 400
    body = too_long.json()
    assert body["code"] == "invalidParameters"
    assert body["context"]["fields"][0]["field"] == "name"
    assert (await http.post("/v2/boards", json={"name": 5})).status_code == 400
    assert (await http.post("/v2/boards", content=b"{nope")).status_code == 400
    assert (await http.post("/v2/boards", json=[1, 2])).status_code == 400


async def test_boards_are_offset_paged(http: httpx.AsyncClient) -> None:
    ids = [await new_board(http, f"b{i}") for i in range(5)]
    seen: list[str] = []
    offset = 0
    while True:
        page = (await http.get("/v2/boards", params={"limit": 2, "offset": offset})).json()
        assert page["limit"] == 2
        assert page["total"] == 5
        seen += [b["id"] for b in page["data"]]
        if offset + page["size"] >= page["total"]:
            break
        offset += page["size"]
    assert sorted(seen) == sorted(ids)
    bad = await http.get("/v2/boards", params={"limit": 51})
    assert bad.status_code == 400


async def test_missing_or_blank_token_is_401(as_user: Http, emulator_app: EmulatorApp) -> None:
    for token in ("", "   "):
        client = await as_user(token)
        response = await client.get("/v2/boards")
        assert response.status_code == 401
        assert response.json()["code"] == "tokenNotProvided"
        assert response.headers["X-RateLimit-Limit"] == "100000"
    assert emulator_app.stats()["requests"] == {"GET /v2/boards": 2}


async def test_identity_comes_from_token_and_writers_become_members(as_user: Http) -> None:
    ana = await as_user("Ana:1")
    ben = await as_user("Ben:1")
    board_id = await new_board(ana)
    ana_id = (await ana.get(f"/v2/boards/{board_id}")).json()["owner"]["id"]
    assert NUMERIC_ID.match(ana_id)
    # Same token, same id; another token, another user.
    again = await as_user("Ana:1")
    assert (await again.get(f"/v2/boards/{board_id}")).json()["owner"]["id"] == ana_id
    note = await create(ben, board_id, "sticky_notes", {"data": {"content": "hello"}})
    assert note["createdBy"]["id"] != ana_id
    members = (await ana.get(f"/v2/boards/{board_id}/members")).json()
    roles = {m["name"]: m["role"] for m in members["data"]}
    assert roles == {"Ana": "owner", "Ben": "editor"}
    ben_id = note["createdBy"]["id"]
    member = await ana.get(f"/v2/boards/{board_id}/members/{ben_id}")
    assert member.json()["name"] == "Ben"
    assert (await ana.get(f"/v2/boards/{board_id}/members/123")).status_code == 404


async def test_stats_count_operations_and_credits(
    http: httpx.AsyncClient, emulator_app: EmulatorApp
) -> None:
    board_id = await new_board(http)
    await http.get(f"/v2/boards/{board_id}/items")
    await http.get(f"/v2/boards/{board_id}/items")
    over_http = (await http.get("/_emulator/stats")).json()
    assert over_http == emulator_app.stats()
    assert over_http["requests"]["GET /v2/boards/{board_id}/items"] == 2
    assert over_http["requests"]["POST /v2/boards"] == 1
    assert over_http["total_requests"] == 3
    assert over_http["credits"] == 500 + 2 * 100
    emulator_app.reset_stats()
    assert emulator_app.stats() == {"total_requests": 0, "credits": 0, "requests": {}}


async def test_unknown_path_and_method_are_miro_errors(http: httpx.AsyncClient) -> None:
    assert (await http.get("/v2/nothing")).json()["code"] == "notFound"
    response = await http.put("/v2/boards/abc/items")
    assert response.status_code == 405
    assert response.json()["type"] == "error"
