"""A district's roll-up: ``python -m bench.bench_rollup [--latency-ms 100] [--boards 10,50]
[--stickies 200]``.

Issue 14's goal: aggregating 50 boards of 200 stickies each stays within 1.1x of the
lower bound, and memory grows linearly. Every board is the ``bench_harvest`` board
(the built-in ``leadership-vision`` built by ``apply_plan`` plus ``--stickies``
participant stickies, 60% in the lanes, the rest in a parking-lot frame), seeded
fast (latency 0, unlimited budget, another user). Then latency is switched on and,
side by side in the same process (the machine is shared, so only ratios between
runs of one process mean much), the first ``n`` boards are read three ways:

* **roll-up**: :func:`boardsmith.harvest.api.harvest_boards` over all ``n`` boards
  at once, as ``boardsmith harvest`` runs it for a collection (``partial=True``,
  board history in a throwaway data dir, a label per board); it builds
  ``document.rollup`` (each group's choice) and ``document.aggregate``;
* **naive**: the same call for one board at a time, one board after another;
* **plain**: a bare ``httpx`` client reading each board's ``/items`` by cursor
  (50 a page), board after board and page after page, nothing harvested.

Each way reads as its own user, so each starts with a fresh credit budget.

The lower bound is the higher of two, for a complete reader (every item, and each
board's members and name, which the report shows):

* the **cursor-stream floor**: such a reader makes at least ceil(items / 50) list
  calls per board plus one call a page of members and one for the board, at most
  ``DEFAULT_CONCURRENCY`` (boardsmith's own setting) in flight, so latency x
  ceil(all calls / concurrency); and at least two round trips once a type needs a
  second page (no longer chain is certain: a frame's children can be listed in
  parallel with their own cursors);
* the **credit budget's bound**: those calls' credits (Level 2 pages, Level 1
  members and board) paid from fixed one-minute windows (Miro's rule and the
  emulator's): the last call cannot start before the window ceil(credits / budget)
  - 1 windows on, which opens as much earlier as the read started into its window;
  then one latency. Under the default budget 50 boards fit in the first window, so
  this bound is the smaller one unless ``--credits-per-minute`` is lowered.

``process cpu`` is the CPU time of this process while the roll-up ran (every thread:
client, emulator and a thread-harvest; a harvest in a worker process is not in it).

Peak memory (tracemalloc, whole process: client, harvest, roll-up and the
in-process emulator answering) is measured for the roll-up at latency 0 in separate
runs at each ``--memory-boards`` size, because tracing slows the run it measures.

Exits 1 when a roll-up misses a sticky or a board's choice, or takes more than
``--max-ratio`` (1.1) times the lower bound.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx

from bench._common import (
    LEVEL2_CREDITS,
    PAGE_SIZE,
    WINDOW_SECONDS,
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
from bench.bench_harvest import TEMPLATE, Board, seed
from boardsmith.emulator import EmulatorTransport
from boardsmith.harvest.api import BoardSource, harvest_boards
from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.model import HarvestDocument
from boardsmith.miro.constants import DEFAULT_CONCURRENCY

ROLLUP_USER = "Coach:2"
NAIVE_USER = "Naive:3"
PLAIN_USER = "Plain:4"
BASE_URL = "http://emulator.local"
#: Miro's Level 1 (members, board) credits (API-NOTES section 7).
LEVEL1_CREDITS = 50


def _sources(boards: Sequence[Board]) -> list[BoardSource]:
    # Labels as a district names its schools: the boards share one title, and a label
    # is what the roll-up shows for each.
    return [
        BoardSource(b.board_id, plan=b.plan, item_ids=b.item_ids, label=f"School {n + 1}")
        for n, b in enumerate(boards)
    ]


async def read_rollup(env: Env, boards: Sequence[Board], user: str) -> tuple[HarvestDocument, int]:
    """Every board at once, as ``boardsmith harvest`` runs a collection; and its calls."""
    async with env.client(user) as client:
        with tempfile.TemporaryDirectory(prefix="bench-history-") as home:
            document, _ = await harvest_boards(
                client,
                _sources(boards),
                history=HistoryStore(Path(home)),
                backend="emulator",
                partial=len(boards) > 1,
            )
        return document, client.stats.requests


async def read_naive(env: Env, boards: Sequence[Board], user: str) -> tuple[int, int]:
    """One board after another with the same harvest; stickies seen and calls made."""
    stickies = 0
    async with env.client(user) as client:
        with tempfile.TemporaryDirectory(prefix="bench-history-") as home:
            history = HistoryStore(Path(home))
            for source in _sources(boards):
                document, _ = await harvest_boards(
                    client, [source], history=history, backend="emulator"
                )
                stickies += sum(len(b.stickies) for b in document.boards)
        return stickies, client.stats.requests


async def read_plain(env: Env, boards: Sequence[Board], user: str) -> tuple[int, int]:
    """A bare httpx client: each board's /items by cursor, sequentially; items, calls."""
    items = calls = 0
    headers = {"Authorization": f"Bearer {user}"}
    async with httpx.AsyncClient(
        transport=EmulatorTransport(env.app), base_url=BASE_URL, headers=headers
    ) as http:
        for board in boards:
            cursor = ""
            while True:
                params = {"limit": str(PAGE_SIZE), **({"cursor": cursor} if cursor else {})}
                response = await http.get(f"/v2/boards/{board.board_id}/items", params=params)
                response.raise_for_status()
                calls += 1
                body = response.json()
                items += len(body["data"])
                cursor = body.get("cursor") or ""
                if not cursor:
                    break
    return items, calls


