"""The emulator's starlette app: auth, rate limit, faults and stats around the routes.

Starlette does the HTTP work (routing, 404/405, request parsing, responses); everything
Miro-specific that every operation shares lives in :meth:`EmulatorApp._dispatch`, so the
handlers in :mod:`boardsmith.emulator.routes` stay plain functions of a :class:`Ctx`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute
from starlette.types import Receive, Scope, Send

from boardsmith.emulator.access import require
from boardsmith.emulator.errors import ApiError, invalid, too_many_requests
from boardsmith.emulator.faults import DroppedConnection, Faults
from boardsmith.emulator.fields import check_body
from boardsmith.emulator.ratelimit import RateLimiter
from boardsmith.emulator.routes import all_routes
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.stats import Stats
from boardsmith.emulator.storage import Store
from boardsmith.emulator.users import user_from_authorization
from boardsmith.emulator.validate import parse_json

log = logging.getLogger(__name__)

STATS_PATH = "/_emulator/stats"
_BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})
#: The stats endpoint answers whatever the method (it is the emulator's, not Miro's).
_ANY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _iso(ts: float) -> str:
    return (
        datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{int(ts * 1000) % 1000:03d}Z"
    )


def _check_media_type(raw: bytes, content_type: str | None) -> None:
    """Miro's bodies are JSON (``application/json``); text sent as anything else is a 400."""
    if not raw.strip():
        return
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise invalid("Content-Type", "must be application/json for a JSON body")


def _literal_length(route: Route) -> int:
    return len(re.sub(r"\{\w+\}", "", route.template))


