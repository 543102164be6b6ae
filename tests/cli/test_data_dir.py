"""``BOARDSMITH_HOME`` at a file, and ``state/`` a file: named, before anything is made
(issue 16)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from boardsmith.cli.backend import open_backend
from boardsmith.config import load_settings

from .conftest import Run

HINT = "(point BOARDSMITH_HOME at a directory; it is created if missing)"


@pytest.mark.parametrize("under", [False, True])
@pytest.mark.parametrize(
    "args", [["create", "vision-board", "--participants", "Ana"], ["harvest", "uXjV="]]
)
def test_home_at_a_regular_file_names_boardsmith_home(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, under: bool, args: list[str]
) -> None:
    monkeypatch.delenv("BOARDSMITH_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a directory")
    home = blocker / "boardsmith" if under else blocker
    monkeypatch.setenv("BOARDSMITH_HOME", str(home))
    code, out, err = run(*args)
    assert code == 1
    assert out == ""
    where = f"is under {blocker}, which is a file" if under else "is a file"
    assert err.strip().splitlines() == [
        f"error: BOARDSMITH_HOME {home}: {where}, not a directory {HINT}"
    ]
    assert "token" not in err
    assert blocker.read_text() == "not a directory"


async def _boards(home: Path) -> list[str]:
    async with open_backend(load_settings()) as backend:
        return [b.id async for b in backend.client.boards.list()]


def test_state_a_regular_file_is_refused_before_a_board_is_made(home: Path, run: Run) -> None:
    home.mkdir()
    (home / "state").write_text("not a directory")
    code, out, err = run("create", "vision-board", "--participants", "Ana")
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"error: {home / 'state'}: is a file, not a directory; boardsmith keeps board state "
        "there, so move the file away"
    ]
    # No empty board was left behind.
    assert asyncio.run(_boards(home)) == []
