"""Request counters per operation and credits spent, for benchmarks and tests."""

from __future__ import annotations

from collections import Counter
from typing import Any


class Stats:
    """Counts every request (stats requests excluded) since start or the last reset."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.credits = 0

    def record(self, operation: str, credits: int) -> None:
        """Count one request of ``operation`` (``"GET /v2/boards/{board_id}"``)."""
        self.requests[operation] += 1
        self.credits += credits

    def reset(self) -> None:
        """Forget everything counted so far."""
        self.requests.clear()
        self.credits = 0

    def snapshot(self) -> dict[str, Any]:
        """``{"total_requests", "credits", "requests": {operation: n}}``."""
        return {
            "total_requests": sum(self.requests.values()),
            "credits": self.credits,
            "requests": dict(sorted(self.requests.items())),
        }
