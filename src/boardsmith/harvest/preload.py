"""What a harvest needs, loaded in a thread while a board's first pages are on their way.

Reading a board needs only the client and :mod:`boardsmith.harvest.snapshot`; the
harvest's own modules (regions, views, attribution, terms, tally, roll-up) are another
0.15-0.25 s to import, and the lemmatizer and its English dictionary 0.3 s of CPU. A
command imported all of it before its first request. :func:`preload_harvest`, called
as the reads begin, imports them on a daemon thread, where they overlap the network
waits; :func:`harvest_modules`, called before the first harvest, waits for it, so no
module is ever imported by two threads at once.
"""

from __future__ import annotations

import contextlib
import importlib
import threading

__all__ = ["HARVEST_MODULES", "harvest_modules", "preload_harvest"]

#: Imported ahead, in this order (each imports what it needs in turn).
HARVEST_MODULES: tuple[str, ...] = (
    "boardsmith.harvest.text",
    "boardsmith.harvest.board",
    "boardsmith.harvest.tally",
    "boardsmith.harvest.rollup",
)

_lock = threading.Lock()
_importing: threading.Thread | None = None


def preload_harvest() -> None:
    """Start importing the harvest's modules, and loading the English dictionary, on
    a background thread, once per process (a later call does nothing)."""
    global _importing
    with _lock:
        if _importing is not None:
            return
        _importing = threading.Thread(target=_load, name="boardsmith-harvest", daemon=True)
        _importing.start()


def harvest_modules() -> None:
    """Return once a preload (if one was started) has imported the harvest's modules."""
    loading = _importing
    if loading is not None and loading is not threading.current_thread():
        loading.join()


def _load() -> None:
    # A module that fails to import fails again, with its traceback, where the harvest
    # imports it on its own thread.
    with contextlib.suppress(Exception):
        text = importlib.import_module(HARVEST_MODULES[0])
        text.preload_dictionaries()
        for name in HARVEST_MODULES[1:]:
            importlib.import_module(name)
