"""Fixtures for the client tests: a fake clock, a strict respx router, a client.

The router is the client's transport: any request without a matching route
fails the test, and every JSON request body is validated against the request
schema of the operation Miro's spec defines for it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx

from boardsmith.miro import MiroClient
from tests import spec
from tests.fake_time import FakeTime

BASE = "https://api.miro.com"
TOKEN = "tok-SECRET-4f2a9c"
BOARD = "uXjVOD6LSME="
BOARD_PATH = "/v2/boards/uXjVOD6LSME%3D"


class CheckedRouter:
    """A respx router whose transport checks request bodies against the spec."""

    def __init__(self) -> None:
        self.router = respx.MockRouter(base_url=BASE, assert_all_called=False)
        self.bodies: list[tuple[str, str, Any]] = []

    async def handler(self, request: httpx.Request) -> httpx.Response:
        if request.content:
            body = json.loads(request.content)
            key, _ = spec.find_operation(
                request.method, request.url.raw_path.decode(), dict(request.url.params)
            )
            errors = spec.validation_errors(spec.request_schema(request.method, key), body)
            assert errors == [], f"{request.method} {key} body violates the spec: {errors}"
            self.bodies.append((request.method, request.url.path, body))
        response: httpx.Response = await self.router.async_handler(request)
        return response


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def checked() -> CheckedRouter:
    return CheckedRouter()


@pytest.fixture
def router(checked: CheckedRouter) -> respx.MockRouter:
    return checked.router


def make_client(checked: CheckedRouter, fake_time: FakeTime, **kwargs: Any) -> MiroClient:
    options: dict[str, Any] = {
        "transport": httpx.MockTransport(checked.handler),
        "sleep": fake_time.sleep,
        "clock": fake_time.clock,
        "rng": lambda: 0.5,
        "max_retries": 3,
    }
    options.update(kwargs)
    token = options.pop("token", TOKEN)
    return MiroClient(token, **options)


@pytest.fixture
async def client(checked: CheckedRouter, fake_time: FakeTime) -> AsyncIterator[MiroClient]:
    async with make_client(checked, fake_time) as c:
        yield c


def item_json(item_id: str | int, type_: str = "sticky_note", **extra: Any) -> dict[str, Any]:
    """A plausible item as Miro returns it."""
    body: dict[str, Any] = {
        "id": item_id if isinstance(item_id, int) else str(item_id),
        "type": type_,
        "data": {"content": f"item {item_id}"},
        "position": {"x": 1.0, "y": 2.0, "origin": "center", "relativeTo": "canvas_center"},
        "geometry": {"width": 199.0, "height": 228.0},
        "createdBy": {"id": "3458764517517852417", "type": "user"},
        "modifiedBy": {"id": "3458764517517852417", "type": "user"},
        "createdAt": "2022-03-30T17:26:50.000Z",
        "modifiedAt": "2022-03-30T17:26:50.000Z",
        "links": {"self": f"{BASE}/v2/boards/x/items/{item_id}"},
    }
    body.update(extra)
    return body
