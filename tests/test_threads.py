"""Blocking work awaited to the end, even when the caller is cancelled (Ctrl-C)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from boardsmith.threads import in_thread


async def test_the_result_and_the_exception_come_back() -> None:
    assert await in_thread(lambda a, b: a + b, 2, b=3) == 5

    def fails() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        await in_thread(fails)


async def test_a_cancelled_caller_waits_for_the_work_before_it_stops() -> None:
    """A journal append that Ctrl-C interrupts is still written before the run stops:
    the cancellation reaches the caller only once the thread is done."""
    started, release = threading.Event(), threading.Event()
    done: list[float] = []

    def append() -> None:
        started.set()
        release.wait(5)
        done.append(time.monotonic())

    caller = asyncio.ensure_future(in_thread(append))
    assert await asyncio.to_thread(started.wait, 5)
    caller.cancel()
    await asyncio.sleep(0.02)
    assert not caller.done()  # still waiting for the append, not gone without it
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert done, "the append finished before the cancellation went on"


async def test_a_second_cancellation_stops_the_wait() -> None:
    release = threading.Event()
    caller = asyncio.ensure_future(in_thread(release.wait, 5))
    await asyncio.sleep(0.01)
    caller.cancel()
    await asyncio.sleep(0.01)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    release.set()
