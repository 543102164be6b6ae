"""``create --title`` longer than Miro allows is refused, not cut (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Run


def test_a_61_character_title_is_a_title_error(home: Path, run: Run) -> None:
    title = "Q" * 61
    code, out, err = run("create", "vision-board", "--participants", "Ana", "--title", title)
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        "error: --title: at most 60 characters (Miro's limit for a board name), got 61"
    ]
    # Nothing was made: the check comes before the backend is opened.
    assert not (home / "emulator.sqlite3").exists()


def test_a_60_character_title_is_kept_whole(home: Path, run: Run) -> None:
    title = "Vision " + "x" * 53
    code, out, err = run(
        "create", "vision-board", "--participants", "Ana", "--title", title, "--json"
    )
    assert code == 0, err
    board_id = json.loads(out)["board_id"]
    code, out, err = run("harvest", board_id)
    assert code == 0, err
    assert json.loads(out)["boards"][0]["board_name"] == title
