"""The emulator's ASGI application: auth, rate limit, faults and stats around the routes."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from boardsmith.emulator.errors import ApiError, too_many_requests
from boardsmith.emulator.faults import DroppedConnection, Faults
from boardsmith.emulator.ratelimit import RateLimiter
from boardsmith.emulator.routes import all_routes
from boardsmith.emulator.routing import Ctx, Reply, Route, Router
from boardsmith.emulator.stats import Stats
from boardsmith.emulator.storage import Store
from boardsmith.emulator.users import user_from_authorization
from boardsmith.emulator.validate import parse_json

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger(__name__)

STATS_PATH = "/_emulator/stats"
_BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})


def _iso(ts: float) -> str:
    return (
        datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{int(ts * 1000) % 1000:03d}Z"
    )


class EmulatorApp:
    """A Miro-compatible ASGI app; see :func:`create_app`."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        credits_per_minute: int = 100_000,
        faults: Faults | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db_path = db_path
        self.store = Store(db_path)
        self.limiter = RateLimiter(credits_per_minute, clock)
        self._clock = clock
        self._stats = Stats()
        self._router = Router(all_routes())
        self._faults = faults if faults is not None else Faults()
        self._fault_rng = random.Random(self._faults.seed)  # noqa: S311 - simulation only
        self._id_rng = random.Random(self._faults.seed)  # noqa: S311 - ids need no secrecy

    @property
    def faults(self) -> Faults:
        """Fault settings; assign a new :class:`Faults` (or mutate this one) at any time."""
        return self._faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._faults = value
        self._fault_rng = random.Random(value.seed)  # noqa: S311

    @property
    def credits_per_minute(self) -> int:
        """The per-user budget per minute."""
        return self.limiter.limit

    @credits_per_minute.setter
    def credits_per_minute(self, value: int) -> None:
        self.limiter.limit = value

    def stats(self) -> dict[str, Any]:
        """``{"total_requests", "credits", "requests": {"GET /v2/...": n}}`` since start."""
        return self._stats.snapshot()

    def reset_stats(self) -> None:
        """Start counting from zero."""
        self._stats.reset()

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method = scope["method"].upper()
        path: str = scope["path"]
        if path == STATS_PATH:
            await _send_json(send, 200, self.stats(), {})
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        raw = await _read_body(receive)
        await self._handle(scope, method, path, headers, raw, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _handle(
        self,
        scope: Scope,
        method: str,
        path: str,
        headers: dict[str, str],
        raw: bytes,
        send: Send,
    ) -> None:
        operation = f"{method} <unknown path>"
        credits = 0
        user_id: str | None = None
        try:
            # Match first so even a 401 is counted under its operation; auth errors win.
            try:
                match: tuple[Route, dict[str, str]] | ApiError = self._router.match(method, path)
            except ApiError as exc:
                match = exc
            if not isinstance(match, ApiError):
                operation = match[0].operation
            user = user_from_authorization(headers.get("authorization"))
            user_id = user.id
            if isinstance(match, ApiError):
                raise match
            route, params = match
            if self._faults.latency_ms > 0:
                await asyncio.sleep(self._faults.latency_ms / 1000)
            body_error: ApiError | None = None
            body: Any = None
            if method in _BODY_METHODS:
                try:
                    body = parse_json(raw)
                except ApiError as exc:
                    body_error = exc
            ctx = Ctx(
                store=self.store,
                user=user,
                params=params,
                query=_query(scope),
                body=body,
                base_url=_base_url(scope, headers),
                now=_iso(self._clock()),
                rng=self._id_rng,
            )
            if self._fault_rng.random() < self._faults.rate_429:
                await _send_json(send, 429, too_many_requests(), self.limiter.headers(user_id))
                return
            if self._fault_rng.random() < self._faults.rate_500:
                raise ApiError(500, "internalError", "Internal server error (injected fault)")
            cost = route.credits(ctx)
            if not self.limiter.charge(user.id, cost):
                await _send_json(send, 429, too_many_requests(), self.limiter.headers(user_id))
                return
            credits = cost
            if body_error is not None:
                raise body_error
            with self.store.transaction():
                reply = route.handler(ctx)
                board_id = params.get("board_id")
                if route.writes and board_id and self.store.get_board(board_id) is not None:
                    # Everyone who writes to a board becomes a member (the creator is owner).
                    self.store.add_member(board_id, user.id, user.name, "editor")
            if route.writes and self._fault_rng.random() < self._faults.fail_after_commit:
                await self._fail_after_commit(send, user_id)
                return
        except ApiError as exc:
            reply = Reply(exc.status, exc.body())
        except DroppedConnection:
            raise
        except Exception as exc:
            # A bug in the emulator still answers like Miro would (500), never a hang.
            log.exception("emulator bug while handling %s", operation)
            reply = Reply(500, ApiError(500, "internalError", type(exc).__name__).body())
        finally:
            self._stats.record(operation, credits)
        await _send_json(send, reply.status, reply.body, self.limiter.headers(user_id))

    async def _fail_after_commit(self, send: Send, user_id: str | None) -> None:
        mode = self._faults.fail_mode
        if mode == "mixed":
            mode = "drop" if self._fault_rng.random() < 0.5 else "500"
        if mode == "500":
            err = ApiError(500, "internalError", "Internal server error (injected after commit)")
            await _send_json(send, 500, err.body(), self.limiter.headers(user_id))
            return
        # Promise a body and never send it: the client sees the connection die mid-response.
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
            }
        )
        raise DroppedConnection("connection dropped after the write was committed")


def _query(scope: Scope) -> dict[str, str]:
    qs = scope.get("query_string", b"").decode("latin-1")
    return dict(parse_qsl(qs, keep_blank_values=True))


def _base_url(scope: Scope, headers: dict[str, str]) -> str:
    host = headers.get("host")
    if not host:
        server = scope.get("server") or ("localhost", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send_json(send: Send, status: int, body: Any, extra: dict[str, str]) -> None:
    payload = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
    if body is not None:
        headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(payload)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def create_app(
    db_path: str | Path = ":memory:",
    *,
    credits_per_minute: int = 100_000,
    faults: Faults | None = None,
    clock: Callable[[], float] = time.time,
) -> EmulatorApp:
    """A fresh emulator on ``db_path`` (a file, a directory holding ``emulator.sqlite3``,
    or ``":memory:"``); ``clock`` is injectable so tests can move time without sleeping."""
    from boardsmith.emulator.paths import resolve_db_path

    return EmulatorApp(
        resolve_db_path(db_path),
        credits_per_minute=credits_per_minute,
        faults=faults,
        clock=clock,
    )
