"""The board history: append-only, bounded, private, and never fatal when damaged."""

from __future__ import annotations

import dataclasses
import json
import stat
from pathlib import Path

import pytest

from boardsmith.harvest.history import (
    COMPACT_AFTER_READS,
    COMPACT_RATIO,
    HISTORY_FORMAT,
    HistoryStore,
    Sighting,
)


def _items(n: int, *, lane: str | None = None, x: float = 0.0) -> list[Sighting]:
    return [
        Sighting(id=f"{i:019d}", type="sticky_note", text=f"word {i}", x=x + i, lane=lane)
        for i in range(n)
    ]


def _read(store: HistoryStore, n: int, x: float = 0.0) -> None:
    memory = store.load(backend="emulator", board_id="b=1")
    store.record(memory, _items(n, x=x), read_at=f"2026-12-01T10:00:{int(x) % 60:02d}.000Z")


def test_first_read_writes_a_versioned_header_and_one_read(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    _read(store, 3)
    path = store.path(backend="emulator", board_id="b=1")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0] == {
        "format": HISTORY_FORMAT,
        "version": 1,
        "backend": "emulator",
        "board_id": "b=1",
    }
    assert [i["text"] for i in lines[1]["items"]] == ["word 0", "word 1", "word 2"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    memory = store.load(backend="emulator", board_id="b=1")
    assert memory.problem is None
    assert memory.get("0000000000000000001") == Sighting(
        id="0000000000000000001",
        type="sticky_note",
        text="word 1",
        x=1.0,
        seen="2026-12-01T10:00:00.000Z",
    )


def test_later_reads_append_only_what_changed_and_forget_deleted_items(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    _read(store, 3)
    memory = store.load(backend="emulator", board_id="b=1")
    moved = [*_items(2)[:1], Sighting(id=f"{1:019d}", type="sticky_note", text="word 1", x=99)]
    store.record(memory, moved, read_at="2026-12-01T10:01:00.000Z")
    path = store.path(backend="emulator", board_id="b=1")
    last = json.loads(path.read_text().splitlines()[-1])
    assert [i["id"] for i in last["items"]] == [f"{1:019d}"]
    assert last["gone"] == [f"{2:019d}"]
    again = store.load(backend="emulator", board_id="b=1")
    assert sorted(again.items) == [f"{0:019d}", f"{1:019d}"]
    assert again.items[f"{1:019d}"].x == 99


def test_the_file_stays_bounded_by_compaction(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    path = store.path(backend="emulator", board_id="b=1")
    for read in range(3 * COMPACT_AFTER_READS):
        _read(store, 5, x=float(read))  # every item moves on every read
        records = sum(
            len(json.loads(line).get("items", [])) for line in path.read_text().splitlines()[1:]
        )
        assert records <= (COMPACT_RATIO + 1) * 5
        assert len(path.read_text().splitlines()) <= COMPACT_AFTER_READS + 2
    memory = store.load(backend="emulator", board_id="b=1")
    assert memory.items[f"{4:019d}"].x == 4 + 3 * COMPACT_AFTER_READS - 1


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("not json\n", "line 1 is not JSON"),
        ('{"format": "something else"}\n', "not a boardsmith history header"),
        (f'{{"format": "{HISTORY_FORMAT}", "version": 99}}\n', "newer than this boardsmith"),
        (
            f'{{"format": "{HISTORY_FORMAT}", "version": 1}}\n{{"read": "x", "items": [{{"id',
            "truncated",
        ),
        (
            f'{{"format": "{HISTORY_FORMAT}", "version": 1}}\n'
            '{"items": [{"id": "1", "x": "a"}]}\n',
            "wrong type",
        ),
        (
            f'{{"format": "{HISTORY_FORMAT}", "version": 1}}\n'
            '{"items": [{"id": "1", "type": "sticky_note", "x": 1}, {"id": "2", "x": 1}]}\n',
            "line 2: Sighting.__init__() missing 1 required positional argument: 'type'",
        ),
        (
            f'{{"format": "{HISTORY_FORMAT}", "version": 1}}\n'
            '{"items": [{"id": "1", "type": "sticky_note", "x": 1}]}\n'
            '{"items": [{"id": "2", "type": "sticky_note", "x": true}]}\n',
            "line 3: field 'x' has the wrong type",
        ),
        (
            f'{{"format": "{HISTORY_FORMAT}", "version": 1}}\n'
            '{"items": [{"id": "1", "type": "sticky_note", "x": 1}]}\n'
            '{"items": [{"id": "2", "type": "sticky_note", "x": 1, "z": 1}]}\n',
            "line 3: unknown field 'z'",
        ),
        ("", "empty"),
    ],
)
def test_an_unreadable_history_is_set_aside_in_one_line(
    tmp_path: Path, content: str, why: str
) -> None:
    store = HistoryStore(tmp_path)
    path = store.path(backend="emulator", board_id="b=1")
    path.parent.mkdir(parents=True)
    path.write_text(content)
    memory = store.load(backend="emulator", board_id="b=1")
    assert memory.empty
    assert memory.problem is not None
    assert "\n" not in memory.problem
    assert str(path) in memory.problem
    assert why in memory.problem
    assert "harvesting without it" in memory.problem
    aside = path.with_name(path.name + ".unreadable")
    assert aside.read_text() == content
    # The next read starts a fresh, readable history.
    store.record(memory, _items(1), read_at="2026-12-01T10:00:00.000Z")
    assert store.load(backend="emulator", board_id="b=1").problem is None


def test_sighted_keeps_the_order_of_the_sighting_fields() -> None:
    # board.sightings builds the content positionally: a field added to Sighting, or
    # moved, must be added there too.
    from dataclasses import fields

    from boardsmith.harvest.history import sighted

    names = [f.name for f in fields(Sighting) if f.name != "seen"]
    content = tuple(f"v{n}" for n in range(len(names)))
    made = sighted(None, content)
    assert [getattr(made, name) for name in names] == list(content)
    assert sighted(made, content) is made  # seen again unchanged: the same object
    changed = (*content[:-1], "other")
    assert sighted(made, changed) is not made


def test_an_unchanged_item_is_recorded_by_identity_and_the_file_keeps_its_seen_time(
    tmp_path: Path,
) -> None:
    store = HistoryStore(tmp_path)
    first = store.record(
        store.load(backend="emulator", board_id="b=1"), _items(2), read_at="2026-12-01T10:00:00Z"
    )
    again = store.record(first, list(first.items.values()), read_at="2026-12-01T10:00:05Z")
    assert again.records == first.records  # nothing new to say
    lines = [
        json.loads(line)
        for line in store.path(backend="emulator", board_id="b=1").read_text().splitlines()
    ]
    assert lines[-1] == {"read": "2026-12-01T10:00:05Z", "items": [], "gone": []}
    loaded = store.load(backend="emulator", board_id="b=1")
    assert {s.seen for s in loaded.items.values()} == {"2026-12-01T10:00:00Z"}


def test_a_loaded_sighting_is_the_one_its_constructor_builds(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    full = Sighting(
        id="1", type="dot", text="t", parent="f", x=1.5, y=2, created_by="u", modified_by="v",
        modified_at="m", lane="l", lane_name="Ana", on="s", on_x=3, on_y=4.5,
    )  # fmt: skip
    bare = Sighting(id="2", type="sticky_note")
    store.record(store.load(backend="emulator", board_id="b"), [full, bare], read_at="T")
    memory = store.load(backend="emulator", board_id="b")
    for want in (full, bare):
        got = memory.get(want.id)
        assert got is not None
        assert list(got.__dict__) == [f.name for f in dataclasses.fields(Sighting)]
        assert got == want
        assert hash(got) == hash(want)
        assert got.seen == "T"
