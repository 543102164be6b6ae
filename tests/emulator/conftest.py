"""Plain-httpx access to the emulator for its own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from boardsmith.emulator import EmulatorApp, EmulatorTransport

Http = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def http(emulator_app: EmulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client as user "Ana" on the test's emulator."""
    async with httpx.AsyncClient(
        transport=EmulatorTransport(emulator_app),
        base_url="https://api.miro.com",
        headers={"Authorization": "Bearer Ana:1"},
    ) as client:
        yield client


@pytest.fixture
async def as_user(emulator_app: EmulatorApp) -> AsyncIterator[Http]:
    """``await as_user("Ben:1")`` -> an httpx client with that bearer token."""
    clients: list[httpx.AsyncClient] = []

    async def factory(token: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=EmulatorTransport(emulator_app),
            base_url="https://api.miro.com",
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aclose()
