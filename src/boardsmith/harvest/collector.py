"""Pausing Python's cyclic garbage collector while a board is harvested.

A harvest allocates a few hundred thousand objects (views, terms, pydantic records)
that all live until it returns, and builds almost no reference cycles: reference
counting frees what it drops. The cyclic collector cannot know that, so as the heap
grows it scans every live object again and again; on a 10,000-sticky board that was
a quarter of the harvest's CPU (``docs/benchmarks.md``, "Harvest CPU, third pass").
Paused, the collector runs as usual once the harvest is done, and then finds what the
harvest left, if anything.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, as it was after.

    Nested and concurrent (threads) uses count: the collector is turned back on when
    the last block ends, and only if it was on when the first began.
    """
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
