"""The nightly soak: ``python -m bench.bench_soak [--seeds 25] [--participants 24]``.

The fault matrix of ``tests/boards/test_soak.py`` at a nightly size (issue 21):
more seeds, a bigger board (the vision board for ``--participants`` people),
kills of a real ``boardsmith create`` process and concurrent creates. Each run
builds boards the way ``boardsmith create`` does (pending record, board lock,
apply, closing verification read), and after the faults stop repeats the same
create until it succeeds, as a user would. Then every board is read whole, item
by item, with a reader that does not use ``boardsmith.boards``:

* **duplicates**: board items beyond what the plan places there (type, text,
  position) plus connectors beyond the plan's;
* **missing**: plan items (or connectors) not on the board, and plan keys the
  state does not record;
* **orphan boards**: boards on the emulator that no create finished.

Cases: ``429`` / ``500`` / ``fail-after-commit 500`` / ``dropped connection`` /
``everything`` (fault rates as in the test, schedules seeded), ``cancel`` (the
run's task cancelled at a seeded request, before or after the emulator acted:
Ctrl-C), ``SIGKILL`` (a ``python -m boardsmith create`` process killed after a
seeded number of recorded items, or while its board is being made, then the
same command again) and ``concurrent`` (``--concurrent`` creates at once under
10 % 429s and 10 % fail-after-commit). Retry waits cost no wall time in the
in-process cases (a fake clock); the seconds column is wall time per run.
Exits 1 when any run leaves a duplicate, a missing item or an orphan board.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench._common import table
from boardsmith.boards.apply import apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.newboard import board_of_create
from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorTransport, Faults, create_app
from boardsmith.emulator.app import EmulatorApp
from boardsmith.errors import StateError
from boardsmith.miro import MiroClient
from boardsmith.miro.errors import MiroError
from boardsmith.miro.models import BoardCreate
from boardsmith.templates import Plan, compile_plan, find_template

TEMPLATE = "vision-board"
#: The user the CLI's embedded emulator acts as (``boardsmith create`` without a token).
CLI_USER = "Facilitator:local"
#: The user the in-process runs act as.
BENCH_USER = "Facilitator:1"
FAULTS: dict[str, Faults] = {
    "429": Faults(rate_429=0.3),
    "500": Faults(rate_500=0.2),
    "fail-after-commit 500": Faults(fail_after_commit=0.3, fail_mode="500"),
    "dropped connection": Faults(fail_after_commit=0.3, fail_mode="drop"),
    "everything": Faults(rate_429=0.2, rate_500=0.2, fail_after_commit=0.2),
}


@dataclass
class Outcome:
    """What one run left behind, counted by reading every board whole."""

    case: str
    seed: int
    items: int
    attempts: int
    duplicates: int
    missing: int
    orphans: int
    seconds: float
    #: Whether the kill happened before the create finished (kill cases).
    stopped: bool = True

    @property
    def clean(self) -> bool:
        """No duplicate, no missing item, no orphan board."""
        return not (self.duplicates or self.missing or self.orphans)


# -- the independent board reader ------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")


def _plain(text: str | None) -> str:
    text = re.sub(r"</p>|<br\s*/?>", " ", text or "")
    return " ".join(html.unescape(_TAG.sub("", text)).split())


Signature = tuple[str, str, float, float]


def _planned(plan: Plan, dx: float, dy: float) -> tuple[Counter[Signature], int]:
    """(type, text, x, y) of every plan item but connectors, and the connector count."""
    sigs: Counter[Signature] = Counter()
    for item in plan.items:
        if item.type == "connector":
            continue
        text = " ".join(item.plain_text.split()) if item.type == "frame" else _plain(item.content)
        sigs[(item.type, text, round(item.x + dx, 1), round(item.y + dy, 1))] += 1
    return sigs, sum(1 for i in plan.items if i.type == "connector")


async def _on_board(client: MiroClient, board_id: str) -> tuple[Counter[Signature], int]:
    """The same for what the board holds, positions made absolute."""
    raw = [item async for item in client.items.list(board_id, page_size=50)]
    frames = {i.id: i for i in raw if i.type == "frame"}
    sigs: Counter[Signature] = Counter()
    for item in raw:
        assert item.position is not None
        x, y = item.position.x, item.position.y
        if item.parent is not None:
            frame = frames[item.parent.id]
            assert frame.position is not None
            assert frame.geometry is not None
            x += frame.position.x - (frame.geometry.width or 0) / 2
            y += frame.position.y - (frame.geometry.height or 0) / 2
        data: Any = item.data
        fields = data.model_dump() if hasattr(data, "model_dump") else (data or {})
        if item.type in ("frame", "card"):
            text = fields.get("title")
            text = " ".join((text or "").split()) if item.type == "frame" else _plain(text)
        else:
            text = _plain(fields.get("content"))
        sigs[(item.type, text, round(x, 1), round(y, 1))] += 1
    connectors = sum([1 async for _ in client.connectors.list(board_id)])
    return sigs, connectors


async def count(
    client: MiroClient, home: Path, plan: Plan, finished: set[str]
) -> tuple[int, int, int]:
    """(duplicates, missing, orphan boards) over every board on the emulator."""
    duplicates = missing = 0
    boards = [b.id async for b in client.boards.list()]
    store = StateStore(home)
    for board_id in boards:
        if board_id not in finished:
            continue
        state = store.load(backend="emulator", board_id=board_id)
        dx, dy = (state.offset_x, state.offset_y) if state is not None else (0.0, 0.0)
        wanted, wanted_links = _planned(plan, dx, dy)
        found, links = await _on_board(client, board_id)
        duplicates += sum((found - wanted).values()) + max(0, links - wanted_links)
        missing += sum((wanted - found).values()) + max(0, wanted_links - links)
        recorded = set(state.items) if state is not None else set()
        missing += sum(1 for item in plan.items if item.key not in recorded)
    orphans = sum(1 for b in boards if b not in finished) + len(finished - set(boards))
    return duplicates, missing, orphans


# -- boardsmith create, in process -----------------------------------------------------


class _FakeTime:
    """A clock that moves only when the client sleeps: retry waits cost no wall time."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would


