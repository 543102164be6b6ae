"""A district's roll-up: ``python -m bench.bench_rollup [--latency-ms 100] [--boards 10,50]
[--stickies 200] [--in-process] [--profile FILE]``.

Issue 14's goal: aggregating 50 boards of 200 stickies each stays within 1.1x of the
lower bound, and memory grows linearly. Every board is the ``bench_harvest`` board
(the built-in ``leadership-vision`` built by ``apply_plan`` plus ``--stickies``
participant stickies, 60% in the lanes, the rest in a parking-lot frame), seeded
fast (latency 0, unlimited budget, another user) into an emulator database. Then a
``boardsmith emulator serve`` process serves that database with latency, as Miro
serves a district's boards: its CPU (answering every call) is on a process of its
own, not on the core the roll-up runs on (``--in-process`` reads from an emulator in
this process instead, as the first two passes did). The first ``n`` boards are read
four ways, one after another:

* **roll-up**: :func:`boardsmith.harvest.api.harvest_boards` over all ``n`` boards
  at once, as ``boardsmith harvest`` runs it for a collection (``partial=True``,
  board history in a throwaway data dir, a label per board); it builds
  ``document.rollup`` (each group's choice) and ``document.aggregate``;
* **naive**: the same call for one board at a time, one board after another;
* **plain**: a bare ``httpx`` client reading each board's ``/items`` by cursor
  (50 a page), board after board and page after page, nothing harvested;
* **served floor**: a bare ``httpx`` client, in a process of its own, making exactly
  the bound's calls (each board's unfiltered ``/items`` by cursor, its members and
  the board), all boards at once at ``DEFAULT_CONCURRENCY`` in flight, nothing
  harvested: what this server gives a reader that does no work of its own.

Each way reads as its own user, so each starts with a fresh credit budget.

The lower bound is the higher of three, for a complete reader (every item, and each
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
  this bound is the smaller one unless ``--credits-per-minute`` is lowered;
* the **served floor** above, measured: the emulator server answers one request at
  a time on its own core (a handler's CPU after each latency), so a wave of 8 calls
  takes longer than one latency there. The first two are what Miro would allow;
  the table shows the time against each.

``process cpu`` is the CPU time of this process while the roll-up ran (every thread:
client, harvest, and the emulator too with ``--in-process``); ``cpu time`` the wall
time of the same roll-up against the server at latency 0.

Peak memory (tracemalloc, this process: client, harvest and roll-up, plus the
emulator with ``--in-process``) is measured for the roll-up at latency 0 in separate
runs at each ``--memory-boards`` size, because tracing slows the run it measures.

``--profile FILE`` writes a cProfile of the largest roll-up (at ``--latency-ms``)
and of the same roll-up at latency 0 (``FILE`` and ``FILE.0``).

Exits 1 when a roll-up misses a sticky or a board's choice, or takes more than
``--max-ratio`` (1.1) times the lower bound.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx

from bench._common import (
    LEVEL2_CREDITS,
    PAGE_SIZE,
    ROOT,
    WINDOW_SECONDS,
    add_latency_flag,
    calls_time,
    cursor_items,
    emulator,
    mib,
    peak_memory,
    process_env,
    ratio,
    served,
    sizes,
    table,
    timed,
)
from bench.bench_harvest import SEED_BUDGET, TEMPLATE, Board, seed
from boardsmith.emulator import EmulatorTransport
from boardsmith.harvest.api import BoardSource, harvest_boards
from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.model import HarvestDocument
from boardsmith.miro import MiroClient
from boardsmith.miro.constants import DEFAULT_CONCURRENCY

ROLLUP_USER = "Coach:2"
NAIVE_USER = "Naive:3"
PLAIN_USER = "Plain:4"
FLOOR_USER = "Floor:8"
IN_PROCESS_URL = "http://emulator.local"
#: Miro's Level 1 (members, board) credits (API-NOTES section 7).
LEVEL1_CREDITS = 50


@dataclass
class Target:
    """Where the boards are read from: a served emulator, or one in this process."""

    url: str
    #: The server's clock (its budget windows).
    now: Callable[[], float]
    transport: Callable[[], httpx.AsyncBaseTransport | None] = lambda: None

    def client(self, user: str) -> MiroClient:
        """A MiroClient configured like the CLI's (its defaults)."""
        return MiroClient(token=user, base_url=self.url, transport=self.transport())

    def http(self, user: str) -> httpx.AsyncClient:
        """A bare httpx client, as a beginner would write one."""
        headers = {"Authorization": f"Bearer {user}"}
        return httpx.AsyncClient(
            base_url=self.url, headers=headers, transport=self.transport(), timeout=60
        )