def check(document: HarvestDocument, boards: Sequence[Board]) -> list[str]:
    """What the roll-up of ``boards`` misses: stickies, boards or a board's choice."""
    problems: list[str] = []
    if document.failed:
        problems.append(f"{len(document.failed)} boards failed: {document.failed[0].reason}")
    harvested = {b.board_id: len(b.stickies) for b in document.boards}
    for board in boards:
        got = harvested.get(board.board_id)
        if got != board.stickies:
            problems.append(f"board {board.board_id}: {got} of {board.stickies} stickies")
    if len(boards) > 1:
        chosen = {c.board_id for c in document.rollup.choices} if document.rollup else set()
        missing = [b.board_id for b in boards if b.board_id not in chosen]
        if missing:
            problems.append(f"{len(missing)} boards have no choice in the roll-up")
        if document.aggregate is None:
            problems.append("no aggregate")
    return problems


@dataclass
class Bound:
    """The lower bound for reading some boards and its two parts (seconds)."""

    pages: int
    calls: int
    credits: int
    floor: float
    budget: float

    @property
    def seconds(self) -> float:
        return max(self.floor, self.budget)


def lower_bound(
    boards: Sequence[Board],
    latency_s: float,
    concurrency: int,
    credits_per_minute: int,
    *,
    member_pages: Sequence[int] | None = None,
    window_offset: float = 0.0,
) -> Bound:
    """The higher of the cursor-stream floor and the credit budget's bound, for a
    complete reader: every item, and each board's members and name.

    ``member_pages`` is each board's pages of members (one each when not given);
    ``window_offset`` how far into its one-minute window the read starts.
    """
    pages = sum(math.ceil(b.items / PAGE_SIZE) for b in boards)
    # The report names participants and the board: members (offset pages, all of them
    # can be asked at once) and the board itself, Level 1 calls.
    level1 = sum(member_pages) if member_pages is not None else len(boards)
    level1 += len(boards)
    calls = pages + level1
    # A second round trip is needed once a type does not fit one page; no longer chain
    # is certain (a frame's children can be listed in parallel, and the first page's
    # `total` says when they are all).
    chain = 2 if any(b.largest_type > PAGE_SIZE for b in boards) else 1
    floor = max(calls_time(calls, concurrency, latency_s), chain * latency_s)
    credits = pages * LEVEL2_CREDITS + level1 * LEVEL1_CREDITS
    # Fixed windows: a window holds at most `credits_per_minute`, so the last call waits
    # for the window that many windows later, which opens `window_offset` early.
    windows = math.ceil(credits / credits_per_minute)
    budget = max(0.0, (windows - 1) * WINDOW_SECONDS - window_offset) + latency_s
    return Bound(pages=pages, calls=calls, credits=credits, floor=floor, budget=budget)


HEADERS = [
    "boards",
    "items",
    "stickies",
    "calls",
    "naive calls",
    "plain calls",
    "bound calls",
    "bound credits",
    "time",
    "naive time",
    "plain time",
    "cpu time",
    "process cpu",
    "floor",
    "budget bound",
    "time / bound",
    "time / own calls",
    "time / naive",
    "time / plain",
]


async def member_pages(env: Env, boards: Sequence[Board]) -> list[int]:
    """Each board's pages of members (the bound's members calls; at least one)."""
    pages = []
    async with env.client("Census:7") as client:
        for board in boards:
            members = [m async for m in client.members.list(board.board_id)]
            pages.append(max(1, math.ceil(len(members) / PAGE_SIZE)))
    return pages