class _CancelAt(EmulatorTransport):
    """Cancels the running task at its ``at``-th request, before or after the emulator
    acted on it (``at`` 0: never)."""

    def __init__(self, app: EmulatorApp, at: int = 0, after: bool = False) -> None:
        super().__init__(app)
        self.at, self.after, self.seen = at, after, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        if self.seen == self.at and not self.after:
            raise asyncio.CancelledError
        response = await super().handle_async_request(request)
        if self.seen == self.at:
            raise asyncio.CancelledError
        return response


async def create_once(client: MiroClient, home: Path, plan: Plan) -> str:
    """``boardsmith create``'s core path: the board of this create, locked, applied."""
    request = BoardCreate(name=plan.title[:60], description="soak")
    async with board_of_create(
        client, home, backend="emulator", request=request,
        template=plan.template, params=plan.params,
    ) as (board_id, fresh):  # fmt: skip
        await apply_plan(
            ClientBoardIO(client), StateStore(home), backend="emulator",
            board_id=board_id, plan=plan, fresh_board=fresh,
        )  # fmt: skip
    return board_id


async def until_done(
    client: MiroClient, home: Path, plan: Plan, tries: list[int], limit: int = 50
) -> str:
    """The same create again after every failure, as a user would; counts the tries."""
    for _ in range(limit - 1):
        tries.append(1)
        with contextlib.suppress(MiroError):
            return await create_once(client, home, plan)
    tries.append(1)
    return await create_once(client, home, plan)


@contextlib.asynccontextmanager
async def _session(transport: EmulatorTransport, seed: int) -> AsyncIterator[MiroClient]:
    """A client on a fake clock with a seeded retry jitter."""
    fake = _FakeTime()
    async with MiroClient(
        token=BENCH_USER, transport=transport, sleep=fake.sleep, clock=fake.clock,
        rng=random.Random(seed).random,
    ) as client:  # fmt: skip
        yield client


def _seeded(base: Faults, seed: int) -> Faults:
    return Faults(
        rate_429=base.rate_429, rate_500=base.rate_500,
        fail_after_commit=base.fail_after_commit, fail_mode=base.fail_mode, seed=seed,
    )  # fmt: skip


async def _in_process(
    case: str, seed: int, plan: Plan, work: Callable[[MiroClient, EmulatorApp, Path, list[int],
                                                      _CancelAt], Awaitable[set[str]]]
) -> Outcome:  # fmt: skip
    app = create_app(":memory:")
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
            home = Path(tmp)
            transport = _CancelAt(app)
            tries: list[int] = []
            async with _session(transport, seed) as client:
                finished = await work(client, app, home, tries, transport)
                app.faults = Faults()
                seconds = time.perf_counter() - start
                dup, miss, orphans = await count(client, home, plan, finished)
    finally:
        app.close()
    return Outcome(case, seed, len(plan.items), len(tries), dup, miss, orphans, seconds)


