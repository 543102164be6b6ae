"""The roll-up of several boards as report blocks: each group's choice first."""

from __future__ import annotations

from collections.abc import Iterator

from boardsmith.harvest.model import RollupRecord
from boardsmith.render.blocks import Block, Heading, Para, Table, level_range, level_text

__all__ = ["rollup_blocks"]


_HOW = {
    "group": "the group's choice",
    "runoff": "the tally, its tie settled by a runoff vote",
    "proposal": "the tally's proposal; the group has not chosen yet",
}


def rollup_blocks(rollup: RollupRecord, count: int) -> Iterator[Block]:
    yield Heading(2, f"Across {count} boards")
    if rollup.choices:
        yield Heading(3, "What the groups chose")
        yield Para(
            f"Each board counts once, for its own group's choice ({len(rollup.choices)} of "
            f"{count} boards have one)."
        )
        yield Table(
            headers=("Adjective", "Boards", "Chosen on"),
            rows=tuple(
                (
                    s.text,
                    str(len(s.boards)),
                    ", ".join(f"{b} (proposed)" if b in s.proposed_only else b for b in s.boards),
                )
                for s in rollup.shared
            ),
            numeric=(False, True, False),
        )
        yield Table(
            headers=("Board", "Top adjectives", "How"),
            rows=tuple(
                (c.label, ", ".join(c.texts) or "(none yet)", _HOW[c.source])
                for c in rollup.choices
            ),
        )
        for c in rollup.choices:
            if c.unsettled:
                yield Para(
                    f"{c.label}: {', '.join(c.unsettled_texts)} are tied at the cut-off. "
                    f"Settle it on that board with: boardsmith narrow {c.board_id} --runoff",
                    "flag",
                )
    if rollup.ratings:
        roles = sorted({r for c in rollup.ratings for r in c.by_role})
        yield Heading(3, "Conditions across the boards")
        yield Table(
            headers=(
                "Condition",
                "Median (every rating)",
                "Range",
                "Boards below the middle",
                *(f"Median ({r})" for r in roles),
            ),
            rows=tuple(
                (
                    c.condition,
                    level_text(c.median) if c.median is not None else "(no rating yet)",
                    level_range(c.low, c.high),
                    ", ".join(c.below) or "none",
                    *(level_text(c.by_role[r]) if r in c.by_role else "" for r in roles),
                )
                for c in rollup.ratings
            ),
        )
        labels = [b for b in rollup.boards if any(b in c.per_board for c in rollup.ratings)]
        yield Table(
            headers=("Board", *(c.condition for c in rollup.ratings)),
            rows=tuple(
                (
                    b,
                    *(
                        level_text(m) if (m := c.per_board.get(b)) is not None else ""
                        for c in rollup.ratings
                    ),
                )
                for b in labels
            ),
        )
