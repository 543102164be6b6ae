"""Every benchmark with its defaults, one after another: ``python -m bench``.

Prints each script's command and output (the tables in docs/benchmarks.md) and
exits 1 when any of them failed its checks. Takes about 15 minutes on 2 cores,
most of it waiting out Miro's credit budget in the create benchmark.
``python -m bench.bench_sidebyside`` (boardsmith's CLI against plain httpx and
miro-api, each its own process, about 20 minutes) runs on its own.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

from bench import (
    bench_compile,
    bench_create,
    bench_harvest,
    bench_ratelimit,
    bench_rollup,
    bench_startup,
    bench_terms,
)


def _compile() -> int:
    bench_compile.main()
    return 0


STEPS: list[tuple[str, Callable[[], int]]] = [
    ("bench_startup", lambda: bench_startup.main([])),
    ("bench_compile", _compile),
    ("bench_terms", lambda: bench_terms.main([])),
    ("bench_ratelimit", lambda: bench_ratelimit.main([])),
    ("bench_harvest", lambda: bench_harvest.main([])),
    ("bench_rollup", lambda: bench_rollup.main([])),
    ("bench_create", lambda: bench_create.main([])),
]


def main() -> int:
    """Run every step; 1 when any failed."""
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(f"commit: {commit or 'unknown'}\n")
    failed = []
    for name, step in STEPS:
        print(f"### python -m bench.{name}\n", flush=True)
        start = time.perf_counter()
        status = step()
        print(f"\n({time.perf_counter() - start:.0f} s, exit {status})\n", flush=True)
        if status:
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
