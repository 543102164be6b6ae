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

__all__ = [
    "BULK_CREDITS_PER_ITEM",
    "DEFAULT_CREDITS_PER_MINUTE",
    "LEVEL_CREDITS",
    "OPERATION_LEVELS",
    "CreditBudget",
    "bulk_cost",
    "operation_cost",
]

DEFAULT_CREDITS_PER_MINUTE = 100_000
# Credits lost to float rounding of UNIX-time arithmetic; far below one call.
_EPSILON = 0.01
_MIN_WAIT = 0.001

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


class CreditBudget:
    """A token bucket of credits that refills continuously over a minute.

    ``acquire(cost)`` waits (through the injected ``sleep``) until ``cost``
    credits are available, then spends them. ``observe`` lowers the bucket to
    what Miro says is left and, when Miro says nothing is left, blocks spending
    until its reset time. ``clock`` returns UNIX seconds (Miro's reset is epoch).
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
        self.rate = self.capacity / 60.0
        self._clock = clock
        self._sleep = sleep
        self._available = self.capacity
        self._updated = clock()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()
        self.waited = 0.0
        """Seconds spent waiting for credits so far (for stats and tests)."""

    @property
    def available(self) -> float:
        """Credits that could be spent right now."""
        self._refill()
        return self._available

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._updated = now
        if now < self._blocked_until:
            return
        self._available = min(self.capacity, self._available + elapsed * self.rate)

    async def acquire(self, cost: int) -> None:
        """Wait until ``cost`` credits are available and spend them."""
        # A single call may cost more than a small configured budget; then it
        # waits for a full bucket rather than forever.
        need = min(float(cost), self.capacity)
        async with self._lock:  # first come, first served
            while True:
                self._refill()
                now = self._clock()
                if now < self._blocked_until:
                    delay = self._blocked_until - now
                elif self._available + _EPSILON >= need:
                    self._available = max(0.0, self._available - need)
                    return
                else:
                    # A floor keeps the clock moving: UNIX-time floats cannot
                    # represent nanosecond steps, so tiny waits would spin.
                    delay = max(_MIN_WAIT, (need - self._available) / self.rate)
                self.waited += delay
                await self._sleep(delay)

    def observe(self, remaining: int | None, reset_at: float | None) -> None:
        """Correct the budget from Miro's ``X-RateLimit-Remaining`` / ``-Reset``."""
        if remaining is None:
            return
        self._refill()
        self._available = max(0.0, min(self._available, float(remaining)))
        if remaining <= 0 and reset_at is not None:
            self._blocked_until = max(self._blocked_until, reset_at)
            self._available = 0.0

    def block_until(self, when: float) -> None:
        """Stop all spending until ``when`` (after a 429 told us to wait)."""
        self._refill()
        self._blocked_until = max(self._blocked_until, when)
        self._available = 0.0
