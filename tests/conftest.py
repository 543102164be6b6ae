"""Shared fixtures: the embedded emulator, a MiroClient factory wired to it, and the
session-wide conformance recorder.

Every request that goes through :class:`boardsmith.emulator.EmulatorTransport` during
the suite has its response validated against the response schema of that operation
in Miro's OpenAPI spec (``tests/spec``). A violation fails the test that produced
the response (at its teardown) with one line per problem.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from boardsmith.emulator import EmulatorApp, EmulatorTransport, create_app
from tests.cli_helpers import ISOLATED_ENV, Run

if TYPE_CHECKING:
    from boardsmith.miro import MiroClient

MakeClient = Callable[..., Awaitable["MiroClient"]]


class ConformanceRecorder:
    """Checks emulator responses against the spec and keeps the problems per test."""

    def __init__(self) -> None:
        self.current: str = "<outside any test>"
        self.problems: list[str] = []
        self.orphans: list[str] = []
        self.checked = 0

    def start(self, test_id: str) -> None:
        """Attribute the following responses to ``test_id``."""
        # Problems seen outside a test (e.g. in a module-scoped fixture) are kept for
        # the end-of-session check instead of being attributed to the next test.
        self.orphans.extend(f"{self.current}: {p}" for p in self.problems)
        self.current = test_id
        self.problems = []

    def finish(self) -> list[str]:
        """The problems seen since :meth:`start`."""
        problems, self.problems = self.problems, []
        self.current = "<outside any test>"
        return problems

    def check(self, request: httpx.Request, status: int, content: bytes) -> None:
        """Validate one exchange; record a readable line per violation."""
        import json

        from tests import spec

        path = request.url.path
        if path.startswith("/_emulator/"):
            return
        self.checked += 1
        where = f"{request.method} {path} -> {status}"
        query = dict(request.url.params)
        try:
            key, _ = spec.find_operation(request.method, request.url.raw_path.decode(), query)
        except KeyError:
            # Paths outside Miro's API can only answer with an error body.
            key = None
        schema: Any
        try:
            schema = (
                spec.response_schema(request.method, key, status)
                if key is not None
                else {"$ref": "urn:miro-openapi#/components/schemas/Error"}
            )
        except KeyError:
            if status < 400:
                self.problems.append(f"{where}: status not documented for this operation")
                return
            # Undocumented error statuses (401, 405, injected 500s) use Miro's error body.
            schema = {"$ref": "urn:miro-openapi#/components/schemas/Error"}
        if schema is None or status == 204:
            # 204 never has a body, whatever schema the spec attaches to it.
            if content.strip():
                self.problems.append(f"{where}: expected no body, got {content[:80]!r}")
            return
        try:
            body = json.loads(content)
        except ValueError:
            self.problems.append(f"{where}: body is not JSON: {content[:80]!r}")
            return
        if status == 429 and body.get("context", 0) is None:
            # Miro's documented 429 body carries "context": null.
            body = {k: v for k, v in body.items() if k != "context"}
        for error in spec.validation_errors(schema, body):
            self.problems.append(f"{where}: {error}")


_RECORDER = ConformanceRecorder()


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Point boardsmith's home and config at a fresh temp dir and drop Miro settings."""
    for name in ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("boardsmith-home")
    monkeypatch.setenv("BOARDSMITH_HOME", str(home))
    (home / "config.toml").touch()  # a named config file must exist; empty is fine
    monkeypatch.setenv("BOARDSMITH_CONFIG", str(home / "config.toml"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory for the command under test (the embedded emulator and the
    per-board state live in it; it is created on first use) and no config file."""
    path = tmp_path / "home"
    monkeypatch.setenv("BOARDSMITH_HOME", str(path))
    # No named config file: the default one, under an empty XDG_CONFIG_HOME, is absent.
    monkeypatch.delenv("BOARDSMITH_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return path


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(*args)`` -> (exit code, stdout, stderr) of one in-process ``boardsmith`` command."""
    return Run(capsys)


@pytest.fixture(scope="session", autouse=True)
def _conformance_recorder() -> Iterator[ConformanceRecorder]:
    """Wrap EmulatorTransport for the whole session so every response is checked."""
    original = EmulatorTransport.handle_async_request

    async def recorded(self: EmulatorTransport, request: httpx.Request) -> httpx.Response:
        response = await original(self, request)
        content = await response.aread()
        _RECORDER.check(request, response.status_code, content)
        # A fresh response: the body was consumed above, the client reads it again.
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=content,
            request=request,
            extensions=response.extensions,
        )

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(EmulatorTransport, "handle_async_request", recorded)
        yield _RECORDER


@pytest.fixture(autouse=True)
def _fail_on_nonconforming_responses(
    request: pytest.FixtureRequest, _conformance_recorder: ConformanceRecorder
) -> Iterator[None]:
    """Fail the test that received a response violating Miro's spec."""
    _conformance_recorder.start(request.node.nodeid)
    yield
    problems = _conformance_recorder.finish()
    if problems:
        pytest.fail(
            "emulator responses violate Miro's OpenAPI spec:\n" + "\n".join(problems[:20]),
            pytrace=False,
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run for nonconforming responses no single test could own."""
    _RECORDER.start("<session end>")
    if _RECORDER.orphans:
        print("\nemulator responses outside tests violate Miro's OpenAPI spec:")
        for line in _RECORDER.orphans[:20]:
            print("  " + line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def emulator_app() -> Iterator[EmulatorApp]:
    """A fresh in-memory emulator per test."""
    app = create_app(":memory:")
    yield app
    app.close()


@pytest.fixture
async def make_client(
    emulator_app: EmulatorApp,
) -> AsyncIterator[MakeClient]:
    """``await make_client(token="Facilitator:1", **kwargs)`` -> an open ``MiroClient``
    talking to ``emulator_app`` in-process; every client is closed at teardown."""
    from boardsmith.miro import MiroClient

    clients: list[MiroClient] = []

    async def factory(token: str = "Facilitator:1", **client_kwargs: Any) -> MiroClient:  # noqa: S107
        client_kwargs.setdefault("transport", EmulatorTransport(emulator_app))
        client = MiroClient(token=token, **client_kwargs)
        await client.__aenter__()
        clients.append(client)
        return client

    yield factory
    for client in reversed(clients):
        await client.__aexit__(None, None, None)
