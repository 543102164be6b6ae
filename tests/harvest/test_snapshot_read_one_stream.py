"""Both read paths of ``read_snapshot`` give the same Snapshot of the same board.

Per-type streams (one board: the shortest chain of pages) and one unfiltered ``/items``
stream (many boards: the fewest calls) must not differ in anything harvest sees: the
items, their order, members and the board's name. The unfiltered stream also carries
types boardsmith does not harvest (images, embeds...), which the emulator cannot
create: a transport adds them to every unfiltered page, as Miro would list them, and
they must be dropped exactly as the per-type streams never ask for them.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import httpx

from boardsmith.emulator import EmulatorTransport
from boardsmith.emulator.app import EmulatorApp
from boardsmith.harvest.snapshot import HARVEST_TYPES, Snapshot, read_snapshot
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

UNHARVESTED = ("image", "embed", "app_card", "document")


class WithOtherTypes(httpx.AsyncBaseTransport):
    """The emulator, with an item of each unharvested type on every unfiltered page."""

    def __init__(self, app: EmulatorApp) -> None:
        self.inner = EmulatorTransport(app)
        self.added = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        listing = request.url.path.endswith("/items") and "type" not in request.url.params
        if request.method != "GET" or not listing or response.status_code != 200:
            return response
        body = json.loads(await response.aread())
        for kind in UNHARVESTED:
            self.added += 1
            body["data"].insert(1, _other(kind, self.added))
        return httpx.Response(200, json=body, headers={"content-type": "application/json"})


def _other(kind: str, n: int) -> dict[str, Any]:
    return {
        "id": f"9{n:018d}",
        "type": kind,
        "data": {"title": f"{kind} {n}"},
        "position": {"x": 5, "y": 5, "origin": "center", "relativeTo": "canvas_center"},
        "geometry": {"width": 100, "height": 100},
    }


def _flat(snapshot: Snapshot) -> list[tuple[Any, ...]]:
    # text_style is left out of SnapItem's equality, so compare every field.
    return [dataclasses.astuple(i) for i in snapshot.items]


async def _busy_board(make_client: MakeClient, tmp_path: Path) -> Workshop:
    workshop = await Workshop.build(make_client, tmp_path)
    left, top = await workshop.frame_origin()
    # Enough stickies for several pages, inside the frame and outside it.
    for n in range(70):
        await workshop.sticky(f"P{n % 7}", f"word {n}", left + 60 + n * 3, top + 80 + n)
    for n in range(12):
        await workshop.sticky("Ola", f"loose {n}", -4000 - n * 200, 0, in_frame=False)
    return workshop


async def test_one_stream_reads_the_snapshot_the_per_type_streams_read(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    workshop = await _busy_board(make_client, tmp_path)
    transport = WithOtherTypes(emulator_app)
    by_type_client = await make_client(token="Reader:8", transport=transport)
    one_client = await make_client(token="Reader:9", transport=transport)

    by_type = await read_snapshot(by_type_client, workshop.board_id)
    assert transport.added == 0  # the per-type streams never list other types
    one = await read_snapshot(one_client, workshop.board_id, one_stream=True)

    assert transport.added > 0
    assert not {i.type for i in one.items} & set(UNHARVESTED)
    assert _flat(one) == _flat(by_type)
    assert [i.text_style for i in one.items] == [i.text_style for i in by_type.items]
    assert one.members == by_type.members
    assert len(one.members) > 1
    assert one.board_name == by_type.board_name is not None
    stickies = by_type.of_type("sticky_note")
    assert len(stickies) > 80
    assert {i.type for i in by_type.items} <= set(HARVEST_TYPES)

    # The unfiltered stream makes one call a page of what is listed; the per-type
    # streams one part-filled page more per type (an empty type costs a call too).
    listed = len(by_type.items) + transport.added
    pages = one_client.stats.operations["items.list"]
    assert pages == math.ceil(listed / 50)
    assert by_type_client.stats.operations["items.list"] > pages
    for client in (one_client, by_type_client):
        assert client.stats.operations["members.list"] == 1
        assert client.stats.operations["boards.get"] == 1


async def test_one_stream_reports_progress_like_the_per_type_streams(
    make_client: MakeClient, tmp_path: Path
) -> None:
    workshop = await _busy_board(make_client, tmp_path)
    seen: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for one_stream in (False, True):
        client = await make_client(token=f"Reader:{7 + one_stream}")
        calls = seen[one_stream]

        def note(done: int, total: int, calls: list[tuple[int, int]] = calls) -> None:
            calls.append((done, total))

        await read_snapshot(client, workshop.board_id, one_stream=one_stream, progress=note)
    assert seen[True][-1] == seen[False][-1]
    assert [d for d, _ in seen[True][:-1]] == list(range(1, len(seen[True])))
