"""Rate limiting, fault injection, persistence and concurrency."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from boardsmith.emulator import EmulatorApp, EmulatorTransport, Faults, create_app
from tests.emulator.helpers import create, new_board


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def client_for(app: EmulatorApp, token: str = "Ana:1") -> httpx.AsyncClient:  # noqa: S107
    return httpx.AsyncClient(
        transport=EmulatorTransport(app),
        base_url="https://api.miro.com",
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_credits_run_out_per_user_and_reset_each_minute() -> None:
    clock = FakeClock()
    app = create_app(":memory:", credits_per_minute=1000, clock=clock)
    async with client_for(app) as ana, client_for(app, "Ben:1") as ben:
        board = await new_board(ana)  # 500 credits
        first = await ana.get(f"/v2/boards/{board}/items")  # 100
        assert first.headers["X-RateLimit-Limit"] == "1000"
        assert first.headers["X-RateLimit-Remaining"] == "400"
        reset = int(first.headers["X-RateLimit-Reset"])
        assert clock.now < reset <= clock.now + 60
        for _ in range(4):
            assert (await ana.get(f"/v2/boards/{board}/items")).status_code == 200
        limited = await ana.get(f"/v2/boards/{board}/items")
        assert limited.status_code == 429
        assert limited.json() == {
            "status": 429,
            "code": "tooManyRequests",
            "message": "Request rate limit exceed",
            "context": None,
            "type": "error",
        }
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        # Another user has their own budget.
        assert (await ben.get(f"/v2/boards/{board}/items")).status_code == 200
        clock.now = reset
        assert (await ana.get(f"/v2/boards/{board}/items")).status_code == 200
    assert app.stats()["credits"] == 500 + 5 * 100 + 100 + 100


async def test_bulk_costs_level_two_per_item() -> None:
    app = create_app(":memory:")
    async with client_for(app) as ana:
        board = await new_board(ana)
        app.reset_stats()
        await ana.post(f"/v2/boards/{board}/items/bulk", json=[{"type": "shape"}] * 7)
    assert app.stats()["credits"] == 700


async def test_injected_429_and_500_do_not_write() -> None:
    app = create_app(":memory:")
    async with client_for(app) as ana:
        board = await new_board(ana)
        app.faults = Faults(rate_429=1.0, seed=1)
        assert (await ana.post(f"/v2/boards/{board}/shapes", json={})).status_code == 429
        app.faults = Faults(rate_500=1.0, seed=1)
        failed = await ana.post(f"/v2/boards/{board}/shapes", json={})
        assert failed.status_code == 500
        assert failed.json()["type"] == "error"
        app.faults = Faults()
        assert (await ana.get(f"/v2/boards/{board}/items")).json()["total"] == 0


async def test_fail_after_commit_500_keeps_the_write() -> None:
    app = create_app(":memory:")
    async with client_for(app) as ana:
        board = await new_board(ana)
        app.faults.fail_after_commit = 1.0
        app.faults.fail_mode = "500"
        response = await ana.post(f"/v2/boards/{board}/shapes", json={})
        assert response.status_code == 500
        app.faults.fail_after_commit = 0.0
        assert (await ana.get(f"/v2/boards/{board}/items")).json()["total"] == 1


async def test_fail_after_commit_drop_is_a_transport_error() -> None:
    app = create_app(":memory:")
    async with client_for(app) as ana:
        board = await new_board(ana)
        app.faults = Faults(fail_after_commit=1.0, fail_mode="drop")
        with pytest.raises(httpx.RemoteProtocolError):
            await ana.post(f"/v2/boards/{board}/sticky_notes", json={})
        # Reads are never failed after commit; the write is there.
        assert (await ana.get(f"/v2/boards/{board}/items")).json()["total"] == 1


async def test_seeded_faults_are_reproducible() -> None:
    async def run() -> list[int]:
        app = create_app(":memory:", faults=Faults(rate_500=0.5, seed=42))
        async with client_for(app) as ana:
            return [(await ana.get("/v2/boards")).status_code for _ in range(20)]

    first, second = await run(), await run()
    assert first == second
    assert {200, 500} <= set(first)


async def test_latency_overlaps_for_concurrent_requests() -> None:
    # Real asyncio.sleep(0.05) per request: 20 concurrent requests must overlap, not queue.
    app = create_app(":memory:", faults=Faults(latency_ms=50))
    async with client_for(app) as ana:
        start = time.perf_counter()
        await asyncio.gather(*(ana.get("/v2/boards") for _ in range(20)))
        elapsed = time.perf_counter() - start
    assert elapsed < 20 * 0.05 / 2


async def test_concurrent_writes_all_land_with_distinct_ids() -> None:
    app = create_app(":memory:", faults=Faults(latency_ms=1))
    async with client_for(app) as ana:
        board = await new_board(ana)
        results = await asyncio.gather(
            *(create(ana, board, "sticky_notes", {"data": {"content": str(i)}}) for i in range(40))
        )
        assert len({r["id"] for r in results}) == 40
        total = (await ana.get(f"/v2/boards/{board}/items")).json()["total"]
    assert total == 40


async def test_file_database_survives_restart(tmp_path: Path) -> None:
    app = create_app(tmp_path)  # a directory: emulator.sqlite3 inside it
    async with client_for(app) as ana:
        board = await new_board(ana)
        note = await create(ana, board, "sticky_notes", {"data": {"content": "kept"}})
    app.close()
    assert (tmp_path / "emulator.sqlite3").exists()
    reopened = create_app(tmp_path / "emulator.sqlite3")
    async with client_for(reopened) as ana:
        got = await ana.get(f"/v2/boards/{board}/sticky_notes/{note['id']}")
        assert got.json()["data"]["content"] == "kept"
    journal = reopened.store._conn.execute("PRAGMA journal_mode").fetchone()
    assert journal[0] == "wal"
    reopened.close()


def test_default_db_path_uses_boardsmith_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from boardsmith.emulator import default_db_path

    monkeypatch.setenv("BOARDSMITH_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "emulator.sqlite3"
