"""``bench/bench_watch.py`` runs end to end at a tiny size with no latency, so it cannot
rot (its numbers are in docs/benchmarks.md)."""

from __future__ import annotations

import pytest

from bench import bench_watch


@pytest.mark.slow
def test_watch_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    status = bench_watch.main(["--latency-ms", "0", "--sizes", "30", "--repeat", "1"])
    out = capsys.readouterr().out
    assert status == 0, out
    rows = [line for line in out.splitlines() if line.startswith("|       30 |")]
    kinds = [row.split("|")[2].strip() for row in rows]
    assert kinds == ["unchanged", "one new sticky"]
