"""Where the emulator keeps its database by default."""

from __future__ import annotations

import os
from pathlib import Path

DB_NAME = "emulator.sqlite3"


def data_dir() -> Path:
    """``BOARDSMITH_HOME`` or the platform's user data directory for boardsmith."""
    home = os.environ.get("BOARDSMITH_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("boardsmith"))


def default_db_path() -> Path:
    """``<data dir>/emulator.sqlite3``."""
    return data_dir() / DB_NAME


def resolve_db_path(db_path: str | Path | None) -> str | Path:
    """``:memory:`` as is; a directory becomes ``<dir>/emulator.sqlite3``; None the default."""
    if db_path is None:
        return default_db_path()
    if str(db_path) == ":memory:":
        return ":memory:"
    path = Path(db_path).expanduser()
    if path.is_dir():
        return path / DB_NAME
    return path
