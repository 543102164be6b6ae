"""When a request is on the wire: what lets a page's consumer overlap the next page.

:func:`~boardsmith.miro.pagination.iter_cursor` requests page *n+1* before it hands
out page *n*. A request takes several turns of the event loop (the concurrency
limit, the budget, the connection pool) before its bytes are written, and a consumer
that works on page *n* without awaiting gives it none: the request then left only
after the work, and every page paid for it (20 ms of work a page cost 20 ms a page).
So the pager marks the request it starts (:func:`start`), the client that sends it
claims the mark and says when the request is written (httpcore's ``trace``
extension) or cannot be written yet, and the pager waits for that before it hands
out the page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["Wire", "claim", "start"]

T = TypeVar("T")

_NEXT: ContextVar[Wire | None] = ContextVar("boardsmith_next_request", default=None)


class Wire:
    """One request started ahead: ``sent`` is set once it is written, once it waits
    for something other than the network, or once it has ended, whichever is first."""

    def __init__(self) -> None:
        self.sent = asyncio.Event()
        self.claimed = False

    async def trace(self, name: str, info: dict[str, Any]) -> None:
        """httpcore's ``trace`` callback: the body is written, or a step failed."""
        if name.endswith(".send_request_body.complete") or name.endswith(".failed"):
            self.sent.set()

    async def written(self) -> None:
        """Wait until the request is on the wire, if its sender can tell."""
        await asyncio.sleep(0)  # the request starts, and a client that can tell claims it
        if self.claimed:
            await self.sent.wait()


def start(request: Awaitable[T]) -> tuple[asyncio.Future[T], Wire]:
    """Start ``request`` as a task marked for :func:`claim`; wait on ``.written()``."""
    wire = Wire()
    token = _NEXT.set(wire)
    try:
        future = asyncio.ensure_future(request)
    finally:
        _NEXT.reset(token)
    return future, wire


def claim() -> Wire | None:
    """The mark of the request this task was started for (see :func:`start`), once:
    the client's first request in the task claims it, nested or later ones do not."""
    wire = _NEXT.get()
    if wire is None or wire.claimed:
        return None
    wire.claimed = True
    return wire
