"""CLI start-up: ``python -m bench.bench_startup [--runs 15]``.

Times ``boardsmith --version`` (the installed console script's code path:
``python -m boardsmith --version``) against ``python -c pass`` in fresh
subprocesses, best and median of ``--runs``, and lists the slowest imports
``-X importtime`` reports for ``--version``, so an eager heavy import shows up
by name. Exits 1 when ``--version`` imports a module the agreement keeps out of
start-up (httpx, pydantic, rich, the emulator, the client).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from bench._common import ratio, table

#: Modules `--version` must not import (docs/architecture.md, working agreement).
HEAVY = ("httpx", "pydantic", "rich", "boardsmith.emulator", "boardsmith.miro", "yaml")
VERSION = [sys.executable, "-m", "boardsmith", "--version"]
BARE = [sys.executable, "-c", "pass"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def time_command(command: Sequence[str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` fresh runs of ``command`` (which must succeed)."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=_env())
        samples.append(time.perf_counter() - start)
    return samples


def import_times(command: Sequence[str]) -> list[tuple[int, str]]:
    """``(cumulative microseconds, module)`` for every import ``command`` makes
    (nested imports keep their indentation)."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        check=True,
        capture_output=True,
        text=True,
        env=_env(),
    )
    out = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        # Nested imports are indented below the one that triggered them.
        out.append((int(parts[1]), parts[2][1:].rstrip()))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Time both commands, print the tables, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--top", type=int, default=8, help="slowest imports to list")
    args = parser.parse_args(argv)
    bare = time_command(BARE, args.runs)
    version = time_command(VERSION, args.runs)
    imports = import_times(VERSION)
    names = [name.strip() for _, name in imports]
    heavy = sorted({n for n in names if any(n == h or n.startswith(h + ".") for h in HEAVY)})
    print(f"start-up: best and median of {args.runs} fresh processes, milliseconds")
    print()
    print(
        table(
            ["command", "best ms", "median ms", "best / python -c pass"],
            [
                [
                    "python -c pass",
                    f"{min(bare) * 1000:.1f}",
                    f"{statistics.median(bare) * 1000:.1f}",
                    "1.00x",
                ],
                [
                    "boardsmith --version",
                    f"{min(version) * 1000:.1f}",
                    f"{statistics.median(version) * 1000:.1f}",
                    ratio(min(version), min(bare)),
                ],
            ],
        )
    )
    print()
    top = sorted(
        ((us, name) for us, name in imports if not name.startswith(" ")),
        reverse=True,
    )[: args.top]
    print(
        f"slowest top-level imports of `boardsmith --version` (-X importtime, {len(names)} modules)"
    )
    print()
    print(table(["module", "cumulative ms"], [[name, f"{us / 1000:.1f}"] for us, name in top]))
    if heavy:
        print(f"FAIL --version imports {', '.join(heavy)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
