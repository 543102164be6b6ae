"""Harvest CPU alone: ``python -m bench.bench_harvest_cpu [--stickies 10000] [--ideas 0]``.

No API and no latency: one synthetic vision board (the built-in template plus
``stickies`` stickies spread over the lanes, one in nine a typo, and ``ideas`` more
outside every area reading "idea 1", "idea 2" ..., like the parking-lot stickies of
``bench_harvest`` and ``bench_sidebyside``) is harvested with
:func:`boardsmith.harvest.api.harvest_snapshot` three times in one process. The first
run pays the one-off dictionary load and fills the per-text caches, as a CLI run
does; the best run is the harvest itself. Seconds are CPU (``time.process_time``),
wall in brackets. Run it at two commits (``PYTHONPATH=OTHER/src``, or a venv each) to
compare them on the same board.
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
    parser.add_argument("--ideas", type=int, default=0)
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
    frame = next(i for i in plan.items if i.type == "frame")
    for n in range(args.ideas):
        raw.append(
            {
                "id": f"{8_000_000_000 + n:019d}",
                "type": "sticky_note",
                "position": {
                    "x": frame.left + frame.width + 500 + (n % 50) * 160,
                    "y": n // 50 * 180,
                },
                "geometry": {"width": 150, "height": 171},
                "data": {"content": f"idea {n}"},
                "createdBy": {"id": "2"},
                "modifiedBy": {"id": "2"},
            }
        )
    snapshot = build_snapshot("b", raw, members={"1": "Fay", "2": "Ana"})
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(3):
        start, started = time.process_time(), time.perf_counter()
        result = harvest_snapshot(snapshot, plan=plan, item_ids=ids)
        cpu.append(time.process_time() - start)
        wall.append(time.perf_counter() - started)
        assert len(result.harvest.stickies) == len(snapshot.of_type("sticky_note", "card"))
    print(
        f"harvest_snapshot, {args.stickies} stickies + {args.ideas} ideas: CPU first "
        f"{cpu[0]:.2f} s ({wall[0]:.2f}), best {min(cpu):.2f} s ({min(wall):.2f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
