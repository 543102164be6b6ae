"""Pausing Python's cyclic garbage collector while a board is harvested.

A harvest allocates a few hundred thousand objects (views, terms, pydantic records)
that all live until it returns, and builds almost no reference cycles: reference
counting frees what it drops. The cyclic collector cannot know that, so as the heap
grows it scans every live object again and again; on a 10,000-sticky board that was
a quarter of the harvest's CPU (``docs/benchmarks.md``, "Harvest CPU, third pass").
Paused, the collector runs as usual once the harvest is done. What the harvest still
holds then is moved to the oldest generation unscanned (see :func:`_promote_survivors`):
the next full collection finds any cycles among it, as it would have.
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
                _promote_survivors()
                gc.enable()


def _promote_survivors() -> None:
    """Move every object the collector tracks to its oldest generation, unscanned.

    Otherwise the first young collection after the block scans all that the block
    allocated and still holds (~65 ms after a 10,000-sticky harvest, in which it found
    nothing: a harvest's objects live on). ``gc.freeze()`` then ``gc.unfreeze()`` does
    that in constant time and resets the young counts. Skipped when something else
    froze objects: ``unfreeze`` would thaw them too.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
