"""Settings precedence (flags > env > file > defaults), validation and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardsmith.config import (
    DEFAULT_API_URL,
    describe,
    load_settings,
    require_oauth_app,
    token_store_for,
)
from boardsmith.errors import ConfigError, UsageError
from boardsmith.miro.constants import DEFAULT_CONCURRENCY
from boardsmith.miro.token_store import FileTokenStore


def write_config(env: dict[str, str], text: str) -> Path:
    path = Path(env["BOARDSMITH_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_configured(env: dict[str, str], home: Path) -> None:
    settings = load_settings(env=env)
    assert settings.api_url == DEFAULT_API_URL
    assert settings.concurrency == DEFAULT_CONCURRENCY
    assert settings.access_token is None
    assert settings.source_of("api_url") == "default"
    assert settings.home == home
    assert settings.source_of("home") == "env BOARDSMITH_HOME"
    assert settings.emulator_db == home / "emulator.sqlite3"
    assert settings.state_dir == home / "state"
    # An explicit home keeps the token file inside it.
    assert settings.token_file == home / "oauth-token.json"


def test_flags_beat_env_beat_file(env: dict[str, str]) -> None:
    cfg = write_config(env, 'concurrency = 3\napi_url = "https://file.example"\nteam_id = "11"\n')
    env["BOARDSMITH_CONCURRENCY"] = "5"
    env["MIRO_API_URL"] = "https://env.example/"
    settings = load_settings(env=env, concurrency=7)
    assert settings.concurrency == 7
    assert settings.source_of("concurrency") == "flag --concurrency"
    assert settings.api_url == "https://env.example"
    assert settings.source_of("api_url") == "env MIRO_API_URL"
    assert settings.team_id == "11"
    assert settings.source_of("team_id") == f"file {cfg}"
    assert settings.credits_per_minute == 100_000
    assert settings.source_of("credits_per_minute") == "default"


def test_none_flag_means_not_given(env: dict[str, str]) -> None:
    env["BOARDSMITH_CONCURRENCY"] = "5"
    assert load_settings(env=env, concurrency=None).concurrency == 5


def test_empty_env_value_is_unset(env: dict[str, str]) -> None:
    env["MIRO_ACCESS_TOKEN"] = "  "
    assert load_settings(env=env).access_token is None


def test_team_id_as_toml_number_becomes_string(env: dict[str, str]) -> None:
    write_config(env, "team_id = 3458764517517819000\n")
    assert load_settings(env=env).team_id == "3458764517517819000"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BOARDSMITH_CONCURRENCY", "many", "BOARDSMITH_CONCURRENCY: expected a whole number"),
        ("BOARDSMITH_CONCURRENCY", "0", "BOARDSMITH_CONCURRENCY: expected a number from 1"),
        ("BOARDSMITH_CREDITS_PER_MINUTE", "-5", "BOARDSMITH_CREDITS_PER_MINUTE: expected"),
        ("MIRO_TEAM_ID", "team-a", "MIRO_TEAM_ID: expected a numeric Miro team id"),
        ("MIRO_API_URL", "ftp://x", "MIRO_API_URL: expected an http(s) URL"),
        ("BOARDSMITH_TOKEN_STORE", "vault", "BOARDSMITH_TOKEN_STORE: expected one of"),
    ],
)
def test_bad_env_value_names_the_variable(
    env: dict[str, str], name: str, value: str, expected: str
) -> None:
    env[name] = value
    with pytest.raises(ConfigError) as info:
        load_settings(env=env)
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_bad_file_value_names_file_and_key(env: dict[str, str]) -> None:
    cfg = write_config(env, 'concurrency = "lots"\n')
    with pytest.raises(ConfigError, match=r"^.*config\.toml:concurrency: expected a whole") as info:
        load_settings(env=env)
    assert str(info.value).startswith(f"{cfg}:concurrency:")


def test_bad_flag_is_a_usage_error_naming_the_flag(env: dict[str, str]) -> None:
    with pytest.raises(UsageError) as info:
        load_settings(env=env, concurrency=1000)
    assert str(info.value).startswith("--concurrency: expected a number from 1 to 64")


def test_unknown_key_and_token_in_file_are_refused(env: dict[str, str]) -> None:
    cfg = write_config(env, "colour = 'red'\n")
    with pytest.raises(ConfigError, match="colour: unknown setting"):
        load_settings(env=env)
    write_config(env, "access_token = 'abc'\n")
    with pytest.raises(ConfigError) as info:
        load_settings(env=env)
    assert str(info.value).startswith(f"{cfg}:access_token:")
    assert "auth login" in str(info.value)
    assert "abc" not in str(info.value)


def test_invalid_toml_is_one_line(env: dict[str, str]) -> None:
    write_config(env, "concurrency = = 3\n")
    with pytest.raises(ConfigError, match="invalid TOML") as info:
        load_settings(env=env)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "url", ["http://api.miro.com", "http://10.0.0.5:8080", "http://example.com/v2"]
)
def test_plain_http_only_on_loopback(env: dict[str, str], url: str) -> None:
    env["MIRO_API_URL"] = url
    with pytest.raises(ConfigError, match="MIRO_API_URL: plain http is only allowed"):
        load_settings(env=env)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:9/", "http://[::1]:8"])
def test_loopback_http_is_allowed(env: dict[str, str], url: str) -> None:
    env["MIRO_API_URL"] = url
    assert load_settings(env=env).api_url == url.rstrip("/")


def test_secrets_never_in_repr_or_describe(env: dict[str, str]) -> None:
    env["MIRO_ACCESS_TOKEN"] = "tok-VERYSECRET"
    env["MIRO_CLIENT_SECRET"] = "cs-VERYSECRET"
    settings = load_settings(env=env)
    assert settings.access_token is not None
    assert settings.access_token.get_secret_value() == "tok-VERYSECRET"
    text = repr(settings) + str(settings) + repr(describe(settings))
    assert "VERYSECRET" not in text
    rows = {row[0]: row for row in describe(settings)}
    assert rows["access_token"] == ("access_token", "********", "env MIRO_ACCESS_TOKEN")
    assert rows["client_id"][1] == "(not set)"


def test_oauth_app_requires_id_and_secret(env: dict[str, str]) -> None:
    env["MIRO_CLIENT_ID"] = "123"
    with pytest.raises(ConfigError, match="MIRO_CLIENT_SECRET not set"):
        require_oauth_app(load_settings(env=env))
    env["MIRO_CLIENT_SECRET"] = "s"
    app = require_oauth_app(load_settings(env=env, oauth_port=9001))
    assert app.redirect_uri == "http://127.0.0.1:9001/callback"
    assert app.token_url == "https://api.miro.com/v1/oauth/token"


def test_explicit_home_uses_file_store_inside_it(env: dict[str, str], home: Path) -> None:
    store = token_store_for(load_settings(env=env))
    assert isinstance(store, FileTokenStore)
    assert store.path == home / "oauth-token.json"


def test_default_home_keeps_token_in_platform_config_dir(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from boardsmith.miro import token_store as ts
    from boardsmith.miro.token_store import KeyringTokenStore

    del env["BOARDSMITH_HOME"]
    settings = load_settings(env=env)
    assert settings.home == platformdirs.user_data_path("boardsmith")
    assert settings.source_of("home") == "default"
    assert settings.token_file == platformdirs.user_config_path("boardsmith") / "oauth-token.json"
    # With the default home, "auto" prefers a working OS keyring (never when home is explicit).
    monkeypatch.setattr(ts, "usable_keyring", lambda: object())
    if not settings.token_file.exists():
        assert isinstance(token_store_for(settings), KeyringTokenStore)
    file_only = load_settings(env={**env, "BOARDSMITH_TOKEN_STORE": "file"})
    assert isinstance(token_store_for(file_only), FileTokenStore)


def test_a_config_file_named_by_boardsmith_config_must_exist(
    env: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "typo" / "config.tomll"
    with pytest.raises(ConfigError) as caught:
        load_settings(env={**env, "BOARDSMITH_CONFIG": str(missing)})
    assert str(caught.value) == (
        f"BOARDSMITH_CONFIG names {missing}, which does not exist "
        "(create it, even empty, or unset BOARDSMITH_CONFIG)"
    )
    # The default location may be absent: that just means "no config file".
    without = {k: v for k, v in env.items() if k != "BOARDSMITH_CONFIG"}
    settings = load_settings(env=without)
    assert settings.concurrency == DEFAULT_CONCURRENCY
