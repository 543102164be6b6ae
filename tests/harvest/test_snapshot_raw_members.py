"""A harvest reads the board's members and name as Miro's JSON has them.

The client's models are only built for an answer whose fields do not already have
their types, so a harvest's read never imports them (~0.1 s before its first request),
and every answer gives what the models gave.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import respx

from boardsmith.harvest.snapshot import read_snapshot
from boardsmith.miro import MiroClient, MiroError
from boardsmith.miro.models import Board, BoardMember
from tests.cli_helpers import run_python

BASE = "https://api.miro.com"
BOARD = "uXjVBoard1="
ITEMS = {"data": [], "total": 0, "size": 0, "limit": 50, "cursor": ""}


def _members_page(members: list[Any]) -> dict[str, Any]:
    return {"data": members, "total": len(members), "size": len(members), "offset": 0}


async def _read(members: list[Any], board: Any) -> tuple[dict[str, str], str | None]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get(f"/v2/boards/{BOARD}/items").respond(json=ITEMS)
        router.get(f"/v2/boards/{BOARD}/members").respond(json=_members_page(members))
        router.get(f"/v2/boards/{BOARD}").respond(json=board)
        async with MiroClient(token="t", base_url=BASE) as client:
            snapshot = await read_snapshot(client, BOARD)
    return snapshot.members, snapshot.board_name


def _as_the_models_read(members: list[Any], board: Any) -> tuple[dict[str, str], str | None]:
    names: dict[str, str] = {}
    for raw in members:
        member = BoardMember.model_validate(raw).model_dump(mode="json", by_alias=True)
        if member.get("id") is not None and member.get("name"):
            names[str(member["id"])] = str(member["name"])
    name = Board.model_validate(board).name
    return names, name or None


PLAIN = {"id": "3458764500000001", "name": "Ana", "role": "editor", "type": "board_member"}


@pytest.mark.parametrize(
    ("members", "board"),
    [
        ([PLAIN, {"id": "3458764500000002", "name": "Ben"}], {"id": BOARD, "name": "Vision"}),
        ([{"id": 3458764500000003, "name": "Cy"}], {"id": BOARD, "name": "Numbers"}),
        ([{"id": "3458764500000004", "name": None}, {"id": "3458764500000005"}], {"id": BOARD}),
        ([{"id": "3458764500000006", "name": ""}], {"id": BOARD, "name": ""}),
        ([PLAIN], {"id": BOARD, "name": "Extra", "links": {"self": "x"}, "teamId": 7}),
    ],
    ids=["plain", "numeric-id", "no-name", "empty-name", "extra-fields"],
)
async def test_members_and_name_are_what_the_models_read(members: list[Any], board: Any) -> None:
    assert await _read(members, board) == _as_the_models_read(members, board)


async def test_a_board_name_that_is_not_text_is_still_miros_odd_answer() -> None:
    with pytest.raises(MiroError, match="unexpected answer from Miro"):
        await _read([PLAIN], {"id": BOARD, "name": 7})


_FRESH = """
import asyncio, json, sys
import httpx
from boardsmith.harvest.snapshot import read_snapshot
from boardsmith.miro import MiroClient

def answer(request):
    path = request.url.path
    if path.endswith("/items"):
        return httpx.Response(200, json={"data": [], "total": 0, "cursor": ""})
    if path.endswith("/members"):
        data = [{"id": "1", "name": "Ana"}]
        return httpx.Response(200, json={"data": data, "total": 1, "size": 1, "offset": 0})
    return httpx.Response(200, json={"id": "B", "name": "Vision"})

async def main():
    transport = httpx.MockTransport(answer)
    async with MiroClient(token="t", base_url="https://api.miro.com", transport=transport) as c:
        snapshot = await read_snapshot(c, "B")
    print(json.dumps([snapshot.members, snapshot.board_name,
                      "boardsmith.miro.models" in sys.modules,
                      "boardsmith.miro.resources" in sys.modules]))

asyncio.run(main())
"""


def test_a_read_imports_none_of_the_clients_models() -> None:
    done = run_python(_FRESH, check=True)
    assert done.stdout.strip() == '[{"1": "Ana"}, "Vision", false, false]'


def test_the_models_are_still_there_for_whoever_asks() -> None:
    import boardsmith.miro as miro

    assert miro.models.Board is Board
    from boardsmith.miro.resources import BoardsResource, MembersResource

    async def made() -> None:
        async with MiroClient(token="t", base_url=BASE) as client:
            assert isinstance(client.boards, BoardsResource)
            assert client.boards is client.boards  # made once
            assert isinstance(client.members, MembersResource)

    asyncio.run(made())
