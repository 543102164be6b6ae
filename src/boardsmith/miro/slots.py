"""The client's concurrency limit, with a second place in the queue for calls that can
wait.

A roll-up reads each board as one chain of pages (page *n+1* needs page *n*'s cursor)
plus its members and its name, two calls nothing else waits for. With a plain FIFO
limit those two took a slot as soon as a board started, while other boards' pages
queued behind them; the chains then ran late, and at the end a few boards' last pages
went out one after another with most slots idle. A call started inside
:func:`deferred` yields its turn to every call that is not: it is sent when a slot
is free and no other call waits for one, and it lets the calls started in the same
turn of the event loop (the next boards' first pages) go first. It still goes as soon
as the chains leave a slot unused, so nothing waits on it for long
(docs/benchmarks.md, "Roll-up: the chains first; texts worked on during the read").
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar

__all__ = ["Slots", "deferred"]

_DEFERRED: ContextVar[bool] = ContextVar("boardsmith_deferred_call", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Calls started in this block (and in tasks created in it) wait behind every
    other call for a slot."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


class Slots:
    """At most ``count`` holders at once; waiters are served first come, first served,
    every ordinary one before any deferred one (see :func:`deferred`)."""

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError(f"count must be >= 1, got {count}")
        self._free = count
        # Ordinary waiters, then deferred ones.
        self._queues: tuple[deque[asyncio.Future[None]], deque[asyncio.Future[None]]] = (
            deque(),
            deque(),
        )

    def waits(self) -> bool:
        """Whether a call started here now would wait for a slot."""
        return not self._may_take(_DEFERRED.get())

    @asynccontextmanager
    async def taken(self) -> AsyncIterator[None]:
        """Hold a slot for the block (waiting for one, in this call's place)."""
        await self._acquire(_DEFERRED.get())
        try:
            yield
        finally:
            self._release()

    def _may_take(self, is_deferred: bool) -> bool:
        ordinary, later = self._queues
        return self._free > 0 and not ordinary and not (is_deferred and later)

    async def _acquire(self, is_deferred: bool) -> None:
        if is_deferred and self._may_take(is_deferred):
            # The calls started in the same turn of the loop go first: a board's name
            # is asked for in the turn its first page is, as are the next boards'.
            await asyncio.sleep(0)
        if self._may_take(is_deferred):
            self._free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._queues[1 if is_deferred else 0]
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                # Handed a slot just before the cancellation arrived: pass it on.
                self._release()
            elif waiter in queue:
                queue.remove(waiter)
            raise

    def _release(self) -> None:
        # The slot goes straight to the next waiter, so a call arriving meanwhile
        # cannot take it out of turn.
        for queue in self._queues:
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._free += 1
