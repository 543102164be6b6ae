"""Rate limits: ``python -m bench.bench_ratelimit [--items 10000] [--budget 25000]``.

Builds a synthetic board of ``--items`` stickies (``boardsmith create``'s path:
board, then ``apply_plan``) against an emulator whose credit budget per minute
is ``--budget``: a quarter of Miro's 100,000 by default, as when other apps of
the same user spend the rest. Two runs:

* **told**: the client is configured with the same budget
  (``BOARDSMITH_CREDITS_PER_MINUTE``), so it should pace itself;
* **not told**: the client keeps the default 100,000 and must learn the real
  budget from ``X-RateLimit-*`` headers and 429 answers.

The compiler refuses plans over 5,000 items, so 10,000 items are two 5,000-item
boards created back to back by the same user (``boardsmith create`` run twice:
one budget, a fresh client each time). 10,000 items cost about 1,000,000
credits, 40 minutes of a 25,000-credit budget. So the run finishes in under a
minute, time is scaled: the emulator's clock
(its budget windows and ``X-RateLimit-Reset``) and the client's clock and sleep
(credit budget and retry waits) share one virtual clock running
``--time-scale`` times faster than the wall clock, and the injected latency is
scaled the same way. Reported times are virtual (what a user would wait).
Local CPU work is not scaled, so it weighs ``--time-scale`` times more than it
would; it overlaps with budget waits here.

"Allowed" is when the budget lets the last call of the cheapest build start,
under the emulator's fixed one-minute windows (the run starts at the beginning
of one), plus its latency. Exits 1 when an error reaches the user, items are
missing, successful calls exceed the lower bound by more than 3, or the time
exceeds the allowed time by more than ``--tolerance`` (default 5%).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench._common import add_latency_flag, emulator, ratio, table, window_time
from bench.bench_create import bound_costs, run_boardsmith
from bench.synthetic import synthetic_template
from boardsmith.errors import BoardsmithError
from boardsmith.miro.constants import DEFAULT_CREDITS_PER_MINUTE
from boardsmith.templates import Plan, compile_plan

#: The compiler refuses larger plans.
PLAN_LIMIT = 5000


@dataclass
class Outcome:
    """One run under a low budget."""

    label: str
    client_budget: int
    created: int
    calls: int
    rejected: int
    errors: int
    error: str
    seconds: float
    wall: float


def plans(items: int) -> list[Plan]:
    """Synthetic plans of at most :data:`PLAN_LIMIT` items adding up to ``items``."""
    count = math.ceil(items / PLAN_LIMIT)
    base, extra = divmod(items, count)
    return [compile_plan(synthetic_template(base + (n < extra))) for n in range(count)]


async def build(
    boards: Sequence[Plan], args: argparse.Namespace, client_budget: int, label: str
) -> Outcome:
    """Create ``boards`` one after another under the low emulator budget; what it took."""
    async with emulator(
        latency_ms=args.latency_ms, credits_per_minute=args.budget, scale=args.time_scale
    ) as env:
        start = time.perf_counter()
        created = calls = 0
        try:
            for plan in boards:
                run = await run_boardsmith(env, plan, credits_per_minute=client_budget)
                created += run.items
                calls += run.calls
        except BoardsmithError as exc:
            # What the user would see: the CLI prints exactly this line.
            error = str(exc)
        else:
            error = ""
        rejected = env.statuses()[429]
        if error:
            calls = sum(env.statuses().values())
        return Outcome(
            label, client_budget, created, calls - rejected, rejected, 1 if error else 0, error,
            env.clock.elapsed(), time.perf_counter() - start,
        )  # fmt: skip


async def run(args: argparse.Namespace) -> int:
    """Both runs; print the table; 1 when a check fails."""
    boards = plans(args.items)
    total = sum(len(p.items) for p in boards)
    costs = [cost for plan in boards for cost in bound_costs(plan)]
    allowed = window_time(costs, args.budget) + args.latency_ms / 1000
    outcomes = [await build(boards, args, args.budget, "told")]
    if not args.told_only:
        outcomes.append(await build(boards, args, DEFAULT_CREDITS_PER_MINUTE, "not told"))
    failures: list[str] = []
    rows: list[list[object]] = []
    for o in outcomes:
        if o.errors:
            failures.append(f"{o.label}: an error reached the user: {o.error}")
        elif o.created != total:
            failures.append(f"{o.label}: created {o.created} of {total} items")
        if o.calls > len(costs) + 3:
            failures.append(f"{o.label}: {o.calls} successful calls, lower bound {len(costs)} + 3")
        if not o.errors and o.seconds > allowed * (1 + args.tolerance):
            failures.append(
                f"{o.label}: {o.seconds:.0f} s, budget allows {allowed:.0f} s "
                f"(+{args.tolerance:.0%} tolerated)"
            )
        rows.append(
            [
                o.label,
                f"{o.client_budget:,}",
                o.created,
                o.calls,
                len(costs),
                o.rejected,
                o.errors,
                f"{o.seconds:.0f}",
                f"{allowed:.0f}",
                ratio(o.seconds, allowed),
                f"{o.wall:.1f}",
            ]
        )
    print(
        f"rate limit: {total:,} items on {len(boards)} boards ({sum(costs):,} credits), "
        f"emulator budget "
        f"{args.budget:,} credits/minute, latency {args.latency_ms:g} ms, time scaled "
        f"{args.time_scale:g}x (times in virtual seconds; wall = real seconds)"
    )
    print()
    print(
        table(
            [
                "client",
                "client budget",
                "created",
                "calls",
                "bound calls",
                "429s sent",
                "errors to user",
                "time",
                "allowed",
                "time / allowed",
                "wall",
            ],
            rows,
        )
    )
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, run, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ratelimit", description=__doc__)
    add_latency_flag(parser)
    parser.add_argument("--items", type=int, default=10_000, help="stickies to create")
    parser.add_argument(
        "--budget", type=int, default=25_000, help="emulator credits per minute (default 25,000)"
    )
    parser.add_argument(
        "--time-scale", type=float, default=60.0, help="virtual seconds per real second"
    )
    parser.add_argument(
        "--tolerance", type=float, default=0.05, help="allowed excess over the budget time"
    )
    parser.add_argument(
        "--told-only", action="store_true", help="skip the run whose client is not told"
    )
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
