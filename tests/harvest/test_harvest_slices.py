"""A board's harvest runs in slices, and a collection's loop runs between them.

``harvest_board_slices`` is ``harvest_board`` cut at its phases; ``harvest_boards``
lets the event loop run between two slices, so the answers other boards' reads are
waiting for are turned around during a harvest instead of after it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from boardsmith.harvest import api
from boardsmith.harvest.api import BoardSource, harvest_boards
from boardsmith.harvest.board import harvest_board, harvest_board_slices
from boardsmith.harvest.regions import locate
from tests.conftest import MakeClient
from tests.harvest.test_history_property import IDS, LANE, PLAN, STICKY, _board
from tests.harvest.workshop import Workshop


def test_the_slices_end_with_what_harvest_board_returns() -> None:
    snapshot = _board(PLAN, (PLAN.by_key[LANE].x, PLAN.by_key[LANE].y), {})
    location = locate(PLAN, snapshot, IDS)
    whole, seen = harvest_board(snapshot, PLAN, location)

    slices = harvest_board_slices(snapshot, PLAN, location)
    steps = 0
    while True:
        try:
            next(slices)
        except StopIteration as done:
            sliced, sliced_seen = done.value
            break
        steps += 1

    assert steps >= 3
    assert sliced == whole
    assert sliced_seen == seen
    assert [s.terms for s in sliced.stickies if s.id == STICKY] == [["bold"]]


async def test_the_loop_runs_between_a_boards_slices(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop = await Workshop.build(make_client, tmp_path, params={"participants": ["Ana"]})
    x, y = await workshop.pick_at("Ana")
    await workshop.sticky("Ana", "Joyful", x, y)
    events: list[str] = []
    real = harvest_board_slices

    def spying(*args: Any, **kwargs: Any) -> Generator[None, None, Any]:
        events.append("harvest")
        result = yield from real(*args, **kwargs)
        events.append("harvested")
        return result

    monkeypatch.setattr(api, "harvest_board_slices", spying)

    async def ticker() -> None:
        while True:
            if "harvest" in events and "harvested" not in events:
                events.append("tick")
            await asyncio.sleep(0)

    client = await make_client(token="Coach:6")
    ticking = asyncio.ensure_future(ticker())
    try:
        source = BoardSource(workshop.board_id, plan=workshop.plan, item_ids=workshop.item_ids)
        document, _ = await harvest_boards(client, [source])
    finally:
        ticking.cancel()
    assert [len(b.stickies) > 0 for b in document.boards] == [True]
    # Other tasks ran while the board was being harvested, not only before or after.
    inside = events[events.index("harvest") + 1 : events.index("harvested")]
    assert inside.count("tick") >= 3
