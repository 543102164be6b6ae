"""Every tuning value of the boards layer, in one place.

The modules that use these re-export the names they always had
(``boardsmith.boards.placement.MARGIN``, ``boardsmith.boards.lock.POLL_SECONDS``...);
change a value here. Limits that are Miro's (page size, bulk chunk size) are
the client's: :mod:`boardsmith.miro.constants`.
"""

from __future__ import annotations

from boardsmith.miro.constants import BULK_CHUNK_SIZE, DEFAULT_PAGE_SIZE

__all__ = [
    "APPLY_CONCURRENCY",
    "CHUNK_SIZE",
    "CLOCK_SKEW_SECONDS",
    "LANE_GAP",
    "LOCK_POLL_SECONDS",
    "MARGIN",
    "MAX_AMBIGUOUS_ATTEMPTS",
    "MAX_BOARD_ATTEMPTS",
    "PAGE_SIZE",
    "POSITION_TOLERANCE",
]

# ---- Miro's, as the boards layer uses them ---------------------------------------

CHUNK_SIZE = BULK_CHUNK_SIZE
"""Items in one bulk create: Miro accepts at most this many."""
PAGE_SIZE = DEFAULT_PAGE_SIZE
"""Largest page Miro serves; fewer calls when reading a whole board."""

# ---- apply -------------------------------------------------------------------------

APPLY_CONCURRENCY = 4
"""Calls one apply has in flight when the caller does not say."""
MAX_AMBIGUOUS_ATTEMPTS = 5
"""How often one chunk is re-sent after ambiguous failures before giving up."""
POSITION_TOLERANCE = 1.0
"""How far (board units) an item may sit from where it was sent and still count as unmoved."""

# ---- placement ---------------------------------------------------------------------

MARGIN = 400.0
"""Gap between existing content and a template placed beside it."""
LANE_GAP = 40.0
"""Space between lanes when the plan has too few lanes to show it."""

# ---- creating boards and locking them ----------------------------------------------

MAX_BOARD_ATTEMPTS = 3
"""Times a board create is sent after ambiguous failures with no board found."""
CLOCK_SKEW_SECONDS = 600.0
"""Boards created this long before the pending record are not searched (clock skew)."""
LOCK_POLL_SECONDS = 0.05
"""How often a run waiting for a board's lock looks at it again."""
