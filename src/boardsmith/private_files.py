"""Files only the user may read: board state, journals and board history.

Board files say who wrote what on a board, so they are created with mode 0600 in
directories with mode 0700, whatever the umask. This module imports nothing of
boardsmith so every layer that keeps per-board files (``boards/``, ``harvest/``) can
share it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["DIR_MODE", "FILE_MODE", "append_private", "private_dir", "write_private"]

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make ``path`` itself 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    # mkdir's mode is masked by the umask, and an existing directory keeps its own.
    with contextlib.suppress(OSError):
        os.chmod(path, DIR_MODE)
    return path


def _open(path: Path, flags: int) -> int:
    fd = os.open(path, flags | os.O_CLOEXEC, FILE_MODE)
    # O_CREAT's mode is masked by the umask; an existing file keeps its own mode.
    os.fchmod(fd, FILE_MODE)
    return fd


def write_private(path: Path, data: bytes | str, *, fsync: bool = True) -> None:
    """Replace ``path`` atomically with ``data`` (a temporary file, then a rename)."""
    private_dir(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = _open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def append_private(path: Path, data: bytes | str, *, fsync: bool = True) -> None:
    """Append ``data`` to ``path``, creating it 0600 (its directory 0700) if needed."""
    private_dir(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = _open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    with os.fdopen(fd, "ab") as fh:
        fh.write(payload)
        if fsync:
            fh.flush()
            os.fsync(fh.fileno())
