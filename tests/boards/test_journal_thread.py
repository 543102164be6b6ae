"""The bulk calls' journal appends run in a worker thread, one at a time, and are
durable before the run goes on."""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards.apply import apply_plan, new_state
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.state import StateEntry, StateStore
from boardsmith.templates import compile_plan, find_template
from tests.fake_time import FakeTime

MakeClient = Callable[..., Awaitable[Any]]


async def test_bulk_answers_are_journalled_off_the_event_loop_before_apply_returns(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeTime()
    client = await make_client(sleep=fake.sleep, clock=fake.clock)
    plan = compile_plan(find_template("vision-board"))
    store = StateStore(tmp_path)
    threads: list[str] = []
    real_record = store.record

    def record(state: Any, keys: Any) -> None:
        threads.append(threading.current_thread().name)
        real_record(state, keys)

    monkeypatch.setattr(store, "record", record)
    board = await client.boards.create(name="v")
    await apply_plan(ClientBoardIO(client), store, backend="emulator", board_id=board.id, plan=plan)
    # The frame and the 7 bulk chunks, each journalled from a worker thread.
    assert len(threads) == 8
    assert threading.main_thread().name not in threads
    state = StateStore(tmp_path).load(backend="emulator", board_id=board.id)
    assert state is not None
    assert set(state.items) == {i.key for i in plan.items}


def test_appends_from_many_threads_leave_whole_lines(tmp_path: Path) -> None:
    plan = compile_plan(find_template("vision-board"))
    store = StateStore(tmp_path)
    state = new_state(backend="emulator", board_id="b=", plan=plan)
    store.save(state)
    keys = [i.key for i in plan.items]
    for n, key in enumerate(keys):
        state.items[key] = StateEntry(item_id=str(n), type="text", hash="h" * 16, look={})

    def append(part: list[str]) -> None:
        for key in part:
            store.record(state, [key] * 5)

    workers = [threading.Thread(target=append, args=(keys[n::8],)) for n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    journal = store.path_for(backend="emulator", board_id="b=").with_suffix(".json.journal")
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 * len(keys)
    assert {json.loads(line)["key"] for line in lines} == set(keys)
    loaded = store.load(backend="emulator", board_id="b=")
    assert loaded is not None
    assert {k: e.item_id for k, e in loaded.items.items()} == {
        k: e.item_id for k, e in state.items.items()
    }
