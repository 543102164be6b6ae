"""The retry rules and wait times, as pure functions (table tests)."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from boardsmith.miro.retry import (
    Decision,
    RateLimitWait,
    backoff_delay,
    decide_on_error,
    decide_on_status,
    parse_remaining,
    parse_reset,
    parse_retry_after,
    rate_limit_wait,
    server_delay,
)

NOW = 1_700_000_000.0
REQ = httpx.Request("POST", "https://api.miro.com/v2/boards")


@pytest.mark.parametrize(
    ("method", "status", "expected"),
    [
        ("GET", 200, Decision.SUCCESS),
        ("POST", 201, Decision.SUCCESS),
        ("DELETE", 204, Decision.SUCCESS),
        ("GET", 429, Decision.RETRY),
        ("POST", 429, Decision.RETRY),
        ("GET", 500, Decision.RETRY),
        ("PATCH", 502, Decision.RETRY),
        ("PUT", 503, Decision.RETRY),
        ("DELETE", 504, Decision.RETRY),
        ("POST", 500, Decision.AMBIGUOUS),
        ("POST", 503, Decision.AMBIGUOUS),
        ("GET", 400, Decision.RAISE),
        ("POST", 400, Decision.RAISE),
        ("GET", 401, Decision.RAISE),
        ("GET", 404, Decision.RAISE),
        ("PATCH", 409, Decision.RAISE),
    ],
)
def test_decide_on_status(method: str, status: int, expected: Decision) -> None:
    assert decide_on_status(method, status) is expected


def test_idempotent_override_makes_a_post_retryable() -> None:
    assert decide_on_status("POST", 500, idempotent=True) is Decision.RETRY
    assert decide_on_error("POST", httpx.ReadTimeout("t", request=REQ), idempotent=True) is (
        Decision.RETRY
    )


@pytest.mark.parametrize(
    ("method", "error", "expected"),
    [
        ("POST", httpx.ConnectError("refused", request=REQ), Decision.RETRY),
        ("POST", httpx.ConnectTimeout("slow", request=REQ), Decision.RETRY),
        ("POST", httpx.PoolTimeout("pool", request=REQ), Decision.RETRY),
        ("POST", httpx.ReadTimeout("read", request=REQ), Decision.AMBIGUOUS),
        ("POST", httpx.WriteTimeout("write", request=REQ), Decision.AMBIGUOUS),
        ("POST", httpx.ReadError("reset", request=REQ), Decision.AMBIGUOUS),
        ("POST", httpx.RemoteProtocolError("eof", request=REQ), Decision.AMBIGUOUS),
        ("GET", httpx.ReadTimeout("read", request=REQ), Decision.RETRY),
        ("GET", httpx.ReadError("reset", request=REQ), Decision.RETRY),
        ("DELETE", httpx.RemoteProtocolError("eof", request=REQ), Decision.RETRY),
        ("GET", ValueError("not transport"), Decision.RAISE),
    ],
)
def test_decide_on_error(method: str, error: BaseException, expected: Decision) -> None:
    assert decide_on_error(method, error) is expected


@pytest.mark.parametrize(
    ("attempt", "jitter", "expected"),
    [
        (1, 0.0, 0.25),
        (1, 1.0, 0.5),
        (2, 0.5, 0.75),
        (3, 0.0, 1.0),
        (4, 1.0, 4.0),
        (10, 1.0, 30.0),  # capped
        (10, 0.0, 15.0),
    ],
)
def test_backoff_delay(attempt: int, jitter: float, expected: float) -> None:
    assert backoff_delay(attempt, jitter=jitter) == pytest.approx(expected)


def test_backoff_grows_and_rejects_attempt_zero() -> None:
    delays = [backoff_delay(n, jitter=0.5) for n in range(1, 7)]
    assert delays == sorted(delays)
    with pytest.raises(ValueError, match="1-based"):
        backoff_delay(0, jitter=0.5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        (email.utils.formatdate(NOW + 12, usegmt=True), 12.0),
        (email.utils.formatdate(NOW - 12, usegmt=True), 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    got = parse_retry_after(value, NOW)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (str(int(NOW) + 42), 42.0),
        (str(int(NOW) - 5), 0.0),
        ("30", 30.0),  # a small value is a delta, not an epoch in 1970
        ("junk", None),
        (None, None),
    ],
)
def test_parse_reset(value: str | None, expected: float | None) -> None:
    assert parse_reset(value, NOW) == expected


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"retry-after": "3", "x-ratelimit-reset": str(int(NOW) + 40)}, 3.0),
        (429, {"x-ratelimit-reset": str(int(NOW) + 40)}, 40.0),
        (429, {}, None),
        (503, {"retry-after": "9"}, 9.0),
        # Every answer carries the reset header; it is no reason to wait on a 500.
        (500, {"x-ratelimit-reset": str(int(NOW) + 40)}, None),
    ],
)
def test_server_delay_prefers_retry_after(
    status: int, headers: dict[str, str], expected: float | None
) -> None:
    assert server_delay(status, headers, NOW) == expected


RESET_40 = str(int(NOW) + 40)


@pytest.mark.parametrize(
    ("headers", "attempt", "expected"),
    [
        # Budget left: a transient 429, a brief jittered pause for this call only
        # (jitter 0.5: equal-jitter backoff from 0.1 s, capped at 2 s).
        ({"x-ratelimit-remaining": "5000", "x-ratelimit-reset": RESET_40}, 1, (0.075, False)),
        ({"x-ratelimit-remaining": "5000", "x-ratelimit-reset": RESET_40}, 3, (0.3, False)),
        ({"x-ratelimit-remaining": "1", "x-ratelimit-reset": RESET_40}, 9, (1.5, False)),
        # A short Retry-After, plus a little jitter so callers do not return in step.
        ({"retry-after": "2", "x-ratelimit-reset": RESET_40}, 1, (2.05, False)),
        ({"retry-after": "2", "x-ratelimit-remaining": "0"}, 1, (2.0, True)),
        # A long Retry-After is honoured; for everyone unless budget is said to be left.
        ({"retry-after": "30"}, 1, (30.0, True)),
        ({"retry-after": "30", "x-ratelimit-remaining": "900"}, 1, (30.0, False)),
        # The window is spent: everyone waits for its reset.
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": RESET_40}, 1, (40.0, True)),
        ({"x-ratelimit-reset": RESET_40}, 1, (40.0, True)),
        ({"x-ratelimit-remaining": "0"}, 2, (0.75, True)),
        # Nothing said: an ordinary backoff for this call.
        ({}, 1, (0.375, False)),
        ({"x-ratelimit-remaining": "junk"}, 1, (0.375, False)),
    ],
)
def test_rate_limit_wait_follows_what_miro_says(
    headers: dict[str, str], attempt: int, expected: tuple[float, bool]
) -> None:
    wait = rate_limit_wait(headers, NOW, attempt=attempt, jitter=0.5)
    assert isinstance(wait, RateLimitWait)
    assert wait.delay == pytest.approx(expected[0])
    assert wait.spent is expected[1]


@pytest.mark.parametrize(
    ("value", "expected"), [("12", 12.0), (" 0 ", 0.0), ("x", None), (None, None)]
)
def test_parse_remaining(value: str | None, expected: float | None) -> None:
    assert parse_remaining(value) == expected
