"""The emulator database's layout, its version (``PRAGMA user_version``) and migrations.

Version 0 is the layout before versioning (no ``user_version``, no access control).
Each migration moves a database one version up inside one transaction, so a file is
always at some whole version; a file from a newer boardsmith is refused, not guessed at.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from boardsmith.emulator.errors import DatabaseError

#: The version this code writes.
CURRENT = 1

#: The layout of a new database (the latest version).
LAYOUT = """
CREATE TABLE IF NOT EXISTS boards (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, board_id TEXT NOT NULL, user_id TEXT NOT NULL,
    name TEXT NOT NULL, role TEXT NOT NULL, invited_by TEXT, message TEXT,
    UNIQUE (board_id, user_id));
CREATE INDEX IF NOT EXISTS members_user ON members (user_id);
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


def _v0_to_v1(conn: sqlite3.Connection) -> None:
    """Access control arrives: who invited a member (and the invitation's message), an
    index for "boards of this user", and team access that keeps old boards working.

    Version 0 enforced no access at all, so every board behaved as if its team could
    edit it (whatever its stored ``teamAccess`` said); the migration makes that explicit
    so a workshop's participants keep editing its board after the upgrade.
    """
    columns = {row[1] for row in conn.execute("PRAGMA table_info(members)")}
    for column in ("invited_by", "message"):
        if column not in columns:
            conn.execute(f"ALTER TABLE members ADD COLUMN {column} TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS members_user ON members (user_id)")
    for board_id, text in conn.execute("SELECT id, body FROM boards").fetchall():
        body = json.loads(text)
        sharing = body.setdefault("policy", {}).setdefault("sharingPolicy", {})
        sharing["teamAccess"] = "edit"
        conn.execute("UPDATE boards SET body = ? WHERE id = ?", (json.dumps(body), board_id))


#: ``MIGRATIONS[n]`` moves a database from version ``n`` to ``n + 1``.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _v0_to_v1}


def _has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'boards'")
    return row.fetchone() is not None


def prepare(conn: sqlite3.Connection, target: str) -> None:
    """Create a new database at :data:`CURRENT`, or migrate an older one up to it.

    ``conn`` is in autocommit mode (``isolation_level=None``); each step commits alone.
    """
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > CURRENT:
        raise DatabaseError(
            f"{target}: the emulator database is version {version}, newer than this "
            f"boardsmith understands ({CURRENT})",
            hint="upgrade boardsmith, or move the file away to start the emulator empty",
        )
    if version == 0 and not _has_tables(conn):
        conn.executescript(LAYOUT)
        conn.execute(f"PRAGMA user_version = {CURRENT}")
        return
    while version < CURRENT:
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        version += 1
    # Indexes and tables a version may lack are harmless to (re)create.
    conn.executescript(LAYOUT)
