"""Board files are private: 0600 files in 0700 directories, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from boardsmith.private_files import append_private, private_dir, write_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_and_append_are_private_under_a_loose_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "state" / "board.json"
        write_private(target, "{}")
        log = tmp_path / "history" / "board.jsonl"
        append_private(log, "a\n")
        append_private(log, "b\n")
    finally:
        os.umask(old)
    assert target.read_text() == "{}"
    assert log.read_text() == "a\nb\n"
    assert _mode(target) == 0o600
    assert _mode(log) == 0o600
    assert _mode(target.parent) == 0o700
    assert _mode(log.parent) == 0o700
    assert not list(target.parent.glob(".*.tmp"))


def test_existing_loose_files_and_directories_are_tightened(tmp_path: Path) -> None:
    loose = tmp_path / "d"
    loose.mkdir(mode=0o755)
    path = loose / "f"
    path.write_text("old")
    path.chmod(0o644)
    append_private(path, "new")
    assert _mode(path) == 0o600
    assert path.read_text() == "oldnew"
    private_dir(loose)
    assert _mode(loose) == 0o700
