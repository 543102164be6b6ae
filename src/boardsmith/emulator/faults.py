"""Fault injection settings (latency, random 429/500, failures after a committed write)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FailMode = Literal["mixed", "500", "drop"]


@dataclass
class Faults:
    """Per-app fault knobs; mutable at run time (tests switch faults on after setup).

    ``latency_ms`` is a round trip added to every authenticated request: half before
    the handler runs (the request on its way), half after its answer is ready (the
    answer on its way back), so a write is committed before its answer arrives.
    ``fail_after_commit`` is the probability that a successful write is followed by a
    failure the client cannot tell from a lost write: a 500 or a dropped connection
    (``fail_mode`` picks which; ``mixed`` chooses at random). ``seed`` makes every
    random decision reproducible.
    """

    latency_ms: float = 0
    rate_429: float = 0.0
    rate_500: float = 0.0
    fail_after_commit: float = 0.0
    seed: int | None = None
    fail_mode: FailMode = "mixed"


class DroppedConnection(Exception):
    """Raised by the app after a committed write to simulate a dropped connection."""
