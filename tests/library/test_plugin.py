"""The ``miro_emulator`` fixture, used the way a developer testing their own Miro code
would: boardsmith's client in process, plain httpx over a loopback port, several users,
faults, stats and a fresh database per test."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from boardsmith.miro import AmbiguousWriteError, RateLimitError
from boardsmith.miro.models import StickyNoteCreate, StickyNoteDataChange
from boardsmith.testing import MiroEmulator
from boardsmith.testing.emulator import IN_PROCESS_URL

pytest_plugins = ["pytester"]


async def _no_sleep(seconds: float) -> None:
    """The client's retry waits, skipped: tests never wait for real."""


def _stickies(*words: str) -> list[StickyNoteCreate]:
    return [StickyNoteCreate(data=StickyNoteDataChange(content=w)) for w in words]


async def test_boardsmiths_client_in_process(miro_emulator: MiroEmulator) -> None:
    async with miro_emulator.client("Ana") as client:
        board = await client.boards.create(name="Vision")
        made = await client.items.bulk_create(board.id, _stickies(*(f"w{i}" for i in range(25))))
        listed = [item.id async for item in client.items.list(board.id, page_size=10)]
    assert listed == [item.id for item in made]
    assert not miro_emulator.served  # nothing was listening: no port was needed
    requests = miro_emulator.stats()["requests"]
    assert requests["POST /v2/boards/{board_id}/items/bulk"] == 2  # 20 + 5
    assert requests["GET /v2/boards/{board_id}/items"] == 3  # 10 + 10 + 5


@pytest.mark.parametrize("run", [1, 2])
async def test_every_test_gets_a_fresh_database(miro_emulator: MiroEmulator, run: int) -> None:
    async with miro_emulator.client("Ana") as client:
        assert [b async for b in client.boards.list()] == []
        await client.boards.create(name=f"run {run}")
        assert len([b async for b in client.boards.list()]) == 1


def test_plain_httpx_over_loopback_from_a_sync_test(miro_emulator: MiroEmulator) -> None:
    url = miro_emulator.base_url
    assert url.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=url, headers=miro_emulator.headers("Ben")) as http:
        board = http.post("/v2/boards", json={"name": "Served"}).json()
        sticky = http.post(
            f"/v2/boards/{board['id']}/sticky_notes", json={"data": {"content": "Bold"}}
        )
        assert sticky.status_code == 201
        assert sticky.json()["createdBy"]["id"] == miro_emulator.user_id("Ben")
        items = http.get(f"/v2/boards/{board['id']}/items").json()
    assert [i["data"]["content"] for i in items["data"]] == ["Bold"]
    assert miro_emulator.stats()["requests"]["POST /v2/boards"] == 1


async def test_served_and_in_process_clients_see_the_same_boards(
    miro_emulator: MiroEmulator,
) -> None:
    async with miro_emulator.http_client("Ana", served=True) as http:
        board_id = (await http.post("/v2/boards", json={"name": "Both"})).json()["id"]
    async with miro_emulator.client("Ana", served=False) as client:
        assert (await client.boards.get(board_id)).name == "Both"


async def test_each_user_name_is_its_own_miro_user(miro_emulator: MiroEmulator) -> None:
    assert miro_emulator.token("Ana") != miro_emulator.token("Ben")
    assert miro_emulator.user_id("Ana") == miro_emulator.user_id("Ana")
    async with miro_emulator.client("Ana") as ana, miro_emulator.client("Ben") as ben:
        board = await ana.boards.create(name="Ana's")
        theirs = await ben.boards.create(name="Ben's")
        (mine,) = await ana.items.bulk_create(board.id, _stickies("Ana's"))
    assert board.owner is not None
    assert board.owner.id == miro_emulator.user_id("Ana")
    assert theirs.owner is not None
    assert theirs.owner.id == miro_emulator.user_id("Ben")
    assert mine.created_by is not None
    assert mine.created_by.id == miro_emulator.user_id("Ana")
    with pytest.raises(ValueError, match="without ':'"):
        miro_emulator.token("Ana:2")


@pytest.mark.miro_emulator(rate_429=1.0)
async def test_marker_settings_reach_the_fixture(miro_emulator: MiroEmulator) -> None:
    async with miro_emulator.client("Ana", max_retries=0, sleep=_no_sleep) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.boards.create(name="Never")
    assert caught.value.status == 429
    miro_emulator.set_faults(rate_429=0.0)
    async with miro_emulator.client("Ana") as client:
        await client.boards.create(name="Now")


