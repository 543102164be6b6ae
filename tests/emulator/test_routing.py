"""Routing edges where starlette's defaults differ from Miro (and from what clients rely on)."""

from __future__ import annotations

import httpx

from boardsmith.emulator import EmulatorApp
from tests.emulator.conftest import Http
from tests.emulator.helpers import new_board


async def test_trailing_slash_is_a_404_not_a_redirect(http: httpx.AsyncClient) -> None:
    response = await http.get("/v2/boards/")
    assert response.status_code == 404
    assert response.json()["message"] == "No API operation at /v2/boards/"
    assert "location" not in response.headers


async def test_head_is_not_served_by_get_routes(
    http: httpx.AsyncClient, emulator_app: EmulatorApp
) -> None:
    board_id = await new_board(http)
    emulator_app.reset_stats()
    # Plain ASGITransport: the session's conformance recorder wants JSON, and HEAD has no body.
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=emulator_app), headers=http.headers
    ) as raw:
        response = await raw.head(f"https://api.miro.com/v2/boards/{board_id}")
    assert response.status_code == 405
    assert "allow" not in response.headers
    assert emulator_app.stats()["requests"] == {"HEAD <unknown path>": 1}


async def test_percent_encoded_board_ids_and_literal_segments(http: httpx.AsyncClient) -> None:
    board_id = await new_board(http)
    encoded = board_id.replace("=", "%3D")
    assert (await http.get(f"/v2/boards/{encoded}")).json()["id"] == board_id
    # "bulk" is an item id for GET but the bulk-create operation for POST.
    missing = await http.get(f"/v2/boards/{encoded}/items/bulk")
    assert missing.json()["message"] == "Item bulk not found"
    created = await http.post(f"/v2/boards/{encoded}/items/bulk", json=[{"type": "shape"}])
    assert created.status_code == 201


async def test_auth_wins_over_unknown_paths_and_stats_need_none(as_user: Http) -> None:
    anonymous = await as_user("")
    response = await anonymous.get("/v2/nothing")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    stats = await anonymous.get("/_emulator/stats")
    assert stats.json()["requests"] == {"GET <unknown path>": 1}
    assert "x-ratelimit-limit" not in stats.headers


async def test_no_content_keeps_an_explicit_zero_length(http: httpx.AsyncClient) -> None:
    board_id = await new_board(http)
    response = await http.delete(f"/v2/boards/{board_id}")
    assert response.status_code == 204
    assert response.headers["content-length"] == "0"
    assert "content-type" not in response.headers