async def fault_run(case: str, seed: int, plan: Plan) -> Outcome:
    """One create under one kind of fault, then the same create until it succeeds."""

    async def work(
        client: MiroClient, app: EmulatorApp, home: Path, tries: list[int], _t: _CancelAt
    ) -> set[str]:
        app.faults = _seeded(FAULTS[case], seed)
        return {await until_done(client, home, plan, tries)}

    return await _in_process(case, seed, plan, work)


async def cancel_run(seed: int, plan: Plan, requests: int) -> Outcome:
    """A create cancelled at a seeded request (of about ``requests``), then the same create."""
    rng = random.Random(seed)

    async def work(
        client: MiroClient, app: EmulatorApp, home: Path, tries: list[int], killer: _CancelAt
    ) -> set[str]:
        killer.at, killer.after = rng.randrange(1, requests + 1), rng.random() < 0.5
        tries.append(1)
        with contextlib.suppress(asyncio.CancelledError):
            await create_once(client, home, plan)
        killer.at = 0
        return {await until_done(client, home, plan, tries)}

    return await _in_process("cancel", seed, plan, work)


async def concurrent_run(seed: int, plan: Plan, runs: int) -> Outcome:
    """``runs`` creates at once under light faults: each finishes exactly one board."""

    async def work(
        client: MiroClient, app: EmulatorApp, home: Path, tries: list[int], _t: _CancelAt
    ) -> set[str]:
        app.faults = Faults(rate_429=0.1, fail_after_commit=0.1, seed=seed)
        ids = await asyncio.gather(*(until_done(client, home, plan, tries) for _ in range(runs)))
        return set(ids)

    return await _in_process("concurrent", seed, plan, work)


# -- boardsmith create, a real process killed ------------------------------------------


