"""Miro's credit costs and a client-side credit budget.

Miro limits each user+app to a number of credits per minute (100,000 today);
every call costs the credits of its rate-limit level (API-NOTES section 7). The
client spends from :class:`CreditBudget` *before* sending, so a long job slows
down on its own instead of running into 429s, and corrects the budget from
``X-RateLimit-Remaining`` / ``X-RateLimit-Reset`` whenever Miro reports them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from boardsmith.miro.constants import DEFAULT_CREDITS_PER_MINUTE, WINDOW_SECONDS

__all__ = [
    "BULK_CREDITS_PER_ITEM",
    "DEFAULT_CREDITS_PER_MINUTE",
    "LEVEL_CREDITS",
    "OPERATION_LEVELS",
    "WINDOW_SECONDS",
    "CreditBudget",
    "bulk_cost",
    "corrected",
    "credit_wait",
    "operation_cost",
    "refilled",
]

# Credits lost to float rounding of UNIX-time arithmetic; far below one call.
_EPSILON = 0.01
_MIN_WAIT = 0.001
# How often to look again while an answer in flight may free credits.
_POLL = 0.05

LEVEL_CREDITS: Mapping[int, int] = {1: 50, 2: 100, 3: 500, 4: 2000}
"""Credits per call for each of Miro's rate-limit levels."""

BULK_CREDITS_PER_ITEM = LEVEL_CREDITS[2]
"""Bulk create costs a Level 2 call per item."""

_TAG_OPERATIONS = (
    "create", "list", "get", "update", "delete", "attach", "detach", "of_item", "items_with_tag",
)  # fmt: skip

OPERATION_LEVELS: Mapping[str, int] = {
    # boards
    "boards.create": 3,
    "boards.get": 1,
    "boards.list": 1,
    "boards.update": 2,
    "boards.delete": 3,
    "members.list": 1,
    "members.get": 1,
    # generic items
    "items.list": 2,
    "items.get": 1,
    "items.update": 2,
    "items.delete": 3,
    # typed items: create/update Level 2, get Level 1, delete Level 3
    **{
        f"{kind}.{op}": level
        for kind in ("sticky_notes", "shapes", "texts", "frames", "cards", "connectors")
        for op, level in (("create", 2), ("get", 1), ("update", 2), ("delete", 3))
    },
    "connectors.list": 2,
    # every tag operation is Level 1, including attach/detach and items-by-tag
    **{f"tags.{op}": 1 for op in _TAG_OPERATIONS},
}
"""Rate-limit level of each client operation (bulk create is priced per item)."""


def operation_cost(operation: str) -> int:
    """Credits one call of ``operation`` costs (``KeyError`` for unknown names)."""
    return LEVEL_CREDITS[OPERATION_LEVELS[operation]]


def bulk_cost(n_items: int) -> int:
    """Credits of one bulk-create call with ``n_items`` items."""
    return BULK_CREDITS_PER_ITEM * n_items


def refilled(available: float, ceiling: float, elapsed: float) -> float:
    """Credits after ``elapsed`` seconds of continuous refill at ``ceiling`` per minute."""
    return min(ceiling, available + max(0.0, elapsed) * ceiling / 60.0)


def corrected(available: float, remaining: float, in_flight: float) -> float:
    """Credits left once Miro reports ``remaining`` with ``in_flight`` credits unanswered.

    Miro may not have counted the calls still in flight when it produced
    ``remaining``, so they still come out of it. Never raises the budget.
    """
    return max(0.0, min(available, remaining - in_flight))


def credit_wait(
    need: float,
    available: float,
    ceiling: float,
    now: float,
    window_end: float | None,
    in_flight: float = 0.0,
) -> float:
    """Seconds to wait before ``need`` credits may be spent (0 when they can now).

    While Miro's window is known to run until ``window_end``, only its reset
    brings credits back, or an answer showing that a call in flight was
    already counted (so poll briefly while ``in_flight`` could cover the
    gap). Otherwise the bucket refills at ``ceiling`` credits a minute.
    """
    if available + _EPSILON >= need:
        return 0.0
    if window_end is not None and now < window_end:
        gap = window_end - now
        if available + in_flight + _EPSILON >= need:
            gap = min(gap, _POLL)
    else:
        gap = (need - available) / (ceiling / 60.0)
    # A floor keeps the clock moving: UNIX-time floats cannot represent
    # nanosecond steps, so tiny waits would spin.
    return max(_MIN_WAIT, gap)


