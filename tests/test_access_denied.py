"""Boards shared the way a workshop shares them, and the one line for a board not shared.

The facilitator builds the board, keeps it private to its members and shares it with
the participants as editors; they write their stickies; someone it was not shared with
is told so in one line, by the client and by ``harvest`` / ``create --board``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest

from boardsmith.emulator import EmulatorApp, EmulatorTransport, create_app
from boardsmith.emulator.users import email_for_token
from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.snapshot import read_snapshot
from boardsmith.miro.errors import BoardAccessError
from boardsmith.miro.models.boards import BoardPolicyChange, BoardSharingPolicy, BoardUpdate
from tests.cli_helpers import run_cli as _run
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

PRIVATE = BoardUpdate(
    policy=BoardPolicyChange(sharing_policy=BoardSharingPolicy(team_access="private"))
)


async def _share(app: EmulatorApp, token: str, board_id: str, *people: str) -> None:
    """Share ``board_id`` as ``token``'s user with ``people`` (emulator tokens) as editors.

    boardsmith's client has no share call (it never shares); this is what a facilitator
    does in Miro's UI, or any client with ``POST /v2/boards/{id}/members``.
    """
    async with httpx.AsyncClient(
        transport=EmulatorTransport(app),
        base_url="https://api.miro.com",
        headers={"Authorization": f"Bearer {token}"},
    ) as http:
        response = await http.post(
            f"/v2/boards/{board_id}/members",
            json={"emails": [email_for_token(p) for p in people], "role": "editor"},
        )
        assert response.status_code == 201, response.text
        assert response.json()["failed"] == []


async def test_the_facilitator_shares_and_participants_edit(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    w = await Workshop.build(make_client, tmp_path, params={"participants": ["Ana", "Ben"]})
    await w.facilitator.boards.update(w.board_id, PRIVATE)
    await _share(emulator_app, "Fay:1", w.board_id, "Ana:1", "Ben:1")

    ana = await w.sticky("Ana", "Joyful", *await w.pick_at("Ana", 0.5, 0.4))
    ben = await w.sticky("Ben", "Bold", *await w.pick_at("Ben", 0.5, 0.4))
    with pytest.raises(BoardAccessError) as denied:
        await w.sticky("Cy", "Curious", *await w.pick_at("Ana", 0.5, 0.6))
    assert str(denied.value).startswith(f"you may not change board {w.board_id} on Miro")
    assert "ask its owner to share it with you as an editor" in str(denied.value)
    assert "403 forbiddenAccess" in str(denied.value)
    cy = await w.as_("Cy")
    with pytest.raises(BoardAccessError, match="you are not a member of board"):
        await cy.boards.get(w.board_id)
    assert [b.id async for b in cy.boards.list()] == []

    snapshot = await read_snapshot(w.facilitator, w.board_id)
    board = harvest_snapshot(snapshot, plan=w.plan, item_ids=w.item_ids).harvest
    by_id = {s.id: s for s in board.stickies}
    assert by_id[ana].participant == "Ana"
    assert by_id[ben].participant == "Ben"
    members = {m.name: m.role async for m in w.facilitator.members.list(w.board_id)}
    assert members == {"Fay": "owner", "Ana": "editor", "Ben": "editor"}


async def _private_board(home: Path) -> str:
    """A board the facilitator made on the embedded emulator and shared with nobody."""
    app = create_app(home / "emulator.sqlite3")
    try:
        async with httpx.AsyncClient(
            transport=EmulatorTransport(app),
            base_url="https://api.miro.com",
            headers={"Authorization": "Bearer Facilitator:local"},
        ) as http:
            response = await http.post(
                "/v2/boards",
                json={"name": "Ours", "policy": {"sharingPolicy": {"teamAccess": "private"}}},
            )
            assert response.status_code == 201
            board_id: str = response.json()["id"]
            return board_id
    finally:
        app.close()


@pytest.mark.parametrize(
    ("command", "call"),
    [
        (("harvest", "{board}"), "GET /v2/boards/{board}/items"),
        (
            ("create", "vision-board", "--participants", "Ana", "--board", "{board}"),
            "GET /v2/boards/{board}",
        ),
    ],
    ids=["harvest", "create"],
)
def test_the_cli_says_in_one_line_the_board_is_not_shared(
    command: tuple[str, ...],
    call: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = Path(os.environ["BOARDSMITH_HOME"])
    board = asyncio.run(_private_board(home))
    monkeypatch.setenv("BOARDSMITH_EMULATOR_USER", "Ben")
    code, out, err = _run(capsys, *(part.format(board=board) for part in command))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"error: you are not a member of board {board} on Miro; ask its owner to share it "
        f"({call.format(board=board)}: 403 forbiddenAccess)"
    ]
    assert "Ben:local" not in err
