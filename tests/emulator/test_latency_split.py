"""The injected latency is a round trip: half before the handler, half after it."""

from __future__ import annotations

import asyncio
import time

import httpx

from boardsmith.emulator import EmulatorApp, EmulatorTransport, Faults, create_app
from tests.emulator.helpers import new_board


def client_for(app: EmulatorApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=EmulatorTransport(app),
        base_url="https://api.miro.com",
        headers={"Authorization": "Bearer Ana:1"},
    )


async def test_a_write_is_committed_before_its_answer_arrives() -> None:
    app = create_app(":memory:")
    async with client_for(app) as ana:
        board = await new_board(ana)
        app.faults = Faults(latency_ms=1000)
        body = {"data": {"content": "on its way"}}
        start = time.perf_counter()
        sending = asyncio.ensure_future(ana.post(f"/v2/boards/{board}/sticky_notes", json=body))
        # The handler runs once the request's half (500 ms) is over; the answer takes
        # the other half to come back.
        await asyncio.sleep(0.75)
        assert app.store.query_items(board)[1] == 1, "not committed halfway"
        assert not sending.done()
        answer = await sending
        answered = time.perf_counter() - start
    assert answer.status_code == 201
    assert answered >= 1.0


async def test_the_handlers_of_concurrent_requests_run_inside_the_latency() -> None:
    # Ten writes at once: their handlers run between the two halves, so the last answer
    # comes one latency (plus the handlers' work) after the requests left, not later.
    app = create_app(":memory:")
    async with client_for(app) as ana:
        board = await new_board(ana)
        app.faults = Faults(latency_ms=200)
        items = [{"type": "sticky_note", "data": {"content": str(n)}} for n in range(20)]
        start = time.perf_counter()
        answers = await asyncio.gather(
            *(ana.post(f"/v2/boards/{board}/items/bulk", json=items) for _ in range(10))
        )
        elapsed = time.perf_counter() - start
    assert [a.status_code for a in answers] == [201] * 10
    assert 0.2 <= elapsed < 0.2 * 3


async def test_requests_refused_before_the_handler_take_the_whole_latency() -> None:
    app = create_app(":memory:", credits_per_minute=100)
    async with client_for(app) as ana:
        app.faults = Faults(latency_ms=200)
        start = time.perf_counter()
        refused = await ana.post("/v2/boards", json={"name": "too dear"})
        elapsed = time.perf_counter() - start
    assert refused.status_code == 429
    assert elapsed >= 0.2
