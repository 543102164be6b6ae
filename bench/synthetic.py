"""Synthetic board templates of any size, written in the real template language."""

from __future__ import annotations

import math

from boardsmith.templates import Template
from boardsmith.templates.template import load_template_text

#: Stickies per frame in synthetic templates (a busy workshop frame).
PER_FRAME = 250
#: Grid columns inside each synthetic frame.
COLUMNS = 25


def synthetic_yaml(items: int, per_frame: int = PER_FRAME) -> str:
    """Template source of a plan of exactly ``items`` items: ``ceil(items / (per_frame
    + 1))`` frames, each a grid of stickies built by a ``repeat``, holding the rest."""
    if items < 2:
        raise ValueError(f"a synthetic board needs a frame and a sticky, got {items} items")
    frames = math.ceil(items / (per_frame + 1))
    base, extra = divmod(items - frames, frames)
    lines = [
        f"name: synthetic-{items}",
        f'title: "Synthetic board of {items} stickies"',
        "description: Benchmark board, generated.",
        "version: 1",
        "elements:",
    ]
    for n in range(frames):
        count = base + (1 if n < extra else 0)
        lines += [
            "  - frame:",
            f"      key: f{n}",
            f'      title: "Ideas {n + 1}"',
            "      children:",
            "        - grid:",
            "            key: ideas",
            f"            columns: {COLUMNS}",
            "            children:",
            "              - repeat:",
            f"                  count: {count}",
            "                  as: n",
            "                  body:",
            '                    sticky: {key: "s{n}", content: "idea {n}", width: 199}',
        ]
    return "\n".join(lines) + "\n"


def synthetic_template(items: int, per_frame: int = PER_FRAME) -> Template:
    """The parsed and validated synthetic template (see :func:`synthetic_yaml`)."""
    return load_template_text(synthetic_yaml(items, per_frame), f"synthetic-{items}.yaml")
