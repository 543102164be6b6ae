"""``boardsmith emulator serve`` and the uvicorn server on loopback."""
# ruff: noqa: S104 - these tests check that all-interfaces addresses are refused

from __future__ import annotations

import asyncio

import httpx
import pytest

from boardsmith.cli.app import main
from boardsmith.emulator import Faults, create_app
from boardsmith.emulator.serve import is_loopback, make_server


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--host", "0.0.0.0"], "--host"),
        (["--host", "192.168.1.5"], "--host"),
        (["--rate-429", "1.5"], "--rate-429"),
        (["--fail-after-commit", "-0.1"], "--fail-after-commit"),
        (["--port", "70000"], "--port"),
        (["--credits-per-minute", "0"], "--credits-per-minute"),
    ],
)
def test_serve_rejects_bad_flags_with_one_line(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["emulator", "serve", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {flag}:")
    assert "\n" not in err


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("example.com")
    with pytest.raises(ValueError, match="non-loopback"):
        make_server(create_app(":memory:"), "0.0.0.0", 8765)


@pytest.mark.slow
async def test_server_speaks_http_and_drops_connections_after_commit() -> None:
    app = create_app(":memory:")
    server = make_server(app, "127.0.0.1", 0)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": "Bearer Ana:1"}
        ) as client:
            board = (await client.post("/v2/boards", json={"name": "Served"})).json()["id"]
            app.faults = Faults(fail_after_commit=1.0, fail_mode="drop")
            with pytest.raises(httpx.RemoteProtocolError):
                await client.post(f"/v2/boards/{board}/shapes", json={})
            app.faults = Faults()
            items = (await client.get(f"/v2/boards/{board}/items")).json()
            assert items["total"] == 1
            stats = (await client.get("/_emulator/stats")).json()
            assert stats["requests"]["POST /v2/boards/{board_id}/shapes"] == 1
    finally:
        server.should_exit = True
        await task
        app.close()
