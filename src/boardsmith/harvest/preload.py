"""What a harvest needs, loaded in a thread while a board's first pages are on their way.

Reading a board needs only the client and :mod:`boardsmith.harvest.snapshot`; the
harvest's own modules (regions, views, attribution, terms, tally, roll-up) are another
0.15-0.25 s to import, and the lemmatizer and its English dictionary 0.3 s of CPU. A
command imported all of it before its first request. :func:`preload_harvest`, called
as the reads begin, imports them on a daemon thread, where they overlap the network
waits; :func:`harvest_modules`, called before the first harvest, waits for it, so no
module is ever imported by two threads at once.

A dictionary loads in C calls that hold the interpreter lock for tens of
milliseconds, during which the event loop cannot write a request. A caller that is
about to send many first requests therefore starts the thread held
(``preload_harvest(held=True)``) and lets it go (:func:`release_preload`) once they
are written; :func:`harvest_modules` lets it go too, so a harvest never waits on a
held thread.
"""

from __future__ import annotations

import contextlib
import importlib
import threading

__all__ = ["HARVEST_MODULES", "harvest_modules", "loaded", "preload_harvest", "release_preload"]

#: Imported ahead, in this order (each imports what it needs in turn).
HARVEST_MODULES: tuple[str, ...] = (
    "boardsmith.harvest.text",
    "boardsmith.harvest.model",
    "boardsmith.harvest.board",
    "boardsmith.harvest.tally",
    "boardsmith.harvest.rollup",
)

_lock = threading.Lock()
_importing: threading.Thread | None = None
_go = threading.Event()


def preload_harvest(*, held: bool = False) -> None:
    """Start importing the harvest's modules, and loading the English dictionary, on
    a background thread, once per process (a later call can only let a held one go).

    ``held``: the thread waits for :func:`release_preload` (or
    :func:`harvest_modules`) before it starts.
    """
    global _importing
    with _lock:
        if _importing is None:
            _importing = threading.Thread(target=_held_load, name="boardsmith-harvest", daemon=True)
            _importing.start()
    if not held:
        _go.set()


def release_preload() -> None:
    """Let a held preload start (nothing if none was started or it runs already)."""
    _go.set()


def loaded() -> bool:
    """Whether a preload was started and has finished (never waits)."""
    loading = _importing
    return loading is not None and not loading.is_alive()


def harvest_modules() -> None:
    """Return once a preload (if one was started) has imported the harvest's modules."""
    loading = _importing
    if loading is not None and loading is not threading.current_thread():
        _go.set()
        loading.join()


def _held_load() -> None:
    _go.wait()
    _load()


def _load() -> None:
    # A module that fails to import fails again, with its traceback, where the harvest
    # imports it on its own thread.
    with contextlib.suppress(Exception):
        text = importlib.import_module(HARVEST_MODULES[0])
        text.preload_dictionaries()
        for name in HARVEST_MODULES[1:]:
            importlib.import_module(name)
