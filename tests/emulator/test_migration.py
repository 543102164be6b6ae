"""The database's schema version and the upgrade from the unversioned layout."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
import pytest

from boardsmith.emulator import EmulatorTransport, create_app
from boardsmith.emulator.errors import DatabaseError
from boardsmith.emulator.ids import user_id_for
from boardsmith.emulator.schema import CURRENT

#: The layout every emulator database had before versioning (user_version 0), verbatim.
V0_LAYOUT = """
CREATE TABLE IF NOT EXISTS boards (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, board_id TEXT NOT NULL, user_id TEXT NOT NULL,
    name TEXT NOT NULL, role TEXT NOT NULL, UNIQUE (board_id, user_id));
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, board_id TEXT NOT NULL,
    type TEXT NOT NULL, parent_id TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS items_board ON items (board_id, seq);
CREATE INDEX IF NOT EXISTS items_parent ON items (board_id, parent_id);
CREATE TABLE IF NOT EXISTS tags (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, board_id TEXT NOT NULL,
    title TEXT NOT NULL, fill_color TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS item_tags (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, board_id TEXT NOT NULL, item_id TEXT NOT NULL,
    tag_id TEXT NOT NULL, UNIQUE (item_id, tag_id));
"""

BOARD = "uXjVKold123="
STICKY = "3458764000000000001"
NOW = "2026-11-01T10:00:00.000Z"


def _v0_database(path: Path) -> None:
    """A database as the previous emulator wrote it: a board whose stored policy said
    private (its old default, never enforced), Ana its owner, Ben an editor by writing."""
    ana = {"id": user_id_for("Ana:1"), "name": "Ana", "type": "user"}
    board = {
        "id": BOARD,
        "name": "Old workshop",
        "description": "",
        "team": {"id": "3458764500000000001", "name": "Emulator team", "type": "team"},
        "policy": {
            "permissionsPolicy": {
                "collaborationToolsStartAccess": "all_editors",
                "copyAccess": "anyone",
                "sharingAccess": "team_members_with_editing_rights",
            },
            "sharingPolicy": {
                "access": "private",
                "inviteToAccountAndBoardLinkAccess": "no_access",
                "organizationAccess": "private",
                "teamAccess": "private",
            },
        },
        "viewLink": f"https://miro.com/app/board/{BOARD}/",
        "owner": ana,
        "createdAt": NOW,
        "createdBy": ana,
        "modifiedAt": NOW,
        "modifiedBy": ana,
    }
    ben = {"id": user_id_for("Ben:1"), "type": "user"}
    sticky = {
        "createdAt": NOW,
        "createdBy": ben,
        "modifiedAt": NOW,
        "modifiedBy": ben,
        "data": {"content": "calm", "shape": "square"},
        "style": {"fillColor": "light_yellow", "textAlign": "center", "textAlignVertical": "top"},
        "geometry": {"width": 199.0, "height": 228.0, "rotation": 0.0},
        "x": 10.0,
        "y": 20.0,
    }
    conn = sqlite3.connect(path)
    conn.executescript(V0_LAYOUT)
    conn.execute("INSERT INTO boards (id, body) VALUES (?, ?)", (BOARD, json.dumps(board)))
    for user_id, name, role in ((ana["id"], "Ana", "owner"), (ben["id"], "Ben", "editor")):
        conn.execute(
            "INSERT INTO members (board_id, user_id, name, role) VALUES (?, ?, ?, ?)",
            (BOARD, user_id, name, role),
        )
    conn.execute(
        "INSERT INTO items (id, board_id, type, parent_id, body) VALUES (?, ?, ?, NULL, ?)",
        (STICKY, BOARD, "sticky_note", json.dumps(sticky)),
    )
    conn.commit()
    conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


async def test_a_new_database_carries_the_current_version(tmp_path: Path) -> None:
    app = create_app(tmp_path / "emulator.sqlite3")
    app.close()
    assert _version(tmp_path / "emulator.sqlite3") == CURRENT == 1


async def test_boards_of_the_unversioned_layout_survive_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "emulator.sqlite3"
    _v0_database(path)
    app = create_app(path)
    try:
        assert _version(path) == CURRENT
        transport = EmulatorTransport(app)

        def client(token: str) -> httpx.AsyncClient:
            return httpx.AsyncClient(
                transport=transport,
                base_url="https://api.miro.com",
                headers={"Authorization": f"Bearer {token}"},
            )

        async with client("Ana:1") as ana, client("Ben:1") as ben, client("Cara:1") as cara:
            boards = (await ana.get("/v2/boards")).json()
            assert [b["name"] for b in boards["data"]] == ["Old workshop"]
            items = (await ana.get(f"/v2/boards/{BOARD}/items")).json()["data"]
            assert [(i["id"], i["data"]["content"]) for i in items] == [(STICKY, "calm")]
            # The old emulator let everyone edit; after the upgrade the team still may.
            board = (await ana.get(f"/v2/boards/{BOARD}")).json()
            assert board["policy"]["sharingPolicy"]["teamAccess"] == "edit"
            for participant in (ben, cara):
                made = await participant.post(
                    f"/v2/boards/{BOARD}/sticky_notes", json={"data": {"content": "new"}}
                )
                assert made.status_code == 201, made.text
            members = (await ana.get(f"/v2/boards/{BOARD}/members")).json()["data"]
            assert [(m["name"], m["role"]) for m in members] == [
                ("Ana", "owner"),
                ("Ben", "editor"),
                ("Cara", "editor"),
            ]
    finally:
        app.close()
    # Opening the upgraded file again changes nothing.
    again = create_app(path)
    again.close()
    assert _version(path) == CURRENT


def test_a_database_from_a_newer_boardsmith_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "emulator.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {CURRENT + 1}")
    conn.close()
    with pytest.raises(DatabaseError, match=r"version 2, newer than this boardsmith"):
        create_app(path)
