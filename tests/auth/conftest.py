"""Fixtures for the auth/config tests: an isolated environment and a fake Miro."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.auth.fake_miro import FakeMiro
from tests.cli_helpers import ISOLATED_ENV


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def env(tmp_path: Path, home: Path) -> dict[str, str]:
    """An environment that points every boardsmith path into ``tmp_path``."""
    config = tmp_path / "config.toml"
    config.touch()  # BOARDSMITH_CONFIG must name a file that exists (it may be empty)
    return {"BOARDSMITH_HOME": str(home), "BOARDSMITH_CONFIG": str(config)}


@pytest.fixture
def isolated_environ(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> dict[str, str]:
    """Like ``env`` but applied to ``os.environ`` (for CLI tests), Miro variables cleared."""
    for name in ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def fake() -> FakeMiro:
    return FakeMiro()
