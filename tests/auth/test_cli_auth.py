"""``boardsmith auth login/status/logout`` and ``config show`` end to end against a fake
Miro, grepping every output, log and file for the secrets."""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from boardsmith.cli import auth as cli_auth
from tests.auth.fake_miro import CLIENT_ID, CLIENT_SECRET, FakeMiro
from tests.cli_helpers import run_cli as run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def miro(
    fake: FakeMiro, isolated_environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> FakeMiro:
    """A fake Miro wired into the CLI, a registered app, and a browser that says yes."""
    monkeypatch.setattr(cli_auth, "HTTP_TRANSPORT", fake.transport())
    monkeypatch.setenv("MIRO_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("MIRO_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("BOARDSMITH_OAUTH_PORT", str(free_port()))

    def browser(url: str) -> bool:
        # Plays the user clicking "Allow" and Miro redirecting to the loopback server.
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        code = fake.issue_code(query["redirect_uri"])
        response = httpx.get(query["redirect_uri"], params={"code": code, "state": query["state"]})
        assert response.status_code == 200
        return True

    monkeypatch.setattr("webbrowser.open", browser)
    return fake


def secrets_of(fake: FakeMiro) -> list[str]:
    return [CLIENT_SECRET] + [p.access for p in fake.pairs] + [p.refresh for p in fake.pairs]


def assert_nothing_leaks(fake: FakeMiro, texts: list[str], home: Path, token_file: Path) -> None:
    secrets = secrets_of(fake)
    assert len(secrets) > 1
    for text in texts:
        for secret in secrets:
            assert secret not in text
    for path in home.rglob("*"):
        if path.is_file() and path != token_file:
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, path


def test_login_status_logout_end_to_end(
    miro: FakeMiro,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    token_file = home / "oauth-token.json"
    outputs: list[str] = []

    code, out, err = run(capsys, "auth", "login")
    outputs += [out, err]
    assert code == 0, err
    assert miro.exchanges == 1
    assert "Logged in to Miro as Ana Facilitator (team Vision Team)" in out
    assert str(token_file) in out
    assert "https://miro.com/oauth/authorize?" in out  # printed for copy/paste
    if sys.platform != "win32":
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    stored = json.loads(token_file.read_text())
    assert stored["access_token"] == miro.pairs[0].access
    assert stored["team_id"] == "3458764517517819000"

    code, out, err = run(capsys, "auth", "status")
    outputs += [out, err]
    assert code == 0, err
    assert "Ana Facilitator" in out
    assert "Vision Team (3458764517517819000)" in out
    assert "boards:read boards:write" in out
    assert "(in 59 min)" in out or "(in 58 min)" in out

    code, out, err = run(capsys, "auth", "status", "--json")
    outputs += [out, err]
    assert json.loads(out)["team"] == "Vision Team (3458764517517819000)"

    code, out, err = run(capsys, "config", "show")
    outputs += [out, err]
    assert code == 0
    assert f"OAuth login stored in {token_file}" in out
    assert "client_secret" in out
    assert "********" in out

    code, out, err = run(capsys, "auth", "logout")
    outputs += [out, err]
    assert code == 0, err
    assert "revoked at Miro" in out
    assert not token_file.exists()
    assert not miro.live(miro.pairs[0].access)
    assert miro.revocations == 1

    code, out, err = run(capsys, "auth", "status")
    outputs += [out, err]
    assert code == 1
    assert err.strip().splitlines() == [
        "error: not logged in to Miro (boardsmith uses the embedded emulator) "
        "(run `boardsmith auth login` or set MIRO_ACCESS_TOKEN)"
    ]
    outputs.append(caplog.text)
    assert_nothing_leaks(miro, outputs, home, token_file)


def test_status_refreshes_an_expired_login(
    miro: FakeMiro, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    miro.expires_in = 30  # inside the refresh leeway: the next use refreshes
    assert run(capsys, "auth", "login")[0] == 0
    first = miro.pairs[0]
    code, out, err = run(capsys, "auth", "status")
    assert code == 0, err
    assert miro.refreshes == 1
    assert not miro.live(first.access)
    stored = json.loads((home / "oauth-token.json").read_text())
    assert stored["access_token"] == miro.pairs[1].access
    assert stored["refresh_token"] == miro.pairs[1].refresh
    assert_nothing_leaks(miro, [out, err], home, home / "oauth-token.json")


def test_revoked_login_is_one_line(
    miro: FakeMiro, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "auth", "login")[0] == 0
    miro.pairs[0].alive = False  # revoked from Miro's side
    code, out, err = run(capsys, "auth", "status")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "revoked or has expired" in lines[0]
    code, out, err = run(capsys, "auth", "logout")
    assert code == 0, err
    assert "already unknown to Miro" in out
    assert_nothing_leaks(miro, [out, err], home, home / "oauth-token.json")


def test_login_without_app_config_says_how(
    isolated_environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "auth", "login", "--no-browser")
    assert code == 1
    assert err.startswith("error: no Miro app configured: MIRO_CLIENT_ID and MIRO_CLIENT_SECRET")
    assert "Using a real Miro board" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_loose_token_file_refused_by_cli(
    miro: FakeMiro, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "auth", "login")[0] == 0
    token_file = home / "oauth-token.json"
    os.chmod(token_file, 0o644)
    code, out, err = run(capsys, "auth", "status")
    assert code == 1
    assert f"chmod 600 {token_file}" in err
    assert len(err.strip().splitlines()) == 1
    assert_nothing_leaks(miro, [out, err], home, token_file)


def test_logout_when_not_logged_in(
    isolated_environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "auth", "logout")
    assert code == 0
    assert "nothing to do" in out


def test_config_show_plain_and_json(
    isolated_environ: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path(isolated_environ["BOARDSMITH_CONFIG"]).write_text("concurrency = 4\n")
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", "tok-TOPSECRET-123")
    monkeypatch.setenv("BOARDSMITH_CREDITS_PER_MINUTE", "50000")
    code, out, err = run(capsys, "config", "show")
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["concurrency"].split()[1] == "4"
    assert lines["concurrency"].endswith(f"[file {isolated_environ['BOARDSMITH_CONFIG']}]")
    assert lines["credits_per_minute"].endswith("[env BOARDSMITH_CREDITS_PER_MINUTE]")
    assert lines["api_url"].endswith("[default]")
    assert "access token from env MIRO_ACCESS_TOKEN" in lines["token"]
    code, jout, err = run(capsys, "config", "show", "--json")
    data = json.loads(jout)
    assert data["access_token"] == {"value": "********", "source": "env MIRO_ACCESS_TOKEN"}
    assert data["credits_per_minute"]["value"] == "50000"
    assert "TOPSECRET" not in out + err + jout


def test_config_show_bad_env_is_one_line(
    isolated_environ: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MIRO_API_URL", "http://api.example.com")
    code, _, err = run(capsys, "config", "show")
    assert code == 1
    assert err.strip().splitlines() == [
        "error: MIRO_API_URL: plain http is only allowed for 127.0.0.1/localhost, "
        "got 'http://api.example.com'; use https"
    ]
