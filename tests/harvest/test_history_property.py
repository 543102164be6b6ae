"""Property: once a sticky was seen in a lane, moving it (within the lane, to another
region or into a slot) changes neither who picked it nor the dots on it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.model import BoardHarvest
from boardsmith.harvest.snapshot import Snapshot, build_snapshot
from boardsmith.templates import Plan, compile_plan, find_template
from tests.harvest.factories import raw_item

PLAN = compile_plan(
    find_template("vision-board"),
    {"participants": ["Ana", "Ben"], "word_bank": ["Bold", "Calm"], "top_n": 3},
)
IDS = {item.key: f"{1_000_000_000 + n:019d}" for n, item in enumerate(PLAN.items)}
MEMBERS = {"fay": "Fay", "ana": "Ana", "ben": "Ben"}
STICKY = "9" * 19
LANE = "vision/lanes/lane-ana"
DESTINATIONS = [
    "own lane",
    "vision/top/slot-1",
    "vision/top/slot-3",
    "vision/prompts/feels",
    "vision/word-bank",
    "nowhere",
]


def _board(
    plan: Plan, sticky_at: tuple[float, float], dots: dict[str, tuple[float, float]]
) -> Snapshot:
    raw = []
    for item in plan.items:
        if item.type == "connector":
            continue
        x, y = dots.get(item.key, (item.x, item.y))
        data: dict[str, Any] = {"title" if item.type == "frame" else "content": item.plain_text}
        if item.shape:
            data["shape"] = item.shape
        raw.append(
            raw_item(
                IDS[item.key],
                item.type,
                x,
                y,
                item.width,
                item.height,
                data=data,
                style={k: v for k, v in item.style.items() if k in ("fillColor", "borderColor")},
                moved_by="ana" if item.key in dots else "fay",
            )
        )
    height = 150 * 228 / 199
    raw.append(
        raw_item(
            STICKY,
            "sticky_note",
            *sticky_at,
            150,
            height,
            data={"content": "Bold"},
            by="ana",
            moved_by="ana",
        )
    )
    return build_snapshot("b1", raw, members=MEMBERS)


def _point(key: str, fx: float, fy: float) -> tuple[float, float]:
    item = PLAN.by_key[key]
    return (item.left + item.width * fx, item.top + item.height * fy)


def _picks_point(fx: float, fy: float) -> tuple[float, float]:
    # Between the lane's dot tray and its "why" box.
    lane = PLAN.by_key[LANE]
    why = PLAN.by_key[f"{LANE}/why"]
    tray = max(i.bottom for i in PLAN.items if i.key.startswith(f"{LANE}/dots/"))
    top, bottom = tray + 90, why.top - 90
    return (lane.left + 80 + (lane.width - 160) * fx, top + (bottom - top) * fy)


def _harvest(snapshot: Snapshot, store: HistoryStore) -> BoardHarvest:
    memory = store.load(backend="emulator", board_id="b1")
    result = harvest_snapshot(snapshot, plan=PLAN, item_ids=IDS, history=memory)
    store.record(memory, result.sightings, read_at="2026-12-01T10:00:00.000Z")
    return result.harvest


def _facts(board: BoardHarvest) -> tuple[str | None, int, list[str]]:
    sticky = next(s for s in board.stickies if s.id == STICKY)
    dots = [d for d in board.dots if d.counted and d.sticky == STICKY]
    return sticky.participant, len(dots), sorted(d.owner or "" for d in dots)


@settings(max_examples=40, deadline=None)
@given(
    start=st.tuples(st.floats(0.1, 0.9), st.floats(0.1, 0.9)),
    destination=st.sampled_from(DESTINATIONS),
    where=st.tuples(st.floats(0.3, 0.7), st.floats(0.3, 0.7)),
)
def test_moving_a_seen_sticky_keeps_its_picker_and_dots(
    start: tuple[float, float], destination: str, where: tuple[float, float]
) -> None:
    at = _picks_point(*start)
    # Ben's first dot and Ana's second dot sit on the sticky where it was picked.
    dots = {
        "vision/lanes/lane-ben/dots/dot-1": (at[0] - 20, at[1]),
        f"{LANE}/dots/dot-2": (at[0] + 20, at[1] + 10),
    }
    with tempfile.TemporaryDirectory() as home:
        store = HistoryStore(Path(home))
        first = _harvest(_board(PLAN, at, dots), store)
        assert _facts(first) == ("Ana", 2, ["Ana", "Ben"])
        if destination == "own lane":
            to = _picks_point(*where)
        elif destination == "nowhere":
            frame = PLAN.by_key["vision"]
            to = (frame.right + 500 * where[0], frame.top + 300 * where[1])
        else:
            to = _point(destination, *where)
        after = _harvest(_board(PLAN, to, dots), store)
        assert _facts(after) == _facts(first)
