"""``read_snapshot`` places items while later pages are still arriving.

The Snapshot must be what :func:`build_snapshot` makes of the same listing at the
end, whichever stream finishes first: frames late (stickies wait for them), a frame
missing from the listing (its children keep their relative position), a frame moved
between two reads with one memo (its children move with it).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from boardsmith.emulator import EmulatorTransport
from boardsmith.emulator.app import EmulatorApp
from boardsmith.harvest import snapshot as snapshot_module
from boardsmith.harvest.memo import ReadMemo
from boardsmith.harvest.snapshot import HARVEST_TYPES, Snapshot, build_snapshot, read_snapshot
from tests.conftest import MakeClient
from tests.harvest.test_snapshot_read_one_stream import _busy_board


class Shaped(httpx.AsyncBaseTransport):
    """The emulator, with the frame pages answered late (or without one frame)."""

    def __init__(self, app: EmulatorApp, *, frames_last: bool = False) -> None:
        self.inner = EmulatorTransport(app)
        self.frames_last = frames_last
        self.stickies_done = asyncio.Event()
        self.hide: str | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        kind = request.url.params.get("type")
        if kind == "frame" and self.frames_last:
            await self.stickies_done.wait()
        response = await self.inner.handle_async_request(request)
        if kind == "sticky_note" and not json.loads(await response.aread()).get("cursor"):
            self.stickies_done.set()
        if kind != "frame" or self.hide is None:
            return response
        body = json.loads(await response.aread())
        body["data"] = [i for i in body["data"] if i["id"] != self.hide]
        return httpx.Response(200, json=body, headers={"content-type": "application/json"})


def _flat(snapshot: Snapshot) -> list[tuple[Any, ...]]:
    # text_style is left out of SnapItem's equality, so compare every field.
    return [(*dataclasses.astuple(i), i.text_style) for i in snapshot.items]


async def _listing(client: Any, board_id: str) -> list[Any]:
    """The board's listing as the per-type streams read it, placed by nobody."""
    streams = snapshot_module._start_items(client, board_id, HARVEST_TYPES, None, one_stream=False)
    return await snapshot_module._joined(streams, HARVEST_TYPES, one_stream=False)


def _note_places(monkeypatch: pytest.MonkeyPatch, note: Callable[[str], object]) -> None:
    """Call ``note(item id)`` each time an item is placed on the canvas."""
    place = snapshot_module._place

    def noted(ident: str, *args: Any) -> Any:
        note(ident)
        return place(ident, *args)

    monkeypatch.setattr(snapshot_module, "_place", noted)


async def test_stickies_read_before_the_frames_are_placed_as_at_the_end(
    make_client: MakeClient,
    emulator_app: EmulatorApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workshop = await _busy_board(make_client, tmp_path)
    transport = Shaped(emulator_app, frames_last=True)
    client = await make_client(token="Reader:1", transport=transport)
    placed: list[tuple[str, bool]] = []
    _note_places(
        monkeypatch, lambda ident: placed.append((ident, transport.stickies_done.is_set()))
    )
    read = await read_snapshot(client, workshop.board_id)
    monkeypatch.undo()

    reference = build_snapshot(workshop.board_id, await _listing(client, workshop.board_id))
    assert _flat(read) == _flat(reference)
    assert len(read.of_type("sticky_note")) > 120
    # Nothing could be placed before the frames, which came after the last sticky
    # page; then each item was placed once.
    assert sorted(ident for ident, _ in placed) == sorted(i.id for i in read.items)
    assert all(after for _, after in placed)


async def test_placing_during_the_read_is_what_build_snapshot_would_do(
    make_client: MakeClient,
    emulator_app: EmulatorApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workshop = await _busy_board(make_client, tmp_path)
    client = await make_client(token="Reader:2", transport=Shaped(emulator_app))
    built: list[str] = []
    _note_places(monkeypatch, built.append)
    # Frames first: every item is placed as its page arrives, none at the end.
    calls: list[str] = []
    build = snapshot_module.build_snapshot

    def final(*args: Any, **kwargs: Any) -> Snapshot:
        calls.append(f"build after {len(built)}")
        return build(*args, **kwargs)

    monkeypatch.setattr(snapshot_module, "build_snapshot", final)
    read = await read_snapshot(client, workshop.board_id)
    monkeypatch.undo()
    assert calls == [f"build after {len(read.items)}"]
    assert sorted(built) == sorted(i.id for i in read.items)
    reference = build_snapshot(workshop.board_id, await _listing(client, workshop.board_id))
    assert _flat(read) == _flat(reference)


async def test_a_frame_missing_from_the_listing_leaves_its_children_relative(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    workshop = await _busy_board(make_client, tmp_path)
    transport = Shaped(emulator_app)
    client = await make_client(token="Reader:3", transport=transport)
    frame = next(
        i for i in (await read_snapshot(client, workshop.board_id)).items if i.type == "frame"
    )
    transport.hide = frame.id
    read = await read_snapshot(client, workshop.board_id)
    reference = build_snapshot(workshop.board_id, await _listing(client, workshop.board_id))
    assert _flat(read) == _flat(reference)
    assert frame.id not in {i.id for i in read.items}
    assert any(i.parent_id == frame.id for i in read.items)


async def test_a_memo_hands_items_over_only_while_their_frame_stays(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    workshop = await _busy_board(make_client, tmp_path)
    client = await make_client(token="Reader:4", transport=Shaped(emulator_app))
    memo = ReadMemo()
    first = await read_snapshot(client, workshop.board_id, memo=memo)
    frame = next(i for i in first.items if i.id == workshop.frame_id)
    await workshop.move_frame(500, 0)
    second = await read_snapshot(client, workshop.board_id, memo=memo)
    reference = build_snapshot(workshop.board_id, await _listing(client, workshop.board_id))
    assert _flat(second) == _flat(reference)
    moved = [i for i in second.items if i.parent_id == frame.id]
    before = {i.id: i for i in first.items}
    assert moved
    assert all(i.x == before[i.id].x + 500 for i in moved)
