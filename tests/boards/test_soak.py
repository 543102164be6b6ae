"""Soak: the fault matrix on seeded schedules, each run checked by reading the whole board.

Each case builds a board through the same path as ``boardsmith create`` (pending
record, board lock, apply, closing verification read) against an emulator
injecting one kind of fault, then finishes it with the same create when the run
was stopped. Every case ends with 0 duplicates, 0 missing items and 0 orphan
boards on the emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from boardsmith.boards.apply import apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.newboard import board_of_create
from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorApp, EmulatorTransport, Faults
from boardsmith.miro.errors import MiroError
from boardsmith.miro.models import BoardCreate
from boardsmith.templates import Plan, compile_plan, find_template
from tests.fake_time import FakeTime

from .board_check import assert_board_matches_plan, read_items

MakeClient = Callable[..., Awaitable[Any]]


def _plan() -> Plan:
    return compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben"]})


async def create_once(client: Any, home: Path, plan: Plan) -> str:
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


async def until_done(client: Any, home: Path, plan: Plan, attempts: int = 20) -> str:
    """Run the same create again after every failure, as a user would."""
    for _ in range(attempts - 1):
        with contextlib.suppress(MiroError):
            return await create_once(client, home, plan)
    return await create_once(client, home, plan)


async def assert_exactly_the_plan(client: Any, home: Path, plan: Plan) -> None:
    """One board (no orphans) holding every plan item exactly once."""
    boards = [b.id async for b in client.boards.list()]
    assert len(boards) == 1, f"orphan boards: {boards}"
    state = StateStore(home).load(backend="emulator", board_id=boards[0])
    assert state is not None
    assert_board_matches_plan(await read_items(client, boards[0]), plan, state.item_ids())


FAULTS = {
    "429": Faults(rate_429=0.3),
    "500": Faults(rate_500=0.2),
    "fail-after-commit 500": Faults(fail_after_commit=0.3, fail_mode="500"),
    "dropped connection": Faults(fail_after_commit=0.3, fail_mode="drop"),
    "everything": Faults(rate_429=0.2, rate_500=0.2, fail_after_commit=0.2),
}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("fault", list(FAULTS))
async def test_faults_leave_no_duplicate_missing_item_or_orphan(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path, fault: str, seed: int
) -> None:
    fake = FakeTime(yields=True)
    client = await make_client(sleep=fake.sleep, clock=fake.clock, rng=random.Random(seed).random)
    plan = _plan()
    base = FAULTS[fault]
    emulator_app.faults = Faults(
        rate_429=base.rate_429, rate_500=base.rate_500,
        fail_after_commit=base.fail_after_commit, fail_mode=base.fail_mode, seed=seed,
    )  # fmt: skip
    await until_done(client, tmp_path, plan)
    emulator_app.faults = Faults()
    await assert_exactly_the_plan(client, tmp_path, plan)


class _KillAt(EmulatorTransport):
    """Cancels the running task at its ``at``-th request, before or after the emulator
    acted on it: a kill (or Ctrl-C) at that moment of the run."""

    def __init__(self, app: EmulatorApp, at: int, after: bool) -> None:
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


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3, 11))
async def test_a_kill_at_a_random_moment_then_the_same_create(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    fake = FakeTime(yields=True)
    plan = _plan()
    # A clean create of this plan makes about 12 requests; kill at one of them,
    # the board create (1st) and the first frame (2nd) included.
    killer = _KillAt(emulator_app, at=rng.randrange(1, 12), after=rng.random() < 0.5)
    client = await make_client(sleep=fake.sleep, clock=fake.clock, rng=rng.random, transport=killer)
    with pytest.raises(asyncio.CancelledError):
        await create_once(client, tmp_path, plan)
    killer.at = 0  # the user runs the same create again: it finishes that board
    await until_done(client, tmp_path, plan)
    await assert_exactly_the_plan(client, tmp_path, plan)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [7, 8])
async def test_two_concurrent_creates_make_one_board(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path, seed: int
) -> None:
    fake = FakeTime(yields=True)
    client = await make_client(sleep=fake.sleep, clock=fake.clock, rng=random.Random(seed).random)
    plan = _plan()
    emulator_app.faults = Faults(rate_429=0.1, fail_after_commit=0.1, seed=seed)
    first, second = await asyncio.gather(
        until_done(client, tmp_path, plan), until_done(client, tmp_path, plan)
    )
    emulator_app.faults = Faults()
    # The second waited for the first and then, its create finished, made its own board:
    # two creates are two boards, each exactly the plan, none half-built.
    boards = [b.id async for b in client.boards.list()]
    assert sorted(boards) == sorted({first, second})
    for board_id in boards:
        state = StateStore(tmp_path).load(backend="emulator", board_id=board_id)
        assert state is not None
        assert_board_matches_plan(await read_items(client, board_id), plan, state.item_ids())