async def test_fail_after_commit_is_an_ambiguous_write_that_did_happen(
    miro_emulator: MiroEmulator,
) -> None:
    async with miro_emulator.client("Ana") as client:
        board = await client.boards.create(name="Flaky")
        miro_emulator.set_faults(fail_after_commit=1.0, fail_mode="drop")
        with pytest.raises(AmbiguousWriteError):
            await client.items.bulk_create(board.id, _stickies("Maybe"))
        miro_emulator.set_faults(fail_after_commit=0.0)
        # Reconcile by reading, as AmbiguousWriteError asks: the write was committed.
        texts = [i.model_dump()["data"]["content"] async for i in client.items.list(board.id)]
    assert texts == ["Maybe"]


@pytest.mark.miro_emulator(served=True, rate_500=1.0)
def test_served_faults_reach_plain_http_clients(miro_emulator: MiroEmulator) -> None:
    assert miro_emulator.served
    with httpx.Client(base_url=miro_emulator.base_url, headers=miro_emulator.headers()) as http:
        answer = http.get("/v2/boards")
    assert answer.status_code == 500
    assert answer.json()["code"] == "internalError"


@pytest.mark.miro_emulator(latency_ms=60)
async def test_latency_is_added_to_every_request(miro_emulator: MiroEmulator) -> None:
    async with miro_emulator.client("Ana") as client:
        started = time.monotonic()
        await client.boards.create(name="Slow")
        assert time.monotonic() - started >= 0.06


@pytest.mark.miro_emulator(credits_per_minute=700)
async def test_a_small_credit_budget_answers_429(miro_emulator: MiroEmulator) -> None:
    assert miro_emulator.credits_per_minute == 700
    async with miro_emulator.http_client("Ana") as http:
        first = await http.post("/v2/boards", json={"name": "One"})  # level 3: 500 credits
        second = await http.post("/v2/boards", json={"name": "Two"})
    assert (first.status_code, second.status_code) == (201, 429)
    assert miro_emulator.stats()["credits"] == 500
    miro_emulator.reset_stats()
    assert miro_emulator.stats() == {"total_requests": 0, "credits": 0, "requests": {}}


def test_outside_pytest_it_is_a_context_manager() -> None:
    with MiroEmulator(served=True) as emulator:
        url = emulator.base_url
        assert httpx.get(f"{url}/v2/boards", headers=emulator.headers()).status_code == 200
        assert emulator.token() not in repr(emulator)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/v2/boards", headers=emulator.headers())
    with pytest.raises(RuntimeError, match="closed"):
        emulator.serve()


async def test_a_database_file_outlives_its_emulator(tmp_path: Path) -> None:
    with MiroEmulator(tmp_path / "boards.sqlite3") as first:
        async with first.client("Ana") as client:
            board = await client.boards.create(name="Kept")
    with MiroEmulator(tmp_path / "boards.sqlite3") as again:
        async with again.client("Ana") as client:
            assert (await client.boards.get(board.id)).name == "Kept"


async def test_in_process_clients_never_reach_the_network(miro_emulator: MiroEmulator) -> None:
    async with miro_emulator.http_client("Ana") as http:
        assert str(http.base_url).startswith(IN_PROCESS_URL)
        assert (await http.get("/v2/boards")).status_code == 200
    assert not miro_emulator.served


def test_the_plugin_is_registered_for_pytest() -> None:
    plugins = importlib.metadata.entry_points(group="pytest11")
    assert [p.value for p in plugins if p.name == "boardsmith"] == ["boardsmith.testing.plugin"]


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    # Every pytest run of everyone who installs boardsmith imports the plugin.
    heavy = ["httpx", "starlette", "uvicorn", "pydantic", "boardsmith.emulator", "boardsmith.miro"]
    code = (
        "import sys, boardsmith.testing.plugin, boardsmith.testing\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_a_projects_own_tests_get_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx, pytest

        def test_mine(miro_emulator):
            with httpx.Client(base_url=miro_emulator.base_url,
                              headers=miro_emulator.headers("Cy")) as http:
                assert http.post("/v2/boards", json={"name": "Mine"}).status_code == 201

        @pytest.mark.miro_emulator("positional")
        def test_bad_marker(miro_emulator):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*keyword arguments only*"])
