"""Choosing where boards live: Miro itself, or the embedded emulator.

With ``MIRO_ACCESS_TOKEN`` (or ``--access-token``) or a stored ``auth login`` the
client talks to Miro at the configured API URL. Without any token it talks to an
emulator: a ``boardsmith emulator serve`` on loopback when ``MIRO_API_URL`` (or
``api_url``) points there, else in-process to the embedded emulator stored at
``<data dir>/emulator.sqlite3``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit

from boardsmith.errors import ConfigError

if TYPE_CHECKING:
    import httpx

    from boardsmith.config import Settings
    from boardsmith.emulator.app import EmulatorApp
    from boardsmith.miro import MiroClient
    from boardsmith.miro.token_source import TokenSource

BackendName = Literal["miro", "emulator", "emulator-server"]

#: The bearer token of the embedded emulator's single local user ("Name:local").
DEFAULT_EMULATOR_USER = "Facilitator"
MIRO_API_HOST = "api.miro.com"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass
class Backend:
    """An open backend: the client plus what the CLI tells the user about it."""

    client: MiroClient
    name: BackendName
    description: str
    api_url: str
    db_path: Path | None = None
    emulator: EmulatorApp | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """How messages name this backend, e.g. ``no such board on <where>``."""
        if self.name == "miro":
            return "Miro"
        if self.name == "emulator-server":
            return f"the emulator server at {self.api_url}"
        return "the embedded emulator"

    @property
    def is_emulator(self) -> bool:
        """True for the embedded emulator and a served one (no browser UI, local data)."""
        return self.name != "miro"

    def board_url(self, board_id: str) -> str | None:
        """Where to open the board in a browser (Miro only; the emulator has no UI)."""
        if self.name != "miro" or urlsplit(self.api_url).hostname != MIRO_API_HOST:
            return None
        return f"https://miro.com/app/board/{quote(board_id, safe='=')}/"


def emulator_identity(environ: Mapping[str, str]) -> str:
    """The emulator token for this machine's user: ``<name>:local``."""
    name = environ.get("BOARDSMITH_EMULATOR_USER", "").strip() or DEFAULT_EMULATOR_USER
    if ":" in name:
        raise ConfigError(f"BOARDSMITH_EMULATOR_USER: a name without ':' expected, got {name!r}")
    return f"{name}:local"


def emulator_latency_ms(environ: Mapping[str, str]) -> float:
    """Added latency per emulator request (benchmarks, kill/resume tests)."""
    raw = environ.get("BOARDSMITH_EMULATOR_LATENCY_MS", "").strip()
    if not raw:
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 60_000:
        raise ConfigError(
            f"BOARDSMITH_EMULATOR_LATENCY_MS: expected milliseconds from 0 to 60000, got {raw!r}"
        )
    return value


def _api_url_origin(settings: Settings) -> str:
    """How the user set the API URL, to name it in advice: ``MIRO_API_URL``, a file..."""
    source = settings.source_of("api_url")
    if source.startswith("file "):
        return f"api_url in {source.removeprefix('file ')}"
    if source.startswith("flag "):
        return source.removeprefix("flag ")
    return "MIRO_API_URL"


@contextlib.asynccontextmanager
async def _explained_connect(settings: Settings) -> AsyncIterator[None]:
    """Say what to do when a loopback API URL has no server or speaks no https.

    The client fails fast on both (see ``MiroClient``); only here is it known that a
    loopback URL is meant for ``boardsmith emulator serve``.
    """
    from boardsmith.miro.errors import ConnectError

    parts = urlsplit(settings.api_url)
    try:
        yield
    except ConnectError as exc:
        if parts.hostname not in _LOOPBACK_HOSTS or exc.reason is None:
            raise
        origin = _api_url_origin(settings)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if exc.reason == "refused":
            raise ConnectError(
                f"{origin} {settings.api_url}: nothing is listening there",
                method=exc.method,
                path=exc.path,
                hint=f"start the emulator with `boardsmith emulator serve --port {port}`; "
                f"without {origin} the embedded emulator is used",
                reason=exc.reason,
            ) from None
        plain = "http://" + settings.api_url.split("://", 1)[1]
        raise ConnectError(
            f"{origin} {settings.api_url}: the server does not answer in https; "
            f"`boardsmith emulator serve` speaks plain http, so use {plain}",
            method=exc.method,
            path=exc.path,
            reason=exc.reason,
        ) from None


@contextlib.asynccontextmanager
async def open_backend(
    settings: Settings,
    *,
    environ: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Backend]:
    """Open the backend the settings select and close it afterwards.

    ``transport`` replaces the network for the Miro backend (tests); ``environ``
    defaults to ``os.environ`` (``BOARDSMITH_EMULATOR_USER``,
    ``BOARDSMITH_EMULATOR_LATENCY_MS``).
    """
    from boardsmith.config import token_source_for

    env: Mapping[str, str] = os.environ if environ is None else environ
    token = token_source_for(settings, transport=transport)
    host = urlsplit(settings.api_url).hostname
    if token is not None:
        where = "Miro" if host == MIRO_API_HOST else "Miro API"
        opened = _over_http(settings, token, transport, "miro", f"{where} ({settings.api_url})")
    elif settings.source_of("api_url") != "default" and host in _LOOPBACK_HOSTS:
        # The user started `boardsmith emulator serve` and pointed us at it: talk to it
        # over HTTP as the local user. Its boards are not the embedded emulator's, so
        # it is a backend of its own (and a state namespace of its own).
        where = f"emulator server ({settings.api_url})"
        opened = _over_http(settings, emulator_identity(env), transport, "emulator-server", where)
    else:
        opened = _embedded(settings, env)
    async with opened as backend:
        yield backend


def _limits(settings: Settings) -> dict[str, Any]:
    return {
        "concurrency": settings.concurrency,
        "credits_per_minute": settings.credits_per_minute,
    }


@contextlib.asynccontextmanager
async def _over_http(
    settings: Settings,
    token: str | TokenSource,
    transport: httpx.AsyncBaseTransport | None,
    name: BackendName,
    where: str,
) -> AsyncIterator[Backend]:
    """Miro, or an emulator server, at the configured API URL."""
    from boardsmith.miro import MiroClient

    async with (
        MiroClient(
            token=token, base_url=settings.api_url, transport=transport, **_limits(settings)
        ) as client,
        _explained_connect(settings),
    ):
        yield Backend(
            client=client,
            name=name,
            description=f"backend: {where}",
            api_url=settings.api_url,
        )


@contextlib.asynccontextmanager
async def _embedded(settings: Settings, env: Mapping[str, str]) -> AsyncIterator[Backend]:
    """The embedded emulator on the data directory's database, reached in process."""
    from boardsmith.emulator import EmulatorTransport, Faults, create_app
    from boardsmith.miro import MiroClient

    identity = emulator_identity(env)
    faults = Faults(latency_ms=emulator_latency_ms(env))
    db_path = settings.emulator_db
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{db_path.parent}: cannot create data directory: {exc.strerror}"
        ) from None
    app = create_app(db_path, credits_per_minute=settings.credits_per_minute, faults=faults)
    try:
        base_url = "http://emulator.local"
        async with MiroClient(
            token=identity,
            base_url=base_url,
            transport=EmulatorTransport(app),
            **_limits(settings),
        ) as client:
            yield Backend(
                client=client,
                name="emulator",
                description=f"backend: embedded emulator ({db_path})",
                api_url=base_url,
                db_path=db_path,
                emulator=app,
            )
    finally:
        app.close()
