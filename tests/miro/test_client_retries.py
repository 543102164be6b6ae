"""Retries, ambiguous POSTs, token refresh and credit spending through the real client."""

from __future__ import annotations

import httpx
import pytest
import respx
from pydantic import SecretStr

from boardsmith.miro import (
    AmbiguousWriteError,
    AuthenticationError,
    ConnectError,
    MiroClient,
    RateLimitError,
    ServerError,
    TimeoutError,
)
from boardsmith.miro.models import StickyNoteCreate
from tests.fake_time import FakeTime

from .conftest import BOARD, BOARD_PATH, CheckedRouter, item_json, make_client

NOTE = StickyNoteCreate.model_validate({"data": {"content": "x"}})
BOARD_JSON = {"id": BOARD, "name": "Vision", "description": "", "type": "board"}
ERR_500 = {"status": 500, "code": "internalError", "message": "oops", "type": "error"}
ERR_429 = {"status": 429, "code": "tooManyRequests", "message": "Request rate limit exceed"}


async def test_get_retries_5xx_with_backoff_then_succeeds(
    client: MiroClient, router: respx.MockRouter, fake_time: FakeTime
) -> None:
    route = router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(500, json=ERR_500),
            httpx.Response(503, json=ERR_500),
            httpx.Response(200, json=BOARD_JSON),
        ]
    )
    board = await client.boards.get(BOARD)
    assert board.id == BOARD
    assert route.call_count == 3
    # rng() == 0.5: equal-jitter backoff 0.375 s then 0.75 s.
    assert fake_time.sleeps == [pytest.approx(0.375), pytest.approx(0.75)]
    assert client.stats.requests == 3
    assert client.stats.retries == 2
    assert client.stats.credits == 150


async def test_get_gives_up_after_max_retries_with_server_error(
    client: MiroClient, router: respx.MockRouter, fake_time: FakeTime
) -> None:
    route = router.get(BOARD_PATH).respond(502, json=ERR_500)
    with pytest.raises(ServerError) as info:
        await client.boards.get(BOARD)
    assert route.call_count == 4  # 1 + max_retries(3)
    assert info.value.status == 502
    assert len(fake_time.sleeps) == 3


async def test_429_honours_retry_after_over_reset(
    client: MiroClient, router: respx.MockRouter, fake_time: FakeTime
) -> None:
    reset = str(int(fake_time.now) + 50)
    router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(
                429, json=ERR_429, headers={"Retry-After": "7", "X-RateLimit-Reset": reset}
            ),
            httpx.Response(200, json=BOARD_JSON),
        ]
    )
    await client.boards.get(BOARD)
    assert sum(fake_time.sleeps) == pytest.approx(7.0, abs=0.01)


async def test_429_without_retry_after_waits_for_reset(
    client: MiroClient, router: respx.MockRouter, fake_time: FakeTime
) -> None:
    reset = str(int(fake_time.now) + 30)
    router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(
                429,
                json=ERR_429,
                headers={"X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "0"},
            ),
            httpx.Response(200, json=BOARD_JSON),
        ]
    )
    await client.boards.get(BOARD)
    assert sum(fake_time.sleeps) == pytest.approx(30.0, abs=0.01)


async def test_transient_429_costs_a_brief_pause_and_stalls_no_other_call(
    client: MiroClient, router: respx.MockRouter, fake_time: FakeTime
) -> None:
    reset = str(int(fake_time.now) + 55)
    transient = {"X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "90000"}
    router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(429, json=ERR_429, headers=transient),
            httpx.Response(200, json=BOARD_JSON, headers=transient),
        ]
    )
    await client.boards.get(BOARD)
    # Not the 55 s to the reset: one jittered backoff step from 0.1 s.
    assert fake_time.sleeps == [pytest.approx(0.075)]
    # The budget was not blocked: the next call goes out without waiting.
    router.get(BOARD_PATH + "/members").respond(
        200, json={"data": [], "total": 0, "size": 0, "offset": 0, "limit": 50}
    )
    before = len(fake_time.sleeps)
    assert [m async for m in client.members.list(BOARD)] == []
    assert fake_time.sleeps[before:] == []


