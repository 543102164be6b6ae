"""The next page's request is written before the consumer gets the current page.

A local HTTP server (no internet) records when each request arrives; the consumer
blocks the loop on every page, as a harvest does. Page n+1's request must reach the
server before the consumer is done with page n: otherwise each page's work adds to
the chain of round trips instead of overlapping it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from urllib.parse import parse_qs, urlsplit

import pytest

from boardsmith.miro import MiroClient, wire
from boardsmith.miro.pagination import iter_cursor

PAGES = 5


class PagedServer:
    """Serves PAGES cursor pages of two items, each answer after ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.arrived: list[tuple[int, float]] = []  # (page, when)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while head := await reader.readuntil(b"\r\n\r\n"):
            target = head.split(b" ", 2)[1].decode()
            cursor = parse_qs(urlsplit(target).query).get("cursor", ["0"])[0]
            page = int(cursor)
            self.arrived.append((page, time.monotonic()))
            await asyncio.sleep(self.delay)
            more = page + 1 < PAGES
            body = json.dumps(
                {
                    "data": [{"id": f"{page}-{n}", "type": "sticky_note"} for n in range(2)],
                    "total": 2 * PAGES,
                    "size": 2,
                    "limit": 10,
                    "cursor": str(page + 1) if more else "",
                }
            ).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            if reader.at_eof():
                break


@pytest.fixture
def served() -> Iterator[tuple[str, PagedServer]]:
    """The server on its own loop in a thread: it notes a request when it arrives,
    whatever the client's loop is busy with."""
    pages = PagedServer(delay=0.02)
    loop = asyncio.new_event_loop()
    ready: Future[int] = Future()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await pages.handle(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    stop = asyncio.Event()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        ready.set_result(server.sockets[0].getsockname()[1])
        async with server:
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{ready.result(timeout=10)}", pages
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
        loop.close()


async def _consume(client: MiroClient, busy: float) -> list[tuple[int, float]]:
    """Iterate the pages, blocking the loop ``busy`` seconds on each; when each
    page's work ended."""

    async def fetch(query: dict[str, str]) -> dict[str, object]:
        response = await client.request(
            "GET", "/v2/boards/{board_id}/items", {"board_id": "b"}, operation="items.list",
            params=query,
        )  # fmt: skip
        page: dict[str, object] = response.json()
        return page

    done: list[tuple[int, float]] = []
    async for item in iter_cursor(fetch, {}, page_size=10, what="items"):
        page, n = (int(part) for part in str(item["id"]).split("-"))
        if n == 0:
            time.sleep(busy)  # noqa: ASYNC251 - the point: work that holds the loop
            done.append((page, time.monotonic()))
    return done


async def test_the_next_request_is_written_before_the_page_is_handed_out(
    served: tuple[str, PagedServer],
) -> None:
    url, server = served
    async with MiroClient("t", base_url=url) as client:
        done = await _consume(client, busy=0.05)
    assert [page for page, _ in done] == list(range(PAGES))
    arrived = dict(server.arrived)
    assert sorted(arrived) == list(range(PAGES))
    for page, finished in done[:-1]:
        assert arrived[page + 1] < finished, f"page {page + 1} left after page {page}'s work"


async def test_a_mark_is_claimed_once_and_waited_for() -> None:
    claims: list[wire.Wire | None] = []

    async def request() -> str:
        claims.append(wire.claim())
        claims.append(wire.claim())  # a nested request in the same task
        await asyncio.sleep(0.01)
        mark.sent.set()  # as the client does once the request is written
        return "answer"

    future, mark = wire.start(request())
    await mark.written()
    assert mark.sent.is_set()
    assert not future.done() or await future == "answer"
    assert await future == "answer"
    assert claims[0] is mark
    assert claims[1] is None
    assert wire.claim() is None  # outside the task, no mark


async def test_an_unclaimed_mark_is_not_waited_for() -> None:
    async def request() -> str:
        await asyncio.sleep(0.05)
        return "answer"

    future, mark = wire.start(request())
    await asyncio.wait_for(mark.written(), timeout=0.04)
    assert not future.done()
    assert await future == "answer"


async def test_a_request_that_waits_for_a_slot_does_not_hold_the_page(
    served: tuple[str, PagedServer],
) -> None:
    url, _ = served
    async with MiroClient("t", base_url=url, concurrency=1) as client:
        holder = contextlib.AsyncExitStack()
        await holder.enter_async_context(client._slots.taken())  # another request's slot
        future, mark = wire.start(
            client.request(
                "GET", "/v2/boards/{board_id}/items", {"board_id": "b"}, operation="items.list"
            )
        )
        await asyncio.wait_for(mark.written(), timeout=5)
        assert mark.claimed
        assert not future.done()
        await holder.aclose()
        assert (await future).status_code == 200