@asynccontextmanager
async def target(
    db: Path, *, latency_ms: float, credits: int, in_process: bool
) -> AsyncIterator[Target]:
    """The seeded database served with ``latency_ms`` and a budget of ``credits``."""
    if not in_process:
        with served(db, latency_ms=latency_ms, credits=credits) as url:
            yield Target(url, time.time)
        return
    async with emulator(latency_ms=latency_ms, credits_per_minute=credits, db=db) as env:
        yield Target(IN_PROCESS_URL, env.clock.now, lambda: EmulatorTransport(env.app))


async def seed_boards(db: Path, count: int, stickies: int) -> list[Board]:
    """``count`` boards in ``db``, seeded in this process (latency 0, no budget)."""
    async with emulator(latency_ms=0, credits_per_minute=SEED_BUDGET, db=db) as env:
        # Different seeds give each board its own lanes and so its own choice.
        return [await seed(env, stickies, seed_value=7 + n) for n in range(count)]


def _sources(boards: Sequence[Board]) -> list[BoardSource]:
    # Labels as a district names its schools: the boards share one title, and a label
    # is what the roll-up shows for each.
    return [
        BoardSource(b.board_id, plan=b.plan, item_ids=b.item_ids, label=f"School {n + 1}")
        for n, b in enumerate(boards)
    ]


async def read_rollup(
    at: Target, boards: Sequence[Board], user: str
) -> tuple[HarvestDocument, int]:
    """Every board at once, as ``boardsmith harvest`` runs a collection; and its calls."""
    async with at.client(user) as client:
        with tempfile.TemporaryDirectory(prefix="bench-history-") as home:
            document, _ = await harvest_boards(
                client,
                _sources(boards),
                history=HistoryStore(Path(home)),
                backend="emulator",
                partial=len(boards) > 1,
            )
        return document, client.stats.requests


async def read_naive(at: Target, boards: Sequence[Board], user: str) -> tuple[int, int]:
    """One board after another with the same harvest; stickies seen and calls made."""
    stickies = 0
    async with at.client(user) as client:
        with tempfile.TemporaryDirectory(prefix="bench-history-") as home:
            history = HistoryStore(Path(home))
            for source in _sources(boards):
                document, _ = await harvest_boards(
                    client, [source], history=history, backend="emulator"
                )
                stickies += sum(len(b.stickies) for b in document.boards)
        return stickies, client.stats.requests


async def read_plain(at: Target, boards: Sequence[Board], user: str) -> tuple[int, int]:
    """A bare httpx client: each board's /items by cursor, sequentially; items, calls."""
    items = calls = 0
    one = asyncio.Semaphore(1)
    async with at.http(user) as http:
        for board in boards:
            seen, pages = await cursor_items(http, board.board_id, one)
            items, calls = items + seen, calls + pages
    return items, calls


def served_floor(url: str, boards: Sequence[Board], user: str) -> tuple[int, float]:
    """:func:`read_floor` in a process of its own (nothing this process imported or set
    up changes it, whichever commit's client runs here): items read, seconds."""
    command = [sys.executable, "-m", "bench.bench_rollup", "floor", url, user]
    done = subprocess.run(
        [*command, *(b.board_id for b in boards)],
        capture_output=True,
        text=True,
        check=True,
        env=process_env(),
        cwd=ROOT,
    )
    seen = json.loads(done.stdout)
    return int(seen["items"]), float(seen["seconds"])


def _floor_main(url: str, user: str, board_ids: Sequence[str]) -> int:
    """``python -m bench.bench_rollup floor URL USER BOARD...``: prints items, seconds."""

    async def read() -> tuple[int, float]:
        return await timed(partial(read_floor, Target(url, time.time), board_ids, user))

    items, seconds = asyncio.run(read())
    print(json.dumps({"items": items, "seconds": seconds}))
    return 0