async def test_transient_429s_get_extra_retries_a_spent_window_does_not(
    client: MiroClient, router: respx.MockRouter, fake_time: FakeTime
) -> None:
    reset = str(int(fake_time.now) + 55)
    transient = httpx.Response(
        429, json=ERR_429, headers={"X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "500"}
    )
    # Six transient 429s in a row (max_retries is 3): still no 429 for the caller.
    route = router.get(BOARD_PATH).mock(
        side_effect=[transient] * 6 + [httpx.Response(200, json=BOARD_JSON)]
    )
    await client.boards.get(BOARD)
    assert route.call_count == 7
    assert sum(fake_time.sleeps) < 6 * 2.0
    spent = router.get(BOARD_PATH + "/members").respond(
        429, json=ERR_429, headers={"X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "0"}
    )
    with pytest.raises(RateLimitError):
        [m async for m in client.members.list(BOARD)]
    assert spent.call_count == 4  # 1 + max_retries


async def test_429_exhausted_raises_rate_limit_error(
    client: MiroClient, router: respx.MockRouter
) -> None:
    router.get(BOARD_PATH).respond(429, json=ERR_429, headers={"Retry-After": "1"})
    with pytest.raises(RateLimitError, match="429 tooManyRequests"):
        await client.boards.get(BOARD)


async def test_post_is_retried_on_429(client: MiroClient, router: respx.MockRouter) -> None:
    route = router.post(BOARD_PATH + "/sticky_notes").mock(
        side_effect=[
            httpx.Response(429, json=ERR_429, headers={"Retry-After": "2"}),
            httpx.Response(201, json=item_json("1")),
        ]
    )
    await client.sticky_notes.create(BOARD, NOTE)
    assert route.call_count == 2


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("p")]
)
async def test_post_is_retried_when_it_was_never_sent(
    client: MiroClient, router: respx.MockRouter, error: Exception
) -> None:
    route = router.post(BOARD_PATH + "/sticky_notes").mock(
        side_effect=[error, httpx.Response(201, json=item_json("1"))]
    )
    note = await client.sticky_notes.create(BOARD, NOTE)
    assert note.id == "1"
    assert route.call_count == 2


@pytest.mark.parametrize(
    "outcome",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.ReadError("connection reset"),
        httpx.RemoteProtocolError("server disconnected"),
        httpx.Response(500, json=ERR_500),
        httpx.Response(504, text="<html>gateway</html>"),
    ],
)
async def test_post_that_may_have_been_applied_is_not_retried(
    client: MiroClient, router: respx.MockRouter, outcome: httpx.Response | Exception
) -> None:
    route = router.post(BOARD_PATH + "/sticky_notes").mock(side_effect=[outcome])
    with pytest.raises(AmbiguousWriteError) as info:
        await client.sticky_notes.create(BOARD, NOTE)
    assert route.call_count == 1
    assert str(info.value).startswith(f"POST /v2/boards/{BOARD}/sticky_notes may have been applied")
    assert "\n" not in str(info.value)


async def test_get_transport_errors_retry_then_map_to_transport_errors(
    client: MiroClient, router: respx.MockRouter
) -> None:
    router.get(BOARD_PATH).mock(side_effect=httpx.ReadTimeout("read timed out"))
    with pytest.raises(TimeoutError, match="timed out"):
        await client.boards.get(BOARD)
    router.get(BOARD_PATH + "/members/1").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ConnectError, match="connection failed"):
        await client.members.get(BOARD, "1")


class RefreshingSource:
    def __init__(self, new: str | None) -> None:
        self.token = SecretStr("old-token-AAAA")
        self.new = new
        self.refreshed: list[str] = []

    async def access_token(self) -> SecretStr:
        return self.token

    async def refresh(self, rejected: SecretStr) -> SecretStr | None:
        self.refreshed.append(rejected.get_secret_value())
        if self.new is None:
            return None
        self.token = SecretStr(self.new)
        return self.token


async def test_401_refreshes_once_and_retries_with_the_new_token(
    checked: CheckedRouter, fake_time: FakeTime
) -> None:
    source = RefreshingSource("new-token-BBBB")
    route = checked.router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(401, json={"status": 401, "code": "unauthorized", "message": "expired"}),
            httpx.Response(200, json=BOARD_JSON),
        ]
    )
    async with make_client(checked, fake_time, token=source) as client:
        await client.boards.get(BOARD)
    assert source.refreshed == ["old-token-AAAA"]
    auth = [call.request.headers["Authorization"] for call in route.calls]
    assert auth == ["Bearer old-token-AAAA", "Bearer new-token-BBBB"]
    assert fake_time.sleeps == []