class _MiroJSON(JSONResponse):
    """Compact, ASCII-escaped JSON: the exact bytes the emulator has always sent."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, separators=(",", ":")).encode()


def _reply(status: int, body: Any, headers: dict[str, str]) -> Response:
    if body is None:
        # Starlette leaves content-length off a 204; the emulator has always sent "0".
        return Response(status_code=status, headers={**headers, "content-length": "0"})
    return _MiroJSON(body, status, headers)


class _DroppedAfterHeaders(Response):
    """Promises a body and never sends it: the client sees the connection die mid-response."""

    def __init__(self) -> None:
        super().__init__(media_type="application/json", headers={"content-length": "64"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
        await send(start)
        raise DroppedConnection("connection dropped after the write was committed")


class EmulatorApp(Starlette):
    """A Miro-compatible ASGI (starlette) app; see :func:`create_app`."""

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
        self._faults = faults if faults is not None else Faults()
        self._fault_rng = random.Random(self._faults.seed)  # noqa: S311 - simulation only
        self._id_rng = random.Random(self._faults.seed)  # noqa: S311 - ids need no secrecy
        # Starlette takes the first route that matches, so literal segments go first
        # (``/items/bulk`` must win over ``/items/{item_id}``).
        ordered = sorted(all_routes(), key=lambda r: -_literal_length(r))
        super().__init__(
            routes=[
                StarletteRoute(STATS_PATH, self._stats_endpoint, methods=_ANY_METHOD),
                *(
                    StarletteRoute(r.template, self._endpoint(r), methods=[r.method])
                    for r in ordered
                ),
            ],
            exception_handlers={HTTPException: self._no_route},
        )
        # Miro answers "/v2/boards/" with a 404, never a redirect to "/v2/boards".
        self.router.redirect_slashes = False

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

    async def _stats_endpoint(self, request: Request) -> Response:
        return _reply(200, self.stats(), {})

    def _endpoint(self, route: Route) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if request.method != route.method:
                # Starlette lets HEAD through to GET routes; Miro's API has no HEAD.
                raise HTTPException(405)
            return await self._dispatch(request, route)

        return endpoint

    async def _no_route(self, request: Request, exc: Exception) -> Response:
        method, path = request.method, request.scope["path"]
        if isinstance(exc, HTTPException) and exc.status_code == 405:
            error = ApiError(405, "methodNotAllowed", f"Method {method} is not allowed for {path}")
        else:
            error = ApiError(404, "notFound", f"No API operation at {path}")
        return await self._dispatch(request, error)

    async def _dispatch(self, request: Request, target: Route | ApiError) -> Response:
        """One request: auth, latency, faults, credits, then board access, the body's
        check and the handler in a transaction.

        ``target`` is the matched route, or the 404/405 to answer once auth has passed
        (auth errors win, as on Miro). The latency is a round trip: half of it before
        the handler (the request on its way), half after the answer is rendered (the
        answer on its way back), so the emulator's own work overlaps the network time
        as a server's does, and a write is committed before its answer arrives.
        """
        if isinstance(target, Route):
            operation = target.operation
        else:
            operation = f"{request.method} <unknown path>"
        credits = 0
        user_id: str | None = None
        way_back = 0.0
        response: Response | None = None
        try:
            user = user_from_authorization(request.headers.get("authorization"))
            user_id = user.id
            if isinstance(target, ApiError):
                raise target
            route = target
            if self._faults.latency_ms > 0:
                way_back = self._faults.latency_ms / 2000
                await asyncio.sleep(way_back)
            body, body_error = await _read_body(request, route)
            ctx = Ctx(
                store=self.store,
                user=user,
                params=request.path_params,
                query=dict(request.query_params),
                body=body,
                base_url=str(request.base_url).rstrip("/"),
                now=_iso(self._clock()),
                rng=self._id_rng,
            )
            cost = route.credits(ctx)
            response = self._refusal(user.id, cost)
            if response is None:
                credits = cost
                reply = self._run(route, ctx, body_error, operation)
                if route.writes and self._fault_rng.random() < self._faults.fail_after_commit:
                    response = self._fail_after_commit(user_id)
        except ApiError as exc:
            reply = Reply(exc.status, exc.body())
        except Exception as exc:
            # A bug in the emulator still answers like Miro would (500), never a hang.
            log.exception("emulator bug while handling %s", operation)
            reply = Reply(500, ApiError(500, "internalError", type(exc).__name__).body())
        finally:
            self._stats.record(operation, credits)
        if response is None:
            response = _reply(reply.status, reply.body, self.limiter.headers(user_id))
        if way_back:
            await asyncio.sleep(way_back)
        return response

    def _refusal(self, user_id: str, cost: int) -> Response | None:
        """The 429 or 500 answered before the handler runs: an injected fault, or credits
        the user's window cannot pay (the fault draws come first, in a fixed order, so a
        seeded run replays exactly)."""
        if self._fault_rng.random() < self._faults.rate_429:
            return _reply(429, too_many_requests(), self.limiter.headers(user_id))
        if self._fault_rng.random() < self._faults.rate_500:
            raise ApiError(500, "internalError", "Internal server error (injected fault)")
        if not self.limiter.charge(user_id, cost):
            return _reply(429, too_many_requests(), self.limiter.headers(user_id))
        return None

    def _run(self, route: Route, ctx: Ctx, body_error: ApiError | None, operation: str) -> Reply:
        """Board access, then the body's check, then the handler, in one transaction."""
        with self.store.transaction():
            board_id = ctx.params.get("board_id")
            role = None
            if board_id:
                # Access before the body (docs/emulator.md): strangers learn nothing from 400s.
                _, role = require(self.store, board_id, ctx.user, route.least_role, operation)
                self.store.rename_member(board_id, ctx.user.id, ctx.user.name)
            if body_error is not None:
                raise body_error
            reply = route.handler(ctx)
            if route.writes and board_id and self.store.get_board(board_id) is not None:
                # Writing through team or public access makes the writer a member with
                # the role that access gives, so createdBy ids resolve to names.
                self.store.add_member(board_id, ctx.user.id, ctx.user.name, role or "editor")
        return reply

    def _fail_after_commit(self, user_id: str | None) -> Response:
        mode = self._faults.fail_mode
        if mode == "mixed":
            mode = "drop" if self._fault_rng.random() < 0.5 else "500"
        if mode == "500":
            err = ApiError(500, "internalError", "Internal server error (injected after commit)")
            return _reply(500, err.body(), self.limiter.headers(user_id))
        return _DroppedAfterHeaders()


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


async def _read_body(request: Request, route: Route) -> tuple[Any, ApiError | None]:
    """The parsed JSON body and the error to answer for it, if any.

    The error is kept, not raised: board access is checked first, so a stranger's bad body
    still gets the 403/404 that access gives.
    """
    if request.method not in _BODY_METHODS:
        return None, None
    raw = await request.body()
    body: Any = None
    try:
        _check_media_type(raw, request.headers.get("content-type"))
        body = parse_json(raw)
        if route.fields is not None:
            check_body(route.fields, body, absent=not raw.strip())
    except ApiError as exc:
        # A body that parses but breaks a field rule still prices the call (bulk counts).
        return body, exc
    return body, None
