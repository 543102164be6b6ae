"""One writer per board: the lock waits (saying so) or refuses at once."""

from __future__ import annotations

import asyncio
import stat
import threading
import time
from pathlib import Path

import pytest

from boardsmith.boards.lock import BoardLockedError, async_board_lock, board_lock, lock_path


def test_second_holder_is_refused_with_no_wait(tmp_path: Path) -> None:
    with (
        board_lock(tmp_path, "emulator", "uX/b="),
        pytest.raises(BoardLockedError) as caught,
        board_lock(tmp_path, "emulator", "uX/b=", wait=False),
    ):
        pass  # pragma: no cover
    assert caught.value.exit_code == 3
    message = str(caught.value)
    assert "board uX/b=" in message
    assert "--no-wait" in message
    assert "\n" not in message
    # Released on exit: the next run gets it at once.
    with board_lock(tmp_path, "emulator", "uX/b=", wait=False):
        pass


def test_other_boards_are_not_locked(tmp_path: Path) -> None:
    with board_lock(tmp_path, "emulator", "a"), board_lock(tmp_path, "emulator", "b", wait=False):
        pass


def test_waiting_run_says_so_and_gets_the_lock_when_released(tmp_path: Path) -> None:
    messages: list[str] = []
    order: list[str] = []
    held = threading.Event()

    def first() -> None:
        with board_lock(tmp_path, "miro", "b1"):
            held.set()
            time.sleep(0.2)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait()
    with board_lock(tmp_path, "miro", "b1", on_wait=messages.append):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]
    assert len(messages) == 1
    assert "board b1" in messages[0]
    assert "waiting" in messages[0]


def test_lock_file_is_private_and_released_after_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), board_lock(tmp_path, "emulator", "b"):
        raise RuntimeError("boom")
    path = lock_path(tmp_path, "emulator", "b")
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with board_lock(tmp_path, "emulator", "b", wait=False):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_async_lock_waits_without_blocking_the_loop(tmp_path: Path) -> None:
    order: list[str] = []
    messages: list[str] = []

    async def run(name: str, hold: float) -> None:
        async with async_board_lock(tmp_path, "emulator", "b", on_wait=messages.append):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    await asyncio.gather(run("a", 0.15), run("b", 0.0))
    assert order == ["a in", "a out", "b in", "b out"]
    assert len(messages) == 1


async def test_async_lock_refuses_with_no_wait(tmp_path: Path) -> None:
    async with async_board_lock(tmp_path, "emulator", "b"):
        with pytest.raises(BoardLockedError, match="--no-wait"):
            async with async_board_lock(tmp_path, "emulator", "b", wait=False):
                pass  # pragma: no cover
