"""boardsmith's effective settings: flags > environment > config file > defaults.

Every value remembers where it came from (``Settings.sources``) so
``boardsmith config show`` can explain it, and every bad value raises a
:class:`~boardsmith.errors.ConfigError` (or :class:`~boardsmith.errors.UsageError`
for flags) naming the variable, the ``file:key`` or the flag.

The config file is TOML with flat top-level keys (see :data:`FILE_KEYS`), at
``BOARDSMITH_CONFIG`` or ``<platform user config dir>/config.toml``. Access tokens
are deliberately *not* accepted there: use ``boardsmith auth login`` (stored in
the token store with mode 0600) or ``MIRO_ACCESS_TOKEN``.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import platformdirs
from pydantic import BaseModel, ConfigDict, SecretStr

from boardsmith.errors import ConfigError, UsageError
from boardsmith.miro.constants import (
    DEFAULT_BASE_URL,
    DEFAULT_CONCURRENCY,
    DEFAULT_CREDITS_PER_MINUTE,
)
from boardsmith.miro.oauth import OAuthApp, OAuthTokenSource
from boardsmith.miro.token_source import StaticToken, TokenSource
from boardsmith.miro.token_store import TokenStore, open_token_store

APP_NAME = "boardsmith"
DEFAULT_API_URL = DEFAULT_BASE_URL
DEFAULT_OAUTH_PORT = 8899
TOKEN_FILE_NAME = "oauth-token.json"  # noqa: S105 (a file name)

TokenStoreKind = Literal["auto", "file", "keyring"]

#: Settings field -> environment variable.
ENV_VARS: dict[str, str] = {
    "access_token": "MIRO_ACCESS_TOKEN",
    "api_url": "MIRO_API_URL",
    "home": "BOARDSMITH_HOME",
    "team_id": "MIRO_TEAM_ID",
    "concurrency": "BOARDSMITH_CONCURRENCY",
    "credits_per_minute": "BOARDSMITH_CREDITS_PER_MINUTE",
    "client_id": "MIRO_CLIENT_ID",
    "client_secret": "MIRO_CLIENT_SECRET",
    "oauth_port": "BOARDSMITH_OAUTH_PORT",
    "token_store": "BOARDSMITH_TOKEN_STORE",
}

#: Keys accepted in the config file (every field except the access token).
FILE_KEYS: tuple[str, ...] = tuple(k for k in ENV_VARS if k != "access_token")

#: Fields whose values are secrets: never printed, never in reprs.
SECRET_FIELDS = frozenset({"access_token", "client_secret"})


class Settings(BaseModel):
    """The effective configuration of one boardsmith run.

    ``sources`` maps each field name to where its value came from: ``"default"``,
    ``"flag --name"``, ``"env NAME"`` or ``"file <path>"``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    access_token: SecretStr | None = None
    api_url: str = DEFAULT_API_URL
    home: Path
    team_id: str | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE
    client_id: str | None = None
    client_secret: SecretStr | None = None
    oauth_port: int = DEFAULT_OAUTH_PORT
    token_store: TokenStoreKind = "auto"  # noqa: S105
    config_file: Path
    token_file: Path
    sources: dict[str, str]

    def source_of(self, field: str) -> str:
        """Where ``field``'s value came from (``"default"`` when not recorded)."""
        return self.sources.get(field, "default")

    @property
    def data_dir(self) -> Path:
        """Alias of :attr:`home`: boardsmith's data directory."""
        return self.home

    @property
    def state_dir(self) -> Path:
        """Where per-board state files live."""
        return self.home / "state"

    @property
    def emulator_db(self) -> Path:
        """The embedded emulator's SQLite database."""
        return self.home / "emulator.sqlite3"

    @property
    def redirect_uri(self) -> str:
        """The OAuth redirect URI to register in the Miro app."""
        return f"http://127.0.0.1:{self.oauth_port}/callback"

    @property
    def home_is_explicit(self) -> bool:
        """True when the data directory was chosen (flag, env or file), not defaulted."""
        return self.source_of("home") != "default"


# --- parsing -----------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_api_url(value: str) -> str:
    """Normalise an API base URL; only HTTPS is allowed except on loopback hosts.

    Raises ``ValueError`` with a message the caller prefixes with the origin.
    """
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected an http(s) URL like {DEFAULT_API_URL}, got {value!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"plain http is only allowed for 127.0.0.1/localhost, got {value!r}; use https"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"expected a base URL without query, fragment or credentials: {value!r}")
    return url


