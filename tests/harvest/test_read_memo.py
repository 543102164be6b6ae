"""The read memo ``watch`` keeps between refreshes: an item listed exactly as last time
keeps its SnapItem, unless its frame moved; a deleted item is forgotten."""

from __future__ import annotations

import copy
from typing import Any

from boardsmith.harvest.memo import ReadMemo
from boardsmith.harvest.snapshot import Snapshot, _as_read, build_snapshot
from tests.harvest.factories import raw_item


def _listing(frame_x: float, note: str = "Bold") -> list[Any]:
    frame = raw_item("1", "frame", frame_x, 500, 1000, 1000, data={"title": "Vision"})
    child = raw_item(
        "2",
        "sticky_note",
        100,
        200,
        200,
        200,
        data={"content": note},
        parent={"id": "1"},
    )
    child["position"]["relativeTo"] = "parent_top_left"
    loose = raw_item("3", "sticky_note", 2000, 0, 200, 200, data={"content": "Calm"})
    return [frame, child, loose]


def _read(listed: list[Any], memo: ReadMemo | None) -> Snapshot:
    fresh = copy.deepcopy(listed)  # a read's JSON is new objects every time
    if memo is None:
        return build_snapshot("b1", fresh)
    return build_snapshot("b1", [memo.as_read(raw, _as_read) for raw in fresh], memo=memo)


def test_an_unchanged_listing_keeps_its_items() -> None:
    memo = ReadMemo()
    first = _read(_listing(500), memo)
    again = _read(_listing(500), memo)
    assert again.items == first.items
    assert all(a is b for a, b in zip(again.items, first.items, strict=True))


def test_a_moved_frame_moves_its_children_and_only_them() -> None:
    memo = ReadMemo()
    _read(_listing(500), memo)
    moved = _read(_listing(800), memo)
    assert moved.items == _read(_listing(800), None).items
    child = moved.get("2")
    assert child is not None
    assert child.x == 800 - 500 + 100


def test_an_edited_item_is_read_again_and_a_deleted_one_forgotten() -> None:
    memo = ReadMemo()
    _read(_listing(500), memo)
    edited = _read(_listing(500, note="Brave"), memo)
    child = edited.get("2")
    assert child is not None
    assert child.content == "Brave"
    _read(_listing(500)[:2], memo)
    assert "3" not in memo.items
    assert "3" not in memo.listed
