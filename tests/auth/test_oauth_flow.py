"""The OAuth flow against a fake Miro: authorize URL, loopback redirect, exchange,
refresh (on expiry, on 401, concurrently), token info and revoke."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from boardsmith.miro.oauth import (
    CallbackServer,
    OAuthApp,
    OAuthError,
    OAuthTokenSource,
    authorization_url,
    exchange_code,
    new_state,
    revoke_token,
    token_info,
)
from boardsmith.miro.token_source import TokenSource
from boardsmith.miro.token_store import FileTokenStore, StoredToken
from tests.auth.fake_miro import CLIENT_ID, CLIENT_SECRET, FakeMiro

API = "https://api.miro.com"
T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def make_app(redirect_uri: str = "http://127.0.0.1:8899/callback") -> OAuthApp:
    return OAuthApp(CLIENT_ID, SecretStr(CLIENT_SECRET), redirect_uri, api_url=API)


async def logged_in(fake: FakeMiro, clock: Clock) -> StoredToken:
    app = make_app()
    code = fake.issue_code(app.redirect_uri)
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        return await exchange_code(http, app, code, clock=clock)


def test_authorization_url_carries_state_and_redirect() -> None:
    state = new_state()
    assert len(state) >= 32
    assert new_state() != state
    url = authorization_url(make_app(), state, team_id="77")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://miro.com/oauth/authorize"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": "http://127.0.0.1:8899/callback",
        "state": state,
        "team_id": "77",
    }
    assert CLIENT_SECRET not in url


async def test_callback_server_returns_the_code() -> None:
    async with CallbackServer("st-1", port=0) as server:
        assert server.port > 0
        async with httpx.AsyncClient() as http:
            miss = await http.get(f"http://127.0.0.1:{server.port}/favicon.ico")
            assert miss.status_code == 404
            ok = await http.get(server.redirect_uri, params={"code": "abc", "state": "st-1"})
        assert ok.status_code == 200
        assert "close this tab" in ok.text
        assert await server.wait_for_code() == "abc"


async def test_state_mismatch_is_rejected() -> None:
    async with CallbackServer("right-state", port=0) as server:
        async with httpx.AsyncClient() as http:
            bad = await http.get(server.redirect_uri, params={"code": "abc", "state": "forged"})
        assert bad.status_code == 400
        with pytest.raises(OAuthError, match="state does not match") as info:
            await server.wait_for_code()
    assert "abc" not in str(info.value)


async def test_denied_authorization_is_reported() -> None:
    async with CallbackServer("s", port=0) as server:
        async with httpx.AsyncClient() as http:
            await http.get(server.redirect_uri, params={"error": "access_denied", "state": "s"})
        with pytest.raises(OAuthError, match="did not authorize boardsmith: access_denied"):
            await server.wait_for_code()


async def test_callback_times_out() -> None:
    async with CallbackServer("s", port=0, timeout=0.01) as server:
        with pytest.raises(OAuthError, match="no answer from Miro within"):
            await server.wait_for_code()


async def test_port_in_use_is_one_line() -> None:
    async with CallbackServer("s", port=0) as first:
        with pytest.raises(OAuthError, match=f"cannot listen on 127.0.0.1:{first.port}"):
            async with CallbackServer("s", port=first.port):
                pass


async def test_code_exchange_parses_leniently(fake: FakeMiro) -> None:
    clock = Clock()
    stored = await logged_in(fake, clock)
    assert fake.exchanges == 1
    assert fake.last_content_type.startswith("application/x-www-form-urlencoded")
    assert fake.last_form["grant_type"] == "authorization_code"
    assert fake.last_form["redirect_uri"] == "http://127.0.0.1:8899/callback"
    assert stored.access_token.get_secret_value() == fake.pairs[0].access
    assert stored.team_id == "3458764517517819000"
    assert stored.user_id == "3074457350000000042"
    assert stored.expires_at == T0 + timedelta(seconds=3599)
    assert "boards:write" in stored.scopes


async def test_code_is_single_use_and_errors_are_one_line(fake: FakeMiro) -> None:
    app = make_app()
    code = fake.issue_code(app.redirect_uri)
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        await exchange_code(http, app, code)
        with pytest.raises(OAuthError) as info:
            await exchange_code(http, app, code)
    message = str(info.value)
    assert message.startswith("exchanging the authorization code failed: POST /v1/oauth/token")
    assert "400 invalid_grant" in message
    assert "\n" not in message
    assert CLIENT_SECRET not in message
    assert code not in message


async def test_wrong_client_secret(fake: FakeMiro) -> None:
    app = OAuthApp(CLIENT_ID, SecretStr("wrong"), "http://127.0.0.1:1/callback", api_url=API)
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        with pytest.raises(OAuthError, match="401 invalid_client"):
            await exchange_code(http, app, fake.issue_code(app.redirect_uri))


async def test_non_expiring_token_has_no_expiry(fake: FakeMiro) -> None:
    fake.issue_refresh = False
    stored = await logged_in(fake, Clock())
    assert stored.expires_at is None
    assert stored.refresh_token is None


async def test_refresh_before_expiry_persists_new_pair(fake: FakeMiro, tmp_path: Path) -> None:
    clock = Clock()
    store = FileTokenStore(tmp_path / "t.json")
    store.save(await logged_in(fake, clock))
    source = OAuthTokenSource(store, make_app(), transport=fake.transport(), clock=clock)
    assert isinstance(source, TokenSource)
    first = await source.access_token()
    assert fake.refreshes == 0
    clock.now = T0 + timedelta(seconds=3599 - 60)  # inside the refresh leeway
    second = await source.access_token()
    assert fake.refreshes == 1
    assert second.get_secret_value() != first.get_secret_value()
    assert fake.live(second.get_secret_value())
    assert not fake.live(first.get_secret_value())
    saved = store.load()
    assert saved is not None
    assert saved.access_token.get_secret_value() == second.get_secret_value()
    assert saved.team_id == "3458764517517819000"
    assert saved.expires_at == clock.now + timedelta(seconds=3599)
    # A fresh source (a new run) picks the new pair from the store, no extra exchange.
    again = OAuthTokenSource(store, make_app(), transport=fake.transport(), clock=clock)
    assert (await again.access_token()).get_secret_value() == second.get_secret_value()
    assert fake.refreshes == 1


async def test_concurrent_refresh_after_401_does_one_exchange(
    fake: FakeMiro, tmp_path: Path
) -> None:
    clock = Clock()
    store = FileTokenStore(tmp_path / "t.json")
    store.save(await logged_in(fake, clock))
    fake.refresh_delay = 0.01
    source = OAuthTokenSource(store, make_app(), transport=fake.transport(), clock=clock)
    rejected = await source.access_token()
    results = await asyncio.gather(*(source.refresh(rejected) for _ in range(10)))
    assert fake.refreshes == 1
    assert source.refresh_count == 1
    values = {r.get_secret_value() for r in results if r is not None}
    assert len(values) == 1
    assert fake.live(values.pop())
    # Expiry-driven refreshes from many tasks also share one exchange.
    clock.now = T0 + timedelta(hours=2)
    tokens = await asyncio.gather(*(source.access_token() for _ in range(10)))
    assert fake.refreshes == 2
    assert len({t.get_secret_value() for t in tokens}) == 1


async def test_revoked_refresh_token_fails_cleanly(fake: FakeMiro, tmp_path: Path) -> None:
    clock = Clock()
    store = FileTokenStore(tmp_path / "t.json")
    stored = await logged_in(fake, clock)
    store.save(stored)
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        assert await revoke_token(http, make_app(), stored.access_token) is True
        assert await revoke_token(http, make_app(), stored.access_token) is False
        with pytest.raises(OAuthError, match="revoked or has expired"):
            await token_info(http, API, stored.access_token)
    source = OAuthTokenSource(store, make_app(), transport=fake.transport(), clock=clock)
    # Miro kills the refresh token with the access token.
    with pytest.raises(OAuthError) as info:
        await source.refresh(stored.access_token)
    message = str(info.value)
    assert "refreshing the Miro token failed" in message
    assert "auth login" in message
    assert stored.access_token.get_secret_value() not in message
    assert stored.refresh_token is not None
    assert stored.refresh_token.get_secret_value() not in message


async def test_refresh_without_refresh_token_returns_none(fake: FakeMiro, tmp_path: Path) -> None:
    fake.issue_refresh = False
    store = FileTokenStore(tmp_path / "t.json")
    stored = await logged_in(fake, Clock())
    store.save(stored)
    source = OAuthTokenSource(store, make_app(), transport=fake.transport())
    assert await source.refresh(stored.access_token) is None
    assert fake.refreshes == 0


async def test_refresh_needs_the_app(fake: FakeMiro, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "t.json")
    stored = await logged_in(fake, Clock())
    store.save(stored)
    source = OAuthTokenSource(store, None, transport=fake.transport())
    assert await source.refresh(stored.access_token) is None


async def test_not_logged_in(tmp_path: Path) -> None:
    source = OAuthTokenSource(FileTokenStore(tmp_path / "none.json"), make_app())
    with pytest.raises(OAuthError, match="not logged in to Miro"):
        await source.access_token()


async def test_token_info_reads_user_and_team(fake: FakeMiro) -> None:
    stored = await logged_in(fake, Clock())
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        info = await token_info(http, API, stored.access_token)
    assert info.user_name == "Ana Facilitator"
    assert info.team_name == "Vision Team"
    assert info.team_id == "3458764517517819000"
    assert info.scopes == ["boards:read", "boards:write"]
    assert stored.access_token.get_secret_value() not in repr(info)


async def test_expired_token_without_app_says_what_is_missing(
    fake: FakeMiro, tmp_path: Path
) -> None:
    clock = Clock()
    store = FileTokenStore(tmp_path / "t.json")
    store.save(await logged_in(fake, clock))
    clock.now = T0 + timedelta(hours=2)
    source = OAuthTokenSource(store, None, transport=fake.transport(), clock=clock)
    with pytest.raises(OAuthError, match="no client id/secret is configured") as info:
        await source.access_token()
    assert "MIRO_CLIENT_SECRET" in str(info.value)
    assert fake.refreshes == 0
