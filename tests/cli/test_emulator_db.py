"""A damaged embedded emulator database is named with what to do, exit 1 (issue 16)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .conftest import Run


@pytest.mark.parametrize(
    "args",
    [
        ["create", "vision-board", "--participants", "Ana"],
        ["harvest", "uXjVKab12Cd="],
        ["emulator", "serve", "--port", "PORT"],
    ],
)
def test_a_corrupt_database_is_named_and_exit_1(home: Path, run: Run, args: list[str]) -> None:
    home.mkdir()
    db = home / "emulator.sqlite3"
    db.write_bytes(b"this is no SQLite file, it was overwritten by accident\n" * 20)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    code, out, err = run(*(port if a == "PORT" else a for a in args))
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"error: {db}: not a usable emulator database: file is not a database "
        "(move it away to start the emulator empty, losing its boards, or put back a copy)"
    ]
    # Left as it was, for the user to look at or restore.
    assert db.read_bytes().startswith(b"this is no SQLite file")
