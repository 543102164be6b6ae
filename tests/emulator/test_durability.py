"""What a file database keeps when the process holding it dies without closing it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from boardsmith.emulator import create_app
from tests.emulator.helpers import new_board
from tests.emulator.test_limits_faults import client_for

#: Creates a board and a sticky note on the database in argv[1], prints their ids, and
#: is killed (SIGKILL) with the connection still open: nothing is closed or flushed.
_KILLED_WRITER = """
import asyncio, os, signal, sys
import httpx
from boardsmith.emulator import EmulatorTransport, create_app

async def main():
    app = create_app(sys.argv[1])
    async with httpx.AsyncClient(
        transport=EmulatorTransport(app), base_url="https://api.miro.com",
        headers={"Authorization": "Bearer Ana:1"},
    ) as http:
        board = (await http.post("/v2/boards", json={"name": "Kept"})).json()["id"]
        note = await http.post(
            f"/v2/boards/{board}/sticky_notes", json={"data": {"content": "kept"}}
        )
        print(board, note.json()["id"], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


async def _read_back(db: Path, board: str, note: str) -> None:
    reopened = create_app(db)
    try:
        async with client_for(reopened) as ana:
            got = await ana.get(f"/v2/boards/{board}/sticky_notes/{note}")
            assert got.status_code == 200
            assert got.json()["data"]["content"] == "kept"
            # And the database takes new writes after the unclean end.
            assert await new_board(ana)
    finally:
        reopened.close()


def test_commits_survive_the_process_being_killed(tmp_path: Path) -> None:
    db = tmp_path / "emulator.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -9, done.stderr
    board, note = done.stdout.split()
    asyncio.run(_read_back(db, board, note))


def test_a_file_database_syncs_at_checkpoints_not_at_every_commit(tmp_path: Path) -> None:
    app = create_app(tmp_path)
    try:
        # 1 is NORMAL: in WAL mode, durable against a killed process (test above).
        assert app.store._conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    finally:
        app.close()
