"""boardsmith against the plain way, in one run: ``python -m bench.bench_sidebyside``.

Every claim of issue 20 as one command. Flags: ``--sizes 1000,5000,10000``
(stickies added to the ``leadership-vision`` board), ``--latency-ms 100``,
``--runs 3`` (medians; the order of the readers rotates between runs),
``--skip-harvest``, ``--skip-create``, ``--skip-startup``.

**Harvest.** A ``boardsmith emulator serve`` process holds the board (seeded with no
latency, then restarted on the same database with ``--latency-ms`` and Miro's
100,000 credits a minute), so the server's CPU is on another process, as Miro's
would be. Read side by side:

* ``boardsmith harvest BOARD --out FILE``: the CLI as a user runs it, its own
  process, start-up, history and writing the JSON included (the board has local
  state, as after ``boardsmith create``);
* ``plain httpx``: :mod:`bench.plain_httpx`, one sequential ``/items`` stream, its
  own process;
* ``miro-api``: :mod:`bench.plain_miro_api`, when the package is installed;
* ``in process``: :func:`boardsmith.harvest.api.harvest_boards` in this process
  (what the CLI runs, without start-up and output).

The floor is the sticky stream: ``ceil(stickies / 50)`` pages one after another
(page n+1 needs page n's cursor). Every reader must account for every item: the
CLI's and the in-process document hold every sticky, the plain readers every item.

**Create.** ``boardsmith create vision-board --json`` on the embedded emulator (a
fresh data directory each run, ``BOARDSMITH_EMULATOR_LATENCY_MS``), against the
lower bound of ``bench.bench_create`` and the plain httpx writer (one call per item,
against the served emulator at the same latency).

**Start-up.** ``boardsmith --help`` and ``boardsmith templates list`` against
``python -c "import httpx, pydantic"``, interleaved, best and median of 15.

Exits 1 when a reader misses items or a command fails. Wall-clock numbers on a
shared machine are noisy: read the ratios, which come from the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._common import (
    PAGE_SIZE,
    ROOT,
    add_latency_flag,
    process_env,
    ratio,
    served,
    sizes,
    table,
)
from bench.bench_create import lower_bound
from bench.bench_harvest import LANE_SHARE, PER_EXTRA_FRAME, _add_stickies
from boardsmith.boards.requests import Placement, connector_body, create_body
from boardsmith.boards.state import StateStore
from boardsmith.harvest.api import BoardSource, harvest_boards
from boardsmith.harvest.history import HistoryStore
from boardsmith.miro import MiroClient
from boardsmith.miro.constants import DEFAULT_CONCURRENCY, DEFAULT_CREDITS_PER_MINUTE
from boardsmith.templates import compile_plan, find_template

TEMPLATE = "leadership-vision"
CREATE_TEMPLATE = "vision-board"
SEED_BUDGET = 10**12
FACILITATOR = "Facilitator"


# -- processes -------------------------------------------------------------------------


@dataclass
class Proc:
    """What one process cost: wall and CPU seconds, peak RSS, its output."""

    wall: float
    cpu: float
    rss_mib: float
    out: str


def run_process(command: Sequence[str], env: dict[str, str]) -> Proc:
    """Run ``command`` to the end; exits the benchmark when it fails."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(
                f"{' '.join(command)} failed ({proc.returncode}):\n{err.read()[-2000:]}"
            )
        return Proc(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read())


def _boardsmith() -> list[str]:
    script = Path(sys.executable).with_name("boardsmith")
    return [str(script)] if script.exists() else [sys.executable, "-m", "boardsmith"]


# -- harvest ---------------------------------------------------------------------------


@dataclass
class Seeded:
    board_id: str
    items: int
    stickies: int


def seed(home: Path, url: str, size: int) -> Seeded:
    """``boardsmith create`` on the server (local state in ``home``), then ``size``
    stickies as ``bench.bench_harvest`` adds them."""
    env = process_env(BOARDSMITH_HOME=str(home), MIRO_API_URL=url)
    made = json.loads(run_process([*_boardsmith(), "create", TEMPLATE, "--json"], env).out)
    board_id = str(made["board_id"])
    state = StateStore(home).load(backend="emulator-server", board_id=board_id)
    assert state is not None, "create left no local state"
    plan = compile_plan(find_template(TEMPLATE))

    async def add() -> int:
        async with MiroClient(
            token=f"{FACILITATOR}:local", base_url=url, credits_per_minute=SEED_BUDGET
        ) as client:
            return await _add_stickies(
                client, board_id, plan, state.item_ids(), size, random.Random(7)
            )

    added = asyncio.run(add())
    frames = 1 + math.ceil((size - round(size * LANE_SHARE)) / PER_EXTRA_FRAME)
    plan_frames = sum(1 for i in plan.items if i.type == "frame")
    # /items has no connectors; the extra frames hold the parking-lot stickies.
    items = sum(1 for i in plan.items if i.type != "connector") + added + frames - plan_frames
    stickies = sum(1 for i in plan.items if i.type == "sticky_note") + added
    return Seeded(board_id, items, stickies)


