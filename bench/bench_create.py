"""Creating boards: ``python -m bench.bench_create [--latency-ms 100] [--sizes 100,1000,5000]``.

For every built-in template (default parameters) and for synthetic templates of
``--sizes`` items (:mod:`bench.synthetic`: frames included, each a grid of up to
250 stickies), three ways of building the same board on a fresh emulator with
injected latency and the budget of ``--credits-per-minute``:

* **boardsmith**: what ``boardsmith create`` runs (create the board, then
  :func:`boardsmith.boards.apply.apply_plan` over
  :class:`~boardsmith.boards.client_io.ClientBoardIO`, state saved on disk);
* **naive**: the same client creating one item per call, sequentially, through
  the typed endpoints (bodies from :func:`boardsmith.boards.requests.create_body`);
  sizes above ``--naive-max-items`` are extrapolated from the largest measured
  naive run (seconds per call) and marked ``~``;
* **lower bound**: 1 board + frames + ceil(items / 20) bulk calls + connectors,
  and the time those calls need at the client's concurrency with the injected
  latency or under the credit budget (fixed one-minute windows),
  whichever is longer.

Exits 1 when boardsmith makes more than ``lower bound + 3`` calls, creates the
wrong number of items, or lets an error through.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._common import (
    BOARD_CREATE_CREDITS,
    BULK_SIZE,
    LEVEL2_CREDITS,
    Env,
    add_latency_flag,
    calls_time,
    emulator,
    ratio,
    sequential_time,
    sizes,
    table,
    timed,
    window_time,
)
from bench.synthetic import synthetic_template
from boardsmith.boards.apply import apply_plan
from boardsmith.boards.client_io import PAGE_SIZE, ClientBoardIO
from boardsmith.boards.requests import BULK_TYPES, Placement, connector_body, create_body
from boardsmith.boards.state import StateStore
from boardsmith.miro import MiroClient
from boardsmith.miro.constants import DEFAULT_CONCURRENCY, DEFAULT_CREDITS_PER_MINUTE
from boardsmith.miro.models import BoardCreate, ConnectorCreate
from boardsmith.miro.models.items import BULK_ITEM_ADAPTER
from boardsmith.templates import Plan, builtin_templates, compile_plan

#: Calls boardsmith may make above the lower bound before the run counts as a regression.
CALL_SLACK = 3


@dataclass
class Run:
    """What one way of building a board cost."""

    calls: int
    credits: int
    seconds: float
    items: int
    rate_limited: int = 0
    extrapolated: bool = False
    waited: float = 0.0


@dataclass
class Bound:
    """The fewest calls and credits a plan needs, and the time they need."""

    calls: int
    credits: int
    seconds: float


def bound_costs(plan: Plan) -> list[int]:
    """Credits of each call of the cheapest build, in order."""
    frames = sum(1 for i in plan.items if i.type == "frame")
    connectors = sum(1 for i in plan.items if i.type == "connector")
    bulk = sum(1 for i in plan.items if i.type in BULK_TYPES)
    chunks = [LEVEL2_CREDITS * min(BULK_SIZE, bulk - n) for n in range(0, bulk, BULK_SIZE)]
    return (
        [BOARD_CREATE_CREDITS]
        + [LEVEL2_CREDITS] * frames
        + chunks
        + [LEVEL2_CREDITS] * connectors
        + verify_costs(plan)
    )


def verify_costs(plan: Plan) -> list[int]:
    """Credits of the verification read every apply ends with (issue 21).

    No lock reaches another machine, so it is part of the cheapest *safe*
    build: every item page (50 a page) and one connectors page.
    """
    items = sum(1 for i in plan.items if i.type != "connector")
    return [LEVEL2_CREDITS] * (math.ceil(items / PAGE_SIZE) + 1)


def naive_costs(plan: Plan) -> list[int]:
    """Credits of each call of the one-item-per-call build, in order."""
    return [BOARD_CREATE_CREDITS] + [LEVEL2_CREDITS] * len(plan.items)


def lower_bound(plan: Plan, latency_s: float, concurrency: int, credits_per_minute: int) -> Bound:
    """Calls, credits and time of the cheapest possible build of ``plan``.

    The time is the longer of: three dependent phases (frames, then bulk chunks,
    then connectors) at ``concurrency`` calls in flight, and the start of the last
    call under fixed one-minute budget windows (starting at a window boundary,
    as the benchmark's clock does) plus its latency.
    """
    frames = sum(1 for i in plan.items if i.type == "frame")
    connectors = sum(1 for i in plan.items if i.type == "connector")
    bulk = sum(1 for i in plan.items if i.type in BULK_TYPES)
    costs = bound_costs(plan)
    # The verification read's pages follow each other (cursor paging).
    by_latency = latency_s * (1 + len(verify_costs(plan))) + sum(
        calls_time(n, concurrency, latency_s)
        for n in (frames, math.ceil(bulk / BULK_SIZE), connectors)
    )
    by_budget = window_time(costs, credits_per_minute) + latency_s
    return Bound(len(costs), sum(costs), max(by_latency, by_budget))


def _board_request(plan: Plan) -> BoardCreate:
    # What `boardsmith create` sends (cli/create.py::_apply).
    return BoardCreate(
        name=plan.title[:60],
        description=f"Built by boardsmith from template {plan.template} v{plan.version}",
    )


async def run_boardsmith(
    env: Env, plan: Plan, *, credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE
) -> Run:
    """``boardsmith create``'s path: board, then apply_plan with state on disk."""
    with tempfile.TemporaryDirectory(prefix="bench-state-") as home:
        store = StateStore(Path(home))
        async with env.client(credits_per_minute=credits_per_minute) as client:

            async def build() -> int:
                board = await client.boards.create(_board_request(plan))
                result = await apply_plan(
                    ClientBoardIO(client),
                    store,
                    backend="emulator",
                    board_id=board.id,
                    plan=plan,
                    fresh_board=True,
                    concurrency=DEFAULT_CONCURRENCY,  # cli/create.py passes settings.concurrency
                )
                return result.created

            created, seconds = await timed(build, env.clock)
            return Run(
                calls=client.stats.requests,
                credits=client.stats.credits,
                seconds=seconds,
                items=created,
                rate_limited=env.statuses()[429],
            )


async def _create_one(client: MiroClient, board_id: str, body: dict[str, object]) -> str:
    request = BULK_ITEM_ADAPTER.validate_python(body)
    kind = request.type
    if kind == "frame":
        return (await client.frames.create(board_id, request)).id  # type: ignore[arg-type]
    if kind == "sticky_note":
        return (await client.sticky_notes.create(board_id, request)).id  # type: ignore[arg-type]
    if kind == "shape":
        return (await client.shapes.create(board_id, request)).id  # type: ignore[arg-type]
    if kind == "text":
        return (await client.texts.create(board_id, request)).id  # type: ignore[arg-type]
    return (await client.cards.create(board_id, request)).id  # type: ignore[arg-type]


async def run_naive(
    env: Env, plan: Plan, *, credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE
) -> Run:
    """One item per call, in order (frames first, connectors last), same client."""
    placement = Placement()
    order = {"frame": 0, "connector": 2}
    items = sorted(plan.items, key=lambda i: order.get(i.type, 1))
    async with env.client(credits_per_minute=credits_per_minute) as client:

        async def build() -> int:
            board = await client.boards.create(_board_request(plan))
            ids: dict[str, str] = {}
            for item in items:
                if item.type == "connector":
                    request = ConnectorCreate.model_validate(connector_body(item, ids))
                    ids[item.key] = (await client.connectors.create(board.id, request)).id
                    continue
                parent = plan.by_key[item.parent] if item.parent else None
                body = create_body(
                    item,
                    placement=placement,
                    parent=parent,
                    parent_id=ids[parent.key] if parent is not None else None,
                )
                ids[item.key] = await _create_one(client, board.id, body)
            return len(ids)

        created, seconds = await timed(build, env.clock)
        run = Run(client.stats.requests, client.stats.credits, seconds, created)
        run.waited = client.stats.waited
        return run


def extrapolate_naive(plan: Plan, per_call: float, credits_per_minute: int) -> Run:
    """The naive run's cost from measured seconds per call and the budget windows."""
    costs = naive_costs(plan)
    seconds = sequential_time(costs, per_call, credits_per_minute)
    return Run(len(costs), sum(costs), seconds, len(plan.items), extrapolated=True)


@dataclass
class Case:
    """One board to build."""

    name: str
    plan: Plan


def cases(sizes_: Sequence[int], with_builtins: bool) -> list[Case]:
    """The built-ins with default parameters, then the synthetic sizes."""
    out = [Case(t.name, compile_plan(t)) for t in builtin_templates()] if with_builtins else []
    out += [Case(f"synthetic {n:,}", compile_plan(synthetic_template(n))) for n in sizes_]
    return out


async def run(args: argparse.Namespace) -> int:
    """Build every case three ways; print the table; 1 when a check fails."""
    latency_s = args.latency_ms / 1000
    concurrency, budget = DEFAULT_CONCURRENCY, args.credits_per_minute
    rows: list[list[object]] = []
    failures: list[str] = []
    per_call: float | None = None
    for case in cases(args.sizes, args.builtins):
        plan = case.plan
        items = len(plan.items)
        frames = sum(1 for i in plan.items if i.type == "frame")
        bound = lower_bound(plan, latency_s, concurrency, budget)
        async with emulator(latency_ms=args.latency_ms, credits_per_minute=budget) as env:
            mine = await run_boardsmith(env, plan, credits_per_minute=budget)
            on_board = env.app.stats()["requests"]
        if items <= args.naive_max_items or per_call is None:
            async with emulator(latency_ms=args.latency_ms, credits_per_minute=budget) as env:
                naive = await run_naive(env, plan, credits_per_minute=budget)
            # Seconds per call without budget waits: the extrapolation adds its own.
            per_call = max(0.0, naive.seconds - naive.waited) / naive.calls
        else:
            naive = extrapolate_naive(plan, per_call, budget)
        if mine.items != items:
            failures.append(f"{case.name}: boardsmith created {mine.items} of {items} items")
        if naive.items != items:
            failures.append(f"{case.name}: the naive run created {naive.items} of {items} items")
        if mine.calls > bound.calls + CALL_SLACK:
            failures.append(
                f"{case.name}: {mine.calls} calls, lower bound {bound.calls} + {CALL_SLACK}: "
                f"{dict(on_board)}"
            )
        mark = "~" if naive.extrapolated else ""
        rows.append(
            [
                case.name,
                items,
                frames,
                mine.calls,
                bound.calls,
                f"{mark}{naive.calls:,}",
                f"{mine.credits:,}",
                mine.rate_limited,
                f"{mine.seconds:.2f}",
                f"{bound.seconds:.2f}",
                f"{mark}{naive.seconds:.1f}",
                ratio(mine.seconds, bound.seconds),
                f"{mark}{ratio(mine.seconds, naive.seconds)}",
            ]
        )
        if args.verbose:
            print(f"done {case.name}", file=sys.stderr, flush=True)
    print(
        f"create: latency {args.latency_ms:g} ms/request, client concurrency {concurrency}, "
        f"{budget:,} credits/minute in fixed windows from the start of one; times in "
        f"seconds; ~ = naive extrapolated from {per_call or 0:.3f} s/call (budget waits "
        "excluded) measured on the largest naive run, plus the budget windows"
    )
    print()
    print(
        table(
            [
                "board",
                "items",
                "frames",
                "calls",
                "bound calls",
                "naive calls",
                "credits",
                "429s",
                "time",
                "bound time",
                "naive time",
                "time / bound",
                "time / naive",
            ],
            rows,
        )
    )
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse flags, run, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_create", description=__doc__)
    add_latency_flag(parser)
    parser.add_argument("--sizes", type=sizes, default=[100, 1000, 5000], help="synthetic sizes")
    parser.add_argument(
        "--naive-max-items",
        type=int,
        default=1100,
        help="measure the naive build up to this many items; extrapolate above (default 1100)",
    )
    parser.add_argument(
        "--credits-per-minute",
        type=int,
        default=DEFAULT_CREDITS_PER_MINUTE,
        help="budget of the emulator and the client (default Miro's 100,000)",
    )
    parser.add_argument(
        "--no-builtins", dest="builtins", action="store_false", help="skip built-in templates"
    )
    parser.add_argument("--verbose", action="store_true", help="report progress on stderr")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
