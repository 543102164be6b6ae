"""A board's history is loaded on a thread while its pages are read, and used.

Loading a long history (a parse of every earlier sighting) sat between the last page
and the harvest; now it overlaps the read. The harvest must still use it, and a read
that fails must not leave the load behind unawaited.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from boardsmith.harvest.api import BoardSource, harvest_boards
from boardsmith.harvest.history import BoardHistory, HistoryStore
from boardsmith.miro.errors import NotFoundError
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop


class NotedStore(HistoryStore):
    """A history store that notes on which thread, and how far into the read, it loads."""

    def __init__(self, root: Path, workshop: Workshop) -> None:
        super().__init__(root)
        self.workshop = workshop
        self.loads: list[tuple[bool, int]] = []

    def load(self, *, backend: str, board_id: str) -> BoardHistory:
        requests = self.workshop.facilitator.stats.requests
        self.loads.append((threading.current_thread() is threading.main_thread(), requests))
        return super().load(backend=backend, board_id=board_id)


async def _harvest(w: Workshop, store: HistoryStore) -> str:
    return (await w.harvest(store)).history


async def test_the_history_loads_off_the_loop_before_the_read_ends(
    make_client: MakeClient, tmp_path: Path
) -> None:
    w = await Workshop.build(make_client, tmp_path)
    left, top = await w.frame_origin()
    for n in range(60):
        await w.sticky("Ana", f"word {n}", left + 80 + n, top + 120)
    store = NotedStore(tmp_path / "history", w)
    assert await _harvest(w, store) == "none"
    assert await _harvest(w, store) == "used"  # the first read's sightings were found
    assert [on_loop for on_loop, _ in store.loads] == [False, False]
    # Requests made before the second load began: fewer than the read's own calls.
    before = w.facilitator.stats.requests
    assert await _harvest(w, store) == "used"
    per_read = w.facilitator.stats.requests - before
    assert store.loads[-1][1] - before < per_read


async def test_a_failed_read_leaves_no_load_behind(
    make_client: MakeClient, tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    w = await Workshop.build(make_client, tmp_path)
    store = HistoryStore(tmp_path / "history")
    with pytest.raises(NotFoundError):
        await harvest_boards(
            w.facilitator, [BoardSource("uXjVKnoSuch0=")], history=store, backend="emulator"
        )
    assert not [r for r in recwarn if "never" in str(r.message)]