async def test_401_after_refresh_is_not_refreshed_again(
    checked: CheckedRouter, fake_time: FakeTime
) -> None:
    source = RefreshingSource("new-token-BBBB")
    route = checked.router.get(BOARD_PATH).respond(
        401, json={"status": 401, "code": "unauthorized", "message": "nope"}
    )
    async with make_client(checked, fake_time, token=source) as client:
        with pytest.raises(AuthenticationError, match="401 unauthorized"):
            await client.boards.get(BOARD)
    assert len(source.refreshed) == 1
    assert route.call_count == 2


async def test_a_401_on_a_retry_is_refreshed_and_the_resend_is_no_retry(
    checked: CheckedRouter, fake_time: FakeTime
) -> None:
    source = RefreshingSource("new-token-BBBB")
    expired = httpx.Response(401, json={"status": 401, "code": "unauthorized", "message": "x"})
    route = checked.router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(500, json=ERR_500),
            expired,
            httpx.Response(500, json=ERR_500),
            httpx.Response(500, json=ERR_500),
            httpx.Response(200, json=BOARD_JSON),
        ]
    )
    async with make_client(checked, fake_time, token=source) as client:
        await client.boards.get(BOARD)
        assert client.stats.retries == 3
    # max_retries is 3: the re-send with the refreshed token used none of them.
    assert route.call_count == 5
    assert source.refreshed == ["old-token-AAAA"]
    auth = [call.request.headers["Authorization"] for call in route.calls]
    assert auth == ["Bearer old-token-AAAA"] * 2 + ["Bearer new-token-BBBB"] * 3


async def test_401_with_no_refresh_possible(checked: CheckedRouter, fake_time: FakeTime) -> None:
    source = RefreshingSource(None)
    route = checked.router.get(BOARD_PATH).respond(401, json={"code": "tokenNotProvided"})
    async with make_client(checked, fake_time, token=source) as client:
        with pytest.raises(AuthenticationError):
            await client.boards.get(BOARD)
    assert route.call_count == 1


async def test_budget_slows_a_long_job_before_miro_says_429(
    checked: CheckedRouter, fake_time: FakeTime
) -> None:
    checked.router.get(BOARD_PATH).respond(200, json=BOARD_JSON)
    async with make_client(checked, fake_time, credits_per_minute=600) as client:
        for _ in range(12):  # 12 x 50 credits = the whole minute
            await client.boards.get(BOARD)
        assert fake_time.sleeps == []
        await client.boards.get(BOARD)
    assert fake_time.sleeps == [pytest.approx(5.0)]  # 50 credits at 10/s


async def test_budget_is_corrected_from_rate_limit_headers(
    checked: CheckedRouter, fake_time: FakeTime
) -> None:
    reset = str(int(fake_time.now) + 20)
    checked.router.get(BOARD_PATH).respond(
        200, json=BOARD_JSON, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    )
    async with make_client(checked, fake_time) as client:
        await client.boards.get(BOARD)
        await client.boards.get(BOARD)
    assert sum(fake_time.sleeps) == pytest.approx(20.0, abs=0.01)


async def test_client_learns_miros_limit_and_settles_calls_in_flight(
    checked: CheckedRouter, fake_time: FakeTime
) -> None:
    reset = str(int(fake_time.now) + 20)
    headers = {
        "X-RateLimit-Limit": "25000",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": reset,
    }
    checked.router.get(BOARD_PATH).respond(200, json=BOARD_JSON, headers=headers)
    async with make_client(checked, fake_time) as client:
        await client.boards.get(BOARD)
        assert client.budget.in_flight == 0
        await client.boards.get(BOARD)  # waits for Miro's reset
        assert client.budget.ceiling == 25_000
    assert sum(fake_time.sleeps) == pytest.approx(20.0, abs=0.01)


async def test_concurrency_is_bounded(checked: CheckedRouter, fake_time: FakeTime) -> None:
    import asyncio

    active = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        active -= 1
        return httpx.Response(200, json=BOARD_JSON)

    checked.router.get(BOARD_PATH).mock(side_effect=slow)
    async with make_client(checked, fake_time, concurrency=2) as client:
        await asyncio.gather(*(client.boards.get(BOARD) for _ in range(8)))
    assert peak == 2