def in_process(home: Path, url: str, board_id: str, user: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of ``harvest_boards`` here, and the stickies it found."""
    plan = compile_plan(find_template(TEMPLATE))
    state = StateStore(home).load(backend="emulator-server", board_id=board_id)
    assert state is not None

    async def read() -> int:
        async with MiroClient(token=user, base_url=url) as client:
            source = BoardSource(board_id, plan=plan, item_ids=state.item_ids())
            with tempfile.TemporaryDirectory() as history:
                document, _ = await harvest_boards(
                    client, [source], history=HistoryStore(Path(history)), backend="emulator"
                )
        return sum(len(b.stickies) for b in document.boards)

    wall, cpu = time.perf_counter(), time.process_time()
    found = asyncio.run(read())
    return time.perf_counter() - wall, time.process_time() - cpu, found


def harvest_rows(args: argparse.Namespace, failures: list[str]) -> list[list[object]]:
    rows: list[list[object]] = []
    latency_s = args.latency_ms / 1000
    miro_api = importlib.util.find_spec("miro_api") is not None
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-sbs-") as tmp:
            home = Path(tmp) / "home"
            db = Path(tmp) / "emulator.sqlite3"
            with served(db, latency_ms=0, credits=SEED_BUDGET) as url:
                board = seed(home, url, size)
            samples: dict[str, list[Proc]] = {}
            with served(db, latency_ms=args.latency_ms, credits=DEFAULT_CREDITS_PER_MINUTE) as url:
                readers = ["cli", "plain", "inproc", "stream"]
                readers += ["miro-api"] if miro_api else []
                readers += ["cli-base"] if args.baseline_src else []
                for run in range(args.runs):
                    for name in readers[run % len(readers) :] + readers[: run % len(readers)]:
                        # A user per reader and run: each has its own credit budget.
                        user = f"{name.replace('-', '')}{run}"
                        samples.setdefault(name, []).append(
                            _read(name, home, url, board, user, failures, args.baseline_src)
                        )
        floor = math.ceil(board.stickies / PAGE_SIZE) * latency_s
        if args.verbose:
            for name, procs in samples.items():
                walls = ", ".join(f"{p.wall:.2f}" for p in procs)
                print(f"{size}: {name} wall {walls}", file=sys.stderr, flush=True)
        med = {k: _median(v) for k, v in samples.items()}
        cli, plain, inproc, stream = med["cli"], med["plain"], med["inproc"], med["stream"]
        api, base = med.get("miro-api"), med.get("cli-base")
        rows.append(
            [
                f"{size:,}",
                board.items,
                f"{cli.wall:.2f}",
                f"{base.wall:.2f}" if base else "-",
                f"{plain.wall:.2f}",
                f"{api.wall:.2f}" if api else "-",
                f"{inproc.wall:.2f}",
                f"{stream.wall:.2f}",
                f"{floor:.2f}",
                ratio(inproc.wall, stream.wall),
                ratio(inproc.wall, floor),
                ratio(cli.wall, plain.wall),
                ratio(base.wall, plain.wall) if base else "-",
                f"{cli.cpu:.2f}",
                f"{base.cpu:.2f}" if base else "-",
                f"{plain.cpu:.2f}",
                f"{inproc.cpu:.2f}",
                f"{cli.rss_mib:.0f}",
            ]
        )
        if args.verbose:
            print(f"done {size}", file=sys.stderr, flush=True)
    return rows


def _median(procs: list[Proc]) -> Proc:
    return Proc(
        statistics.median(p.wall for p in procs),
        statistics.median(p.cpu for p in procs),
        max(p.rss_mib for p in procs),
        "",
    )


def _read(
    name: str,
    home: Path,
    url: str,
    board: Seeded,
    user: str,
    failures: list[str],
    baseline: Path | None = None,
) -> Proc:
    if name == "inproc":
        wall, cpu, found = in_process(home, url, board.board_id, f"{user}:local")
        if found != board.stickies:
            failures.append(f"in process: {found} of {board.stickies} stickies")
        return Proc(wall, cpu, 0.0, "")
    if name in ("cli", "cli-base"):
        out = home / "harvest.json"
        env = process_env(
            BOARDSMITH_HOME=str(home), MIRO_API_URL=url, BOARDSMITH_EMULATOR_USER=user
        )
        if name == "cli-base" and baseline is not None:
            env["PYTHONPATH"] = str(baseline)
        proc = run_process([*_boardsmith(), "harvest", board.board_id, "--out", str(out)], env)
        found = sum(len(b["stickies"]) for b in json.loads(out.read_text())["boards"])
        if found != board.stickies:
            failures.append(f"boardsmith harvest: {found} of {board.stickies} stickies")
        return proc
    module = "bench.plain_miro_api" if name == "miro-api" else "bench.plain_httpx"
    mode = {"plain": ["read"], "stream": ["stream"]}.get(name, [])
    proc = run_process(
        [sys.executable, "-m", module, *mode, url, f"{user}:local", board.board_id], process_env()
    )
    seen = json.loads(proc.out)
    if name == "stream":
        # The floor as this server can serve it: the sticky pages alone, timed inside.
        if seen["stickies"] != board.stickies:
            failures.append(f"sticky stream: {seen['stickies']} of {board.stickies}")
        return Proc(float(seen["seconds"]), proc.cpu, proc.rss_mib, "")
    seen.pop("seconds", None)
    if seen != {"items": board.items, "stickies": board.stickies}:
        failures.append(f"{name}: read {seen}, the board holds {board.items} items")
    return proc


# -- create ----------------------------------------------------------------------------


def writer_spec(path: Path) -> int:
    """The vision board's items as the plain writer sends them; how many."""
    plan = compile_plan(find_template(CREATE_TEMPLATE))
    by_key = {i.key: i for i in plan.items}
    entries: list[dict[str, object]] = []
    ordered = sorted(plan.items, key=lambda i: {"frame": 0, "connector": 2}.get(i.type, 1))
    for item in ordered:
        if item.type == "connector":
            ids = {k: k for k in by_key}
            body = connector_body(item, ids)
            entries.append({"key": item.key, "kind": "connector", "body": body})
            continue
        parent = by_key.get(item.parent) if item.parent else None
        body = create_body(
            item, placement=Placement(), parent=parent, parent_id=parent.key if parent else None
        )
        body.pop("parent", None)
        entries.append(
            {"key": item.key, "kind": item.type, "parent": item.parent or None, "body": body}
        )
    path.write_text(json.dumps({"name": plan.title[:60], "items": entries}))
    return len(entries)


def create_rows(args: argparse.Namespace) -> list[list[object]]:
    latency_s = args.latency_ms / 1000
    plan = compile_plan(find_template(CREATE_TEMPLATE))
    bound = lower_bound(plan, latency_s, DEFAULT_CONCURRENCY, DEFAULT_CREDITS_PER_MINUTE)
    cli: list[float] = []
    base: list[float] = []
    plain: list[float] = []
    cli_cpu: list[float] = []
    base_cpu: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-sbs-create-") as tmp:
        spec = Path(tmp) / "plan.json"
        writer_spec(spec)
        with served(
            Path(tmp) / "served.sqlite3", latency_ms=args.latency_ms, credits=SEED_BUDGET
        ) as url:
            for run in range(args.runs):
                home = Path(tmp) / f"home{run}"
                env = process_env(
                    BOARDSMITH_HOME=str(home), BOARDSMITH_EMULATOR_LATENCY_MS=str(args.latency_ms)
                )
                command = [*_boardsmith(), "create", CREATE_TEMPLATE, "--json"]
                made = run_process(command, env)
                if json.loads(made.out)["created"] != len(plan.items):
                    raise SystemExit(f"create made {made.out[:200]}")
                cli.append(made.wall)
                cli_cpu.append(made.cpu)
                if args.baseline_src:
                    env = process_env(
                        BOARDSMITH_HOME=str(home) + "-base",
                        BOARDSMITH_EMULATOR_LATENCY_MS=str(args.latency_ms),
                        PYTHONPATH=str(args.baseline_src),
                    )
                    based = run_process(command, env)
                    base.append(based.wall)
                    base_cpu.append(based.cpu)
                writer = [sys.executable, "-m", "bench.plain_httpx", "write", url]
                plain.append(
                    run_process([*writer, f"writer{run}:local", str(spec)], process_env()).wall
                )
    return [
        [
            CREATE_TEMPLATE,
            len(plan.items),
            bound.calls,
            f"{statistics.median(cli):.2f}",
            f"{statistics.median(base):.2f}" if base else "-",
            f"{statistics.median(plain):.2f}",
            f"{bound.seconds:.2f}",
            ratio(statistics.median(cli), bound.seconds),
            ratio(statistics.median(base), bound.seconds) if base else "-",
            ratio(statistics.median(cli), statistics.median(plain)),
            f"{statistics.median(cli_cpu):.2f}",
            f"{statistics.median(base_cpu):.2f}" if base_cpu else "-",
        ]
    ]


# -- start-up --------------------------------------------------------------------------


def startup_rows(runs: int, baseline: Path | None) -> list[list[object]]:
    """Per command: best and median wall, their ratios to the import, and the best CPU
    (user + system, less disturbed by a busy machine than wall) and its ratio."""
    commands = {
        'python -c "import httpx, pydantic"': [sys.executable, "-c", "import httpx, pydantic"],
        "boardsmith --help": [*_boardsmith(), "--help"],
        "boardsmith templates list": [*_boardsmith(), "templates", "list"],
    }
    variants = [(name, name, False) for name in commands]
    if baseline is not None:
        variants += [(f"{name} (base)", name, True) for name in list(commands)[1:]]
    times: dict[str, list[Proc]] = {label: [] for label, _, _ in variants}
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):
            for label, name, on_base in variants:
                env = process_env(BOARDSMITH_HOME=home)
                if on_base and baseline is not None:
                    env["PYTHONPATH"] = str(baseline)
                times[label].append(run_process(commands[name], env))
    base = times['python -c "import httpx, pydantic"']

    def best(procs: list[Proc]) -> float:
        return min(p.wall for p in procs)

    def median(procs: list[Proc]) -> float:
        return statistics.median(p.wall for p in procs)

    def cpu(procs: list[Proc]) -> float:
        return min(p.cpu for p in procs)

    return [
        [
            name,
            f"{best(t) * 1000:.0f}",
            f"{median(t) * 1000:.0f}",
            ratio(best(t), best(base)),
            ratio(median(t), median(base)),
            f"{cpu(t) * 1000:.0f}",
            ratio(cpu(t), cpu(base)),
        ]
        for name, t in times.items()
    ]


