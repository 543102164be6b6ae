"""``emulator serve`` on a port in use says only that (issue 16)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import Run


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_port_in_use_is_one_line_and_no_banner(home: Path, run: Run, taken_port: int) -> None:
    code, out, err = run("emulator", "serve", "--port", str(taken_port))
    assert code == 2
    assert out == ""  # no "Miro emulator on http://..." first
    assert err.strip().splitlines() == [
        f"error: --port {taken_port}: already in use on 127.0.0.1 "
        "(another `boardsmith emulator serve`?); stop it or choose another port"
    ]
    # Refused before the database was opened.
    assert not (home / "emulator.sqlite3").exists()


@pytest.mark.slow
def test_serve_still_answers_on_its_own_socket(home: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "boardsmith", "emulator", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        answer = None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = httpx.get(
                    f"http://127.0.0.1:{port}/v2/boards",
                    headers={"Authorization": "Bearer Facilitator:local"},
                )
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer is not None
        assert answer.status_code == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    # The banner is a message for the user: stderr, leaving stdout for data.
    assert out == ""
    assert f"Miro emulator on http://127.0.0.1:{port} " in err
