"""When to retry a request and how long to wait: small pure functions.

The policy (API-NOTES section 7, issue 2):

* idempotent methods (GET, PUT, PATCH, DELETE) retry on 429, 5xx and any
  transport error;
* a POST retries only where Miro certainly did not act: on 429, or when the
  connection failed before the request was sent; a POST that timed out after
  sending, lost its connection mid-way, or got a 5xx is *ambiguous*;
* the wait honours ``Retry-After`` when present, else exponential backoff
  with jitter; a 429 follows what Miro says about the budget
  (:func:`rate_limit_wait`): a transient one (``X-RateLimit-Remaining`` > 0, or
  a short ``Retry-After``) costs this call a brief jittered pause, and only a
  spent window (``Remaining`` 0) makes every call wait for
  ``X-RateLimit-Reset``. Waiting for the reset on every 429 made 10 % injected
  429s turn an 11 s harvest into 19 minutes (issue 21).
"""

from __future__ import annotations

import email.utils
import enum
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from boardsmith.miro.constants import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    SHORT_RETRY_AFTER,
    TRANSIENT_BASE,
    TRANSIENT_CAP,
    TRANSIENT_EXTRA_RETRIES,
)

__all__ = [
    "IDEMPOTENT_METHODS",
    "NOT_SENT_ERRORS",
    "SHORT_RETRY_AFTER",
    "TRANSIENT_BASE",
    "TRANSIENT_CAP",
    "TRANSIENT_EXTRA_RETRIES",
    "Decision",
    "RateLimitWait",
    "backoff_delay",
    "decide_on_error",
    "decide_on_status",
    "parse_remaining",
    "parse_reset",
    "parse_retry_after",
    "rate_limit_wait",
    "server_delay",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})

NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
"""Transport errors raised before any byte of the request reached Miro."""


class Decision(enum.Enum):
    """What to do with a failed attempt."""

    SUCCESS = "success"
    RETRY = "retry"
    RAISE = "raise"
    AMBIGUOUS = "ambiguous"


def decide_on_status(method: str, status: int, *, idempotent: bool | None = None) -> Decision:
    """Decision for an HTTP answer with ``status``.

    ``idempotent`` overrides the method's default (e.g. attaching a tag is a
    POST that is safe to repeat).
    """
    if status < 400:
        return Decision.SUCCESS
    safe = method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent
    if status == 429:
        return Decision.RETRY
    if status >= 500:
        return Decision.RETRY if safe else Decision.AMBIGUOUS
    return Decision.RAISE


def decide_on_error(
    method: str, error: BaseException, *, idempotent: bool | None = None
) -> Decision:
    """Decision for a transport error raised by httpx."""
    safe = method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent
    if isinstance(error, NOT_SENT_ERRORS):
        return Decision.RETRY
    if isinstance(error, httpx.TransportError):
        return Decision.RETRY if safe else Decision.AMBIGUOUS
    return Decision.RAISE


def backoff_delay(
    attempt: int, *, jitter: float, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP
) -> float:
    """Exponential backoff with "equal jitter" for retry number ``attempt`` (1-based).

    ``jitter`` in [0, 1] comes from the caller's random source so the function
    stays pure: the delay lies in [d/2, d] where d = min(cap, base * 2**(attempt-1)).
    """
    if attempt < 1:
        raise ValueError(f"attempt is 1-based, got {attempt}")
    ceiling: float = min(cap, base * 2.0 ** (attempt - 1))
    return ceiling / 2 + ceiling / 2 * min(1.0, max(0.0, jitter))


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


# Below this an X-RateLimit-Reset value is a delta in seconds, not an epoch.
_EPOCH_THRESHOLD = 1_000_000_000


def parse_reset(value: str | None, now: float) -> float | None:
    """Seconds until ``X-RateLimit-Reset`` (UNIX epoch seconds; small values are deltas)."""
    if value is None:
        return None
    try:
        reset = float(value.strip())
    except ValueError:
        return None
    if reset < _EPOCH_THRESHOLD:
        return max(0.0, reset)
    return max(0.0, reset - now)


def server_delay(status: int | None, headers: Mapping[str, str], now: float) -> float | None:
    """How long the server asked us to wait, if it did.

    ``Retry-After`` wins for any status. ``X-RateLimit-Reset`` only means "wait"
    on a 429: Miro sends it on every answer, and a 500 is no reason to wait for
    the rate window.
    """
    retry_after = parse_retry_after(headers.get("retry-after"), now)
    if retry_after is not None:
        return retry_after
    if status == 429:
        return parse_reset(headers.get("x-ratelimit-reset"), now)
    return None


def parse_remaining(value: str | None) -> float | None:
    """Credits left from ``X-RateLimit-Remaining`` (``None`` when absent or not a number)."""
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class RateLimitWait:
    """How to wait after a 429: ``delay`` seconds, for every call when ``spent``."""

    delay: float
    #: The window's credits are used up: the whole budget waits, not only this call.
    spent: bool


def rate_limit_wait(
    headers: Mapping[str, str], now: float, *, attempt: int, jitter: float
) -> RateLimitWait:
    """What a 429 asks for, from its ``Retry-After`` and ``X-RateLimit-*`` headers.

    * ``Remaining`` is 0: the window is spent; everyone waits for ``Retry-After``,
      else for ``Reset``, else an ordinary backoff;
    * a ``Retry-After`` up to :data:`SHORT_RETRY_AFTER`: this call waits that long
      plus a little jitter (so callers do not come back in step);
    * a longer ``Retry-After``: honoured for this call, and for everyone unless
      ``Remaining`` says budget is left;
    * ``Remaining`` > 0 (budget left, so the 429 was transient): a brief
      jittered backoff from :data:`TRANSIENT_BASE` up to :data:`TRANSIENT_CAP`;
    * only ``Reset``: the window may be spent, so everyone waits for it;
    * nothing: an ordinary exponential backoff for this call.
    """
    retry_after = parse_retry_after(headers.get("retry-after"), now)
    remaining = parse_remaining(headers.get("x-ratelimit-remaining"))
    reset = parse_reset(headers.get("x-ratelimit-reset"), now)
    if remaining is not None and remaining <= 0:
        delay = retry_after if retry_after is not None else reset
        if delay is None:
            delay = backoff_delay(attempt, jitter=jitter)
        return RateLimitWait(delay, spent=True)
    if retry_after is not None:
        if retry_after <= SHORT_RETRY_AFTER:
            return RateLimitWait(retry_after + TRANSIENT_BASE * jitter, spent=False)
        return RateLimitWait(retry_after, spent=remaining is None)
    if remaining is not None:
        delay = backoff_delay(attempt, jitter=jitter, base=TRANSIENT_BASE, cap=TRANSIENT_CAP)
        return RateLimitWait(delay, spent=False)
    if reset is not None:
        return RateLimitWait(reset, spent=True)
    return RateLimitWait(backoff_delay(attempt, jitter=jitter), spent=False)
