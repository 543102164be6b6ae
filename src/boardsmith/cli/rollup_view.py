"""``tally`` over several boards on a terminal: each group's choice first, then pooled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from boardsmith.render.blocks import level_range, level_text

if TYPE_CHECKING:
    from boardsmith.harvest.model import HarvestDocument

__all__ = ["print_rollup"]

_HOW = {"group": "its top slots", "runoff": "tally + runoff", "proposal": "proposal only"}


def _level(value: float | None) -> str:
    return "-" if value is None else level_text(value)


def print_rollup(document: HarvestDocument) -> bool:
    """Print the roll-up; ``True`` when it held anything (so the pooled table follows)."""
    from rich.console import Console
    from rich.table import Table

    rollup = document.rollup
    if rollup is None:
        return False
    console = Console()
    if rollup.choices:
        shared = Table(
            title=f"What the groups chose ({len(rollup.choices)} of {len(rollup.boards)} boards)",
            title_justify="left",
        )
        for name, justify in (("adjective", "left"), ("boards", "right"), ("chosen on", "left")):
            shared.add_column(name, justify=justify)  # type: ignore[arg-type]
        for s in rollup.shared:
            on = ", ".join(f"{b} (proposed)" if b in s.proposed_only else b for b in s.boards)
            shared.add_row(s.text, str(len(s.boards)), on)
        console.print(shared)
        how = Table(title="Each board's choice", title_justify="left")
        for name in ("board", "top adjectives", "from"):
            how.add_column(name)
        for c in rollup.choices:
            how.add_row(c.label, ", ".join(c.texts) or "-", _HOW[c.source])
        console.print(how)
        for c in rollup.choices:
            if c.unsettled:
                console.print(
                    f"{c.label}: {', '.join(c.unsettled)} are tied at the cut-off; settle it "
                    f"with `boardsmith narrow {c.board_id} --runoff`",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,  # one line, so it can be copied as a command
                )
    if rollup.ratings:
        ratings = Table(title="Conditions across the boards", title_justify="left")
        for name in ("condition", "median", "range", "boards below the middle"):
            ratings.add_column(name)
        for r in rollup.ratings:
            spread = level_range(r.low, r.high) or "-"
            ratings.add_row(r.condition, _level(r.median), spread, ", ".join(r.below) or "none")
        console.print(ratings)
    return bool(rollup.choices or rollup.ratings)
