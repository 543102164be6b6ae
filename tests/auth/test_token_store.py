"""The token store: 0600 file, atomic writes, refusing loose permissions, keyring option."""

from __future__ import annotations

import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from boardsmith.errors import ConfigError
from boardsmith.miro import token_store as ts
from boardsmith.miro.token_store import (
    FileTokenStore,
    KeyringTokenStore,
    StoredToken,
    open_token_store,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def token(access: str = "acc-SECRET-1", refresh: str | None = "ref-SECRET-1") -> StoredToken:
    return StoredToken(
        access_token=SecretStr(access),
        refresh_token=SecretStr(refresh) if refresh else None,
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        scope="boards:read boards:write",
        team_id="3458764517517819000",
    )


def test_round_trip_and_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "oauth-token.json"
    store = FileTokenStore(path)
    assert store.load() is None
    store.save(token())
    loaded = store.load()
    assert loaded is not None
    assert loaded.access_token.get_secret_value() == "acc-SECRET-1"
    assert loaded.refresh_token is not None
    assert loaded.refresh_token.get_secret_value() == "ref-SECRET-1"
    assert loaded.expires_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert loaded.scopes == ["boards:read", "boards:write"]
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # No temp files left behind by the atomic write.
    assert [p.name for p in path.parent.iterdir()] == ["oauth-token.json"]


def test_reprs_hide_secrets(tmp_path: Path) -> None:
    text = repr(token()) + str(token()) + repr(FileTokenStore(tmp_path / "t.json"))
    assert "SECRET" not in text


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_loose_permissions_are_refused_with_the_fix(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "oauth-token.json"
    store = FileTokenStore(path)
    store.save(token())
    os.chmod(path, mode)
    with pytest.raises(ConfigError) as info:
        store.load()
    message = str(info.value)
    assert f"chmod 600 {path}" in message
    assert f"{mode:04o}" in message
    assert "SECRET" not in message
    os.chmod(path, 0o600)
    assert store.load() is not None


def test_overwrite_replaces_the_pair(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "t.json")
    store.save(token())
    store.save(token("acc-SECRET-2", "ref-SECRET-2"))
    loaded = store.load()
    assert loaded is not None
    assert loaded.access_token.get_secret_value() == "acc-SECRET-2"


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileTokenStore(tmp_path / "t.json")
    store.save(token())

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ConfigError, match="cannot write token file: No space left"):
        store.save(token("acc-SECRET-2", "ref-SECRET-2"))
    monkeypatch.undo()
    loaded = store.load()
    assert loaded is not None
    assert loaded.access_token.get_secret_value() == "acc-SECRET-1"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_corrupt_file_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("{not json", encoding="utf-8")
    os.chmod(path, 0o600)
    with pytest.raises(ConfigError, match="stored Miro token is unreadable") as info:
        FileTokenStore(path).load()
    assert "\n" not in str(info.value)


def test_delete(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "t.json")
    assert store.delete() is False
    store.save(token())
    assert store.delete() is True
    assert store.load() is None


class FakeKeyring:
    def __init__(self) -> None:
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, account: str) -> str | None:
        return self.data.get((service, account))

    def set_password(self, service: str, account: str, value: str) -> None:
        self.data[(service, account)] = value

    def delete_password(self, service: str, account: str) -> None:
        del self.data[(service, account)]


def test_keyring_store_round_trip() -> None:
    keyring = FakeKeyring()
    store = KeyringTokenStore(keyring, "https://api.miro.com")
    assert store.load() is None
    store.save(token())
    loaded = store.load()
    assert loaded is not None
    assert loaded.access_token.get_secret_value() == "acc-SECRET-1"
    assert "SECRET" not in store.description + repr(store)
    assert store.delete() is True
    assert store.delete() is False


def test_open_token_store_choices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.json"
    monkeypatch.setattr(ts, "usable_keyring", lambda: None)
    assert isinstance(open_token_store(path, kind="auto"), FileTokenStore)
    with pytest.raises(ConfigError, match="no usable OS keyring"):
        open_token_store(path, kind="keyring")
    keyring = FakeKeyring()
    monkeypatch.setattr(ts, "usable_keyring", lambda: keyring)
    assert isinstance(open_token_store(path, kind="auto"), KeyringTokenStore)
    assert isinstance(open_token_store(path, kind="file"), FileTokenStore)
    # An existing token file is never hidden by a keyring that appeared later.
    FileTokenStore(path).save(token())
    assert isinstance(open_token_store(path, kind="auto"), FileTokenStore)


def test_keyring_is_optional() -> None:
    # Without the package (the default install) the probe says "no keyring", never raises.
    try:
        import keyring  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        assert ts.usable_keyring() is None
    else:
        ts.usable_keyring()
