"""One writer per board: a lock file per board in the data directory.

Two runs that write the same board at once (two ``apply``, ``apply`` and
``narrow --apply``, ...) each diff against a state the other is changing, and
both create the missing items: the board ends up with every item twice. A lock
per board under ``<data dir>/locks/`` makes the second run wait (saying so) or,
with ``--no-wait``, stop at once. The lock is an OS file lock (``filelock``),
so a killed run never leaves a stale lock behind.

It only serialises runs sharing a data directory; runs on different machines
are caught afterwards by the verification read every apply ends with
(:mod:`boardsmith.boards.verify`).

Usage::

    with board_lock(settings.home, backend.name, board_id, wait=not no_wait,
                    on_wait=lambda msg: typer.echo(msg, err=True)):
        ...  # read state, write the board, save state

Inside a running event loop use :func:`async_board_lock` (same arguments),
which waits without blocking the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from filelock import FileLock, Timeout

from boardsmith.boards.constants import LOCK_POLL_SECONDS
from boardsmith.errors import BoardsmithError
from boardsmith.private_files import FILE_MODE, private_dir

__all__ = ["POLL_SECONDS", "BoardLockedError", "async_board_lock", "board_lock", "lock_path"]

POLL_SECONDS = LOCK_POLL_SECONDS


class BoardLockedError(BoardsmithError):
    """Another boardsmith run holds the board's lock and this run may not wait."""

    exit_code = 3


def lock_path(home: Path, backend: str, board_id: str) -> Path:
    """The lock file of a board (ids percent-encoded, like state file names)."""
    name = f"{quote(backend, safe='')}-{quote(board_id, safe='')}.lock"
    return home / "locks" / name


def _lock(home: Path, backend: str, board_id: str) -> FileLock:
    path = lock_path(home, backend, board_id)
    private_dir(path.parent)
    # thread_local=False: a lock taken in the event loop may be released from
    # another thread's callback; separate FileLock objects still exclude each
    # other (one open file description each), also inside one process.
    return FileLock(path, mode=FILE_MODE, thread_local=False)


def _waiting(board_id: str) -> str:
    return f"board {board_id}: another boardsmith run is changing it; waiting for it to finish"


def _refused(board_id: str) -> BoardLockedError:
    return BoardLockedError(
        f"board {board_id}: another boardsmith run is changing it and --no-wait was given",
        hint="run again when it has finished, or without --no-wait to wait for it",
    )


@contextlib.contextmanager
def board_lock(
    home: Path,
    backend: str,
    board_id: str,
    *,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the lock of ``backend`` board ``board_id`` (data directory ``home``).

    When another run holds it: with ``wait`` call ``on_wait`` once with a
    one-line message and block until it is free; without ``wait`` raise
    :class:`BoardLockedError` (exit code 3) naming the board. Released on exit,
    also on errors, Ctrl-C and (by the OS) when the process is killed.
    """
    lock = _lock(home, backend, board_id)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise _refused(board_id) from None
        if on_wait is not None:
            on_wait(_waiting(board_id))
        lock.acquire(timeout=-1, poll_interval=POLL_SECONDS)
    try:
        yield
    finally:
        lock.release()


@contextlib.asynccontextmanager
async def async_board_lock(
    home: Path,
    backend: str,
    board_id: str,
    *,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> AsyncIterator[None]:
    """:func:`board_lock` for coroutines: waits with ``asyncio.sleep``.

    Blocking the event loop while waiting would also stop the run holding the
    lock when both share the loop (tests, one process driving several boards).
    """
    lock = _lock(home, backend, board_id)
    told = False
    while True:
        try:
            lock.acquire(timeout=0)
            break
        except Timeout:
            if not wait:
                raise _refused(board_id) from None
            if not told and on_wait is not None:
                on_wait(_waiting(board_id))
            told = True
            await asyncio.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        lock.release()
