"""A new board is made exactly once: ambiguous creates are found again by their
marker, and running the same ``create`` again finishes the board it started."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.newboard import PendingStore, create_key, open_board
from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorApp, EmulatorTransport, Faults, create_app
from boardsmith.miro import MiroClient
from boardsmith.miro.models import BoardCreate
from boardsmith.templates import compile_plan, find_template
from tests.cli_helpers import run_cli as _run

from .board_check import assert_board_matches_plan, read_items

MakeClient = Callable[..., Awaitable[Any]]
REQUEST = BoardCreate(name="Vision", description="Built by boardsmith")


async def _boards(client: Any) -> list[str]:
    return [b.id async for b in client.boards.list()]


@pytest.mark.parametrize("mode", ["500", "drop"])
async def test_an_ambiguous_board_create_is_found_again_not_repeated(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path, mode: str
) -> None:
    client = await make_client()
    store = PendingStore(tmp_path)
    emulator_app.faults = Faults(fail_after_commit=1.0, fail_mode=mode)  # type: ignore[arg-type]
    board_id, fresh = await open_board(client, store, backend="emulator", key="k", request=REQUEST)
    emulator_app.faults = Faults()
    assert fresh
    assert await _boards(client) == [board_id]
    pending = store.load("emulator", "k")
    assert pending is not None
    assert pending.board_id == board_id
    path = store.path_for("emulator", "k")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # The same create again resumes that board; --new makes another.
    assert await open_board(client, store, backend="emulator", key="k", request=REQUEST) == (
        board_id,
        False,
    )
    other, fresh = await open_board(
        client, store, backend="emulator", key="k", request=REQUEST, new=True
    )
    assert fresh
    assert other != board_id
    assert sorted(await _boards(client)) == sorted([board_id, other])


async def test_a_record_without_board_id_finds_the_board_by_its_marker(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = await make_client()
    store = PendingStore(tmp_path)
    board_id, _ = await open_board(client, store, backend="emulator", key="k", request=REQUEST)
    # Killed between the create call and writing its id down.
    pending = store.load("emulator", "k")
    assert pending is not None
    pending.board_id = None
    store.save(pending)
    assert await open_board(client, store, backend="emulator", key="k", request=REQUEST) == (
        board_id,
        False,
    )
    assert await _boards(client) == [board_id]


async def test_a_deleted_pending_board_is_replaced(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client()
    store = PendingStore(tmp_path)
    first, _ = await open_board(client, store, backend="emulator", key="k", request=REQUEST)
    await client.boards.delete(first)
    second, fresh = await open_board(client, store, backend="emulator", key="k", request=REQUEST)
    assert fresh
    assert second != first


def test_create_key_tells_creates_apart() -> None:
    base = {"backend": "emulator", "template": "t", "title": "T", "team_id": None}
    one = create_key(params={"participants": ["Ana"]}, **base)  # type: ignore[arg-type]
    assert one == create_key(params={"participants": ["Ana"]}, **base)  # type: ignore[arg-type]
    assert one != create_key(params={"participants": ["Ben"]}, **base)  # type: ignore[arg-type]
    assert one != create_key(params={"participants": ["Ana"]}, **{**base, "title": "U"})  # type: ignore[arg-type]


# -- through the CLI -----------------------------------------------------------------


async def _emulator_boards(home: Path) -> dict[str, list[dict[str, Any]]]:
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(
            token="Facilitator:local",
            base_url="http://emulator.local",
            transport=EmulatorTransport(app),
        ) as client:
            return {b: await read_items(client, b) for b in await _boards(client)}
    finally:
        app.close()


def test_create_after_ctrl_c_finishes_the_same_board(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ClientBoardIO.bulk_create
    calls = {"n": 0}

    async def interrupted(
        self: ClientBoardIO, board_id: str, bodies: Sequence[Mapping[str, object]]
    ) -> list[str]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return await real(self, board_id, bodies)

    monkeypatch.setattr(ClientBoardIO, "bulk_create", interrupted)
    code, _, err = _run(capsys, "create", "vision-board", "--participants", "Ana,Ben")
    assert code == 130
    boards = asyncio.run(_emulator_boards(home))
    assert len(boards) == 1
    (board_id,) = boards
    # One line says what was done and how to finish it.
    assert err.splitlines()[-1] == (
        f"error: interrupted: board {board_id} is not finished: run the same `boardsmith "
        f"create` again (or `boardsmith apply vision-board --board {board_id}`) to finish it"
    )
    assert "Traceback" not in err

    monkeypatch.setattr(ClientBoardIO, "bulk_create", real)
    code, out, err = _run(capsys, "create", "vision-board", "--participants", "Ana,Ben", "--json")
    assert code == 0, err
    assert json.loads(out)["board_id"] == board_id
    assert f"resuming board {board_id}" in err
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben"]})
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    boards = asyncio.run(_emulator_boards(home))
    assert list(boards) == [board_id]
    assert_board_matches_plan(boards[board_id], plan, state.item_ids())

    # Finished: the same create now makes a new board, as does --new at any time.
    code, out, _ = _run(capsys, "create", "vision-board", "--participants", "Ana,Ben", "--json")
    assert code == 0
    assert json.loads(out)["board_id"] != board_id
    code, _, err = _run(capsys, "create", "vision-board", "--new", "--board", board_id)
    assert code == 2
    assert "--new" in err
