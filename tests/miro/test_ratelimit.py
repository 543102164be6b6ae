"""Credit costs and the client-side credit budget (fake clock, no real waiting)."""

from __future__ import annotations

import pytest

from boardsmith.miro.ratelimit import (
    LEVEL_CREDITS,
    OPERATION_LEVELS,
    CreditBudget,
    bulk_cost,
    operation_cost,
)

from .conftest import FakeTime


@pytest.mark.parametrize(
    ("operation", "credits"),
    [
        ("boards.get", 50),
        ("items.list", 100),
        ("sticky_notes.create", 100),
        ("items.delete", 500),
        ("boards.create", 500),
        ("tags.attach", 50),
        ("tags.items_with_tag", 50),
        ("connectors.list", 100),
    ],
)
def test_operation_costs(operation: str, credits: int) -> None:
    assert operation_cost(operation) == credits


def test_levels_and_bulk() -> None:
    assert dict(LEVEL_CREDITS) == {1: 50, 2: 100, 3: 500, 4: 2000}
    assert bulk_cost(3) == 300
    assert set(OPERATION_LEVELS.values()) <= set(LEVEL_CREDITS)


async def test_spending_pauses_when_the_budget_is_exhausted() -> None:
    t = FakeTime()
    budget = CreditBudget(600, clock=t.clock, sleep=t.sleep)  # 10 credits per second
    for _ in range(6):
        await budget.acquire(100)
    assert t.sleeps == []
    await budget.acquire(100)  # needs 10 s of refill
    assert t.sleeps == [pytest.approx(10.0)]
    assert budget.waited == pytest.approx(10.0)


async def test_refill_over_time_means_no_wait() -> None:
    t = FakeTime()
    budget = CreditBudget(600, clock=t.clock, sleep=t.sleep)
    await budget.acquire(600)
    t.now += 60
    await budget.acquire(600)
    assert t.sleeps == []


async def test_headers_lower_the_budget_before_a_429() -> None:
    t = FakeTime()
    budget = CreditBudget(100_000, clock=t.clock, sleep=t.sleep)
    budget.observe(remaining=150, reset_at=t.now + 30)
    await budget.acquire(100)
    assert t.sleeps == []
    await budget.acquire(100)  # only 50 left: wait for 50 credits at 1666/s
    assert t.sleeps == [pytest.approx(50 / (100_000 / 60))]


async def test_nothing_remaining_blocks_until_reset() -> None:
    t = FakeTime()
    budget = CreditBudget(100_000, clock=t.clock, sleep=t.sleep)
    budget.observe(remaining=0, reset_at=t.now + 25)
    await budget.acquire(50)
    # Nothing is spent before Miro's window resets; then credits flow again.
    assert sum(t.sleeps) == pytest.approx(25.0)
    assert budget.available > 1_000


async def test_observe_never_raises_the_budget() -> None:
    t = FakeTime()
    budget = CreditBudget(1_000, clock=t.clock, sleep=t.sleep)
    await budget.acquire(1_000)
    budget.observe(remaining=90_000, reset_at=None)
    assert budget.available == pytest.approx(0.0)


async def test_a_call_dearer_than_the_whole_budget_waits_for_a_full_bucket() -> None:
    t = FakeTime()
    budget = CreditBudget(60, clock=t.clock, sleep=t.sleep)
    await budget.acquire(60)
    await budget.acquire(2_000)
    assert sum(t.sleeps) == pytest.approx(60.0)


def test_budget_must_be_positive() -> None:
    t = FakeTime()
    with pytest.raises(ValueError, match="credits_per_minute"):
        CreditBudget(0, clock=t.clock, sleep=t.sleep)
