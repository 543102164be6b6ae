"""Running the emulator as a loopback HTTP server with uvicorn."""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import TYPE_CHECKING, Any

from starlette.types import Receive, Scope, Send

from boardsmith.emulator.app import EmulatorApp
from boardsmith.emulator.faults import DroppedConnection

if TYPE_CHECKING:
    import uvicorn


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (the emulator never listens wider)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _DropsConnections:
    """Turns :class:`DroppedConnection` into an unfinished response, which makes uvicorn
    close the socket mid-response: what a client sees when a server dies after a write."""

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except DroppedConnection:
            return


class PortInUseError(OSError):
    """Another program already listens on the address the emulator was asked to use."""


def bind_socket(host: str, port: int) -> socket.socket:
    """A socket bound to a loopback ``host``/``port``, for ``Server.run(sockets=...)``.

    Bound before anything is printed or opened so that a port already taken is one
    clear error (:class:`PortInUseError`), not a start banner followed by uvicorn's
    log line.
    """
    if not is_loopback(host):
        raise ValueError(f"refusing to listen on non-loopback host {host!r}")
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        # As uvicorn does: a restarted emulator may rebind while old connections linger.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((bare, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(exc.errno, exc.strerror) from None
        raise
    return sock


def make_server(app: EmulatorApp, host: str, port: int, **config: Any) -> uvicorn.Server:
    """A uvicorn server for ``app`` on a loopback ``host`` (``ValueError`` otherwise)."""
    import uvicorn

    if not is_loopback(host):
        raise ValueError(f"refusing to listen on non-loopback host {host!r}")
    config.setdefault("log_level", "warning")
    return uvicorn.Server(
        uvicorn.Config(_DropsConnections(app), host=host, port=port, lifespan="on", **config)
    )
