"""The client's concurrency limit: first come, first served, deferred calls last."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest
import respx

from boardsmith.miro import MiroClient
from boardsmith.miro.slots import Slots, deferred

Order = list[str]


async def _hold(slots: Slots, name: str, order: Order, release: asyncio.Event) -> None:
    async with slots.taken():
        order.append(name)
        await release.wait()


def _start(
    work: Callable[[], Coroutine[Any, Any, None]], *, later: bool = False
) -> asyncio.Task[None]:
    if later:
        with deferred():
            return asyncio.ensure_future(work())
    return asyncio.ensure_future(work())


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_never_more_holders_than_slots() -> None:
    slots = Slots(2)
    inside = most = 0

    async def work() -> None:
        nonlocal inside, most
        async with slots.taken():
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    await asyncio.gather(*(work() for _ in range(10)))
    assert most == 2
    assert not slots.waits()


async def test_deferred_calls_wait_behind_every_other_waiting_call() -> None:
    slots = Slots(1)
    order: Order = []
    gate = asyncio.Event()
    first = _start(lambda: _hold(slots, "first", order, gate))
    await _settle()
    # Queued in this order while "first" holds the only slot.
    tasks = [
        _start(lambda: _hold(slots, "late-1", order, gate), later=True),
        _start(lambda: _hold(slots, "page-1", order, gate)),
        _start(lambda: _hold(slots, "late-2", order, gate), later=True),
        _start(lambda: _hold(slots, "page-2", order, gate)),
    ]
    await _settle()
    assert slots.waits()
    gate.set()
    await asyncio.gather(first, *tasks)
    assert order == ["first", "page-1", "page-2", "late-1", "late-2"]


async def test_a_deferred_call_takes_a_free_slot_at_once() -> None:
    slots = Slots(1)
    order: Order = []
    gate = asyncio.Event()
    gate.set()
    await _start(lambda: _hold(slots, "late", order, gate), later=True)
    assert order == ["late"]


async def test_an_ordinary_call_goes_ahead_of_queued_deferred_ones_only() -> None:
    slots = Slots(1)
    gate = asyncio.Event()
    order: Order = []
    first = _start(lambda: _hold(slots, "first", order, gate))
    await _settle()
    late = _start(lambda: _hold(slots, "late", order, gate), later=True)
    await _settle()
    with deferred():
        assert slots.waits()  # a deferred call would queue behind "late"
    gate.set()
    await asyncio.gather(first, late)
    assert order == ["first", "late"]


@pytest.mark.parametrize("woken", [False, True])
async def test_a_cancelled_waiter_leaves_no_slot_taken(woken: bool) -> None:
    slots = Slots(1)
    order: Order = []
    holder = contextlib.AsyncExitStack()
    await holder.enter_async_context(slots.taken())
    waiter = _start(lambda: _hold(slots, "cancelled", order, asyncio.Event()))
    await _settle()
    if woken:
        # The slot is handed to the waiter, and the cancellation arrives before it runs
        # (nothing between the two lets the loop run it).
        await holder.aclose()
        waiter.cancel()
    else:
        waiter.cancel()
        await _settle()
        await holder.aclose()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert order == []
    assert not slots.waits()
    again = asyncio.Event()
    again.set()
    await asyncio.wait_for(_hold(slots, "next", order, again), timeout=1)
    assert order == ["next"]


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="count must be >= 1"):
        Slots(0)


async def test_the_client_sends_deferred_calls_after_the_waiting_ones() -> None:
    """Through MiroClient: with its one slot held, a deferred call queued first is sent
    after an ordinary one queued later."""
    sent: Order = []
    gate = asyncio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        if request.url.path.endswith("/held"):
            await gate.wait()
        return httpx.Response(200, json={})

    with respx.mock(base_url="https://api.miro.com", assert_all_called=False) as router:
        router.get(path__regex=r"/v2/boards/.*").mock(side_effect=answer)
        async with MiroClient("t", concurrency=1) as client:

            def call(board: str) -> Coroutine[Any, Any, httpx.Response]:
                return client.request(
                    "GET", "/v2/boards/{board_id}", {"board_id": board}, operation="boards.get"
                )

            held = asyncio.ensure_future(call("held"))
            await _settle()
            with deferred():
                late = asyncio.ensure_future(call("late"))
            await _settle()
            ordinary = asyncio.ensure_future(call("ordinary"))
            await _settle()
            gate.set()
            await asyncio.gather(held, late, ordinary)
    assert sent == ["/v2/boards/held", "/v2/boards/ordinary", "/v2/boards/late"]


async def test_calls_started_in_one_turn_go_before_a_deferred_one_of_that_turn() -> None:
    """Free slots and no waiters: a deferred call started first still lets the calls
    started in the same turn of the loop take their slots first."""
    slots = Slots(2)
    order: Order = []
    gate = asyncio.Event()
    tasks = [
        _start(lambda: _hold(slots, "name", order, gate), later=True),
        _start(lambda: _hold(slots, "page-1", order, gate)),
        _start(lambda: _hold(slots, "page-2", order, gate)),
    ]
    await _settle()
    assert order == ["page-1", "page-2"]
    gate.set()
    await asyncio.gather(*tasks)
    assert order == ["page-1", "page-2", "name"]
