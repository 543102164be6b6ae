"""Small helpers for the emulator's own tests."""

from __future__ import annotations

from typing import Any

import httpx


async def new_board(http: httpx.AsyncClient, name: str = "Vision") -> str:
    """Create a board and return its id."""
    response = await http.post("/v2/boards", json={"name": name})
    assert response.status_code == 201, response.text
    board_id: str = response.json()["id"]
    return board_id


async def create(http: httpx.AsyncClient, board_id: str, kind: str, body: Any) -> dict[str, Any]:
    """Create an item through its typed endpoint and return the JSON body."""
    response = await http.post(f"/v2/boards/{board_id}/{kind}", json=body)
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result
