"""Every default and limit of the Miro client, in one place.

The modules that use these re-export the names they always had
(``boardsmith.miro.bulk.CHUNK_SIZE``, ``boardsmith.miro.retry.TRANSIENT_CAP``...);
change a value here. Credit costs per operation are a table, not a default:
they live with the budget in :mod:`boardsmith.miro.ratelimit`.
"""

from __future__ import annotations

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "BULK_CHUNK_SIZE",
    "CODE_LIFETIME_SECONDS",
    "CURSOR_LIMITS",
    "DEFAULT_BASE_URL",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_CREDITS_PER_MINUTE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_RETRY_WAIT",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TIMEOUT",
    "OFFSET_LIMITS",
    "REFRESH_LEEWAY_SECONDS",
    "SHORT_RETRY_AFTER",
    "TRANSIENT_BASE",
    "TRANSIENT_CAP",
    "TRANSIENT_EXTRA_RETRIES",
    "WINDOW_SECONDS",
]

# ---- the client ---------------------------------------------------------------

DEFAULT_BASE_URL = "https://api.miro.com"
DEFAULT_TIMEOUT = 30.0
"""Seconds one HTTP request may take (connect, write, read) before it times out."""
DEFAULT_CONCURRENCY = 8
"""Requests one client has in flight at most."""

# ---- OAuth ------------------------------------------------------------------------

CODE_LIFETIME_SECONDS = 600.0
"""How long the OAuth callback server waits for Miro's redirect with the code."""
REFRESH_LEEWAY_SECONDS = 120.0
"""Refresh this long before the recorded expiry, so a request never races it."""

# ---- retries --------------------------------------------------------------------

DEFAULT_MAX_RETRIES = 5
"""Retries of one call after a retryable failure (429, 5xx, transport error)."""
DEFAULT_MAX_RETRY_WAIT = 120.0
"""Longest wait (seconds) before a retry; a 429 asking for more becomes a RateLimitError."""
BACKOFF_BASE = 0.5
"""First step (seconds) of the exponential backoff."""
BACKOFF_CAP = 30.0
"""Longest step (seconds) of the exponential backoff."""
SHORT_RETRY_AFTER = 5.0
"""A ``Retry-After`` up to this many seconds is a transient hiccup, not a spent window."""
TRANSIENT_BASE = 0.1
"""First backoff step (seconds) after a 429 that leaves budget."""
TRANSIENT_CAP = 2.0
"""Longest backoff step after a 429 that leaves budget."""
TRANSIENT_EXTRA_RETRIES = 10
"""Retries a call gets on top of ``max_retries`` for transient 429s: each costs
at most :data:`TRANSIENT_CAP` seconds, and a 429 must never reach the user while
Miro says budget is left."""

# ---- rate limits ------------------------------------------------------------------

DEFAULT_CREDITS_PER_MINUTE = 100_000
"""Credits Miro grants one user+app per minute."""
WINDOW_SECONDS = 60.0
"""Length of Miro's rate-limit window."""

# ---- paging and bulk ----------------------------------------------------------------

DEFAULT_PAGE_SIZE = 50
"""Items asked for per page: Miro's maximum, so a read takes the fewest calls."""
CURSOR_LIMITS = (10, 50)
"""Page sizes Miro accepts for cursor lists (items, frame children, connectors)."""
OFFSET_LIMITS = (1, 50)
"""Page sizes Miro accepts for offset lists (boards, members, tags, items by tag)."""
BULK_CHUNK_SIZE = 20
"""Miro accepts at most this many items in one bulk create."""
