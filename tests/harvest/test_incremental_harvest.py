"""A harvest with a memo (what ``watch`` keeps between refreshes) equals a harvest
without one, field for field, after every step of random edit sequences: stickies
added, moved, edited, touched and deleted, dots moved onto stickies, template areas
dragged, members renamed."""

from __future__ import annotations

import copy
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest

from boardsmith.harvest.api import HarvestResult, harvest_snapshot
from boardsmith.harvest.history import BoardHistory, HistoryStore
from boardsmith.harvest.memo import HarvestMemo, ReadMemo
from boardsmith.harvest.snapshot import Snapshot, _as_read, build_snapshot
from boardsmith.templates import compile_plan, find_template
from tests.harvest.factories import raw_item

PLAN = compile_plan(
    find_template("vision-board"),
    {"participants": ["Ana", "Ben"], "word_bank": ["Bold", "Calm", "Caring"], "top_n": 3},
)
IDS = {item.key: f"{1_000_000_000 + n:019d}" for n, item in enumerate(PLAN.items)}
AREAS = [
    "vision/lanes/lane-ana",
    "vision/lanes/lane-ben",
    "vision/top/slot-1",
    "vision/top/slot-2",
    "vision/word-bank",
    "vision/warm-up",
    "vision/sketch",
]
# Words, inflections, typos of each other, lists, sentences, numbered ideas (near
# duplicates of each other): texts whose terms depend on what was written before.
TEXTS = [
    "Bold",
    "bold",
    "Bolder",
    "Calm",
    "calms",
    "Caring",
    "Carring",
    "Collaborative",
    "colaborative",
    "Colaboratives",
    "collaborativ",
    "Inclusive",
    "inclusives",
    "Inclusion",
    "<p>Student-centred</p>",
    "student centred",
    "bold, caring",
    "Brave<br>Kind",
    "Teachers plan together, weekly",
    "idea 1",
    "idea 2",
    "idea 12",
    "Joyful!",
    "joyfull",
    "",
]
USERS = ["ana", "ben", "fay"]


def _template_items() -> dict[str, Any]:
    items = {}
    for item in PLAN.items:
        if item.type == "connector":
            continue
        data: dict[str, Any] = {"title" if item.type == "frame" else "content": item.plain_text}
        if item.shape:
            data["shape"] = item.shape
        style = {k: v for k, v in item.style.items() if k in ("fillColor", "borderColor")}
        items[IDS[item.key]] = raw_item(
            IDS[item.key],
            item.type,
            item.x,
            item.y,
            item.width,
            item.height,
            data=data,
            style=style,
            createdAt="2026-01-01T00:00:00Z",
        )
    return items