def _int_in(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError(f"expected a whole number, got {value!r}")
        if isinstance(value, str):
            try:
                value = int(value.strip().replace("_", ""))
            except ValueError:
                raise ValueError(f"expected a whole number, got {value!r}") from None
        if not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}, got {value}")
        return value

    return parse


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty string")
    return value.strip()


def _team_id(value: Any) -> str:
    # TOML users may well write the id as a bare number; ids are strings everywhere else.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text(value)
    if not text.isdigit():
        raise ValueError(f"expected a numeric Miro team id, got {text!r}")
    return text


def _path(value: Any) -> Path:
    if isinstance(value, Path):
        return value.expanduser()
    return Path(_text(value)).expanduser()


def _secret(value: Any) -> SecretStr:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty string")
    return SecretStr(value.strip())


def _store_kind(value: Any) -> str:
    text = _text(value).lower()
    if text not in ("auto", "file", "keyring"):
        raise ValueError(f"expected one of auto, file, keyring, got {text!r}")
    return text


def _api_url(value: Any) -> str:
    return check_api_url(_text(value))


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "access_token": _secret,
    "api_url": _api_url,
    "home": _path,
    "team_id": _team_id,
    "concurrency": _int_in(1, 64),
    "credits_per_minute": _int_in(100, 10_000_000),
    "client_id": _text,
    "client_secret": _secret,
    "oauth_port": _int_in(1, 65535),
    "token_store": _store_kind,
}


def flag_name(field: str) -> str:
    """The CLI flag that overrides ``field``."""
    return "--" + field.replace("_", "-")