# -- main ------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run what the flags ask for and print the tables; 1 when a reader missed items."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_sidebyside", description=__doc__)
    add_latency_flag(parser)
    parser.add_argument("--sizes", type=sizes, default=[1000, 5000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--skip-harvest", action="store_true")
    parser.add_argument("--skip-create", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        default=None,
        help="a src/ directory of another commit (git archive REV src | tar -x -C DIR): "
        "its CLI runs beside this one as 'base', on PYTHONPATH",
    )
    args = parser.parse_args(argv)
    if shutil.which("git"):
        commit = subprocess.run(
            ["git", "log", "-1", "--format=%h"], capture_output=True, text=True, cwd=ROOT
        )
        print(f"commit {commit.stdout.strip()}, {os.cpu_count()} cores, medians of {args.runs}\n")
    failures: list[str] = []
    if not args.skip_harvest:
        rows = harvest_rows(args, failures)
        print(f"harvest, latency {args.latency_ms:g} ms, served emulator; seconds, MiB")
        print()
        headers = [
            "stickies", "items", "cli", "cli base", "plain httpx", "miro-api", "in process",
            "sticky stream", "floor", "in process / stream", "in process / floor",
            "cli / plain", "base / plain", "cli cpu", "base cpu", "plain cpu",
            "in process cpu", "cli peak RSS",
        ]  # fmt: skip
        print(table(headers, rows))
        print()
    if not args.skip_create:
        print(f"create on the embedded emulator, latency {args.latency_ms:g} ms; seconds")
        print()
        headers = [
            "template", "items", "bound calls", "cli", "cli base", "plain httpx", "bound",
            "cli / bound", "base / bound", "cli / plain", "cli cpu", "base cpu",
        ]  # fmt: skip
        print(table(headers, create_rows(args)))
        print()
    if not args.skip_startup:
        print(f"start-up, fresh processes, {args.startup_runs} interleaved runs; ms")
        print()
        headers = [
            "command", "best", "median", "best / import", "median / import", "best cpu",
            "cpu / import",
        ]  # fmt: skip
        print(table(headers, startup_rows(args.startup_runs, args.baseline_src)))
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
