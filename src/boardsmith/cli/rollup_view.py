"""``tally`` over several boards on a terminal: each group's choice first, then pooled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from boardsmith.render.blocks import level_range, level_text

if TYPE_CHECKING:
    from rich.console import Console

    from boardsmith.harvest.model import HarvestDocument, RollupRecord

__all__ = ["print_rollup"]

_HOW = {"group": "its top slots", "runoff": "tally + runoff", "proposal": "proposal only"}


def _level(value: float | None) -> str:
    return "-" if value is None else level_text(value)


def print_rollup(document: HarvestDocument) -> bool:
    """Print the roll-up; ``True`` when it held anything (so the pooled table follows)."""
    from rich.console import Console

    rollup = document.rollup
    if rollup is None:
        return False
    console = Console()
    if rollup.choices:
        _print_choices(console, rollup)
    if rollup.ratings:
        _print_ratings(console, rollup)
    return bool(rollup.choices or rollup.ratings)


def _print_choices(console: Console, rollup: RollupRecord) -> None:
    """What the groups chose: shared adjectives, each board's choice, unsettled ties."""
    from rich.table import Table

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
                f"{c.label}: {', '.join(c.unsettled_texts)} are tied at the cut-off; settle it "
                f"with `boardsmith narrow {c.board_id} --runoff`",
                markup=False,
                highlight=False,
                soft_wrap=True,  # one line, so it can be copied as a command
            )


def _print_ratings(console: Console, rollup: RollupRecord) -> None:
    """The conditions' ratings across the boards."""
    from rich.table import Table

    ratings = Table(title="Conditions across the boards", title_justify="left")
    for name in ("condition", "median", "range", "boards below the middle"):
        ratings.add_column(name)
    for r in rollup.ratings:
        spread = level_range(r.low, r.high) or "-"
        ratings.add_row(r.condition, _level(r.median), spread, ", ".join(r.below) or "none")
    console.print(ratings)