async def measure(
    env: Env, some: Sequence[Board], pages: Sequence[int], args: argparse.Namespace, tag: str
) -> tuple[list[object], list[str]]:
    """One table row for the first ``len(some)`` boards read three ways; its failures."""
    n, concurrency, latency_s = len(some), DEFAULT_CONCURRENCY, args.latency_ms / 1000
    env.set_latency(args.latency_ms)
    offset = env.clock.now() % WINDOW_SECONDS
    cpu_before = time.process_time()
    (document, calls), seconds = await timed(
        partial(read_rollup, env, some, f"{ROLLUP_USER}{tag}"), env.clock
    )
    # Every thread of the process (client, harvest, emulator), while the roll-up ran.
    process_cpu = time.process_time() - cpu_before
    (naive_stickies, naive_calls), naive_s = await timed(
        partial(read_naive, env, some, f"{NAIVE_USER}{tag}"), env.clock
    )
    (plain_items, plain_calls), plain_s = await timed(
        partial(read_plain, env, some, f"{PLAIN_USER}{tag}"), env.clock
    )
    # The same roll-up with no latency: what is left is CPU (client, harvest and the
    # emulator answering), the part of the time above the floor latency can't explain.
    env.set_latency(0)
    _, cpu_s = await timed(partial(read_rollup, env, some, f"Cpu:5{tag}"), env.clock)
    bound = lower_bound(
        some,
        latency_s,
        concurrency,
        args.credits_per_minute,
        member_pages=pages,
        window_offset=offset,
    )
    failures = [f"{n} boards: {p}" for p in check(document, some)]
    stickies = sum(b.stickies for b in some)
    if naive_stickies != stickies:
        failures.append(f"{n} boards: naive harvested {naive_stickies} of {stickies}")
    if plain_items != sum(b.items for b in some):
        failures.append(f"{n} boards: plain read {plain_items} items")
    if bound.seconds > 0 and seconds > args.max_ratio * bound.seconds:
        failures.append(
            f"{n} boards: roll-up {seconds:.2f} s is {seconds / bound.seconds:.2f}x "
            f"the lower bound {bound.seconds:.2f} s (goal {args.max_ratio:g}x)"
        )
    # What boardsmith's own number of calls needs at the same concurrency: the ratio of
    # the time to this is CPU and scheduling, the ratio of this to the floor is calls
    # made beyond the minimum.
    own_s = calls_time(calls, concurrency, latency_s)
    row: list[object] = [
        n,
        f"{sum(b.items for b in some):,}",
        f"{stickies:,}",
        calls,
        naive_calls,
        plain_calls,
        bound.calls,
        f"{bound.credits:,}",
        *(f"{v:.2f}" for v in (seconds, naive_s, plain_s, cpu_s, process_cpu)),
        f"{bound.floor:.2f}",
        f"{bound.budget:.2f}",
        ratio(seconds, bound.seconds),
        ratio(seconds, own_s),
        ratio(seconds, naive_s),
        ratio(seconds, plain_s),
    ]
    return row, failures


def memory_table(memory: Sequence[tuple[int, int, int]]) -> str:
    """Peak memory per size, against the first size."""
    first_n, _, first_peak = memory[0]
    return table(
        ["boards", "items", "peak MiB", "KiB / board", "peak / first", "boards / first"],
        [
            [
                n,
                f"{items:,}",
                mib(peak),
                f"{peak / n / 1024:.0f}",
                ratio(peak, first_peak),
                ratio(n, first_n),
            ]
            for n, items, peak in memory
        ],
    )


async def run(args: argparse.Namespace) -> int:
    """Seed, read every size three ways, measure memory; print; 1 when a check fails."""
    failures: list[str] = []
    rows: list[list[object]] = []
    memory: list[tuple[int, int, int]] = []  # boards, items, peak bytes
    most = max(*args.boards, *args.memory_boards)
    async with emulator(latency_ms=0) as env:
        # Different seeds give each board its own lanes and so its own choice.
        boards = [await seed(env, args.stickies, seed_value=7 + n) for n in range(most)]
        pages = await member_pages(env, boards)
        env.app.credits_per_minute = args.credits_per_minute
        for n in args.boards:
            row, failed = await measure(env, boards[:n], pages[:n], args, f"{n}-{len(rows)}")
            rows.append(row)
            failures += failed
            if args.verbose:
                print(f"done {n} boards", file=sys.stderr, flush=True)
        env.set_latency(0)
        for n in args.memory_boards:
            some = boards[:n]
            (document, _), peak = await peak_memory(
                partial(read_rollup, env, some, f"Memory:6-{n}")
            )
            failures += [f"{n} boards (memory run): {p}" for p in check(document, some)]
            memory.append((n, sum(b.items for b in some), peak))
    print(
        f"roll-up: {TEMPLATE} + {args.stickies} stickies per board, latency "
        f"{args.latency_ms:g} ms/request, client concurrency {DEFAULT_CONCURRENCY}, emulator "
        f"budget {args.credits_per_minute:,} credits/minute; wall seconds, all runs side by "
        "side in one process"
    )
    print()
    print(table(HEADERS, rows))
    print()
    print("peak memory of the roll-up (tracemalloc, whole process, latency 0)")
    print()
    print(memory_table(memory))
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, run, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_rollup", description=__doc__)
    add_latency_flag(parser)
    parser.add_argument(
        "--boards", type=sizes, default=[10, 50], help="boards rolled up (default 10,50)"
    )
    parser.add_argument("--stickies", type=int, default=200, help="participant stickies a board")
    parser.add_argument(
        "--memory-boards",
        type=sizes,
        default=[10, 25, 50],
        help="boards rolled up in the tracemalloc runs (default 10,25,50)",
    )
    parser.add_argument(
        "--credits-per-minute",
        type=int,
        default=100_000,
        help="emulator budget while reading (default Miro's 100,000)",
    )
    parser.add_argument(
        "--max-ratio", type=float, default=1.1, help="most time / lower bound allowed (1.1)"
    )
    parser.add_argument("--verbose", action="store_true", help="report progress on stderr")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
