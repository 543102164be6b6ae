"""Async iteration over Miro's two list styles (API-NOTES section 6).

* cursor lists (items, frame children, connectors): ``limit`` 10-50 and
  ``cursor``; stop when the cursor is missing or empty, the page is empty, or
  ``total`` is 0;
* offset lists (boards, members, tags, items by tag): ``limit`` 1-50 and
  ``offset``; stop when ``offset + size >= total`` (or a page is empty).

Offset pages are fetched lazily, one request per page, as the caller iterates;
cursor pages are fetched one page ahead (see :func:`iter_cursor`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from boardsmith.miro import wire
from boardsmith.miro.constants import CURSOR_LIMITS, DEFAULT_PAGE_SIZE, OFFSET_LIMITS

if TYPE_CHECKING:
    from boardsmith.miro.client import MiroClient

__all__ = [
    "CURSOR_LIMITS",
    "DEFAULT_PAGE_SIZE",
    "OFFSET_LIMITS",
    "FetchPage",
    "check_page_size",
    "iter_cursor",
    "iter_offset",
    "list_raw",
]

FetchPage = Callable[[dict[str, str]], Awaitable[Mapping[str, Any]]]
"""Fetch one page given its query parameters; returns the decoded JSON body."""


def list_raw(
    client: MiroClient,
    template: str,
    path_params: Mapping[str, str],
    *,
    operation: str,
    params: Mapping[str, str],
    page_size: int,
    cursor: bool,
) -> AsyncIterator[Any]:
    """Every element of one of ``client``'s lists as Miro's JSON has it: each page a
    ``GET`` through :meth:`MiroClient.request` (budget, retries, ``operation``'s
    cost), decoded, and paged by cursor (:func:`iter_cursor`) or by offset."""

    async def fetch(query: dict[str, str]) -> Mapping[str, Any]:
        response = await client.request(
            "GET", template, path_params, operation=operation, params=query
        )
        page = client.decode(response)
        return page if isinstance(page, dict) else {}

    iterate = iter_cursor if cursor else iter_offset
    return iterate(fetch, params, page_size=page_size, what=operation)


def check_page_size(page_size: int, limits: tuple[int, int], what: str) -> int:
    """Return ``page_size`` if Miro accepts it for ``what``, else raise ``ValueError``."""
    low, high = limits
    if (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not (low <= page_size <= high)
    ):
        raise ValueError(
            f"page_size for {what} must be an integer from {low} to {high}, got {page_size!r}"
        )
    return page_size


async def iter_cursor(
    fetch: FetchPage, params: Mapping[str, str], *, page_size: int, what: str
) -> AsyncIterator[Any]:
    """Yield every raw element of a cursor-paged list.

    Page *n+1* is requested as soon as page *n* arrives, and written (when the
    client sending it can tell, :mod:`boardsmith.miro.wire`) before page *n*'s
    elements are yielded: the cursor is all the next request needs, so whatever the
    caller does with a page (parsing, harvesting) overlaps the next round trip
    instead of adding to it. A caller that stops early has the request for the next
    page cancelled.
    """
    limit = check_page_size(page_size, CURSOR_LIMITS, what)
    query = {**params, "limit": str(limit)}
    ahead: asyncio.Future[Mapping[str, Any]] | None = None
    try:
        page = await fetch(query)
        while True:
            data = page.get("data") or []
            cursor = page.get("cursor")
            last = not data or not cursor or page.get("total") == 0
            if not last:
                query = {**params, "limit": str(limit), "cursor": str(cursor)}
                ahead, sending = wire.start(fetch(query))
                # The request goes out before the caller gets the CPU (see wire).
                await sending.written()
            for element in data:
                yield element
            if ahead is None:
                return
            page, ahead = await ahead, None
    finally:
        if ahead is not None:
            _abandon(ahead)


def _abandon(future: asyncio.Future[Any]) -> None:
    """Cancel a page nobody will read; an error it already ended with is not logged."""
    if future.done():
        if not future.cancelled():
            future.exception()
        return
    future.cancel()
    future.add_done_callback(lambda f: f.cancelled() or f.exception())


async def iter_offset(
    fetch: FetchPage, params: Mapping[str, str], *, page_size: int, what: str
) -> AsyncIterator[Any]:
    """Yield every raw element of an offset-paged list."""
    limit = check_page_size(page_size, OFFSET_LIMITS, what)
    offset = 0
    while True:
        page = await fetch({**params, "limit": str(limit), "offset": str(offset)})
        data = page.get("data") or []
        for element in data:
            yield element
        size = page.get("size")
        size = len(data) if not isinstance(size, int) else size
        total = page.get("total")
        reported = page.get("offset")
        offset = (reported if isinstance(reported, int) else offset) + size
        if not data or size <= 0 or (isinstance(total, int) and offset >= total):
            return
