"""Miro's OAuth 2.0 authorization-code flow (API-NOTES section 2).

- :func:`authorization_url` and :class:`CallbackServer`: send the user to Miro and
  receive the code on ``http://127.0.0.1:<port>/callback``, checking ``state``.
- :func:`exchange_code`, :func:`refresh_token`, :func:`token_info`, :func:`revoke_token`:
  the token endpoints.
- :class:`OAuthTokenSource`: a :class:`~boardsmith.miro.token_source.TokenSource` that
  refreshes before expiry and once after a 401, persisting every new pair.

No function here puts a token into an exception, a log line or a repr.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from pydantic import SecretStr

from boardsmith.errors import BoardsmithError
from boardsmith.miro.constants import (
    CODE_LIFETIME_SECONDS,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    REFRESH_LEEWAY_SECONDS,
)
from boardsmith.miro.token_store import StoredToken, TokenStore, utc_now

AUTHORIZE_URL = "https://miro.com/oauth/authorize"
DEFAULT_API_URL = DEFAULT_BASE_URL

Clock = Callable[[], datetime]


class OAuthError(BoardsmithError):
    """The OAuth flow failed; the message says which step and why, never a token."""


@dataclass(frozen=True)
class OAuthApp:
    """A registered Miro app (its client id/secret) and where to reach Miro."""

    client_id: str
    client_secret: SecretStr
    redirect_uri: str
    api_url: str = DEFAULT_API_URL
    authorize_url: str = AUTHORIZE_URL

    @property
    def token_url(self) -> str:
        return f"{self.api_url.rstrip('/')}/v1/oauth/token"


def new_state() -> str:
    """A fresh unguessable ``state`` value."""
    return secrets.token_urlsafe(32)


def authorization_url(app: OAuthApp, state: str, *, team_id: str | None = None) -> str:
    """The URL that asks the user to install the app and sends a code back."""
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": app.redirect_uri,
        "state": state,
    }
    if team_id:
        params["team_id"] = team_id
    return f"{app.authorize_url}?{urlencode(params)}"


# --- loopback redirect --------------------------------------------------------

_PAGE = (
    "<!doctype html><meta charset=utf-8><title>boardsmith</title>"
    "<body style='font-family:sans-serif;margin:3em'><h1>{title}</h1><p>{text}</p></body>"
)


class CallbackServer:
    """A one-shot HTTP server on the loopback interface that waits for Miro's redirect.

    Use as ``async with CallbackServer(state, port=...) as server:`` then
    ``code = await server.wait_for_code()``. ``port=0`` picks a free port (tests).
    Requests to other paths get 404 and are ignored; a request to ``/callback``
    with the wrong ``state`` is answered 400 and ends the login with an error,
    because it means someone other than Miro is talking to us.
    """

    def __init__(
        self,
        state: str,
        *,
        port: int,
        host: str = "127.0.0.1",
        timeout: float = CODE_LIFETIME_SECONDS,
    ) -> None:
        self._state = state
        self._host = host
        self._port = port
        self._timeout = timeout
        self._server: asyncio.Server | None = None
        self._result: asyncio.Future[str] | None = None

    @property
    def port(self) -> int:
        """The port actually listened on."""
        if self._server is None:
            return self._port
        sockname = self._server.sockets[0].getsockname()
        return int(sockname[1])

    @property
    def redirect_uri(self) -> str:
        return f"http://{self._host}:{self.port}/callback"

    async def __aenter__(self) -> CallbackServer:
        self._result = asyncio.get_running_loop().create_future()
        try:
            self._server = await asyncio.start_server(self._handle, self._host, self._port)
        except OSError as exc:
            raise OAuthError(
                f"cannot listen on {self._host}:{self._port} for Miro's redirect: {exc.strerror}",
                hint="free the port or choose another with --port (and register that redirect URI)",
            ) from None
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def wait_for_code(self) -> str:
        """The authorization code, or :class:`OAuthError` (denied, bad state, timeout)."""
        assert self._result is not None, "use CallbackServer as an async context manager"
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), self._timeout)
        except TimeoutError:
            minutes = self._timeout / 60
            raise OAuthError(
                f"no answer from Miro within {minutes:g} minutes",
                hint="run `boardsmith auth login` again",
            ) from None

    def _finish(self, *, code: str | None = None, error: OAuthError | None = None) -> None:
        if self._result is None or self._result.done():
            return
        if error is not None:
            self._result.set_exception(error)
        else:
            assert code is not None
            self._result.set_result(code)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            status, title, text = await self._respond(reader)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, TimeoutError):
            status, title, text = 400, "Bad request", "This server only answers Miro."
        body = _PAGE.format(title=title, text=text).encode()
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n"
            "Cache-Control: no-store\r\n\r\n"
        ).encode()
        with contextlib.suppress(ConnectionError):
            writer.write(head + body)
            await writer.drain()
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()

    async def _respond(self, reader: asyncio.StreamReader) -> tuple[int, str, str]:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, target, _version = request_line.split(" ", 2)
        parts = urlsplit(target)
        if method != "GET" or parts.path != "/callback":
            return 404, "Not found", "Nothing here."
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if not secrets.compare_digest(query.get("state", ""), self._state):
            self._finish(
                error=OAuthError(
                    "login rejected: the redirect's state does not match this login attempt",
                    hint="run `boardsmith auth login` again and use the URL it prints",
                )
            )
            return 400, "Login rejected", "The state did not match. Start the login again."
        if "error" in query:
            reason = query.get("error_description") or query["error"]
            self._finish(error=OAuthError(f"Miro did not authorize boardsmith: {reason}"))
            return 400, "Not authorized", "Miro did not authorize boardsmith."
        code = query.get("code", "")
        if not code:
            self._finish(error=OAuthError("Miro's redirect carried no authorization code"))
            return 400, "No code", "Miro's redirect carried no code."
        self._finish(code=code)
        return 200, "boardsmith is connected to Miro", "You can close this tab now."


# --- token endpoints ----------------------------------------------------------


def _error_detail(response: httpx.Response) -> str:
    # Miro's OAuth endpoints answer either {"error", "error_description"} or its
    # v2 error body {"code", "message"}; only those short fields are shown.
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    code = body.get("error") or body.get("code") or ""
    message = body.get("error_description") or body.get("message") or ""
    detail = " ".join(str(p) for p in (code, message) if p)
    return f" {detail}"[:200]


def _id(value: Any) -> str | None:
    # team_id / user_id may come as bare JSON numbers; ids are strings to us.
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return str(value) or None
    return None


def parse_token_response(
    data: Any,
    *,
    now: datetime,
    client_id: str | None = None,
    api_url: str | None = None,
    previous: StoredToken | None = None,
) -> StoredToken:
    """Build a :class:`StoredToken` from a token-endpoint body, leniently.

    Missing ``team_id``/``user_id`` are kept from ``previous`` (a refresh).
    """
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        raise OAuthError("Miro's token response has no access_token")
    expires_in = data.get("expires_in")
    expires_at = None
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and expires_in > 0:
        expires_at = now + timedelta(seconds=float(expires_in))
    refresh = data.get("refresh_token")
    scope = data.get("scope")
    return StoredToken(
        access_token=SecretStr(data["access_token"]),
        refresh_token=SecretStr(refresh) if isinstance(refresh, str) and refresh else None,
        token_type=str(data.get("token_type") or "bearer"),
        expires_at=expires_at,
        scope=scope if isinstance(scope, str) else (previous.scope if previous else ""),
        team_id=_id(data.get("team_id")) or (previous.team_id if previous else None),
        user_id=_id(data.get("user_id")) or (previous.user_id if previous else None),
        client_id=client_id,
        api_url=api_url,
    )


async def _post_token(
    http: httpx.AsyncClient, app: OAuthApp, form: dict[str, str], step: str
) -> Any:
    try:
        response = await http.post(app.token_url, data=form, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise OAuthError(
            f"{step} failed: cannot reach {app.api_url}: {type(exc).__name__}"
        ) from None
    if response.status_code >= 400:
        raise OAuthError(
            f"{step} failed: POST /v1/oauth/token answered {response.status_code}"
            f"{_error_detail(response)}",
            hint="run `boardsmith auth login` again"
            if response.status_code in (400, 401)
            else None,
        )
    try:
        return response.json()
    except ValueError:
        raise OAuthError(f"{step} failed: Miro's token response is not JSON") from None


async def exchange_code(
    http: httpx.AsyncClient, app: OAuthApp, code: str, *, clock: Clock = utc_now
) -> StoredToken:
    """Trade an authorization code for a token pair (form-urlencoded body)."""
    form = {
        "grant_type": "authorization_code",
        "client_id": app.client_id,
        "client_secret": app.client_secret.get_secret_value(),
        "code": code,
        "redirect_uri": app.redirect_uri,
    }
    data = await _post_token(http, app, form, "exchanging the authorization code")
    return parse_token_response(data, now=clock(), client_id=app.client_id, api_url=app.api_url)


async def refresh_token(
    http: httpx.AsyncClient, app: OAuthApp, current: StoredToken, *, clock: Clock = utc_now
) -> StoredToken:
    """Trade the refresh token for a new pair (Miro invalidates the old one)."""
    if current.refresh_token is None:
        raise OAuthError("the stored Miro token cannot be refreshed (it has no refresh token)")
    form = {
        "grant_type": "refresh_token",
        "refresh_token": current.refresh_token.get_secret_value(),
        "client_id": app.client_id,
        "client_secret": app.client_secret.get_secret_value(),
    }
    data = await _post_token(http, app, form, "refreshing the Miro token")
    return parse_token_response(
        data, now=clock(), client_id=app.client_id, api_url=app.api_url, previous=current
    )


@dataclass(frozen=True)
class TokenInfo:
    """What ``GET /v1/oauth-token`` says about a token (lenient: missing parts are None)."""

    user_id: str | None = None
    user_name: str | None = None
    team_id: str | None = None
    team_name: str | None = None
    organization_name: str | None = None
    scopes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


def _part(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


async def token_info(http: httpx.AsyncClient, api_url: str, access_token: SecretStr) -> TokenInfo:
    """Ask Miro whose token this is. A 401 means the token is invalid or revoked."""
    url = f"{api_url.rstrip('/')}/v1/oauth-token"
    try:
        response = await http.get(
            url, headers={"Authorization": f"Bearer {access_token.get_secret_value()}"}
        )
    except httpx.HTTPError as exc:
        raise OAuthError(f"cannot reach {api_url}: {type(exc).__name__}") from None
    if response.status_code == 401:
        raise OAuthError(
            "Miro rejected the token (401): it was revoked or has expired",
            hint="run `boardsmith auth login`",
        )
    if response.status_code >= 400:
        raise OAuthError(
            f"GET /v1/oauth-token failed: {response.status_code}{_error_detail(response)}"
        )
    try:
        data = response.json()
    except ValueError:
        raise OAuthError("GET /v1/oauth-token answered something that is not JSON") from None
    if not isinstance(data, dict):
        data = {}
    user, team, org = _part(data, "user"), _part(data, "team"), _part(data, "organization")
    scopes = data.get("scopes")
    return TokenInfo(
        user_id=_id(user.get("id")),
        user_name=user.get("name") if isinstance(user.get("name"), str) else None,
        team_id=_id(team.get("id")),
        team_name=team.get("name") if isinstance(team.get("name"), str) else None,
        organization_name=org.get("name") if isinstance(org.get("name"), str) else None,
        scopes=[str(s) for s in scopes] if isinstance(scopes, list) else [],
        raw=data,
    )


async def revoke_token(http: httpx.AsyncClient, app: OAuthApp, access_token: SecretStr) -> bool:
    """Revoke a token (and with it its refresh token). ``False`` when Miro did not know it."""
    url = f"{app.api_url.rstrip('/')}/v2/oauth/revoke"
    body = {
        "accessToken": access_token.get_secret_value(),
        "clientId": app.client_id,
        "clientSecret": app.client_secret.get_secret_value(),
    }
    try:
        response = await http.post(url, json=body)
    except httpx.HTTPError as exc:
        raise OAuthError(f"cannot reach {app.api_url} to revoke: {type(exc).__name__}") from None
    if response.status_code == 404:
        return False
    if response.status_code >= 400:
        raise OAuthError(
            f"POST /v2/oauth/revoke failed: {response.status_code}{_error_detail(response)}"
        )
    return True


# --- the token source ---------------------------------------------------------


class OAuthTokenSource:
    """Serves the stored OAuth token to the client, refreshing it when needed.

    - :meth:`access_token` refreshes first when the token expires within
      ``leeway`` seconds (and it has a refresh token).
    - :meth:`refresh` is called once after a 401: it refreshes unless another task
      already replaced the rejected token, in which case that newer token is returned.
    - An ``asyncio.Lock`` makes concurrent callers share one exchange; every new pair
      is saved to the store before it is used, because the old pair is dead.

    ``app`` may be ``None`` (no client id/secret configured): the token is then
    served as is and cannot be refreshed.
    """

    def __init__(
        self,
        store: TokenStore,
        app: OAuthApp | None,
        *,
        token: StoredToken | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = utc_now,
        leeway: float = REFRESH_LEEWAY_SECONDS,
    ) -> None:
        self._store = store
        self._app = app
        self._token = token
        self._transport = transport
        self._clock = clock
        self._leeway = leeway
        self._lock = asyncio.Lock()
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"OAuthTokenSource(store={self._store.description!r})"

    def _current(self) -> StoredToken:
        if self._token is None:
            token = self._store.load()
            if token is None:
                raise OAuthError("not logged in to Miro", hint="run `boardsmith auth login`")
            self._token = token
        return self._token

    @property
    def token(self) -> StoredToken:
        """The token currently in use (loaded from the store on first use)."""
        return self._current()

    async def access_token(self) -> SecretStr:
        token = self._current()
        if token.refresh_token is not None and token.expires_within(self._leeway, self._clock()):
            async with self._lock:
                token = self._current()
                if token.expires_within(self._leeway, self._clock()):
                    token = await self._refresh_locked(token)
        return token.access_token

    async def refresh(self, rejected: SecretStr) -> SecretStr | None:
        async with self._lock:
            token = self._current()
            if token.access_token.get_secret_value() != rejected.get_secret_value():
                return token.access_token  # another task refreshed while we waited
            if token.refresh_token is None or self._app is None:
                return None
            return (await self._refresh_locked(token)).access_token

    async def _refresh_locked(self, token: StoredToken) -> StoredToken:
        if self._app is None:
            raise OAuthError(
                "the Miro token has expired and cannot be refreshed: "
                "no client id/secret is configured",
                hint="set MIRO_CLIENT_ID and MIRO_CLIENT_SECRET, or run `boardsmith auth login`",
            )
        async with httpx.AsyncClient(transport=self._transport, timeout=DEFAULT_TIMEOUT) as http:
            new = await refresh_token(http, self._app, token, clock=self._clock)
        self._store.save(new)
        self._token = new
        self.refresh_count += 1
        return new
