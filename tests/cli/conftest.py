"""Running the ``boardsmith`` CLI in-process as a user would, on the embedded emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardsmith.cli.app import main


class Run:
    """``run(*args)`` -> (exit code, stdout, stderr) of one ``boardsmith`` command."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self._capsys.readouterr()
        return code, out, err


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory (the embedded emulator lives in it) and no config file."""
    monkeypatch.setenv("BOARDSMITH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BOARDSMITH_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "home"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(capsys)
