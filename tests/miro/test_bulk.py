"""Bulk create: chunks of 20 in order, input-order results, caller-index errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from boardsmith.miro import AmbiguousWriteError, BulkItemError, MiroClient
from boardsmith.miro.bulk import chunk_ranges, field_error
from boardsmith.miro.models import (
    BulkItemCreate,
    FrameCreate,
    ShapeCreate,
    StickyNote,
    StickyNoteCreate,
    TextCreate,
)
from boardsmith.miro.models.items import BULK_ITEM_ADAPTER
from tests.fake_time import FakeTime

from .conftest import BOARD, BOARD_PATH, CheckedRouter, item_json, make_client

BULK = BOARD_PATH + "/items/bulk"


def notes(n: int) -> list[BulkItemCreate]:
    return [StickyNoteCreate.model_validate({"data": {"content": f"n{i}"}}) for i in range(n)]


def _label(element: dict[str, Any]) -> str:
    data = element.get("data", {})
    return str(data.get("content", data.get("title")))


def echo(request: httpx.Request) -> httpx.Response:
    """Create what was sent; ids encode the content so order can be checked."""
    body = json.loads(request.content)
    data = [item_json(f"id-{_label(el)}", el["type"]) for el in body]
    return httpx.Response(201, json={"type": "bulk-list", "data": data})


def reject(chunk_no: int, local: int, field: str) -> Any:
    calls = {"n": 0}

    def respond(request: httpx.Request) -> httpx.Response:
        n = calls["n"]
        calls["n"] += 1
        if n != chunk_no:
            return echo(request)
        return httpx.Response(
            400,
            json={
                "type": "error",
                "status": 400,
                "code": "invalidParameters",
                "message": "Invalid parameters",
                "context": {"fields": [{"field": f"{local}.{field}", "message": "too long"}]},
            },
        )

    return respond


def test_chunk_ranges() -> None:
    assert chunk_ranges(0) == []
    assert chunk_ranges(20) == [range(0, 20)]
    assert chunk_ranges(45) == [range(0, 20), range(20, 40), range(40, 45)]


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"fields": [{"field": "3.data.content", "message": "m"}]}, (3, "data.content", "m")),
        ({"fields": [{"field": "0.type"}]}, (0, "type", None)),
        ({"fields": [{"field": "[2].position.x", "message": "m"}]}, (2, "position.x", "m")),
        ({"fields": [{"field": "data", "message": "m"}]}, (None, "data", "m")),
        ({"fields": "weird"}, (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_field_error_parsing(context: Any, expected: tuple[Any, ...]) -> None:
    assert field_error(context) == expected


async def test_chunks_of_twenty_in_order_results_in_input_order(
    client: MiroClient, router: respx.MockRouter
) -> None:
    route = router.post(BULK).mock(side_effect=echo)
    created = await client.items.bulk_create(BOARD, notes(45))
    assert [len(json.loads(c.request.content)) for c in route.calls] == [20, 20, 5]
    sent = [el["data"]["content"] for c in route.calls for el in json.loads(c.request.content)]
    assert sent == [f"n{i}" for i in range(45)]
    assert [c.id for c in created] == [f"id-n{i}" for i in range(45)]
    assert all(isinstance(c, StickyNote) for c in created)
    assert client.stats.credits == 4500  # 100 per item
    assert client.stats.operations["items.bulk_create"] == 3


async def test_mixed_types_are_discriminated_and_sent_with_their_type(
    client: MiroClient, router: respx.MockRouter, checked: CheckedRouter
) -> None:
    router.post(BULK).mock(side_effect=echo)
    items: list[BulkItemCreate] = [
        FrameCreate.model_validate({"data": {"title": "f"}}),
        ShapeCreate.model_validate({"data": {"content": "s"}}),
        TextCreate.model_validate({"data": {"content": "t"}}),
    ]
    created = await client.items.bulk_create(BOARD, items)
    assert [c.type for c in created] == ["frame", "shape", "text"]
    assert [el["type"] for el in checked.bodies[-1][2]] == ["frame", "shape", "text"]
    parsed = BULK_ITEM_ADAPTER.validate_python({"type": "text", "data": {"content": "x"}})
    assert isinstance(parsed, TextCreate)


async def test_empty_input_sends_nothing(client: MiroClient) -> None:
    assert await client.items.bulk_create(BOARD, []) == []


async def test_400_in_second_chunk_reports_the_callers_index(
    client: MiroClient, router: respx.MockRouter
) -> None:
    route = router.post(BULK).mock(side_effect=reject(1, 3, "data.content"))
    with pytest.raises(BulkItemError) as info:
        await client.items.bulk_create(BOARD, notes(50))
    err = info.value
    assert err.index == 23
    assert err.field == "data.content"
    assert err.status == 400
    assert err.code == "invalidParameters"
    assert "item 23 field data.content: too long" in str(err)
    assert str(err).startswith(f"POST /v2/boards/{BOARD}/items/bulk failed: 400 invalidParameters")
    assert sorted(err.created) == list(range(20))  # chunk 0 exists on the board
    assert route.call_count == 2  # chunk 2 was never sent


async def test_concurrent_chunks_keep_input_order(
    checked: CheckedRouter, fake_time: FakeTime
) -> None:
    checked.router.post(BULK).mock(side_effect=echo)
    async with make_client(checked, fake_time, concurrency=3) as client:
        created = await client.items.bulk_create(BOARD, notes(61), concurrent=True)
    assert [c.id for c in created] == [f"id-n{i}" for i in range(61)]


async def test_ambiguous_chunk_reports_unknown_indexes_and_created_chunks(
    client: MiroClient, router: respx.MockRouter
) -> None:
    calls = {"n": 0}

    def respond(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 2:
            raise httpx.ReadTimeout("read timed out", request=request)
        return echo(request)

    route = router.post(BULK).mock(side_effect=respond)
    with pytest.raises(AmbiguousWriteError) as info:
        await client.items.bulk_create(BOARD, notes(50), concurrent=True)
    err = info.value
    assert route.call_count == 3  # an ambiguous POST is never retried
    assert err.indexes == list(range(20, 40))
    assert err.succeeded_chunks == [0, 2]
    assert sorted(err.created) == [*range(20), *range(40, 50)]
    assert err.created[41].id == "id-n41"
    assert "outcome unknown for items 20-39; chunks 0, 2 were created" in str(err)


async def test_sequential_ambiguous_chunk_stops_sending(
    client: MiroClient, router: respx.MockRouter
) -> None:
    calls = {"n": 0}

    def respond(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(500, json={"message": "oops"}) if calls["n"] == 1 else echo(request)

    route = router.post(BULK).mock(side_effect=respond)
    with pytest.raises(AmbiguousWriteError) as info:
        await client.items.bulk_create(BOARD, notes(30))
    assert route.call_count == 1
    assert info.value.indexes == list(range(20))
    assert info.value.created == {}
    assert info.value.status == 500


async def test_short_answer_is_ambiguous(client: MiroClient, router: respx.MockRouter) -> None:
    router.post(BULK).respond(201, json={"type": "bulk-list", "data": [item_json("1")]})
    with pytest.raises(AmbiguousWriteError, match="1 items for a chunk of 2"):
        await client.items.bulk_create(BOARD, notes(2))
