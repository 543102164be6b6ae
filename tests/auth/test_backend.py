"""Backend selection: embedded emulator without a token, Miro with one, and the real
MiroClient refreshing an OAuth token once after a 401."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from boardsmith.cli.backend import emulator_identity, emulator_latency_ms, open_backend
from boardsmith.config import load_settings
from boardsmith.errors import ConfigError
from boardsmith.miro import AuthenticationError
from boardsmith.miro.token_store import FileTokenStore, StoredToken
from tests.auth.fake_miro import CLIENT_ID, CLIENT_SECRET, FakeMiro


async def test_no_token_means_embedded_emulator(env: dict[str, str], home: Path) -> None:
    settings = load_settings(env=env, concurrency=3)
    async with open_backend(settings, environ={}) as backend:
        assert backend.name == "emulator"
        assert backend.db_path == home / "emulator.sqlite3"
        assert backend.description == f"backend: embedded emulator ({home / 'emulator.sqlite3'})"
        board = await backend.client.boards.create(name="Vision")
        assert backend.board_url(board.id) is None
        assert board.owner is not None
        assert board.owner.name == "Facilitator"
    # Boards persist in the data directory across runs.
    async with open_backend(settings, environ={}) as again:
        assert (await again.client.boards.get(board.id)).name == "Vision"
    assert (home / "emulator.sqlite3").exists()


async def test_emulator_user_and_latency_from_env(env: dict[str, str]) -> None:
    environ = {"BOARDSMITH_EMULATOR_USER": "Ana", "BOARDSMITH_EMULATOR_LATENCY_MS": "0.5"}
    async with open_backend(load_settings(env=env), environ=environ) as backend:
        assert backend.emulator is not None
        assert backend.emulator.faults.latency_ms == 0.5
        board = await backend.client.boards.create(name="Mine")
        assert board.owner is not None
        assert board.owner.name == "Ana"


def test_emulator_env_validation() -> None:
    assert emulator_identity({}) == "Facilitator:local"
    assert emulator_identity({"BOARDSMITH_EMULATOR_USER": " Ben "}) == "Ben:local"
    with pytest.raises(ConfigError, match="BOARDSMITH_EMULATOR_USER"):
        emulator_identity({"BOARDSMITH_EMULATOR_USER": "a:b"})
    assert emulator_latency_ms({"BOARDSMITH_EMULATOR_LATENCY_MS": "25"}) == 25
    with pytest.raises(ConfigError, match="BOARDSMITH_EMULATOR_LATENCY_MS: expected"):
        emulator_latency_ms({"BOARDSMITH_EMULATOR_LATENCY_MS": "slow"})


async def test_access_token_selects_miro(env: dict[str, str], fake: FakeMiro) -> None:
    pair = fake.new_pair()
    env["MIRO_ACCESS_TOKEN"] = pair.access
    settings = load_settings(env=env)
    async with open_backend(settings, environ={}, transport=fake.transport()) as backend:
        assert backend.name == "miro"
        assert backend.db_path is None
        assert backend.description == "backend: Miro (https://api.miro.com)"
        assert backend.board_url("uXjVOD6LSME=") == "https://miro.com/app/board/uXjVOD6LSME=/"
        assert [b async for b in backend.client.boards.list()] == []
        assert pair.access not in repr(backend) + backend.description
    assert fake.api_requests == [pair.access]


def stored_login(fake: FakeMiro, home: Path, *, expires_at: datetime) -> FileTokenStore:
    pair = fake.new_pair()
    store = FileTokenStore(home / "oauth-token.json")
    store.save(
        StoredToken(
            access_token=SecretStr(pair.access),
            refresh_token=SecretStr(pair.refresh),
            expires_at=expires_at,
            scope="boards:read boards:write",
            team_id="3458764517517819000",
        )
    )
    return store


async def test_stored_login_refreshes_once_after_401(
    env: dict[str, str], home: Path, fake: FakeMiro, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    env["MIRO_CLIENT_ID"] = CLIENT_ID
    env["MIRO_CLIENT_SECRET"] = CLIENT_SECRET
    # Our clock says the token is fine for an hour, but Miro already expired it.
    store = stored_login(fake, home, expires_at=datetime.now(UTC) + timedelta(hours=1))
    stale = fake.pairs[0].access
    fake.expired.add(stale)
    async with open_backend(load_settings(env=env), environ={}, transport=fake.transport()) as b:
        assert b.name == "miro"
        assert [x async for x in b.client.boards.list()] == []
    assert fake.refreshes == 1
    assert fake.api_requests[0] == stale
    assert fake.api_requests[1] == fake.pairs[1].access
    saved = store.load()
    assert saved is not None
    assert saved.access_token.get_secret_value() == fake.pairs[1].access
    on_disk = json.loads((home / "oauth-token.json").read_text())
    assert on_disk["refresh_token"] == fake.pairs[1].refresh
    assert "token rejected" in caplog.text  # the client logged the refresh...
    for pair in fake.pairs:  # ...without any token in its log lines
        assert pair.access not in caplog.text
        assert pair.refresh not in caplog.text
    assert CLIENT_SECRET not in caplog.text


async def test_stored_login_refreshes_before_expiry(
    env: dict[str, str], home: Path, fake: FakeMiro
) -> None:
    env["MIRO_CLIENT_ID"] = CLIENT_ID
    env["MIRO_CLIENT_SECRET"] = CLIENT_SECRET
    stored_login(fake, home, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    async with open_backend(load_settings(env=env), environ={}, transport=fake.transport()) as b:
        assert [x async for x in b.client.boards.list()] == []
    assert fake.refreshes == 1
    assert fake.api_requests == [fake.pairs[1].access]


async def test_401_without_refresh_reaches_the_caller(
    env: dict[str, str], home: Path, fake: FakeMiro
) -> None:
    # No client id/secret configured: the token cannot be refreshed.
    stored_login(fake, home, expires_at=datetime.now(UTC) + timedelta(hours=1))
    fake.pairs[0].alive = False
    async with open_backend(load_settings(env=env), environ={}, transport=fake.transport()) as b:
        with pytest.raises(AuthenticationError) as info:
            _ = [x async for x in b.client.boards.list()]
    assert fake.refreshes == 0
    assert fake.pairs[0].access not in str(info.value)
    assert len(fake.api_requests) == 1


async def test_no_token_and_a_loopback_api_url_means_the_served_emulator(
    env: dict[str, str],
) -> None:
    from boardsmith.emulator import EmulatorTransport, create_app

    served = create_app(":memory:")
    env = {**env, "MIRO_API_URL": "http://127.0.0.1:8765"}
    try:
        settings = load_settings(env=env)
        async with open_backend(
            settings, environ={}, transport=EmulatorTransport(served)
        ) as backend:
            assert backend.name == "emulator-server"
            assert backend.is_emulator
            assert backend.description == "backend: emulator server (http://127.0.0.1:8765)"
            assert backend.emulator is None
            board = await backend.client.boards.create(name="Served")
            assert backend.board_url(board.id) is None
        # The board lives in the served emulator, as the local user.
        assert served.stats()["requests"] == {"POST /v2/boards": 1}
        assert served.store.get_board(board.id) is not None
    finally:
        served.close()


async def test_a_non_loopback_api_url_without_token_still_uses_the_embedded_emulator(
    env: dict[str, str],
) -> None:
    settings = load_settings(env={**env, "MIRO_API_URL": "https://api.example.com"})
    async with open_backend(settings, environ={}) as backend:
        assert backend.name == "emulator"
