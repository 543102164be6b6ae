"""SQLite persistence: boards, members, items (connectors included), tags and tag links.

One connection serves the whole app. Handlers run synchronously between awaits,
and every handler's reads and writes happen inside :meth:`Store.transaction`,
which holds a lock and a SQLite transaction, so concurrent requests (in-process
on one event loop, or uvicorn) never see half a write. File databases use WAL so
another process can read while the emulator writes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boardsmith.emulator.errors import DatabaseError
from boardsmith.emulator.schema import prepare

JSON = dict[str, Any]


@dataclass
class ItemRow:
    """One stored item; ``body`` holds data/style/position/geometry/audit fields."""

    id: str
    board_id: str
    type: str
    parent_id: str | None
    body: JSON
    seq: int = 0


@dataclass(frozen=True)
class TagRow:
    """One board tag."""

    id: str
    board_id: str
    title: str
    fill_color: str


@dataclass(frozen=True)
class MemberRow:
    """A board member: its creator, a user it was shared with, or one who wrote to it."""

    user_id: str
    name: str
    role: str


class Store:
    """All emulator data behind one guarded SQLite connection."""

    def __init__(self, db_path: str | Path) -> None:
        target = str(db_path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        try:
            if target != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
                # No fsync per commit (SQLite's advice for WAL): a commit survives the
                # process being killed, as resuming a create needs; only a power cut
                # or an OS crash can undo the last ones, leaving the file consistent.
                self._conn.execute("PRAGMA synchronous=NORMAL")
                self._conn.execute("PRAGMA busy_timeout=5000")
            prepare(self._conn, target)
        except DatabaseError:
            self._conn.close()
            raise
        except sqlite3.OperationalError as exc:
            # Locked, unreadable, a read-only directory: the file itself may be fine.
            self._conn.close()
            raise DatabaseError(
                f"{target}: cannot open the emulator database ({exc})",
                hint="check the file's permissions and that no other program holds it",
            ) from None
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            # A damaged file is the user's to deal with, not a bug: say which and how.
            raise DatabaseError(
                f"{target}: not a usable emulator database: {exc}",
                hint="move it away to start the emulator empty, losing its boards, "
                "or put back a copy",
            ) from None

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all (re-entrant)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._conn.execute(sql, args).fetchone()
            return row

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        with self._lock:
            self._conn.execute(sql, args)

    # Boards ---------------------------------------------------------------
    def get_board(self, board_id: str) -> JSON | None:
        """A board's stored body, or None."""
        row = self._one("SELECT body FROM boards WHERE id = ?", (board_id,))
        return None if row is None else dict(json.loads(row[0]))

    def put_board(self, board_id: str, body: JSON) -> None:
        """Insert or replace a board."""
        text = json.dumps(body)
        if self.get_board(board_id) is None:
            self._run("INSERT INTO boards (id, body) VALUES (?, ?)", (board_id, text))
        else:
            self._run("UPDATE boards SET body = ? WHERE id = ?", (text, board_id))

    def list_boards(self) -> list[JSON]:
        """Every board in creation order."""
        return [dict(json.loads(r[0])) for r in self._all("SELECT body FROM boards ORDER BY seq")]

    def delete_board(self, board_id: str) -> None:
        """Remove a board and everything on it."""
        for table in ("members", "items", "tags", "item_tags"):
            self._run(f"DELETE FROM {table} WHERE board_id = ?", (board_id,))  # noqa: S608
        self._run("DELETE FROM boards WHERE id = ?", (board_id,))

    # Members --------------------------------------------------------------
    def get_member(self, board_id: str, user_id: str) -> MemberRow | None:
        """One member of a board, or None."""
        row = self._one(
            "SELECT user_id, name, role FROM members WHERE board_id = ? AND user_id = ?",
            (board_id, user_id),
        )
        return None if row is None else MemberRow(*row)

    def add_member(
        self,
        board_id: str,
        user_id: str,
        name: str,
        role: str,
        *,
        invited_by: str | None = None,
        message: str | None = None,
    ) -> bool:
        """Add a member unless already present (an existing role is kept); True if added."""
        if self.get_member(board_id, user_id) is not None:
            return False
        self._run(
            "INSERT INTO members (board_id, user_id, name, role, invited_by, message) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (board_id, user_id, name, role, invited_by, message),
        )
        return True

    def rename_member(self, board_id: str, user_id: str, name: str) -> None:
        """Keep a member's name as its user calls itself (a share knows only the address)."""
        self._run(
            "UPDATE members SET name = ? WHERE board_id = ? AND user_id = ? AND name != ?",
            (name, board_id, user_id, name),
        )

    def set_member_role(self, board_id: str, user_id: str, role: str) -> None:
        """Change a member's role."""
        self._run(
            "UPDATE members SET role = ? WHERE board_id = ? AND user_id = ?",
            (role, board_id, user_id),
        )

    def remove_member(self, board_id: str, user_id: str) -> None:
        """Take a member off a board."""
        self._run("DELETE FROM members WHERE board_id = ? AND user_id = ?", (board_id, user_id))

    def member_boards(self, user_id: str) -> set[str]:
        """Ids of the boards ``user_id`` is a member of."""
        return {
            r[0] for r in self._all("SELECT board_id FROM members WHERE user_id = ?", (user_id,))
        }

    def invitation(self, board_id: str, user_id: str) -> tuple[str | None, str | None]:
        """Who shared the board with a member and the message they sent (None if neither)."""
        row = self._one(
            "SELECT invited_by, message FROM members WHERE board_id = ? AND user_id = ?",
            (board_id, user_id),
        )
        return (None, None) if row is None else (row[0], row[1])

    def list_members(self, board_id: str) -> list[MemberRow]:
        """Members in the order they joined."""
        rows = self._all(
            "SELECT user_id, name, role FROM members WHERE board_id = ? ORDER BY seq", (board_id,)
        )
        return [MemberRow(*r) for r in rows]

    # Items ----------------------------------------------------------------
    def item_exists(self, item_id: str) -> bool:
        """True when any board already uses ``item_id`` (ids are global)."""
        return (
            self._one(
                "SELECT 1 FROM items WHERE id = ? UNION SELECT 1 FROM tags WHERE id = ?",
                (item_id, item_id),
            )
            is not None
        )

    def get_item(self, board_id: str, item_id: str) -> ItemRow | None:
        """An item (or connector) on a board, or None."""
        row = self._one(
            "SELECT id, board_id, type, parent_id, body, seq FROM items "
            "WHERE board_id = ? AND id = ?",
            (board_id, item_id),
        )
        return None if row is None else _item(row)

    def insert_item(self, item: ItemRow) -> None:
        """Store a new item."""
        self._run(
            "INSERT INTO items (id, board_id, type, parent_id, body) VALUES (?, ?, ?, ?, ?)",
            (item.id, item.board_id, item.type, item.parent_id, json.dumps(item.body)),
        )

    def update_item(self, item: ItemRow) -> None:
        """Replace an item's parent and body."""
        self._run(
            "UPDATE items SET parent_id = ?, body = ? WHERE board_id = ? AND id = ?",
            (item.parent_id, json.dumps(item.body), item.board_id, item.id),
        )

    def delete_item(self, board_id: str, item_id: str) -> None:
        """Remove an item and its tag links."""
        self._run("DELETE FROM items WHERE board_id = ? AND id = ?", (board_id, item_id))
        self._run("DELETE FROM item_tags WHERE board_id = ? AND item_id = ?", (board_id, item_id))

    def query_items(
        self,
        board_id: str,
        *,
        connectors: bool = False,
        type_: str | None = None,
        parent_id: str | None = None,
        after_seq: int = 0,
        limit: int | None = None,
    ) -> tuple[list[ItemRow], int]:
        """A page of items in creation order after ``after_seq``, and the total matching."""
        where = ["board_id = ?"]
        args: list[Any] = [board_id]
        where.append("type = 'connector'" if connectors else "type != 'connector'")
        if type_ is not None:
            where.append("type = ?")
            args.append(type_)
        if parent_id is not None:
            where.append("parent_id = ?")
            args.append(parent_id)
        cond = " AND ".join(where)
        total_row = self._one(f"SELECT COUNT(*) FROM items WHERE {cond}", tuple(args))  # noqa: S608
        total = int(total_row[0]) if total_row else 0
        sql = (
            f"SELECT id, board_id, type, parent_id, body, seq FROM items "  # noqa: S608
            f"WHERE {cond} AND seq > ? ORDER BY seq"
        )
        page_args = (*args, after_seq)
        if limit is not None:
            sql += " LIMIT ?"
            page_args = (*page_args, limit)
        return [_item(r) for r in self._all(sql, page_args)], total

    def children(self, board_id: str, parent_id: str) -> list[ItemRow]:
        """Every item whose parent is ``parent_id``."""
        rows, _ = self.query_items(board_id, parent_id=parent_id)
        return rows

    def connectors_touching(self, board_id: str, item_id: str) -> list[ItemRow]:
        """Connectors that start or end at ``item_id``."""
        rows, _ = self.query_items(board_id, connectors=True)
        return [r for r in rows if item_id in (r.body["startItem"]["id"], r.body["endItem"]["id"])]

    # Tags -----------------------------------------------------------------
    def get_tag(self, board_id: str, tag_id: str) -> TagRow | None:
        """A board tag, or None."""
        row = self._one(
            "SELECT id, board_id, title, fill_color FROM tags WHERE board_id = ? AND id = ?",
            (board_id, tag_id),
        )
        return None if row is None else TagRow(*row)

    def tag_by_title(self, board_id: str, title: str) -> TagRow | None:
        """The tag with exactly this (case-sensitive) title, or None."""
        row = self._one(
            "SELECT id, board_id, title, fill_color FROM tags WHERE board_id = ? AND title = ?",
            (board_id, title),
        )
        return None if row is None else TagRow(*row)

    def put_tag(self, tag: TagRow) -> None:
        """Insert or update a tag."""
        self._run(
            "INSERT INTO tags (id, board_id, title, fill_color) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
            "fill_color = excluded.fill_color",
            (tag.id, tag.board_id, tag.title, tag.fill_color),
        )

    def delete_tag(self, board_id: str, tag_id: str) -> None:
        """Remove a tag from the board and from every item."""
        self._run("DELETE FROM tags WHERE board_id = ? AND id = ?", (board_id, tag_id))
        self._run("DELETE FROM item_tags WHERE board_id = ? AND tag_id = ?", (board_id, tag_id))

    def list_tags(self, board_id: str) -> list[TagRow]:
        """Board tags in creation order."""
        rows = self._all(
            "SELECT id, board_id, title, fill_color FROM tags WHERE board_id = ? ORDER BY seq",
            (board_id,),
        )
        return [TagRow(*r) for r in rows]

    def attach(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Link a tag to an item (idempotent)."""
        self._run(
            "INSERT OR IGNORE INTO item_tags (board_id, item_id, tag_id) VALUES (?, ?, ?)",
            (board_id, item_id, tag_id),
        )

    def detach(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Unlink a tag from an item (idempotent)."""
        self._run(
            "DELETE FROM item_tags WHERE board_id = ? AND item_id = ? AND tag_id = ?",
            (board_id, item_id, tag_id),
        )

    def tags_of(self, board_id: str, item_id: str) -> list[TagRow]:
        """Tags attached to an item, in attachment order."""
        rows = self._all(
            "SELECT t.id, t.board_id, t.title, t.fill_color FROM item_tags l "
            "JOIN tags t ON t.id = l.tag_id WHERE l.board_id = ? AND l.item_id = ? ORDER BY l.seq",
            (board_id, item_id),
        )
        return [TagRow(*r) for r in rows]

    def items_with_tag(self, board_id: str, tag_id: str) -> list[ItemRow]:
        """Items carrying a tag, in creation order."""
        rows = self._all(
            "SELECT i.id, i.board_id, i.type, i.parent_id, i.body, i.seq FROM item_tags l "
            "JOIN items i ON i.id = l.item_id WHERE l.board_id = ? AND l.tag_id = ? "
            "ORDER BY i.seq",
            (board_id, tag_id),
        )
        return [_item(r) for r in rows]


def _item(row: tuple[Any, ...]) -> ItemRow:
    return ItemRow(
        id=row[0],
        board_id=row[1],
        type=row[2],
        parent_id=row[3],
        body=json.loads(row[4]),
        seq=row[5],
    )