class CreditBudget:
    """A credit bucket that follows Miro's fixed one-minute windows when it can.

    ``acquire(cost)`` waits (through the injected ``sleep``) until ``cost``
    credits are available, spends them and returns a ticket for the call;
    ``observe`` (with the ticket) or ``release`` marks the call answered.
    Before Miro has said anything the bucket refills continuously, so a long
    job paces itself before any 429. Once Miro reports ``X-RateLimit-Remaining``
    and ``-Reset``, what may be spent is the lowest ``Remaining`` of that window
    minus the calls still in flight, nothing refills until the reset, and at the
    reset the bucket holds what the new window grants: ``min(capacity,
    X-RateLimit-Limit)``. ``clock`` returns UNIX seconds (Miro's reset is epoch).
    """

    def __init__(
        self,
        credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        if credits_per_minute <= 0:
            raise ValueError(f"credits_per_minute must be positive, got {credits_per_minute}")
        self.capacity = float(credits_per_minute)
        self._ceiling = self.capacity
        self._clock = clock
        self._sleep = sleep
        # Our own bucket; Miro's word (below) can only lower it.
        self._own = self.capacity
        self._updated = clock()
        self._window_end: float | None = None
        # Lowest Remaining Miro reported in the current window: every call
        # answered so far in that window is counted in it.
        self._server_low: float | None = None
        self._in_flight: dict[int, float] = {}
        self._tickets = 0
        self._lock = asyncio.Lock()
        self.waited = 0.0
        """Seconds spent waiting for credits so far (for stats and tests)."""

    @property
    def ceiling(self) -> float:
        """Most credits one window grants: the capacity, or Miro's smaller limit."""
        return self._ceiling

    @property
    def rate(self) -> float:
        """Credits per second of continuous refill."""
        return self._ceiling / 60.0

    @property
    def in_flight(self) -> float:
        """Credits of calls spent and not yet answered."""
        return sum(self._in_flight.values())

    @property
    def available(self) -> float:
        """Credits that could be spent right now."""
        self._refill()
        return self._spendable()

    def _spendable(self) -> float:
        if self._server_low is None:
            return self._own
        return corrected(self._own, self._server_low, self.in_flight)

    def _refill(self) -> None:
        now = self._clock()
        if self._window_end is not None:
            if now < self._window_end:
                self._updated = now
                return
            # Miro's new window grants its whole budget at once.
            self._own = self._ceiling
            self._updated = self._window_end
            self._window_end = None
            self._server_low = None
        self._own = refilled(self._own, self._ceiling, now - self._updated)
        self._updated = now

    async def acquire(self, cost: int) -> int:
        """Wait until ``cost`` credits are available, spend them; the call's ticket."""
        async with self._lock:  # first come, first served
            while True:
                self._refill()
                # A single call may cost more than a small budget; then it
                # waits for a full bucket rather than forever.
                need = min(float(cost), self._ceiling)
                delay = credit_wait(
                    need,
                    self._spendable(),
                    self._ceiling,
                    self._clock(),
                    self._window_end,
                    self.in_flight,
                )
                if delay == 0.0:
                    self._own = max(0.0, self._own - need)
                    self._tickets += 1
                    self._in_flight[self._tickets] = need
                    return self._tickets
                self.waited += delay
                await self._sleep(delay)

    def release(self, ticket: int) -> None:
        """Mark the call of ``ticket`` answered without a usable count (or failed).

        Miro may have counted it, so its credits stay spent: they come out of
        the window's last ``Remaining``, which did not include them.
        """
        self._settle(self._in_flight.pop(ticket, 0.0))

    def _settle(self, cost: float) -> None:
        if self._server_low is not None:
            self._server_low = max(0.0, self._server_low - cost)

    def observe(
        self,
        remaining: int | None,
        reset_at: float | None,
        *,
        limit: int | None = None,
        ticket: int | None = None,
    ) -> None:
        """Correct the budget from Miro's ``X-RateLimit-Remaining/-Reset/-Limit``.

        ``ticket`` is the answered call's: it is no longer in flight, and only
        the other calls in flight are taken out of ``remaining``.
        """
        cost = self._in_flight.pop(ticket, 0.0) if ticket is not None else 0.0
        self._refill()
        if limit is not None and limit > 0:
            self._ceiling = min(self.capacity, float(limit))
            self._own = min(self._own, self._ceiling)
        if remaining is None or reset_at is None:
            self._settle(cost)
            if remaining is not None:
                self._own = corrected(self._own, float(remaining), self.in_flight)
            return
        now = self._clock()
        if reset_at <= now:
            return  # an answer from a window that has already ended
        # A reset further out than one window is nonsense; do not stall on it.
        reset_at = min(reset_at, now + WINDOW_SECONDS)
        if self._window_end is None or reset_at > self._window_end:
            self._window_end = reset_at
            self._server_low = float(remaining)
        else:
            low = self._server_low
            self._server_low = float(remaining) if low is None else min(low, float(remaining))

    def block_until(self, when: float) -> None:
        """Stop all spending until ``when`` (after a 429 told us to wait)."""
        self._refill()
        if when > self._clock():
            self._window_end = max(self._window_end or when, when)
            self._own = 0.0
