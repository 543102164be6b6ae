"""In-process httpx transport: the CLI's default backend and the tests' test double."""

from __future__ import annotations

import httpx

from boardsmith.emulator.app import EmulatorApp
from boardsmith.emulator.faults import DroppedConnection


class EmulatorTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests straight into an :class:`EmulatorApp` on the same event loop.

    A "fail after commit" drop reaches the client as :class:`httpx.RemoteProtocolError`,
    exactly like a server that hung up mid-response.
    """

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Run ``request`` through the app and return its response."""
        try:
            return await self._inner.handle_async_request(request)
        except DroppedConnection as exc:
            raise httpx.RemoteProtocolError(
                "server disconnected without sending a complete response", request=request
            ) from exc

    async def aclose(self) -> None:
        """Close the inner ASGI transport (the app and its database stay open)."""
        await self._inner.aclose()
