"""The cyclic garbage collector is paused while a board is harvested, then as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from boardsmith.harvest import board
from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.collector import collector_paused
from tests.harvest.test_history_property import IDS, LANE, PLAN, STICKY, _board


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