class Board:
    """A board a random participant edits one step at a time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.items = _template_items()
        self.stickies: list[str] = []
        self.dots = [IDS[i.key] for i in PLAN.items if i.role == "dot"]
        self.members = {"fay": "Fay", "ana": "Ana", "ben": "Ben"}
        self.clock = 0

    def _stamp(self) -> str:
        self.clock += 1
        return f"2026-12-01T10:{self.clock // 60:02d}:{self.clock % 60:02d}Z"

    def _point(self) -> tuple[float, float]:
        rng = self.rng
        if rng.random() < 0.15:
            frame = PLAN.by_key["vision"]
            return (frame.right + rng.uniform(100, 600), frame.top + rng.uniform(0, 400))
        area = PLAN.by_key[rng.choice(AREAS)]
        # Now and then on an area's edge, to exercise the border rule.
        fx = rng.choice([rng.uniform(0.2, 0.8), 0.0, 1.0])
        return (area.left + area.width * fx, area.top + area.height * rng.uniform(0.2, 0.8))

    def step(self) -> str:
        """One random edit; its name."""
        rng = self.rng
        kinds = ["add", "add", "move", "edit", "delete", "dot", "touch", "rename", "area"]
        kind = rng.choice(kinds if self.stickies else ["add"])
        if kind == "add":
            ident = f"{3_000_000_000 + self.clock:019d}"
            x, y = self._point()
            who = rng.choice(USERS)
            stamp = self._stamp()
            self.items[ident] = raw_item(
                ident,
                rng.choice(["sticky_note", "sticky_note", "card"]),
                x,
                y,
                150,
                150 * 228 / 199,
                data={"content": rng.choice(TEXTS)},
                style={"fillColor": rng.choice(["light_yellow", "light_pink"])},
                by=who,
                moved_by=who,
                createdAt=stamp,
                modifiedAt=stamp,
            )
            self.stickies.append(ident)
            return kind
        ident = rng.choice(self.stickies)
        item = self.items[ident]
        if kind == "move":
            x, y = self._point()
            item["position"] = {"x": x, "y": y}
            item["modifiedBy"] = {"id": rng.choice(USERS)}
            item["modifiedAt"] = self._stamp()
        elif kind == "edit":
            item["data"] = {"content": rng.choice(TEXTS)}
            item["modifiedAt"] = self._stamp()
        elif kind == "touch":
            # The same text and place, a new modification time.
            item["modifiedAt"] = self._stamp()
        elif kind == "delete":
            self.stickies.remove(ident)
            del self.items[ident]
        elif kind == "dot":
            dot = self.items[rng.choice(self.dots)]
            dot["position"] = {
                "x": item["position"]["x"] + rng.uniform(-30, 30),
                "y": item["position"]["y"] + rng.uniform(-30, 30),
            }
            dot["modifiedBy"] = {"id": rng.choice(USERS)}
        elif kind == "area":
            # Someone drags a template area: every placement may change.
            area = self.items[IDS[rng.choice(AREAS)]]
            area["position"] = {
                "x": area["position"]["x"] + rng.uniform(-300, 300),
                "y": area["position"]["y"] + rng.uniform(-100, 100),
            }
        elif kind == "rename":
            user = rng.choice(USERS)
            self.members[user] = rng.choice(["Ana", "Ben", "Fay", "Ana B."])
        return kind

    def snapshot(self, memo: ReadMemo | None = None) -> Snapshot:
        """The board as a read would see it now (through ``memo`` as watch reads it: a
        read's JSON is new objects every time, so the listing is copied)."""
        if memo is None:
            return build_snapshot("b1", list(self.items.values()), members=dict(self.members))
        listed = [memo.as_read(raw, _as_read) for raw in copy.deepcopy(list(self.items.values()))]
        return build_snapshot("b1", listed, members=dict(self.members), memo=memo)


def _harvest(snapshot: Snapshot, memory: BoardHistory, memo: HarvestMemo | None) -> HarvestResult:
    return harvest_snapshot(snapshot, plan=PLAN, item_ids=IDS, history=memory, memo=memo)


@pytest.mark.parametrize("seed", range(6))
def test_a_memoised_harvest_equals_a_full_one_after_every_edit(seed: int) -> None:
    board = Board(random.Random(seed))
    memo = HarvestMemo()
    with tempfile.TemporaryDirectory() as full_home, tempfile.TemporaryDirectory() as kept_home:
        # A full harvest reads its history from the file, as a new command would; the
        # memoised one keeps its history in memory from read to read, as watch does.
        full_store, kept_store = HistoryStore(Path(full_home)), HistoryStore(Path(kept_home))
        kept_memory = kept_store.load(backend="emulator", board_id="b1")
        for step in range(60):
            kind = board.step()
            full_memory = full_store.load(backend="emulator", board_id="b1")
            full = _harvest(board.snapshot(), full_memory, None)
            kept = _harvest(board.snapshot(memo.read), kept_memory, memo)
            assert kept.harvest == full.harvest, (seed, step, kind)
            assert kept.sightings == full.sightings, (seed, step, kind)
            # Recorded as watch does, so attribution by history changes along the way.
            at = f"2026-12-01T11:00:{step:02d}.000Z"
            full_store.record(full_memory, full.sightings, read_at=at)
            kept_memory = kept_store.record(kept_memory, kept.sightings, read_at=at)


def test_the_memo_is_used_and_forgets_deleted_stickies() -> None:
    board = Board(random.Random(99))
    for _ in range(10):
        board.step()
    memo = HarvestMemo()
    snapshot = board.snapshot()
    first = harvest_snapshot(snapshot, plan=PLAN, item_ids=IDS, memo=memo)
    again = harvest_snapshot(snapshot, plan=PLAN, item_ids=IDS, memo=memo)
    # The same board again: every sticky record is the one kept, not a new one.
    assert all(a is b for a, b in zip(first.harvest.stickies, again.harvest.stickies, strict=True))
    gone = board.stickies.pop()
    del board.items[gone]
    harvest_snapshot(board.snapshot(), plan=PLAN, item_ids=IDS, memo=memo)
    assert gone not in {item.id for item in memo.views.views}
    assert gone not in {record.id for record in memo.records.records.values()}
