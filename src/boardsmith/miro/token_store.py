"""Where OAuth tokens rest between runs: a 0600 JSON file, or the OS keyring.

The file is the only place a token is ever written. Writes are atomic (temp
file in the same directory, then ``os.replace``) because Miro invalidates the
old pair on every refresh: a torn write would lock the user out. A file that
other users could read is refused rather than silently used.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from boardsmith.errors import ConfigError

KEYRING_SERVICE = "boardsmith"


class StoredToken(BaseModel):
    """An OAuth token pair as boardsmith keeps it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    token_type: str = "bearer"  # noqa: S105
    expires_at: datetime | None = None
    scope: str = ""
    team_id: str | None = None
    user_id: str | None = None
    client_id: str | None = None
    api_url: str | None = None

    @property
    def scopes(self) -> list[str]:
        """The granted scopes as a list."""
        return self.scope.split()

    def expires_within(self, seconds: float, now: datetime) -> bool:
        """True when the token has an expiry that falls within ``seconds`` of ``now``."""
        if self.expires_at is None:
            return False
        return (self.expires_at - now).total_seconds() <= seconds

    def to_json(self) -> str:
        """The stored form, secrets included: only ever written to the token store."""
        data: dict[str, Any] = self.model_dump(mode="json")
        data["access_token"] = self.access_token.get_secret_value()
        data["refresh_token"] = (
            self.refresh_token.get_secret_value() if self.refresh_token else None
        )
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


class TokenStore(Protocol):
    """Loads, saves and deletes the one stored token pair."""

    @property
    def description(self) -> str:
        """Where the token lives, for messages (never the token itself)."""
        ...

    def load(self) -> StoredToken | None:
        """The stored token, or ``None`` when there is none."""
        ...

    def save(self, token: StoredToken) -> None:
        """Replace the stored token atomically."""
        ...

    def delete(self) -> bool:
        """Remove the stored token; ``False`` when there was none."""
        ...


def _parse(text: str, where: str) -> StoredToken:
    try:
        return StoredToken.model_validate_json(text)
    except ValidationError:
        raise ConfigError(
            f"{where}: stored Miro token is unreadable",
            hint="run `boardsmith auth logout` then `boardsmith auth login`",
        ) from None


class FileTokenStore:
    """A JSON file readable by its owner only (mode 0600), written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def description(self) -> str:
        return str(self.path)

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def _check_permissions(self) -> None:
        if sys.platform == "win32":  # POSIX modes mean little there; ACLs protect the profile
            return
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                f"{self.path}: token file is accessible by other users (mode {mode:04o}), "
                "refusing to use it",
                hint=f"run `chmod 600 {self.path}`",
            )

    def load(self) -> StoredToken | None:
        try:
            self._check_permissions()
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read token file: {exc.strerror}") from None
        return _parse(text, str(self.path))

    def save(self, token: StoredToken) -> None:
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file with mode 0600, so the secret is never briefly public.
            fd, tmp_name = tempfile.mkstemp(prefix=".oauth-token-", dir=directory)
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot write token file: {exc.strerror}") from None
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(token.to_json())
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise ConfigError(f"{self.path}: cannot write token file: {exc.strerror}") from None

    def delete(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot delete token file: {exc.strerror}") from None
        return True


class KeyringTokenStore:
    """The OS keyring (through the optional ``keyring`` package)."""

    def __init__(self, keyring_module: Any, account: str) -> None:
        self._keyring = keyring_module
        self.account = account

    @property
    def description(self) -> str:
        return f"OS keyring (service {KEYRING_SERVICE!r}, account {self.account!r})"

    def __repr__(self) -> str:
        return f"KeyringTokenStore({self.account!r})"

    def load(self) -> StoredToken | None:
        try:
            text = self._keyring.get_password(KEYRING_SERVICE, self.account)
        except Exception as exc:  # keyring backends raise their own exception types
            raise ConfigError(f"{self.description}: cannot read: {type(exc).__name__}") from None
        if text is None:
            return None
        return _parse(str(text), self.description)

    def save(self, token: StoredToken) -> None:
        try:
            self._keyring.set_password(KEYRING_SERVICE, self.account, token.to_json())
        except Exception as exc:
            raise ConfigError(f"{self.description}: cannot write: {type(exc).__name__}") from None

    def delete(self) -> bool:
        if self.load() is None:
            return False
        try:
            self._keyring.delete_password(KEYRING_SERVICE, self.account)
        except Exception as exc:
            raise ConfigError(f"{self.description}: cannot delete: {type(exc).__name__}") from None
        return True


def usable_keyring() -> Any | None:
    """The ``keyring`` module when it is installed and has a real backend, else ``None``."""
    try:
        import keyring  # type: ignore[import-not-found,unused-ignore]
        from keyring.backends import fail  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
        priority = float(getattr(backend, "priority", 0))
    except Exception:
        return None
    if isinstance(backend, fail.Keyring) or priority <= 0:
        return None
    return keyring


def open_token_store(path: Path, *, kind: str = "auto", account: str = "default") -> TokenStore:
    """The token store to use.

    ``kind`` is ``"file"`` (always ``path``), ``"keyring"`` (the OS keyring, an error
    when unusable) or ``"auto"`` (the keyring when usable, else the file). An existing
    token file always wins under ``"auto"`` so switching machines' keyrings never
    hides a login.
    """
    if kind == "file":
        return FileTokenStore(path)
    module = usable_keyring()
    if kind == "keyring":
        if module is None:
            raise ConfigError(
                "BOARDSMITH_TOKEN_STORE=keyring but no usable OS keyring was found",
                hint="install the `keyring` package or use token_store = file",
            )
        return KeyringTokenStore(module, account)
    if module is None or path.exists():
        return FileTokenStore(path)
    return KeyringTokenStore(module, account)


def utc_now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)
