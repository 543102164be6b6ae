"""Harvest CPU alone: ``python -m bench.bench_harvest_cpu [--stickies 10000]``.

No API and no latency: one synthetic vision board (the built-in template plus
``stickies`` stickies spread over the lanes, one in nine a typo) is harvested with
:func:`boardsmith.harvest.api.harvest_snapshot` three times in one process. The first
run pays the one-off dictionary load; the best run is the harvest itself. Run it at two
commits (``pip install`` each into its own venv) to compare them on the same board.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.snapshot import build_snapshot
from boardsmith.templates import compile_plan, find_template


def main(argv: list[str] | None = None) -> int:
    """Print the first and best harvest time of a synthetic board."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_harvest_cpu")
    parser.add_argument("--stickies", type=int, default=10_000)
    args = parser.parse_args(argv)
    rng = random.Random(1)
    plan = compile_plan(find_template("vision-board"), {})
    ids = {item.key: f"{1_000_000_000 + n:019d}" for n, item in enumerate(plan.items)}
    raw: list[dict[str, Any]] = []
    for item in plan.items:
        if item.type == "connector":
            continue
        data: dict[str, Any] = {"title" if item.type == "frame" else "content": item.plain_text}
        if item.shape:
            data["shape"] = item.shape
        raw.append(
            {
                "id": ids[item.key],
                "type": item.type,
                "position": {"x": item.x, "y": item.y},
                "geometry": {"width": item.width, "height": item.height},
                "data": data,
                "style": dict(item.style),
                "createdBy": {"id": "1"},
                "modifiedBy": {"id": "1"},
            }
        )
    lanes = [i for i in plan.items if i.role == "lane"]
    words = [str(w) for w in plan.params["word_bank"]]  # type: ignore[union-attr]
    for n in range(args.stickies):
        lane = lanes[n % len(lanes)]
        raw.append(
            {
                "id": f"{9_000_000_000 + n:019d}",
                "type": "sticky_note",
                "position": {
                    "x": lane.left + 50 + rng.random() * (lane.width - 100),
                    "y": lane.top + 150 + rng.random() * 400,
                },
                "geometry": {"width": 150, "height": 171},
                "data": {"content": rng.choice(words) if n % 9 else f"colaborativ{n % 40}"},
                "createdBy": {"id": "2"},
                "modifiedBy": {"id": "2"},
            }
        )
    snapshot = build_snapshot("b", raw, members={"1": "Fay", "2": "Ana"})
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        harvest_snapshot(snapshot, plan=plan, item_ids=ids)
        runs.append(time.perf_counter() - start)
    print(
        f"harvest_snapshot, {args.stickies} stickies: first {runs[0]:.2f} s, best {min(runs):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
