"""A collection is read with the fewest calls and harvested as each board alone is.

``harvest_boards`` reads one unfiltered stream a board once the boards outnumber half
the client's concurrency, a bounded number of boards at a time, and harvests each
board as soon as it is read, while the next boards' requests are in flight. None of
this may change what a board's harvest says.
"""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
from typing import Any

import httpx
import pytest

from boardsmith.emulator import EmulatorApp, EmulatorTransport
from boardsmith.harvest import api
from boardsmith.harvest.api import BoardSource, harvest_boards
from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.snapshot import Snapshot
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

PEOPLE = ("Ana", "Ben", "Cy")


async def _boards(make_client: MakeClient, tmp_path: Path, n: int) -> list[Workshop]:
    boards = []
    for b in range(n):
        workshop = await Workshop.build(
            make_client, tmp_path / f"b{b}", params={"participants": list(PEOPLE)}
        )
        for person in PEOPLE:
            x, y = await workshop.pick_at(person)
            await workshop.sticky(person, f"Joyful {b}", x, y)
        boards.append(workshop)
    return boards


def _sources(boards: list[Workshop]) -> list[BoardSource]:
    return [
        BoardSource(w.board_id, plan=w.plan, item_ids=w.item_ids, label=f"School {n}")
        for n, w in enumerate(boards)
    ]


async def test_a_collection_reads_one_stream_a_board_and_harvests_as_alone(
    make_client: MakeClient, tmp_path: Path
) -> None:
    boards = await _boards(make_client, tmp_path, 3)
    sources = _sources(boards)
    alone = []
    for source in sources:
        client = await make_client(token="Alone:5")
        document, _ = await harvest_boards(
            client, [source], history=HistoryStore(tmp_path / "alone")
        )
        alone.append(document.boards[0])

    # Concurrency 2: three boards outnumber half of it, so each is one stream.
    client = await make_client(token="Coach:6", concurrency=2)
    done: list[tuple[int, int]] = []
    document, results = await harvest_boards(
        client,
        sources,
        history=HistoryStore(tmp_path / "together"),
        partial=True,
        on_board=lambda n, total: done.append((n, total)),
    )

    assert [(b.label, b.stickies) for b in document.boards] == [
        (s.label, a.stickies) for s, a in zip(sources, alone, strict=True)
    ]
    assert [b.tally for b in document.boards] == [a.tally for a in alone]
    assert document.rollup is not None
    assert document.aggregate is not None
    assert done == [(1, 3), (2, 3), (3, 3)]
    items = [len(r.snapshot.items) for r in results]
    assert client.stats.operations["items.list"] == sum(math.ceil(n / 50) for n in items)
    assert client.stats.operations["members.list"] == 3
    assert client.stats.operations["boards.get"] == 3
    # The history was recorded for every board, as when each is harvested alone.
    for source in sources:
        memory = HistoryStore(tmp_path / "together").load(backend="miro", board_id=source.board_id)
        assert not memory.empty


async def test_a_missing_board_in_a_collection_is_named_and_the_others_report(
    make_client: MakeClient, tmp_path: Path
) -> None:
    boards = await _boards(make_client, tmp_path, 1)
    sources = [*_sources(boards), BoardSource("uXjVNoSuchBoard=", label="Gone")]
    client = await make_client(token="Coach:6", concurrency=2)
    document, results = await harvest_boards(client, sources, partial=True)
    assert [b.label for b in document.boards] == ["School 0"]
    assert [(f.label, f.reason) for f in document.failed] == [("Gone", "no such board")]
    assert len(results) == 1


async def test_a_large_collection_is_read_a_few_boards_at_a_time(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading: list[str] = []
    most = 0
    streams: set[bool] = set()

    async def read(client: object, board_id: str, **options: Any) -> Snapshot:
        nonlocal most
        streams.add(options["one_stream"])
        reading.append(board_id)
        most = max(most, len(reading))
        await asyncio.sleep(0.01)
        reading.remove(board_id)
        return Snapshot(board_id=board_id, items=[])

    monkeypatch.setattr(api, "read_snapshot", read)
    client = await make_client(token="Coach:6", concurrency=4)
    done: list[int] = []
    document, _ = await harvest_boards(
        client,
        [BoardSource(f"b{n}") for n in range(20)],
        on_board=lambda n, _total: done.append(n),
    )
    assert len(document.boards) == 20
    # Four slots: six boards at once keep them busy; boards finish one by one.
    assert most == 6
    assert streams == {True}
    assert done == list(range(1, 21))


async def test_the_pages_go_before_the_boards_names_and_members(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    """The chains of pages decide how long a collection takes; a board's name and
    members wait for no page, so they are sent only when no page waits for a slot."""
    sources = _sources(await _boards(make_client, tmp_path, 3))
    sent: list[str] = []

    class Noting(EmulatorTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            path = request.url.path
            sent.append("page" if path.endswith("/items") else path.rsplit("/", 1)[-1])
            await asyncio.sleep(0.002)  # a round trip, as over the network
            return await super().handle_async_request(request)

    # One slot: two boards are read at once, and every call waits for the one before.
    client = await make_client(token="Coach:6", concurrency=1, transport=Noting(emulator_app))
    document, results = await harvest_boards(client, sources, partial=True)
    assert len(document.boards) == 3
    pages = [math.ceil(len(r.snapshot.items) / 50) for r in results]
    assert min(pages) > 1
    first_single = min(n for n, call in enumerate(sent) if call != "page")
    # The two boards read first finish their chains before either's name is read
    # (in turn, FIFO, each board's name and members went right after its first page).
    assert first_single == pages[0] + pages[1]
    assert sent.count("members") == 3
    assert sent.count("page") == sum(pages)


async def test_the_preload_waits_until_the_first_requests_are_written(
    make_client: MakeClient,
    emulator_app: EmulatorApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A dictionary's load holds the interpreter lock for tens of milliseconds: the
    preload is started held and let go once every board read at once has asked for
    its first page."""
    sources = _sources(await _boards(make_client, tmp_path, 3))
    sent: list[str] = []
    monkeypatch.setattr(
        api, "preload_harvest", lambda *, held=False: sent.append(f"preload held={held}")
    )
    monkeypatch.setattr(api, "release_preload", lambda: sent.append("released"))

    class Noting(EmulatorTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append("page" if request.url.path.endswith("/items") else "single")
            await asyncio.sleep(0.002)
            return await super().handle_async_request(request)

    client = await make_client(token="Coach:6", concurrency=4, transport=Noting(emulator_app))
    document, _ = await harvest_boards(client, sources, partial=True)
    assert len(document.boards) == 3
    # Concurrency 4: all 3 boards are read at once, their first pages before the rest.
    assert sent[:4] == ["preload held=True", "page", "page", "page"]
    assert "released" in sent[4:]