async def read_floor(at: Target, board_ids: Sequence[str], user: str) -> int:
    """The bound's calls and no other work: every board's /items by cursor, its members
    (by offset, 50 a page) and the board, all at once at the client's concurrency; items."""
    slots = asyncio.Semaphore(DEFAULT_CONCURRENCY)

    async def members(http: httpx.AsyncClient, board_id: str) -> None:
        offset = 0
        while True:
            params = {"limit": str(PAGE_SIZE), "offset": str(offset)}
            async with slots:
                response = await http.get(f"/v2/boards/{board_id}/members", params=params)
            response.raise_for_status()
            body = response.json()
            offset += len(body["data"])
            if not body["data"] or offset >= body.get("total", 0):
                return

    async def name(http: httpx.AsyncClient, board_id: str) -> None:
        async with slots:
            (await http.get(f"/v2/boards/{board_id}")).raise_for_status()

    async with at.http(user) as http:
        counts = await asyncio.gather(
            *(cursor_items(http, b, slots) for b in board_ids),
            *(members(http, b) for b in board_ids),
            *(name(http, b) for b in board_ids),
        )
    return sum(c[0] for c in counts if isinstance(c, tuple))


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
    """The lower bound for reading some boards and its parts (seconds)."""

    pages: int
    calls: int
    credits: int
    floor: float
    budget: float
    #: The served floor, measured (0 when not measured).
    served: float = 0.0

    @property
    def miro(self) -> float:
        """What Miro's rules allow: the higher of the floor and the budget's bound."""
        return max(self.floor, self.budget)

    @property
    def seconds(self) -> float:
        return max(self.miro, self.served)


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
    "served floor",
    "time / bound",
    "time / floor",
    "time / served floor",
    "time / own calls",
    "time / naive",
    "time / plain",
]


async def member_pages(at: Target, boards: Sequence[Board]) -> list[int]:
    """Each board's pages of members (the bound's members calls; at least one)."""
    pages = []
    async with at.client("Census:7") as client:
        for board in boards:
            members = [m async for m in client.members.list(board.board_id)]
            pages.append(max(1, math.ceil(len(members) / PAGE_SIZE)))
    return pages


@dataclass
class Measured:
    """What reading the first ``n`` boards cost, with latency (and at latency 0)."""

    boards: Sequence[Board]
    bound: Bound
    seconds: float
    calls: int
    naive_s: float
    naive_calls: int
    plain_s: float
    plain_calls: int
    process_cpu: float
    cpu_s: float = 0.0


def _profiled(path: Path | None) -> cProfile.Profile | None:
    if path is None:
        return None
    profile = cProfile.Profile()
    profile.enable()
    return profile


def _dump(profile: cProfile.Profile | None, path: Path | None) -> None:
    if profile is not None and path is not None:
        profile.disable()
        profile.dump_stats(path)


async def measure(
    at: Target,
    some: Sequence[Board],
    pages: Sequence[int],
    args: argparse.Namespace,
    tag: str,
    failures: list[str],
    profile: Path | None = None,
) -> Measured:
    """The first ``len(some)`` boards read four ways at ``--latency-ms``."""
    n, latency_s = len(some), args.latency_ms / 1000
    offset = at.now() % WINDOW_SECONDS
    profiler = _profiled(profile)
    cpu_before = time.process_time()
    (document, calls), seconds = await timed(partial(read_rollup, at, some, f"{ROLLUP_USER}{tag}"))
    # Every thread of the process while the roll-up ran.
    process_cpu = time.process_time() - cpu_before
    _dump(profiler, profile)
    (naive_stickies, naive_calls), naive_s = await timed(
        partial(read_naive, at, some, f"{NAIVE_USER}{tag}")
    )
    (plain_items, plain_calls), plain_s = await timed(
        partial(read_plain, at, some, f"{PLAIN_USER}{tag}")
    )
    if args.in_process:
        ids = [b.board_id for b in some]
        floor_items, floor_s = await timed(partial(read_floor, at, ids, f"{FLOOR_USER}{tag}"))
    else:
        floor_items, floor_s = served_floor(at.url, some, f"{FLOOR_USER}{tag}")
    bound = lower_bound(
        some,
        latency_s,
        DEFAULT_CONCURRENCY,
        args.credits_per_minute,
        member_pages=pages,
        window_offset=offset,
    )
    bound.served = floor_s
    failures += [f"{n} boards: {p}" for p in check(document, some)]
    stickies = sum(b.stickies for b in some)
    if naive_stickies != stickies:
        failures.append(f"{n} boards: naive harvested {naive_stickies} of {stickies}")
    items = sum(b.items for b in some)
    if plain_items != items or floor_items != items:
        failures.append(f"{n} boards: plain read {plain_items}, served floor {floor_items} items")
    # With no latency there is nothing to be within 1.1x of (the smoke test's case).
    if bound.miro > 0 and seconds > args.max_ratio * bound.seconds:
        failures.append(
            f"{n} boards: roll-up {seconds:.2f} s is {seconds / bound.seconds:.2f}x "
            f"the lower bound {bound.seconds:.2f} s (goal {args.max_ratio:g}x)"
        )
    return Measured(
        some, bound, seconds, calls, naive_s, naive_calls, plain_s, plain_calls, process_cpu
    )


