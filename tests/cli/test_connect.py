"""``MIRO_API_URL`` at a loopback port with no server, or https against the plain-http
emulator: one line at once, naming the URL and ``boardsmith emulator serve`` (issue 16)."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The TLS hello it cannot read is expected here, not news."""


@pytest.fixture
def plain_http_port() -> Iterator[int]:
    """A plain-http server on loopback, as `boardsmith emulator serve` is."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "args",
    [["harvest", "uXjVKab12Cd="], ["create", "vision-board", "--participants", "Ana"]],
)
def test_nothing_listening_at_loopback_fails_fast_naming_url_and_serve(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    port = _free_port()
    monkeypatch.setenv("MIRO_API_URL", f"http://127.0.0.1:{port}")
    started = time.monotonic()
    code, out, err = run(*args)
    assert time.monotonic() - started < 3  # no 13 s of retries
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"error: MIRO_API_URL http://127.0.0.1:{port}: nothing is listening there "
        f"(start the emulator with `boardsmith emulator serve --port {port}`; "
        "without MIRO_API_URL the embedded emulator is used)"
    ]


def test_https_against_the_plain_http_emulator_is_a_sentence(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch, plain_http_port: int
) -> None:
    monkeypatch.setenv("MIRO_API_URL", f"https://127.0.0.1:{plain_http_port}")
    started = time.monotonic()
    code, out, err = run("tally", "uXjVKab12Cd=")
    assert time.monotonic() - started < 3
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"error: MIRO_API_URL https://127.0.0.1:{plain_http_port}: the server does not answer "
        "in https; `boardsmith emulator serve` speaks plain http, so use "
        f"http://127.0.0.1:{plain_http_port}"
    ]
