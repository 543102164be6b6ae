"""Term merging as texts grow: ``python -m bench.bench_terms [--sizes 1000,2000,4000,8000]``.

Every text shares a prefix ("idea 1" ... "idea N", the parking-lot stickies of
``bench_harvest``), the worst case for a merger that looks for typos among texts
that start alike. Side by side in one process, on the same texts:

* **indexed**: :class:`boardsmith.harvest.text.TermMerger` (deletion-neighbourhood
  index);
* **shape pool**: the rule as it was before issue 20, comparing each new text with
  every known one that has the same first letter and a length within 2 (one C call
  per text screens that pool);
* **scan**: every known form, the rule as written (measured up to ``--scan-max``).

All three must make the same decision for every text (the script exits 1 if not).
``compared`` counts the known forms each merger compares new texts with (the
indexed one: its candidates; the shape pool: the pool its C call screens), which,
unlike time, does not depend on the machine's load. ``growth`` is the indexed
count's ratio to the previous size divided by ``n log n``'s ratio: at most 1.0
means the merger grows no faster than n log n. Times are the best of 3 (indexed).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bench._common import sizes, table
from boardsmith.harvest import text
from boardsmith.harvest.text import TermGroup, TermMerger, is_near_duplicate

ENGLISH = ("en",)


class ShapePoolMerger(TermMerger):
    """The candidate pool of the merger before issue 20 (same decisions, quadratic)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._shapes: dict[tuple[str, int], list[str]] = {}
        self.compared = 0
        super().__init__(*args, **kwargs)

    def _index(self, form: str) -> None:
        self._shapes.setdefault((form[:1], len(form)), []).append(form)

    def _fuzzy_match(self, form: str, *, is_word: bool) -> TermGroup | None:
        pool = [
            known
            for length in range(len(form) - 2, len(form) + 3)
            for known in self._shapes.get((form[:1], length), ())
        ]
        self.compared += len(pool)
        best: tuple[int, int, TermGroup] | None = None
        for known, distance, _ in process.extract(
            form, pool, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            if not is_near_duplicate(form, known):
                continue
            group = self._by_form[known]
            if is_word and group.first_seen in self._holds_word:
                continue
            candidate = (int(distance), group.first_seen, group)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        return best[2] if best else None


class ScanMerger(TermMerger):
    """Every known form, one by one."""

    def _fuzzy_match(self, form: str, *, is_word: bool) -> TermGroup | None:
        best: tuple[int, int, TermGroup] | None = None
        for known, group in self._by_form.items():
            if not is_near_duplicate(form, known):
                continue
            if is_word and group.first_seen in self._holds_word:
                continue
            candidate = (OSA.distance(form, known), group.first_seen, group)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        return best[2] if best else None


def texts(n: int) -> list[str]:
    """``idea 1`` ... ``idea n``."""
    return [f"idea {k}" for k in range(1, n + 1)]


def run_merger(
    kind: type[TermMerger], items: Sequence[str], repeat: int = 3
) -> tuple[float, list[int]]:
    """Best seconds of ``repeat`` runs adding every item, and the term each joined."""
    best = math.inf
    joined: list[int] = []
    for _ in range(repeat):
        # Cold, as a harvest's first merger: the process-wide near-duplicate graph
        # would otherwise hold the last repeat's forms.
        text.NearGraph.reset()
        merger = kind(languages=ENGLISH)
        merger.add("warm-up")  # the English dictionary loads once, outside the timing
        start = time.perf_counter()
        joined = []
        for item in items:
            group = merger.add(item)
            joined.append(-1 if group is None else group.first_seen)
        best = min(best, time.perf_counter() - start)
    return best, joined


def comparisons(items: Sequence[str]) -> tuple[int, int]:
    """Candidate forms compared by the indexed merger and by the shape pool: the
    machine-independent measure of growth."""
    text.NearGraph.reset()
    merger = TermMerger(languages=ENGLISH)
    for item in items:
        merger.add(item)
    calls = text.NearGraph.shared().compared
    pool = ShapePoolMerger(languages=ENGLISH)
    for item in items:
        pool.add(item)
    return calls, pool.compared


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; 1 when the mergers disagree."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_terms", description=__doc__)
    parser.add_argument("--sizes", type=sizes, default=[1000, 2000, 4000, 8000])
    parser.add_argument("--scan-max", type=int, default=4000)
    args = parser.parse_args(argv)
    rows: list[list[object]] = []
    failures = []
    previous: tuple[int, int] | None = None
    for n in args.sizes:
        items = texts(n)
        indexed_s, indexed = run_merger(TermMerger, items)
        pool_s, pooled = run_merger(ShapePoolMerger, items, repeat=1)
        indexed_n, pool_n = comparisons(items)
        scan_s: float | None = None
        if n <= args.scan_max:
            scan_s, scanned = run_merger(ScanMerger, items, repeat=1)
            if scanned != indexed:
                failures.append(f"{n}: the scan and the index disagree")
        if pooled != indexed:
            failures.append(f"{n}: the shape pool and the index disagree")
        growth = "-"
        if previous is not None:
            size_ratio = (n * math.log(n)) / (previous[0] * math.log(previous[0]))
            growth = f"{(indexed_n / previous[1]) / size_ratio:.2f}"
        previous = (n, indexed_n)
        rows.append(
            [
                f"{n:,}",
                len(set(indexed)),
                f"{indexed_s * 1000:.1f}",
                f"{pool_s * 1000:.1f}",
                "-" if scan_s is None else f"{scan_s * 1000:.1f}",
                f"{indexed_s / n * 1e6:.1f}",
                f"{indexed_n:,}",
                f"{pool_n:,}",
                growth,
                f"{pool_s / indexed_s:.1f}x",
            ]
        )
    print('term merging, texts "idea 1" ... "idea N", English dictionary; times in ms')
    print()
    print(
        table(
            [
                "texts",
                "terms",
                "indexed ms",
                "shape pool ms",
                "scan ms",
                "indexed us/text",
                "indexed compared",
                "pool compared",
                "growth vs n log n",
                "pool / indexed",
            ],
            rows,
        )
    )
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
