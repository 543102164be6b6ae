"""Harvesting boards: ``python -m bench.bench_harvest [--latency-ms 100] [--sizes 100,1000,10000]``.

Each board is the built-in ``leadership-vision`` template (built with
``apply_plan``, so local state exists as after ``boardsmith create``) plus
``size`` stickies written by participants: 60% picked into the six lanes (words
from the word bank), the rest in extra "parking lot" frames of up to 1,000
stickies each. Boards are seeded fast (latency 0, unlimited budget, another
user), then latency is switched on and a coach reads the board two ways:

* **boardsmith**: :func:`boardsmith.harvest.api.harvest_boards` with the board's
  plan and item ids, which is what ``boardsmith harvest`` / ``tally`` run;
* **baseline**: one sequential ``GET /items`` stream (50 per page), members and
  board name one after another, then the same pure
  :func:`~boardsmith.harvest.api.harvest_snapshot`.

The lower bound is ceil(items / 50) list calls, and ceil(calls / concurrency)
times the latency if the pages could all be fetched in parallel. They cannot:
Miro pages items by cursor (page n+1 needs page n's cursor), and a complete
read of a type needs one unfiltered stream of it (a frame filter misses items on
the canvas). So "stream time", the pages of the most common type read one after
another, is the floor any complete reader has. Peak memory
is the peak of Python allocations (tracemalloc) over the whole process (client,
harvest and the in-process emulator answering), measured in a separate run at
latency 0 because tracing slows the run it measures.

Exits 1 when boardsmith's list calls exceed the bound by more than
``frames + 3`` or the harvest misses stickies.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._common import (
    PAGE_SIZE,
    Env,
    add_latency_flag,
    calls_time,
    emulator,
    mib,
    peak_memory,
    ratio,
    sizes,
    table,
    timed,
)
from boardsmith.boards.apply import apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.state import StateStore
from boardsmith.harvest.api import BoardSource, harvest_boards, harvest_snapshot
from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.model import HarvestDocument
from boardsmith.harvest.snapshot import build_snapshot
from boardsmith.miro import MiroClient
from boardsmith.miro.constants import DEFAULT_CONCURRENCY
from boardsmith.miro.models import BoardCreate, FrameCreate, StickyNoteCreate
from boardsmith.templates import Plan, compile_plan, find_template

TEMPLATE = "leadership-vision"
SEEDER = "Seeder:1"
COACH = "Coach:2"
#: Share of the stickies picked into participant lanes; the rest go to extra frames.
LANE_SHARE = 0.6
PER_EXTRA_FRAME = 1000
EXTRA_FRAME_SIZE = 2400.0
STICKY_WIDTH = 100.0
#: Enough budget that seeding is never throttled.
SEED_BUDGET = 10**12


@dataclass
class Board:
    """A seeded board and what local state knows about it."""

    board_id: str
    plan: Plan
    item_ids: dict[str, str]
    items: int
    stickies: int
    frames: int
    largest_type: int


def _inside(
    rng: random.Random, x: float, y: float, width: float, height: float, margin: float
) -> tuple[float, float]:
    return (
        rng.uniform(x - width / 2 + margin, x + width / 2 - margin),
        rng.uniform(y - height / 2 + margin, y + height / 2 - margin),
    )


async def seed(env: Env, size: int, seed_value: int = 7) -> Board:
    """Build the template board and add ``size`` stickies (latency 0, no budget)."""
    env.set_latency(0)
    env.app.credits_per_minute = SEED_BUDGET
    rng = random.Random(seed_value)
    plan = compile_plan(find_template(TEMPLATE))
    with tempfile.TemporaryDirectory(prefix="bench-state-") as home:
        store = StateStore(Path(home))
        async with env.client(SEEDER, credits_per_minute=SEED_BUDGET) as client:
            board = await client.boards.create(BoardCreate(name=plan.title[:60]))
            await apply_plan(
                ClientBoardIO(client), store, backend="emulator", board_id=board.id, plan=plan,
                fresh_board=True,
            )  # fmt: skip
            state = store.load(backend="emulator", board_id=board.id)
            assert state is not None
            item_ids = state.item_ids()
            stickies = await _add_stickies(client, board.id, plan, item_ids, size, rng)
    frames = 1 + math.ceil((size - round(size * LANE_SHARE)) / PER_EXTRA_FRAME)
    per_type = Counter(i.type for i in plan.items)
    per_type["sticky_note"] += stickies
    per_type["frame"] = frames
    return Board(
        board_id=board.id,
        plan=plan,
        item_ids=item_ids,
        items=sum(per_type.values()),
        stickies=per_type["sticky_note"],
        frames=frames,
        largest_type=max(per_type.values()),
    )


async def _add_stickies(
    client: MiroClient,
    board_id: str,
    plan: Plan,
    item_ids: Mapping[str, str],
    size: int,
    rng: random.Random,
) -> int:
    frame = next(i for i in plan.items if i.type == "frame")
    left, top = frame.x - frame.width / 2, frame.y - frame.height / 2
    lanes = [i for i in plan.items if i.role == "lane"]
    words = [i.plain_text for i in plan.items if i.role == "word"]
    requests: list[StickyNoteCreate] = []
    in_lanes = round(size * LANE_SHARE)
    for n in range(in_lanes):
        lane = lanes[n % len(lanes)]
        x, y = _inside(rng, lane.x, lane.y, lane.width, lane.height, STICKY_WIDTH)
        requests.append(_sticky(rng.choice(words), x - left, y - top, item_ids[frame.key]))
    rest = size - in_lanes
    for k in range(math.ceil(rest / PER_EXTRA_FRAME)):
        fx = frame.x + frame.width / 2 + (k + 1) * (EXTRA_FRAME_SIZE + 200)
        extra = await client.frames.create(
            board_id,
            FrameCreate.model_validate(
                {
                    "data": {"title": f"Parking lot {k + 1}"},
                    "position": {"x": fx, "y": 0},
                    "geometry": {"width": EXTRA_FRAME_SIZE, "height": EXTRA_FRAME_SIZE},
                }
            ),
        )
        for _ in range(min(PER_EXTRA_FRAME, rest - k * PER_EXTRA_FRAME)):
            x, y = _inside(rng, 0, 0, EXTRA_FRAME_SIZE, EXTRA_FRAME_SIZE, STICKY_WIDTH)
            half = EXTRA_FRAME_SIZE / 2
            requests.append(_sticky(f"idea {len(requests)}", x + half, y + half, extra.id))
    created = await client.items.bulk_create(board_id, requests, concurrent=True)
    return len(created)


def _sticky(text: str, x: float, y: float, parent_id: str) -> StickyNoteCreate:
    return StickyNoteCreate.model_validate(
        {
            "data": {"content": text, "shape": "square"},
            "position": {"x": x, "y": y},
            "geometry": {"width": STICKY_WIDTH},
            "parent": {"id": parent_id},
        }
    )


async def read_boardsmith(client: MiroClient, board: Board) -> HarvestDocument:
    """What ``boardsmith harvest`` / ``tally`` run for a board with local state,
    including loading and recording the board history (in a throwaway data dir)."""
    source = BoardSource(board.board_id, plan=board.plan, item_ids=board.item_ids)
    with tempfile.TemporaryDirectory() as home:
        document, _ = await harvest_boards(
            client, [source], history=HistoryStore(Path(home)), backend="emulator"
        )
    return document


async def read_baseline(client: MiroClient, board: Board) -> HarvestDocument:
    """One sequential /items stream, then members and name, then the same harvest."""
    raw: list[Mapping[str, Any]] = [
        item.model_dump(mode="json", by_alias=True)
        async for item in client.items.list(board.board_id, page_size=PAGE_SIZE)
    ]
    members = {m.id: m.name async for m in client.members.list(board.board_id) if m.id and m.name}
    info = await client.boards.get(board.board_id)
    snapshot = build_snapshot(board.board_id, raw, members=members, board_name=info.name)
    result = harvest_snapshot(snapshot, plan=board.plan, item_ids=board.item_ids)
    return HarvestDocument(boards=[result.harvest], aggregate=None)


@dataclass
class Read:
    """What one way of reading a board cost."""

    list_calls: int
    calls: int
    credits: int
    seconds: float
    stickies: int
    peak: int = 0


def _stickies(document: HarvestDocument) -> int:
    return sum(len(board.stickies) for board in document.boards)


async def measure(env: Env, board: Board, how: str, user: str) -> Read:
    """Read ``board`` with latency on (timed), then again at latency 0 under tracemalloc."""
    reader = read_boardsmith if how == "boardsmith" else read_baseline
    latency = env.latency_ms
    async with env.client(user) as client:
        document, seconds = await timed(lambda: reader(client, board), env.clock)
        read = Read(
            list_calls=client.stats.operations["items.list"],
            calls=client.stats.requests,
            credits=client.stats.credits,
            seconds=seconds,
            stickies=_stickies(document),
        )
    env.set_latency(0)
    async with env.client(user) as client:
        _, read.peak = await peak_memory(lambda: reader(client, board))
    env.set_latency(latency)
    return read


async def run(args: argparse.Namespace) -> int:
    """Seed and read every size; print the table; 1 when a check fails."""
    concurrency = DEFAULT_CONCURRENCY
    latency_s = args.latency_ms / 1000
    rows: list[list[object]] = []
    failures: list[str] = []
    for size in args.sizes:
        async with emulator(latency_ms=0) as env:
            board = await seed(env, size)
            env.app.credits_per_minute = args.credits_per_minute
            env.set_latency(args.latency_ms)
            # Separate users: each has a fresh budget, as on Miro.
            mine = await measure(env, board, "boardsmith", COACH)
            base = await measure(env, board, "baseline", "Baseline:3")
        bound = math.ceil(board.items / PAGE_SIZE)
        bound_s = calls_time(bound, concurrency, latency_s)
        # Cursor pages of one stream come one after another: the longest stream is a floor.
        stream_s = math.ceil(board.largest_type / PAGE_SIZE) * latency_s
        if mine.list_calls > bound + board.frames + 3:
            failures.append(
                f"{size:,} stickies: {mine.list_calls} list calls, "
                f"lower bound {bound} + {board.frames} frames + 3"
            )
        if mine.stickies != board.stickies or base.stickies != board.stickies:
            failures.append(
                f"{size:,} stickies: harvested {mine.stickies} (baseline {base.stickies}) "
                f"of {board.stickies}"
            )
        rows.append(
            [
                f"{size:,}",
                board.items,
                board.frames,
                mine.list_calls,
                mine.calls,
                base.calls,
                bound,
                f"{mine.credits:,}",
                f"{mine.seconds:.2f}",
                f"{base.seconds:.2f}",
                f"{bound_s:.2f}",
                f"{stream_s:.2f}",
                mib(mine.peak),
                mib(base.peak),
                ratio(mine.seconds, base.seconds),
                ratio(mine.seconds, bound_s),
                ratio(mine.seconds, stream_s),
            ]
        )
        if args.verbose:
            print(f"done {size}", file=sys.stderr, flush=True)
    print(
        f"harvest: template {TEMPLATE} + stickies, latency {args.latency_ms:g} ms/request, "
        f"client concurrency {concurrency}; times in seconds, memory in MiB "
        "(tracemalloc peak, whole process, latency 0)"
    )
    print()
    print(
        table(
            [
                "stickies",
                "items",
                "frames",
                "list calls",
                "calls",
                "base calls",
                "bound calls",
                "credits",
                "time",
                "base time",
                "bound time",
                "stream time",
                "peak MiB",
                "base MiB",
                "time / base",
                "time / bound",
                "time / stream",
            ],
            rows,
        )
    )
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, run, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_harvest", description=__doc__)
    add_latency_flag(parser)
    parser.add_argument(
        "--sizes", type=sizes, default=[100, 1000, 10000], help="stickies added per board"
    )
    parser.add_argument(
        "--credits-per-minute",
        type=int,
        default=100_000,
        help="emulator budget while reading (default Miro's 100,000)",
    )
    parser.add_argument("--verbose", action="store_true", help="report progress on stderr")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
