"""A 429 asking for a longer wait than ``max_retry_wait`` is raised at once, saying when
to retry; nothing sleeps (issue 16). The clock is fake: these tests never wait."""

from __future__ import annotations

import httpx
import pytest
import respx

from boardsmith.miro import RateLimitError
from tests.fake_time import FakeTime

from .conftest import BOARD, BOARD_PATH, TOKEN, CheckedRouter, make_client

ERR_429 = {"status": 429, "code": "tooManyRequests", "message": "Request rate limit exceed"}
BOARD_JSON = {"id": BOARD, "name": "Vision", "description": "", "type": "board"}
# 2023-11-14 22:13:20 UTC, the FakeTime start.
START = 1_700_000_000.0


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "3600"},
        {"Retry-After": "3600", "X-RateLimit-Remaining": "0"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(START) + 3600)},
    ],
)
async def test_a_wait_longer_than_max_retry_wait_raises_saying_when(
    checked: CheckedRouter,
    router: respx.MockRouter,
    fake_time: FakeTime,
    headers: dict[str, str],
) -> None:
    route = router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(429, json=ERR_429, headers=headers),
            httpx.Response(200, json=BOARD_JSON),
        ]
    )
    async with make_client(checked, fake_time, max_retry_wait=120) as client:
        with pytest.raises(RateLimitError) as info:
            await client.boards.get(BOARD)
        assert fake_time.sleeps == []  # neither the retry nor the budget slept
        assert route.call_count == 1
        assert info.value.retry_at == pytest.approx(START + 3600)
        assert str(info.value) == (
            f"GET /v2/boards/{BOARD} failed: 429 tooManyRequests: Request rate limit exceed "
            "(Miro asks to wait 3600 s, longer than the 120 s boardsmith waits by itself; "
            "retry after 23:13:20 UTC)"
        )
        assert TOKEN not in str(info.value)
        # The budget was not blocked for the hour either: the next call waits at most for
        # the budget's own window (after "Remaining: 0"), never the hour.
        await client.boards.get(BOARD)
    assert sum(fake_time.sleeps) <= 60


async def test_a_wait_within_max_retry_wait_is_still_slept(
    checked: CheckedRouter, router: respx.MockRouter, fake_time: FakeTime
) -> None:
    router.get(BOARD_PATH).mock(
        side_effect=[
            httpx.Response(429, json=ERR_429, headers={"Retry-After": "90"}),
            httpx.Response(200, json=BOARD_JSON),
        ]
    )
    async with make_client(checked, fake_time, max_retry_wait=120) as client:
        await client.boards.get(BOARD)
    assert sum(fake_time.sleeps) == pytest.approx(90.0)