def row(m: Measured, latency_s: float) -> list[object]:
    """One table row."""
    # What boardsmith's own number of calls needs at the same concurrency: the ratio of
    # the time to this is CPU and scheduling, the ratio of this to the floor is calls
    # made beyond the minimum.
    own_s = calls_time(m.calls, DEFAULT_CONCURRENCY, latency_s)
    b = m.bound
    return [
        len(m.boards),
        f"{sum(x.items for x in m.boards):,}",
        f"{sum(x.stickies for x in m.boards):,}",
        m.calls,
        m.naive_calls,
        m.plain_calls,
        b.calls,
        f"{b.credits:,}",
        *(f"{v:.2f}" for v in (m.seconds, m.naive_s, m.plain_s, m.cpu_s, m.process_cpu)),
        *(f"{v:.2f}" for v in (b.floor, b.budget, b.served)),
        ratio(m.seconds, b.seconds),
        ratio(m.seconds, b.miro),
        ratio(m.seconds, b.served),
        ratio(m.seconds, own_s),
        ratio(m.seconds, m.naive_s),
        ratio(m.seconds, m.plain_s),
    ]


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
    """Seed, read every size four ways, then at latency 0 and for memory; print; 1 when
    a check fails."""
    failures: list[str] = []
    measured: list[Measured] = []
    memory: list[tuple[int, int, int]] = []  # boards, items, peak bytes
    most = max(*args.boards, *args.memory_boards)
    profile: Path | None = args.profile
    with tempfile.TemporaryDirectory(prefix="bench-rollup-") as tmp:
        db = Path(tmp) / "emulator.sqlite3"
        boards = await seed_boards(db, most, args.stickies)
        where = partial(target, db, credits=args.credits_per_minute, in_process=args.in_process)
        async with where(latency_ms=args.latency_ms) as at:
            pages = await member_pages(at, boards)
            for k, n in enumerate(args.boards):
                last = k == len(args.boards) - 1
                measured.append(
                    await measure(
                        at,
                        boards[:n],
                        pages[:n],
                        args,
                        f"{n}-{k}",
                        failures,
                        profile if last else None,
                    )
                )
                if args.verbose:
                    print(f"done {n} boards", file=sys.stderr, flush=True)
        async with where(latency_ms=0) as at:
            for k, m in enumerate(measured):
                last = k == len(measured) - 1
                zero = Path(f"{profile}.0") if profile is not None and last else None
                profiler = _profiled(zero)
                _, m.cpu_s = await timed(partial(read_rollup, at, m.boards, f"Cpu:5-{k}"))
                _dump(profiler, zero)
            for n in args.memory_boards:
                some = boards[:n]
                (document, _), peak = await peak_memory(
                    partial(read_rollup, at, some, f"Memory:6-{n}")
                )
                failures += [f"{n} boards (memory run): {p}" for p in check(document, some)]
                memory.append((n, sum(b.items for b in some), peak))
    where_text = "an emulator in this process" if args.in_process else "a served emulator"
    print(
        f"roll-up: {TEMPLATE} + {args.stickies} stickies per board, {where_text}, latency "
        f"{args.latency_ms:g} ms/request, client concurrency {DEFAULT_CONCURRENCY}, emulator "
        f"budget {args.credits_per_minute:,} credits/minute; wall seconds, the readers one "
        "after another"
    )
    print()
    print(table(HEADERS, [row(m, args.latency_ms / 1000) for m in measured]))
    print()
    print(f"peak memory of the roll-up (tracemalloc, this process, latency 0, {where_text})")
    print()
    print(memory_table(memory))
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, run, return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["floor"]:
        return _floor_main(argv[1], argv[2], argv[3:])
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
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="read from an emulator in this process, not a served one",
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="cProfile the largest roll-up into FILE"
    )
    parser.add_argument("--verbose", action="store_true", help="report progress on stderr")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
