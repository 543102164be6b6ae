"""A clock that moves only when the code under test sleeps: retries, budgets and refresh
intervals then cost no real time, and the sleeps asked for can be checked."""

from __future__ import annotations

import asyncio

#: Where a fake clock starts unless told otherwise (a fixed UNIX time).
START = 1_700_000_000.0


class FakeTime:
    """UNIX time (``clock``) and a ``sleep`` that records the wait and advances the clock.

    With ``yields``, each sleep also lets other tasks run, as a real sleep would: code with
    concurrent tasks (bulk writes, soaks) needs that to make progress.
    """

    def __init__(self, start: float = START, *, yields: bool = False) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._yields = yields

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        if self._yields:
            await asyncio.sleep(0)
