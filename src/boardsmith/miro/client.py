"""``MiroClient``: the async entry point to Miro's REST API v2.

One :meth:`MiroClient.request` does everything a call needs: spend credits from
the client-side budget, send under the concurrency limit, refresh the token once
after a 401, retry by the rules in :mod:`boardsmith.miro.retry` (one plain loop
over attempts, with injectable ``sleep`` / ``clock`` so tests never wait), and
turn failures into :mod:`boardsmith.miro.errors`. Resources (``client.boards``,
``client.items``...) are thin typed wrappers around it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import random
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload
from urllib.parse import quote, unquote

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from boardsmith.miro.constants import (
    DEFAULT_BASE_URL,
    DEFAULT_CONCURRENCY,
    DEFAULT_CREDITS_PER_MINUTE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_WAIT,
    DEFAULT_TIMEOUT,
    TRANSIENT_CAP,
    TRANSIENT_EXTRA_RETRIES,
)
from boardsmith.miro.errors import (
    AmbiguousWriteError,
    APIError,
    ConnectError,
    MiroError,
    RateLimitError,
    TimeoutError,
    TransportError,
    error_for_status,
)
from boardsmith.miro.json_text import loads
from boardsmith.miro.ratelimit import CreditBudget, operation_cost
from boardsmith.miro.retry import (
    Decision,
    backoff_delay,
    decide_on_error,
    decide_on_status,
    rate_limit_wait,
    server_delay,
)
from boardsmith.miro.slots import Slots
from boardsmith.miro.tls import tls_context
from boardsmith.miro.token_source import StaticToken, TokenSource
from boardsmith.miro.wire import Wire
from boardsmith.miro.wire import claim as claim_wire

if TYPE_CHECKING:
    from boardsmith.miro.resources import (
        BoardsResource,
        CardsResource,
        ConnectorsResource,
        FramesResource,
        ItemsResource,
        MembersResource,
        ShapesResource,
        StickyNotesResource,
        TagsResource,
        TextsResource,
    )

__all__ = ["DEFAULT_BASE_URL", "ClientStats", "MiroClient"]

log = logging.getLogger("boardsmith.miro")

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


class _Made(Generic[R]):
    """A client's resource (``client.boards``...), made on first use and kept.

    The resources import the API's models (~60 pydantic models), which a caller of
    :meth:`MiroClient.request` alone (a harvest's read) never needs.
    """

    def __init__(self, class_name: str) -> None:
        self._class_name = class_name
        self._attribute = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._attribute = name

    @overload
    def __get__(self, client: None, owner: type[Any]) -> _Made[R]: ...

    @overload
    def __get__(self, client: MiroClient, owner: type[Any]) -> R: ...

    def __get__(self, client: MiroClient | None, owner: type[Any]) -> _Made[R] | R:
        if client is None:
            return self
        from boardsmith.miro import resources

        made: R = getattr(resources, self._class_name)(client)
        # Kept on the instance: later reads find it before this (non-data) descriptor.
        client.__dict__[self._attribute] = made
        return made


@dataclass
class ClientStats:
    """What this client has spent so far.

    ``requests`` counts HTTP requests actually sent (retries included),
    ``credits`` the credits charged for them, ``operations`` requests per client
    operation (``"items.list"``, ``"items.bulk_create"``...), ``retries`` the
    retried attempts and ``waited`` the seconds spent sleeping (budget + retries).
    """

    requests: int = 0
    credits: int = 0
    retries: int = 0
    waited: float = 0.0
    operations: Counter[str] = field(default_factory=Counter)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """True when ``kind`` is in the chain httpx and httpcore wrap around the OS error."""
    seen: BaseException | None = exc
    for _ in range(10):  # the chain is short; the bound guards against cycles
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _too_long(error: APIError, now: float, delay: float, cap: float) -> RateLimitError:
    """The 429 as a :class:`RateLimitError` saying when Miro will take calls again."""
    retry_at = now + delay
    when = datetime.fromtimestamp(math.ceil(retry_at), tz=UTC)
    stamp = when.strftime("%H:%M:%S UTC" if delay < 20 * 3600 else "%Y-%m-%d %H:%M:%S UTC")
    limited = RateLimitError(
        status=error.status,
        method=error.method,
        path=error.path,
        code=error.code,
        message=error.api_message,
        context=error.context,
        hint=f"Miro asks to wait {math.ceil(delay)} s, longer than the {cap:g} s boardsmith "
        f"waits by itself; retry after {stamp}",
    )
    limited.retry_at = retry_at
    return limited


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class _Call:
    """One API call: everything each of its attempts sends, and how it may be retried."""

    method: str
    #: Percent-encoded, as sent; :attr:`shown` is the readable form.
    path: str
    #: Names the call in stats (``"items.list"``) and the credit price list.
    operation: str
    credits: int
    params: Mapping[str, str] | None
    json_body: Any
    #: Overrides the method's default (a POST that is safe to repeat says ``True``).
    idempotent: bool | None

    @property
    def shown(self) -> str:
        """The path as messages show it (never carries the query)."""
        return unquote(self.path)


@dataclass(frozen=True)
class _Retry:
    """An attempt that failed in a retryable way; ``error`` is raised when no retry is left.

    ``delay`` is the wait the server asked for (``None``: exponential backoff);
    ``transient`` marks a 429 that left budget: it may be retried beyond ``max_retries``.
    """

    error: MiroError
    delay: float | None
    transient: bool = False


class MiroClient:
    """Async client for Miro's REST API v2 (use as ``async with MiroClient(...)``).

    ``token`` is a string, a :class:`~pydantic.SecretStr` or a
    :class:`~boardsmith.miro.token_source.TokenSource`. Pass ``transport`` to run
    against an in-process app (the emulator) or a test double. ``sleep`` and
    ``clock`` (UNIX seconds) replace real time in tests; ``rng`` supplies jitter.
    """

    def __init__(
        self,
        token: str | SecretStr | TokenSource,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        concurrency: int = DEFAULT_CONCURRENCY,
        credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        rng: Callable[[], float] | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {concurrency}")
        self._source: TokenSource = (
            StaticToken(token) if isinstance(token, str | SecretStr) else token
        )
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self._sleep = sleep or asyncio.sleep
        self._clock = clock or time.time
        self._rng = rng or random.random
        #: Requests in flight at most (callers size their own work to it).
        self.concurrency = concurrency
        self._slots = Slots(concurrency)
        self.budget = CreditBudget(credits_per_minute, clock=self._clock, sleep=self._sleep)
        self.stats = ClientStats()
        # httpx's own transport reports when a request is written (see miro.wire).
        self._traced = transport is None
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout),
            headers={"Accept": "application/json", "User-Agent": "boardsmith-miro-client"},
            follow_redirects=False,
            verify=tls_context(self.base_url),
        )

    def __repr__(self) -> str:
        return f"MiroClient(base_url={self.base_url!r}, token=<hidden>)"

    # One attribute per resource class of resources.py: a new resource goes here too.
    boards: _Made[BoardsResource] = _Made("BoardsResource")
    """``/v2/boards``: create, get, list, update, delete. Made on first use."""
    members: _Made[MembersResource] = _Made("MembersResource")
    """``/v2/boards/{board_id}/members``: list and get. Made on first use."""
    items: _Made[ItemsResource] = _Made("ItemsResource")
    """``/v2/boards/{board_id}/items``: any item type. Made on first use."""
    sticky_notes: _Made[StickyNotesResource] = _Made("StickyNotesResource")
    """``/v2/boards/{board_id}/sticky_notes``. Made on first use."""
    shapes: _Made[ShapesResource] = _Made("ShapesResource")
    """``/v2/boards/{board_id}/shapes``. Made on first use."""
    texts: _Made[TextsResource] = _Made("TextsResource")
    """``/v2/boards/{board_id}/texts``. Made on first use."""
    frames: _Made[FramesResource] = _Made("FramesResource")
    """``/v2/boards/{board_id}/frames``. Made on first use."""
    cards: _Made[CardsResource] = _Made("CardsResource")
    """``/v2/boards/{board_id}/cards``. Made on first use."""
    connectors: _Made[ConnectorsResource] = _Made("ConnectorsResource")
    """``/v2/boards/{board_id}/connectors``. Made on first use."""
    tags: _Made[TagsResource] = _Made("TagsResource")
    """``/v2/boards/{board_id}/tags``. Made on first use."""

    async def __aenter__(self) -> MiroClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._http.aclose()

    # ---- the one request path -------------------------------------------

    @staticmethod
    def render_path(template: str, path_params: Mapping[str, str]) -> str:
        """Fill ``template`` with percent-encoded ids (board ids contain ``=``)."""
        return template.format_map({k: quote(str(v), safe="") for k, v in path_params.items()})

    async def request(
        self,
        method: str,
        template: str,
        path_params: Mapping[str, str],
        *,
        operation: str,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        cost: int | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one API call with budget, retries and token refresh; return a 2xx answer.

        ``operation`` names the call for stats and its credit cost (see
        :data:`~boardsmith.miro.ratelimit.OPERATION_LEVELS`); ``cost`` overrides it.
        """
        call = _Call(
            method=method.upper(),
            path=self.render_path(template, path_params),
            operation=operation,
            credits=operation_cost(operation) if cost is None else cost,
            params=params,
            json_body=json_body,
            idempotent=idempotent,
        )
        wire = claim_wire() if self._traced else None
        try:
            return await self._attempts(call, wire)
        finally:
            if wire is not None:
                wire.sent.set()

    async def _attempts(self, call: _Call, wire: Wire | None) -> httpx.Response:
        token = await self._source.access_token()
        refreshed = False  # one refresh per call, whichever attempt meets the 401
        attempt = 1
        while True:
            sent = await self._send(call, token, wire)
            if wire is not None:
                wire.sent.set()  # answered: a retry or a refresh is not worth waiting for
                wire = None
            if isinstance(sent, httpx.Response) and sent.status_code == 401 and not refreshed:
                refreshed = True
                new_token = await self._source.refresh(token)
                if new_token is not None:
                    log.info("%s %s: token rejected, retrying refreshed", call.method, call.shown)
                    token = new_token
                    continue  # the same attempt again: a refreshed token is not a retry
            outcome = self._check(call, sent, attempt) if isinstance(sent, httpx.Response) else sent
            if isinstance(outcome, httpx.Response):
                return outcome
            if attempt >= self._attempts_allowed(outcome):
                raise outcome.error
            await self._pause(self._retry_delay(outcome, attempt))
            attempt += 1

    async def _send(
        self, call: _Call, token: SecretStr, wire: Wire | None = None
    ) -> httpx.Response | _Retry:
        """One HTTP request under the budget and the concurrency limit.

        Any answer is returned as is; a transport failure is returned as a
        :class:`_Retry` when the policy allows one, and raised otherwise. ``wire``
        is told when the request is written, or that it waits for a free slot.
        """
        headers = {"Authorization": f"Bearer {token.get_secret_value()}"}
        extensions: dict[str, Any] | None = None
        if wire is not None:
            if self._slots.waits():
                wire.sent.set()
            extensions = {"trace": wire.trace}
        # Spend under the concurrency limit: credits spent but unanswered are
        # then at most `concurrency` calls, the ones Miro may not have counted.
        async with self._slots.taken():
            before = self.budget.waited
            ticket = await self.budget.acquire(call.credits)
            self.stats.waited += self.budget.waited - before
            self.stats.requests += 1
            self.stats.credits += call.credits
            self.stats.operations[call.operation] += 1
            try:
                response = await self._http.request(
                    call.method,
                    call.path,
                    params=call.params,
                    json=call.json_body,
                    headers=headers,
                    extensions=extensions,
                )
                log.debug("%s %s -> %s", call.method, call.shown, response.status_code)
                self._observe(response.headers, ticket)
            except httpx.TransportError as exc:
                failure = self._transport_failure(call, exc)
                if isinstance(failure, _Retry):
                    return failure
                raise failure from None
            finally:
                self.budget.release(ticket)
        return response

    def _attempts_allowed(self, retry: _Retry) -> int:
        """How many attempts a call gets, given how its latest one failed."""
        attempts = self.max_retries + 1
        if retry.transient:
            attempts += TRANSIENT_EXTRA_RETRIES
        return attempts

    def _retry_delay(self, retry: _Retry, attempt: int) -> float:
        """Seconds to wait before the attempt after ``attempt``."""
        if retry.delay is not None:
            return min(retry.delay, self.max_retry_wait)
        return backoff_delay(attempt, jitter=self._rng())

    async def _pause(self, seconds: float) -> None:
        self.stats.retries += 1
        self.stats.waited += seconds
        await self._sleep(seconds)

    def _transport_failure(self, call: _Call, exc: httpx.TransportError) -> MiroError | _Retry:
        """What a transport error means for ``call``: a retry, or the error to raise."""
        method, shown = call.method, call.shown
        fatal = self._fatal_connect(method, shown, exc)
        if fatal is not None:
            return fatal
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "connection failed"
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        decision = decide_on_error(method, exc, idempotent=call.idempotent)
        if decision is Decision.AMBIGUOUS:
            return AmbiguousWriteError(
                method=method, path=shown, reason=f"{kind} after sending ({detail})"
            )
        cls: type[TransportError] = (
            TimeoutError if isinstance(exc, httpx.TimeoutException) else ConnectError
        )
        error = cls(
            f"{method} {shown} failed: {kind} ({detail})",
            method=method,
            path=shown,
            hint="check the network connection and MIRO_API_URL",
        )
        if decision is Decision.RETRY:
            return _Retry(error, None)
        return error

    def _fatal_connect(
        self, method: str, shown: str, exc: httpx.TransportError
    ) -> ConnectError | None:
        """A connect failure no retry can cure, as one plain sentence (else ``None``).

        A refused connection on loopback means the local server is not running, and a
        failed TLS handshake means the server speaks something other than https:
        retrying either only makes the user wait ~13 s for the same answer.
        """
        if not isinstance(exc, httpx.ConnectError):
            return None
        url = self._http.base_url
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        # A certificate problem is a different story (a proxy, a clock): left as it was.
        if _caused_by(exc, ssl.SSLError) and not _caused_by(exc, ssl.SSLCertVerificationError):
            return ConnectError(
                f"{method} {shown} failed: {origin} does not answer in https "
                "(the TLS handshake failed)",
                method=method,
                path=shown,
                hint="check the scheme and port of the API URL",
                reason="tls",
            )
        if _caused_by(exc, ConnectionRefusedError) and _is_loopback(url.host):
            return ConnectError(
                f"{method} {shown} failed: nothing is listening at {origin} (connection refused)",
                method=method,
                path=shown,
                hint="start the server there, or check the port of the API URL",
                reason="refused",
            )
        return None

    def _check(
        self, call: _Call, response: httpx.Response, attempt: int
    ) -> httpx.Response | _Retry:
        """A 2xx ``response`` itself, a retry, or (raised) the error the answer means."""
        method, shown, status = call.method, call.shown, response.status_code
        decision = decide_on_status(method, status, idempotent=call.idempotent)
        if decision is Decision.SUCCESS:
            return response
        if decision is Decision.AMBIGUOUS:
            raise AmbiguousWriteError(
                method=method,
                path=shown,
                reason=f"Miro answered {status} after receiving it",
                status=status,
            )
        error = error_for_status(status, method, shown, response.content)
        if decision is Decision.RAISE:
            raise error
        if status != 429:
            return _Retry(error, server_delay(status, response.headers, self._clock()))
        after = self._after_429(error, response.headers, attempt)
        if isinstance(after, RateLimitError):
            raise after
        return after

    def _after_429(
        self, error: APIError, headers: httpx.Headers, attempt: int
    ) -> _Retry | RateLimitError:
        now = self._clock()
        wait = rate_limit_wait(headers, now, attempt=attempt, jitter=self._rng())
        if wait.delay > self.max_retry_wait:
            # Sleeping an hour inside a command looks like a hang, and blocking the budget
            # that long would stall every other call too: say when to come back instead.
            return _too_long(error, now, wait.delay, self.max_retry_wait)
        if wait.spent:
            # The window is used up: everyone sharing this budget pauses, not just
            # this call. A transient 429 leaves the other calls in flight alone.
            self.budget.block_until(now + wait.delay)
        return _Retry(error, wait.delay, transient=not wait.spent and wait.delay <= TRANSIENT_CAP)

    def _observe(self, headers: httpx.Headers, ticket: int) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        reset = headers.get("x-ratelimit-reset")
        limit = headers.get("x-ratelimit-limit")
        try:
            left = int(float(remaining)) if remaining is not None else None
            reset_at = float(reset) if reset is not None else None
            window = int(float(limit)) if limit is not None else None
        except ValueError:
            return
        self.budget.observe(left, reset_at, limit=window, ticket=ticket)

    # ---- decoding ---------------------------------------------------------

    @staticmethod
    def decode(response: httpx.Response) -> Any:
        """The JSON body of a 2xx answer (``None`` when empty)."""
        if not response.content:
            return None
        try:
            return loads(response.content)
        except ValueError:
            raise APIError(
                status=response.status_code,
                method=response.request.method,
                path=unquote(response.request.url.path),
                message="Miro's answer is not valid JSON",
            ) from None

    @staticmethod
    def parse(model: type[M], data: Any, response: httpx.Response) -> M:
        """Validate ``data`` as ``model``; a mismatch becomes a one-line :class:`MiroError`."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "<body>"
            raise MiroError(
                f"{response.request.method} {unquote(response.request.url.path)}: "
                f"unexpected answer from Miro ({where}: {first.get('msg', 'invalid')})"
            ) from None
