"""Connect failures no retry can cure fail at once (issue 16)."""

from __future__ import annotations

import ssl

import httpx
import pytest

from boardsmith.miro import ConnectError, MiroClient
from tests.fake_time import FakeTime

from .conftest import BOARD, TOKEN


def _refusing(errors: list[httpx.Request], cause: BaseException) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        errors.append(request)
        # httpx wraps the OS error the way the real transport does.
        try:
            raise cause
        except BaseException as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc

    return httpx.MockTransport(handler)


def _client(base_url: str, transport: httpx.MockTransport, fake_time: FakeTime) -> MiroClient:
    return MiroClient(
        TOKEN,
        base_url=base_url,
        transport=transport,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        rng=lambda: 0.5,
    )


async def test_refused_at_loopback_is_not_retried(fake_time: FakeTime) -> None:
    sent: list[httpx.Request] = []
    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 9)")
    async with _client("http://127.0.0.1:9", _refusing(sent, refused), fake_time) as client:
        with pytest.raises(ConnectError) as caught:
            await client.boards.get(BOARD)
    assert len(sent) == 1
    assert fake_time.sleeps == []
    assert caught.value.reason == "refused"
    assert str(caught.value) == (
        f"GET /v2/boards/{BOARD} failed: nothing is listening at http://127.0.0.1:9 "
        "(connection refused) (start the server there, or check the port of the API URL)"
    )
    assert TOKEN not in str(caught.value)


async def test_refused_elsewhere_is_still_retried(fake_time: FakeTime) -> None:
    sent: list[httpx.Request] = []
    refused = ConnectionRefusedError(111, "Connection refused")
    async with _client("https://api.miro.com", _refusing(sent, refused), fake_time) as client:
        with pytest.raises(ConnectError) as caught:
            await client.boards.get(BOARD)
    assert len(sent) == 6  # max_retries=5: a remote outage may pass
    assert caught.value.reason is None


async def test_https_against_plain_http_is_a_sentence(fake_time: FakeTime) -> None:
    sent: list[httpx.Request] = []
    wrong = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    async with _client("https://127.0.0.1:8765", _refusing(sent, wrong), fake_time) as client:
        with pytest.raises(ConnectError) as caught:
            await client.boards.get(BOARD)
    assert len(sent) == 1
    assert caught.value.reason == "tls"
    assert "WRONG_VERSION_NUMBER" not in str(caught.value)
    assert "https://127.0.0.1:8765 does not answer in https" in str(caught.value)
