"""``tally --chart`` at a directory says so (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Run


@pytest.mark.parametrize("name", ["charts", "charts.svg"])
def test_chart_at_a_directory_says_it_is_a_directory(
    home: Path, run: Run, tmp_path: Path, name: str
) -> None:
    folder = tmp_path / name
    folder.mkdir()
    code, out, err = run("tally", "uXjVKab12Cd=", "--chart", str(folder))
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        f"error: --chart {folder}: is a directory; give a file name ending in .svg, "
        f"e.g. {folder / 'tally.svg'}"
    ]
    # Refused before the board was read.
    assert not (home / "emulator.sqlite3").exists()
