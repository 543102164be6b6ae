"""A Miro board URL is accepted wherever a board id is (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boardsmith.cli.options import board_ref
from boardsmith.errors import UsageError

from .conftest import Run


@pytest.mark.parametrize(
    "value",
    [
        "uXjVKab12Cd=",
        "https://miro.com/app/board/uXjVKab12Cd=/",
        "https://miro.com/app/board/uXjVKab12Cd=",
        "https://miro.com/app/board/uXjVKab12Cd=/?share_link_id=123456789012",
        "https://www.miro.com/app/board/uXjVKab12Cd%3D/",
        "miro.com/app/board/uXjVKab12Cd=/",
        " https://miro.com/app/board/uXjVKab12Cd=/#frame ",
    ],
)
def test_board_ref_takes_the_id_from_a_board_url(value: str) -> None:
    assert board_ref(value, flag="--board") == "uXjVKab12Cd="


@pytest.mark.parametrize(
    "value",
    [
        "https://miro.com/app/board/",
        "https://miro.com/app/dashboard/",
        "https://example.com/app/board/uXjVKab12Cd=/",
        "https://miro.com/app/board/uXjVKab12Cd=/extra/",
        "ftp://miro.com/app/board/uXjVKab12Cd=/",
    ],
)
def test_board_ref_refuses_a_url_that_is_not_a_board(value: str) -> None:
    with pytest.raises(UsageError, match=r"^--board .*: not a Miro board URL"):
        board_ref(value, flag="--board")


def _create(run: Run) -> str:
    code, out, err = run(
        "create", "vision-board", "--participants", "Ana,Ben", "--param", "top_n=3", "--json"
    )
    assert code == 0, err
    board_id: str = json.loads(out)["board_id"]
    return board_id


@pytest.mark.slow
def test_every_command_takes_the_board_url(home: Path, run: Run) -> None:
    board_id = _create(run)
    url = f"https://miro.com/app/board/{board_id}/?share_link_id=48151623"
    for args in (
        ["plan", "vision-board", "--board", url, "--json"],
        ["apply", "vision-board", "--board", url, "--json"],
        ["create", "vision-board", "--board", url, "--json"],
        ["harvest", url],
        ["tally", url, "--format", "json"],
        ["narrow", url],
    ):
        code, out, err = run(*args)
        assert code == 0, (args, err)
        assert "no such board" not in err
    code, out, _ = run("harvest", url)
    assert json.loads(out)["boards"][0]["board_id"] == board_id


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["plan", "vision-board", "--board", "https://miro.com/app/board/"], "--board"),
        (["apply", "vision-board", "--board", "https://miro.com/app/boards/x/"], "--board"),
        (["create", "vision-board", "--board", "https://miro.com/app/board/"], "--board"),
        (["harvest", "https://miro.com/app/"], "BOARD_ID"),
        (["tally", "https://example.com/app/board/uXjV=/"], "BOARD_ID"),
        (["narrow", "https://miro.com/app/board/a/b/"], "BOARD_ID"),
    ],
)
def test_a_malformed_board_url_is_a_usage_error_naming_the_argument(
    home: Path, run: Run, args: list[str], flag: str
) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {flag} {args[-1]}: not a Miro board URL")
    # Refused before anything was made: no emulator database, no board.
    assert not (home / "emulator.sqlite3").exists()
