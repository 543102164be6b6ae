"""Transient 429s: ``python -m bench.bench_429 [--rate 0.1] [--stickies 2000] [--items 500]``.

Issue 21's goal: under 10 % injected 429s (``Faults(rate_429=0.1)``, answered
with the emulator's true ``X-RateLimit-*`` headers, so budget is visibly left)
``harvest`` and ``create`` take at most twice their fault-free time, and no
429 reaches the user. Before the fix every 429 stalled every call until the
window's reset (about 60 s), so the ratio was in the hundreds.

* **harvest**: the ``bench_harvest`` board (leadership-vision plus
  ``--stickies`` participant stickies) read with
  :func:`boardsmith.harvest.api.harvest_boards`, once without faults, once with;
* **create**: a synthetic ``--items`` plan built the way ``boardsmith create``
  does (board, then ``apply_plan`` with its closing verification read), on a
  fresh emulator each time.

Times are wall seconds at ``--latency-ms`` per request. The fault schedule is
seeded (``--seed``), so runs are repeatable. Exits 1 when a ratio exceeds
``--max-ratio`` (default 2), an error reaches the user, or items are missing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bench._common import Env, add_latency_flag, emulator, ratio, table, timed
from bench.bench_create import run_boardsmith
from bench.bench_harvest import COACH, read_boardsmith, seed
from bench.synthetic import synthetic_template
from boardsmith.emulator import Faults
from boardsmith.errors import BoardsmithError
from boardsmith.templates import compile_plan


@dataclass
class Timing:
    """One job run without and with injected 429s."""

    job: str
    size: int
    clean: float
    faulty: float
    injected: int
    errors: int
    complete: bool


def _inject(env: Env, rate: float, seed_value: int) -> None:
    # A new Faults resets the fault RNG (seeded); the latency stays as it was.
    env.app.faults = Faults(latency_ms=env.app.faults.latency_ms, rate_429=rate, seed=seed_value)


async def _attempt(work: Callable[[], Awaitable[int]], env: Env) -> tuple[int, float, int]:
    """(result or -1, seconds, errors that reached the caller)."""
    try:
        value, seconds = await timed(work, env.clock)
    except BoardsmithError as exc:
        print(f"error reached the user: {exc}", file=sys.stderr)
        return -1, 0.0, 1
    return value, seconds, 0


async def harvest(args: argparse.Namespace) -> Timing:
    """Read one seeded board clean, then under 429s."""
    async with emulator(latency_ms=0) as env:
        board = await seed(env, args.stickies)
        env.app.credits_per_minute = 100_000

        async def read() -> int:
            async with env.client(COACH) as client:
                document = await read_boardsmith(client, board)
            return sum(len(b.stickies) for b in document.boards)

        # Warm-up at latency 0: first-use costs (imports, caches) are not the 429s'.
        await read()
        env.set_latency(args.latency_ms)
        clean_n, clean, _ = await _attempt(read, env)
        before = env.statuses()[429]
        _inject(env, args.rate, args.seed)
        faulty_n, faulty, errors = await _attempt(read, env)
        injected = env.statuses()[429] - before
    return Timing("harvest", board.stickies, clean, faulty, injected, errors, faulty_n == clean_n)


async def create(args: argparse.Namespace) -> Timing:
    """Build one synthetic plan on a clean emulator, then on one injecting 429s."""
    plan = compile_plan(synthetic_template(args.items))
    results: list[tuple[int, float, int, int]] = []
    for rate in (0.0, args.rate):
        async with emulator(latency_ms=args.latency_ms) as env:
            _inject(env, rate, args.seed)

            async def build(env: Env = env) -> int:
                return (await run_boardsmith(env, plan)).items

            created, seconds, errors = await _attempt(build, env)
            results.append((created, seconds, errors, env.statuses()[429]))
    (_, clean, _, _), (created, faulty, errors, injected) = results
    return Timing(
        "create", len(plan.items), clean, faulty, injected, errors, created == len(plan.items)
    )


async def run(args: argparse.Namespace) -> int:
    """Both jobs; the table; 1 when a check fails."""
    timings = [await harvest(args), await create(args)]
    print(
        f"transient 429s: {args.rate:.0%} of requests answered 429 (budget left), seed "
        f"{args.seed}, latency {args.latency_ms:g} ms/request; wall seconds"
    )
    print()
    rows = [
        [t.job, t.size, f"{t.clean:.2f}", f"{t.faulty:.2f}", ratio(t.faulty, t.clean), t.injected,
         t.errors, "yes" if t.complete else "NO"]
        for t in timings
    ]  # fmt: skip
    print(
        table(
            ["job", "items", "no faults", "429s", "ratio", "429s injected", "errors to user",
             "complete"],
            rows,
        )
    )  # fmt: skip
    failures = []
    for t in timings:
        if t.errors or not t.complete:
            failures.append(f"{t.job}: {t.errors} errors reached the user, complete={t.complete}")
        if t.clean > 0 and t.faulty / t.clean > args.max_ratio:
            failures.append(f"{t.job}: {t.faulty / t.clean:.2f}x the fault-free time")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, run, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_429", description=__doc__)
    add_latency_flag(parser, default=50.0)
    parser.add_argument("--rate", type=float, default=0.1, help="share of requests answered 429")
    parser.add_argument(
        "--stickies", type=int, default=2000, help="stickies on the harvested board"
    )
    parser.add_argument(
        "--items", type=int, default=500, help="items of the created plan (500: within one window)"
    )
    parser.add_argument("--seed", type=int, default=21, help="seed of the fault schedule")
    parser.add_argument("--max-ratio", type=float, default=2.0, help="largest ratio that passes")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
