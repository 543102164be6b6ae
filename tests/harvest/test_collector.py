"""The cyclic garbage collector is paused while a board is harvested, then as it was."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from boardsmith.emulator import EmulatorTransport
from boardsmith.emulator.app import EmulatorApp
from boardsmith.harvest import board
from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.collector import collector_paused
from tests.conftest import MakeClient
from tests.harvest.test_history_property import IDS, LANE, PLAN, STICKY, _board
from tests.harvest.workshop import Workshop


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_back_on_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_exception() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_blocks_resume_when_the_outer_one_ends() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_threads_resume_once_both_are_done() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        assert inside.wait(10)
    # this block ended first: the other thread's block still runs
    assert not gc.isenabled()
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_harvest_runs_paused_and_leaves_the_collector_as_it_found_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    real = board._harvest_board

    def spying(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(board, "_harvest_board", spying)
    snapshot = _board(PLAN, (PLAN.by_key[LANE].x, PLAN.by_key[LANE].y), {})
    result = harvest_snapshot(snapshot, plan=PLAN, item_ids=IDS)
    assert seen == [False]
    assert gc.isenabled()
    assert [s.terms for s in result.harvest.stickies if s.id == STICKY] == [["bold"]]


def _in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation))


def test_what_a_block_keeps_goes_to_the_oldest_generation_unscanned() -> None:
    gc.collect()
    with collector_paused():
        kept = [[n] for n in range(1000)]
    assert not _in_generation(kept, 0)
    assert not _in_generation(kept, 1)
    assert _in_generation(kept, 2)
    assert gc.get_count()[0] < 500  # the young count starts again


def test_cycles_a_block_drops_are_still_collected() -> None:
    with collector_paused():
        node = _Cycle()
        probe = weakref.ref(node)
        del node
    assert probe() is not None  # a cycle: reference counting alone never frees it
    gc.collect()
    assert probe() is None


def test_objects_frozen_by_someone_else_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


class _Cycle:
    """An object that refers to itself."""

    def __init__(self) -> None:
        self.me = self


async def test_the_read_runs_paused_too(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    workshop = await Workshop.build(make_client, tmp_path)
    seen: list[bool] = []

    class Noting(EmulatorTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(gc.isenabled())
            return await super().handle_async_request(request)

    client = await make_client(token="Reader:1", transport=Noting(emulator_app))
    harvested = await workshop.harvest(client=client)
    assert harvested.stickies
    assert len(seen) > 5
    assert not any(seen)  # every request of the read went out with the collector paused
    assert gc.isenabled()
