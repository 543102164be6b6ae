"""Miro's credit-based rate limit: a per-user budget per fixed one-minute window."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

#: Credits per call for Miro's rate-limit levels 1-4.
LEVEL_CREDITS = {1: 50, 2: 100, 3: 500, 4: 2000}
WINDOW_SECONDS = 60


@dataclass
class Window:
    """One user's spending in the current window."""

    start: float
    used: int


class RateLimiter:
    """Charges credits per user; ``clock`` is injectable so tests never sleep."""

    def __init__(self, credits_per_minute: int, clock: Callable[[], float]) -> None:
        self.limit = credits_per_minute
        self._clock = clock
        self._windows: dict[str, Window] = {}

    def _window(self, user_id: str) -> Window:
        now = self._clock()
        start = float(math.floor(now / WINDOW_SECONDS) * WINDOW_SECONDS)
        win = self._windows.get(user_id)
        if win is None or win.start != start:
            win = Window(start=start, used=0)
            self._windows[user_id] = win
        return win

    def charge(self, user_id: str, credits: int) -> bool:
        """Spend ``credits``; False (nothing spent) when the budget cannot cover them."""
        win = self._window(user_id)
        if win.used + credits > self.limit:
            return False
        win.used += credits
        return True

    def headers(self, user_id: str | None) -> dict[str, str]:
        """``X-RateLimit-Limit/Remaining/Reset`` for a response to ``user_id``."""
        if user_id is None:
            now = self._clock()
            start, used = float(math.floor(now / WINDOW_SECONDS) * WINDOW_SECONDS), 0
        else:
            win = self._window(user_id)
            start, used = win.start, win.used
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - used)),
            "X-RateLimit-Reset": str(int(start + WINDOW_SECONDS)),
        }
