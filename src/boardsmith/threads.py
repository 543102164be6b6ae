"""Blocking work run in a worker thread and awaited from the event loop, to the end.

``asyncio.to_thread`` leaves the work running when the awaiting task is cancelled, and
the cancellation reaches the future that waits for the thread's answer. Ctrl-C
cancels the run's tasks from a signal handler, which can run in the middle of the
loop's copying of that answer into the future. The copy then fails and asyncio
prints a traceback, "Exception in callback ... InvalidStateError", under the
one-line "interrupted" message. :func:`in_thread` shields the wait: a cancelled
caller waits for the work to finish (a state journal append is durable before the
run stops, as resume expects), then the cancellation goes on. This module imports
nothing of boardsmith, so every layer can share it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["in_thread"]

P = ParamSpec("P")
R = TypeVar("R")


async def in_thread(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``func(*args, **kwargs)`` in a worker thread; its result, or its exception.

    Cancelled while the work runs, it first waits for the work to end, then raises
    the cancellation; cancelled again while waiting, it stops waiting.
    """
    job = asyncio.ensure_future(asyncio.to_thread(func, *args, **kwargs))
    try:
        return await asyncio.shield(job)
    except asyncio.CancelledError:
        await asyncio.wait([job])
        if not job.cancelled():
            job.exception()  # the caller is gone: a failure of the work is not logged
        raise