def _cli_env(home: Path, latency_ms: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIRO_", "BOARDSMITH_"))}
    env.update(
        BOARDSMITH_HOME=str(home),
        BOARDSMITH_CONFIG=str(home / "config.toml"),
        BOARDSMITH_EMULATOR_LATENCY_MS=str(latency_ms),
    )
    return env


def _recorded(home: Path) -> Iterator[int]:
    # Through the store, which replays the journal the running create appends to.
    store = StateStore(home)
    for backend, board_id in store.list_states():
        with contextlib.suppress(StateError):
            state = store.load(backend=backend, board_id=board_id)
            if state is not None:
                yield len(state.items)


def _create_command(participants: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "boardsmith", "create", TEMPLATE,
            "--participants", ",".join(participants), "--json"]  # fmt: skip


def _kill_then_rerun(
    home: Path, plan: Plan, participants: Sequence[str], target: int, latency_ms: float
) -> tuple[int, set[str], bool]:
    """Start ``boardsmith create``, SIGKILL it at ``target`` recorded items (0: while its
    board is being made), run the same command until it succeeds: (tries, boards, stopped)."""
    command = _create_command(participants)
    proc = subprocess.Popen(
        command, env=_cli_env(home, latency_ms),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if target == 0 and any((home / "pending").glob("*.json")):
                break
            if target and any(n >= target for n in _recorded(home)):
                break
            time.sleep(0.005)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    # A create that finished before its kill moment tests nothing: say so.
    stopped = proc.returncode == -signal.SIGKILL and all(
        n < len(plan.items) for n in _recorded(home)
    )
    tries = 1
    for _ in range(5):
        tries += 1
        again = subprocess.run(
            command, env=_cli_env(home, 0), capture_output=True, text=True, check=False,
            timeout=300,
        )  # fmt: skip
        if again.returncode == 0:
            return tries, {json.loads(again.stdout)["board_id"]}, stopped
    return tries, set(), stopped


async def sigkill_run(
    seed: int, plan: Plan, participants: Sequence[str], latency_ms: float
) -> Outcome:
    """``boardsmith create`` SIGKILLed at a seeded moment, then the same command again."""
    rng = random.Random(seed)
    target = rng.choice([0, *range(1, len(plan.items))])
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="soak-kill-") as tmp:
        home = Path(tmp)
        tries, finished, stopped = await asyncio.to_thread(
            _kill_then_rerun, home, plan, participants, target, latency_ms
        )
        seconds = time.perf_counter() - start
        app = create_app(home / "emulator.sqlite3")
        try:
            async with MiroClient(
                token=CLI_USER, base_url="http://emulator.local", transport=EmulatorTransport(app)
            ) as client:
                dup, miss, orphans = await count(client, home, plan, finished)
        finally:
            app.close()
    return Outcome("SIGKILL", seed, len(plan.items), tries, dup, miss, orphans, seconds, stopped)


# -- the run -----------------------------------------------------------------------------


async def _requests_of_a_clean_create(plan: Plan) -> int:
    app = create_app(":memory:")
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
            async with _session(EmulatorTransport(app), 0) as client:
                await create_once(client, Path(tmp), plan)
        return int(app.stats()["total_requests"])
    finally:
        app.close()


def summarise(outcomes: Sequence[Outcome]) -> str:
    """One row per case: runs, sizes, tries, what was left, wall seconds."""
    rows = []
    for case in dict.fromkeys(o.case for o in outcomes):
        mine = [o for o in outcomes if o.case == case]
        seconds = [o.seconds for o in mine]
        rows.append(
            [case, len(mine), mine[0].items, sum(o.attempts for o in mine),
             sum(o.duplicates for o in mine), sum(o.missing for o in mine),
             sum(o.orphans for o in mine), f"{statistics.median(seconds):.2f}",
             f"{max(seconds):.2f}"]
        )  # fmt: skip
    return table(
        ["case", "runs", "items", "creates run", "duplicates", "missing", "orphan boards",
         "median s", "max s"],
        rows,
    )  # fmt: skip


async def run(args: argparse.Namespace) -> int:
    """Every case for every seed; the table; 1 when anything was left wrong."""
    participants = [f"Person {n + 1}" for n in range(args.participants)]
    plan = compile_plan(find_template(TEMPLATE), {"participants": participants})
    seeds = range(1, args.seeds + 1)
    requests = await _requests_of_a_clean_create(plan)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for case in FAULTS:
        outcomes += [await fault_run(case, seed, plan) for seed in seeds]
    # Twice the seeds for kills: where a run stops matters more than which fault.
    outcomes += [await cancel_run(seed, plan, requests) for seed in range(1, 2 * args.seeds + 1)]
    outcomes += [await concurrent_run(seed, plan, args.concurrent) for seed in seeds]
    outcomes += [
        await sigkill_run(seed, plan, participants, args.kill_latency_ms)
        for seed in range(1, args.sigkills + 1)
    ]
    total = time.perf_counter() - started
    print(
        f"soak: {TEMPLATE} for {args.participants} participants ({len(plan.items)} items, "
        f"{requests} requests for a clean create), seeds 1-{args.seeds}, {args.concurrent} "
        f"concurrent creates, {args.sigkills} process kills at "
        f"{args.kill_latency_ms:g} ms/request; wall seconds"
    )
    print()
    print(summarise(outcomes))
    print()
    kills = [o for o in outcomes if o.case == "SIGKILL"]
    if kills:
        print(f"process kills: {sum(o.stopped for o in kills)} of {len(kills)} before the "
              "create finished")  # fmt: skip
    bad = [o for o in outcomes if not o.clean]
    print(f"{len(outcomes)} runs in {total:.1f} s; {len(bad)} left a duplicate, a missing "
          "item or an orphan board")  # fmt: skip
    for o in bad:
        print(
            f"FAIL {o.case} seed {o.seed}: {o.duplicates} duplicates, {o.missing} missing, "
            f"{o.orphans} orphan boards",
            file=sys.stderr,
        )
    return 1 if bad else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, run, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_soak", description=__doc__)
    parser.add_argument("--seeds", type=int, default=25, help="seeds per fault case")
    parser.add_argument(
        "--participants", type=int, default=24, help="participants on the vision board"
    )
    parser.add_argument("--concurrent", type=int, default=3, help="creates run at once")
    parser.add_argument("--sigkills", type=int, default=12, help="real processes killed")
    parser.add_argument(
        "--kill-latency-ms", type=float, default=40.0,
        help="emulator latency while a process waits to be killed",
    )  # fmt: skip
    args = parser.parse_args(argv)
    for flag in ("seeds", "participants", "concurrent"):
        if getattr(args, flag) < 1:
            parser.error(f"--{flag}: must be at least 1")
    if args.sigkills < 0:
        parser.error("--sigkills: must not be negative")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