def default_config_file(env: Mapping[str, str]) -> Path:
    """``BOARDSMITH_CONFIG`` or ``<user config dir>/config.toml``."""
    explicit = env.get("BOARDSMITH_CONFIG", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def _read_file(path: Path, *, named: bool = False) -> dict[str, Any]:
    """The config file's values; ``named`` (by BOARDSMITH_CONFIG) means it must exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:
            # A typo in BOARDSMITH_CONFIG would otherwise silently drop every setting in it.
            raise ConfigError(
                f"BOARDSMITH_CONFIG names {path}, which does not exist",
                hint="create it, even empty, or unset BOARDSMITH_CONFIG",
            ) from None
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    for key in data:
        if key == "access_token":
            raise ConfigError(
                f"{path}:access_token: tokens do not belong in the config file",
                hint="run `boardsmith auth login`, or set MIRO_ACCESS_TOKEN",
            )
        if key not in FILE_KEYS:
            raise ConfigError(
                f"{path}:{key}: unknown setting", hint=f"known settings: {', '.join(FILE_KEYS)}"
            )
    return data


def _check_home(home: Path, origin: str, config_file: Path) -> None:
    """A data directory that is (or lies under) a regular file is refused by its name.

    Otherwise the first file boardsmith opens there (the token file, a state file)
    fails with "Not a directory", which names neither the setting nor the fix.
    """
    blocker = next((p for p in (home, *home.parents) if p.exists() or p.is_symlink()), None)
    if blocker is None or blocker.is_dir():
        return
    if origin.startswith("flag"):
        name = "--home"
    elif origin.startswith("file"):
        name = f"{config_file}:home"
    elif origin.startswith("env"):
        name = "BOARDSMITH_HOME"
    else:
        name = "data directory"
    where = "is a file" if blocker == home else f"is under {blocker}, which is a file"
    raise ConfigError(
        f"{name} {home}: {where}, not a directory",
        hint="point BOARDSMITH_HOME at a directory; it is created if missing",
    )


def load_settings(*, env: Mapping[str, str] | None = None, **flag_overrides: Any) -> Settings:
    """Resolve the effective settings.

    ``flag_overrides`` are keyed by field name (``api_url=...``, ``concurrency=...``);
    ``None`` means "flag not given". ``env`` defaults to ``os.environ`` (tests pass
    their own). Raises :class:`UsageError` for a bad flag and :class:`ConfigError`
    for a bad environment variable or config-file value.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    unknown = set(flag_overrides) - set(_PARSERS)
    if unknown:
        # A programming error in a CLI module, not something a user can cause.
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")

    config_file = default_config_file(environ)
    file_values = _read_file(config_file, named=bool(environ.get("BOARDSMITH_CONFIG", "").strip()))

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for field, parse in _PARSERS.items():
        flag = flag_overrides.get(field)
        env_name = ENV_VARS[field]
        env_value = environ.get(env_name)
        try:
            if flag is not None:
                origin = f"flag {flag_name(field)}"
                values[field] = parse(flag)
            elif env_value is not None and env_value.strip():
                origin = f"env {env_name}"
                values[field] = parse(env_value)
            elif field in file_values:
                origin = f"file {config_file}"
                values[field] = parse(file_values[field])
            else:
                continue
        except ValueError as exc:
            if origin.startswith("flag"):
                raise UsageError(f"{flag_name(field)}: {exc}") from None
            if origin.startswith("env"):
                shown = "invalid value" if field in SECRET_FIELDS else str(exc)
                raise ConfigError(f"{env_name}: {shown}") from None
            raise ConfigError(f"{config_file}:{field}: {exc}") from None
        sources[field] = origin

    home = values.setdefault("home", platformdirs.user_data_path(APP_NAME))
    _check_home(home, sources.get("home", "default"), config_file)
    if "home" in sources:
        token_file = home / TOKEN_FILE_NAME
        sources["token_file"] = "next to the data directory"  # noqa: S105
    else:
        token_file = platformdirs.user_config_path(APP_NAME) / TOKEN_FILE_NAME
        sources["token_file"] = "default"  # noqa: S105
    sources["config_file"] = (
        "env BOARDSMITH_CONFIG" if environ.get("BOARDSMITH_CONFIG", "").strip() else "default"
    )
    return Settings(**values, config_file=config_file, token_file=token_file, sources=sources)


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """Rows ``(setting, value, source)`` for display, with secrets redacted."""
    rows: list[tuple[str, str, str]] = []
    for field in (*ENV_VARS, "config_file", "token_file"):
        value = getattr(settings, field)
        if value is None:
            shown = "(not set)"
        elif field in SECRET_FIELDS:
            shown = "********"
        else:
            shown = str(value)
        rows.append((field, shown, settings.source_of(field)))
    return rows


def token_store_for(settings: Settings) -> TokenStore:
    """The OAuth token store these settings point at.

    ``auto`` uses the OS keyring only when the data directory is the platform
    default: an explicit ``BOARDSMITH_HOME`` keeps everything (tests, sandboxes,
    several Miro accounts) inside that directory.
    """
    kind = settings.token_store
    if kind == "auto" and settings.home_is_explicit:
        kind = "file"
    return open_token_store(settings.token_file, kind=kind, account=settings.api_url)


def oauth_app(settings: Settings, *, redirect_uri: str | None = None) -> OAuthApp | None:
    """The registered Miro app from the settings, or ``None`` when id or secret is missing."""
    if settings.client_id is None or settings.client_secret is None:
        return None
    return OAuthApp(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        redirect_uri=redirect_uri or settings.redirect_uri,
        api_url=settings.api_url,
    )


def require_oauth_app(settings: Settings, *, redirect_uri: str | None = None) -> OAuthApp:
    """Like :func:`oauth_app` but a :class:`ConfigError` saying how to configure the app."""
    app = oauth_app(settings, redirect_uri=redirect_uri)
    if app is None:
        missing = [
            name
            for name, value in (
                ("MIRO_CLIENT_ID", settings.client_id),
                ("MIRO_CLIENT_SECRET", settings.client_secret),
            )
            if value is None
        ]
        raise ConfigError(
            f"no Miro app configured: {' and '.join(missing)} not set",
            hint=f"set them in the environment or as client_id/client_secret in "
            f"{settings.config_file}; README 'Using a real Miro board' explains how",
        )
    return app


def token_source_for(
    settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
) -> TokenSource | None:
    """Where the Miro token comes from, or ``None`` (use the embedded emulator).

    ``MIRO_ACCESS_TOKEN`` (or ``--access-token``) wins over a stored OAuth login;
    ``transport`` is only for the OAuth refresh calls (tests).
    """
    if settings.access_token is not None:
        return StaticToken(settings.access_token)
    store = token_store_for(settings)
    stored = store.load()
    if stored is None:
        return None
    return OAuthTokenSource(store, oauth_app(settings), token=stored, transport=transport)


def token_origin(settings: Settings) -> str:
    """One line saying which token boardsmith will use (never the token itself)."""
    if settings.access_token is not None:
        return f"access token from {settings.source_of('access_token')}"
    store = token_store_for(settings)
    if store.load() is not None:
        return f"OAuth login stored in {store.description}"
    return "none (the embedded emulator is used)"
