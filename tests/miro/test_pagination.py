"""Both pagination styles across several pages, and the page-size limits."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import httpx
import pytest
import respx

from boardsmith.miro import MiroClient
from boardsmith.miro.pagination import check_page_size, iter_cursor

from .conftest import BOARD, BOARD_PATH, item_json


def cursor_pages(n_items: int, limit: int) -> Any:
    """A side effect serving ``n_items`` items in cursor pages of ``limit``."""

    def respond(request: httpx.Request) -> httpx.Response:
        assert int(request.url.params["limit"]) == limit
        start = int(request.url.params.get("cursor", "0"))
        chunk = list(range(start, min(start + limit, n_items)))
        more = start + limit < n_items
        return httpx.Response(
            200,
            json={
                "data": [item_json(str(i)) for i in chunk],
                "total": n_items,
                "size": len(chunk),
                "limit": limit,
                "cursor": str(start + limit) if more else "",
            },
        )

    return respond


def offset_pages(rows: list[dict[str, Any]], limit: int) -> Any:
    def respond(request: httpx.Request) -> httpx.Response:
        assert int(request.url.params["limit"]) == limit
        offset = int(request.url.params["offset"])
        chunk = rows[offset : offset + limit]
        return httpx.Response(
            200,
            json={
                "data": chunk,
                "total": len(rows),
                "size": len(chunk),
                "offset": offset,
                "limit": limit,
                "type": "list",
            },
        )

    return respond


async def test_cursor_pages_are_followed_to_the_end(
    client: MiroClient, router: respx.MockRouter
) -> None:
    route = router.get(BOARD_PATH + "/items").mock(side_effect=cursor_pages(57, 10))
    ids = [item.id async for item in client.items.list(BOARD, page_size=10)]
    assert ids == [str(i) for i in range(57)]
    assert route.call_count == 6
    assert "cursor" not in route.calls[0].request.url.params
    assert route.calls[1].request.url.params["cursor"] == "10"


async def test_cursor_default_page_size_is_the_maximum(
    client: MiroClient, router: respx.MockRouter
) -> None:
    route = router.get(BOARD_PATH + "/connectors").mock(
        side_effect=[
            httpx.Response(200, json={"data": [{"id": "1"}], "cursor": "abc", "total": 2}),
            httpx.Response(200, json={"data": [{"id": "2"}], "total": 2}),  # no cursor: done
        ]
    )
    assert [c.id async for c in client.connectors.list(BOARD)] == ["1", "2"]
    assert route.calls[0].request.url.params["limit"] == "50"
    assert route.call_count == 2


@pytest.mark.parametrize(
    "last_page",
    [
        {"data": [], "cursor": "still-a-cursor"},  # empty data stops
        {"data": [{"id": "9", "type": "text"}], "cursor": "c", "total": 0},  # Miro's helper rule
    ],
)
async def test_cursor_stop_rules(
    client: MiroClient, router: respx.MockRouter, last_page: dict[str, Any]
) -> None:
    route = router.get(BOARD_PATH + "/items").mock(
        side_effect=[httpx.Response(200, json=last_page)]
    )
    items = [i async for i in client.items.list(BOARD)]
    assert len(items) == len(last_page["data"])
    assert route.call_count == 1


async def test_offset_pages_are_followed_to_the_total(
    client: MiroClient, router: respx.MockRouter
) -> None:
    boards = [
        {"id": f"b{i}=", "name": f"B{i}", "description": "", "type": "board"} for i in range(7)
    ]
    route = router.get("/v2/boards").mock(side_effect=offset_pages(boards, 3))
    names = [b.name async for b in client.boards.list(team_id="77", page_size=3)]
    assert names == [f"B{i}" for i in range(7)]
    assert [c.request.url.params["offset"] for c in route.calls] == ["0", "3", "6"]
    assert route.calls[0].request.url.params["team_id"] == "77"


async def test_offset_lists_for_tags_and_items_by_tag(
    client: MiroClient, router: respx.MockRouter
) -> None:
    tags = [{"id": str(i), "title": f"t{i}", "fillColor": "red", "type": "tag"} for i in range(5)]
    router.get(BOARD_PATH + "/tags").mock(side_effect=offset_pages(tags, 2))
    assert [t.title async for t in client.tags.list(BOARD, page_size=2)] == [
        f"t{i}" for i in range(5)
    ]
    items = [item_json(str(i)) for i in range(4)]
    route = router.get(BOARD_PATH + "/items", params={"tag_id": "3"}).mock(
        side_effect=offset_pages(items, 1)
    )
    assert [i.id async for i in client.tags.items_with_tag(BOARD, "3", page_size=1)] == [
        "0",
        "1",
        "2",
        "3",
    ]
    assert route.call_count == 4


async def test_offset_stops_on_an_empty_page_even_without_total(
    client: MiroClient, router: respx.MockRouter
) -> None:
    member = {"id": "1", "name": "Ana", "type": "board_member"}
    route = router.get(BOARD_PATH + "/members").mock(
        side_effect=[
            httpx.Response(200, json={"data": [member], "size": 1}),
            httpx.Response(200, json={"data": []}),
        ]
    )
    assert [m.name async for m in client.members.list(BOARD)] == ["Ana"]
    assert route.call_count == 2


@pytest.mark.parametrize(("size", "ok"), [(9, False), (10, True), (50, True), (51, False)])
async def test_cursor_page_size_limits(client: MiroClient, size: int, ok: bool) -> None:
    if ok:
        assert check_page_size(size, (10, 50), "items.list") == size
        return
    with pytest.raises(
        ValueError, match=r"page_size for items.list must be an integer from 10 to 50"
    ):
        [i async for i in client.items.list(BOARD, page_size=size)]


@pytest.mark.parametrize("size", [0, 51, True])
async def test_offset_page_size_limits(client: MiroClient, size: int) -> None:
    with pytest.raises(ValueError, match="from 1 to 50"):
        [b async for b in client.boards.list(page_size=size)]


# -- cursor pages are fetched one page ahead -------------------------------------------


class _Pages:
    """A fetch serving ``pages`` pages of two items, recording what happened when."""

    def __init__(self, pages: int, *, fail_on: int | None = None) -> None:
        self.pages = pages
        self.fail_on = fail_on
        self.log: list[str] = []
        self.finished: list[int] = []

    async def __call__(self, query: dict[str, str]) -> dict[str, Any]:
        n = int(query.get("cursor", "0"))
        self.log.append(f"request {n}")
        await asyncio.sleep(0.01)
        if n == self.fail_on:
            raise RuntimeError(f"page {n} failed")
        self.finished.append(n)
        more = n + 1 < self.pages
        return {"data": [f"{n}a", f"{n}b"], "cursor": str(n + 1) if more else ""}


async def test_the_next_page_is_requested_before_the_caller_reads_this_one() -> None:
    fetch = _Pages(3)
    async for element in iter_cursor(fetch, {}, page_size=10, what="items"):
        fetch.log.append(f"read {element}")
    assert fetch.log == [
        "request 0",
        "request 1",
        "read 0a",
        "read 0b",
        "request 2",
        "read 1a",
        "read 1b",
        "read 2a",
        "read 2b",
    ]


async def test_stopping_early_cancels_the_page_read_ahead() -> None:
    fetch = _Pages(5)
    seen = []
    pages = iter_cursor(fetch, {}, page_size=10, what="items")
    async for element in pages:
        seen.append(element)
        if len(seen) == 3:
            break
    await pages.aclose()  # type: ignore[attr-defined]
    await asyncio.sleep(0.05)
    assert seen == ["0a", "0b", "1a"]
    # Page 2 was asked for when page 1 arrived, and abandoned unfinished.
    assert fetch.log[-1] == "request 2"
    assert fetch.finished == [0, 1]


async def test_an_error_on_the_page_read_ahead_comes_after_the_pages_before_it() -> None:
    fetch = _Pages(5, fail_on=2)
    seen: list[str] = []

    async def read_all() -> None:
        async for element in iter_cursor(fetch, {}, page_size=10, what="items"):
            seen.append(element)

    with pytest.raises(RuntimeError, match="page 2 failed"):
        await read_all()
    assert seen == ["0a", "0b", "1a", "1b"]


async def test_a_failed_page_nobody_reads_is_not_reported_as_unretrieved(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fetch = _Pages(5, fail_on=1)
    pages = iter_cursor(fetch, {}, page_size=10, what="items")
    assert await pages.__anext__() == "0a"
    await asyncio.sleep(0.05)  # page 1 fails while nobody waits for it
    await pages.aclose()  # type: ignore[attr-defined]
    del pages
    gc.collect()
    assert "never retrieved" not in caplog.text
