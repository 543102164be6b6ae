"""Credit costs and the client-side credit budget (fake clock, no real waiting)."""

from __future__ import annotations

import pytest

from boardsmith.miro.ratelimit import (
    LEVEL_CREDITS,
    OPERATION_LEVELS,
    CreditBudget,
    bulk_cost,
    corrected,
    credit_wait,
    operation_cost,
    refilled,
)
from tests.fake_time import FakeTime


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
    budget.release(await budget.acquire(100))
    assert t.sleeps == []
    # Only 50 left in Miro's window, and its credits come back at its reset.
    await budget.acquire(100)
    assert t.sleeps == [pytest.approx(30.0)]


async def test_without_a_reset_time_the_bucket_refills_continuously() -> None:
    t = FakeTime()
    budget = CreditBudget(100_000, clock=t.clock, sleep=t.sleep)
    budget.observe(remaining=150, reset_at=None)
    budget.release(await budget.acquire(100))
    await budget.acquire(100)  # 50 credits short at 1666 credits/s
    assert t.sleeps == [pytest.approx(50 / (100_000 / 60))]


async def test_calls_in_flight_come_out_of_remaining() -> None:
    t = FakeTime()
    budget = CreditBudget(100_000, clock=t.clock, sleep=t.sleep)
    first = await budget.acquire(2_000)
    for _ in range(3):
        await budget.acquire(2_000)
    # Miro answers the first call; the other three may not be counted yet.
    budget.observe(remaining=10_000, reset_at=t.now + 30, ticket=first)
    assert budget.in_flight == pytest.approx(6_000)
    assert budget.available == pytest.approx(4_000)


async def test_an_answer_shows_a_call_in_flight_was_already_counted() -> None:
    t = FakeTime()
    budget = CreditBudget(100_000, clock=t.clock, sleep=t.sleep)
    first = await budget.acquire(2_000)
    second = await budget.acquire(2_000)
    budget.observe(remaining=1_000, reset_at=t.now + 30, ticket=first)
    assert budget.available == pytest.approx(0.0)
    # The second answer reports no lower Remaining: it had been counted.
    budget.observe(remaining=1_000, reset_at=t.now + 30, ticket=second)
    assert budget.available == pytest.approx(1_000)


async def test_a_wait_polls_while_an_answer_in_flight_could_free_credits() -> None:
    t = FakeTime()

    async def sleep_then_answer(seconds: float) -> None:
        await t.sleep(seconds)
        # The second call's answer arrives: it had been counted already.
        budget.observe(remaining=2_000, reset_at=reset, ticket=second)

    budget = CreditBudget(100_000, clock=t.clock, sleep=sleep_then_answer)
    reset = t.now + 30
    first = await budget.acquire(2_000)
    second = await budget.acquire(2_000)
    budget.observe(remaining=2_000, reset_at=reset, ticket=first)
    await budget.acquire(2_000)
    # One short look, not the whole 30 s to the reset.
    assert t.sleeps == [pytest.approx(0.05)]


async def test_the_new_window_is_granted_at_once_after_a_429() -> None:
    t = FakeTime()
    budget = CreditBudget(6_000, clock=t.clock, sleep=t.sleep)  # 100 credits per second
    budget.release(await budget.acquire(6_000))
    budget.block_until(t.now + 30)
    t.now += 30
    # Miro's reset grants a whole window, not 30 s of refill from empty.
    assert budget.available == pytest.approx(6_000)
    await budget.acquire(6_000)
    assert t.sleeps == []


async def test_the_new_window_grants_the_smaller_of_capacity_and_miros_limit() -> None:
    t = FakeTime()
    budget = CreditBudget(100_000, clock=t.clock, sleep=t.sleep)
    budget.observe(remaining=0, reset_at=t.now + 10, limit=25_000)
    assert budget.ceiling == 25_000
    await budget.acquire(100)
    assert t.sleeps == [pytest.approx(10.0)]
    assert budget.available == pytest.approx(24_900)


async def test_an_answer_from_an_ended_window_is_ignored() -> None:
    t = FakeTime()
    budget = CreditBudget(6_000, clock=t.clock, sleep=t.sleep)
    ticket = await budget.acquire(100)
    budget.observe(remaining=0, reset_at=t.now, ticket=ticket)
    assert budget.available == pytest.approx(5_900)
    assert budget.in_flight == 0


@pytest.mark.parametrize(
    ("available", "ceiling", "elapsed", "expected"),
    [(0.0, 600.0, 10.0, 100.0), (550.0, 600.0, 10.0, 600.0), (5.0, 600.0, -3.0, 5.0)],
)
def test_refilled(available: float, ceiling: float, elapsed: float, expected: float) -> None:
    assert refilled(available, ceiling, elapsed) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("available", "remaining", "in_flight", "expected"),
    [
        (50_000.0, 10_000.0, 0.0, 10_000.0),
        (50_000.0, 10_000.0, 4_000.0, 6_000.0),
        (3_000.0, 10_000.0, 4_000.0, 3_000.0),
        (50_000.0, 1_000.0, 4_000.0, 0.0),
    ],
)
def test_corrected(available: float, remaining: float, in_flight: float, expected: float) -> None:
    assert corrected(available, remaining, in_flight) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("need", "available", "window_end", "in_flight", "expected"),
    [
        (100.0, 100.0, None, 0.0, 0.0),  # affordable now
        (100.0, 40.0, None, 0.0, 6.0),  # 60 credits at 10/s
        (100.0, 40.0, 1030.0, 0.0, 30.0),  # Miro's window: wait for its reset
        (100.0, 40.0, 1030.0, 100.0, 0.05),  # an answer may free credits: poll
        (100.0, 40.0, 1000.0, 0.0, 6.0),  # reset passed: refill again
        (100.0, 99.999999, None, 0.0, 0.0),  # rounding is not a shortfall
    ],
)
def test_credit_wait(
    need: float, available: float, window_end: float | None, in_flight: float, expected: float
) -> None:
    now = 1000.0
    assert credit_wait(need, available, 600.0, now, window_end, in_flight) == pytest.approx(
        expected
    )


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
