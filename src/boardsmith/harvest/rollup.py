"""Several boards, each board first: a district's roll-up.

Each group's choice is what that group decided, so the roll-up counts choices, not
pooled picks: per board its top slots, or its tally with a tie settled by a runoff, or
else its tally's proposal (marked as such). Condition ratings are rolled up per board
(its median) and overall (every rating), with the boards below the middle of the
scale named. Pooled individual picks (:func:`boardsmith.harvest.api.aggregate`) come
second.
"""

from __future__ import annotations

from collections.abc import Sequence

from boardsmith.harvest.model import (
    BoardChoice,
    BoardHarvest,
    ConditionRatings,
    ConditionRollup,
    RollupRecord,
    SharedChoice,
)
from boardsmith.harvest.report import median
from boardsmith.harvest.result import spellings

__all__ = ["board_labels", "rollup"]


def board_labels(boards: Sequence[BoardHarvest]) -> list[str]:
    """Each board's label: the one it was given, else its name; its id when two share one."""
    names = [b.label or b.board_name or b.board_id for b in boards]
    return [n if names.count(n) == 1 else b.board_id for n, b in zip(names, boards, strict=True)]


def _choice(board: BoardHarvest, label: str) -> BoardChoice:
    result, tally = board.result, board.tally
    if result.source == "group":
        source = "group"
    elif tally.runoff is not None and tally.runoff.outcome == "settled":
        source = "runoff"
    else:
        source = "proposal"
    unsettled = list(tally.ties_at_cutoff) if source == "proposal" else []
    spelled = spellings(tally)
    return BoardChoice(
        board_id=board.board_id,
        label=label,
        source=source,  # type: ignore[arg-type]
        terms=list(result.top),
        texts=list(result.texts),
        unsettled=unsettled,
        unsettled_texts=[spelled.get(t, t) for t in unsettled],
    )


def _shared(choices: Sequence[BoardChoice]) -> list[SharedChoice]:
    boards: dict[str, list[str]] = {}
    proposed: dict[str, list[str]] = {}
    text: dict[str, str] = {}
    for choice in choices:
        for term, written in zip(choice.terms, choice.texts, strict=False):
            boards.setdefault(term, []).append(choice.label)
            text.setdefault(term, written)
            if choice.source == "proposal":
                proposed.setdefault(term, []).append(choice.label)
    order = sorted(boards, key=lambda t: (-len(boards[t]), text[t].casefold()))
    return [
        SharedChoice(term=t, text=text[t], boards=boards[t], proposed_only=proposed.get(t, []))
        for t in order
    ]


def _conditions(board: BoardHarvest) -> list[ConditionRatings]:
    report = board.report
    if report is None:
        return []
    return [c for section in report.sections for c in section.ratings]


def _ratings(boards: Sequence[BoardHarvest], labels: Sequence[str]) -> list[ConditionRollup]:
    per: dict[str, list[tuple[str, ConditionRatings]]] = {}
    for board, label in zip(boards, labels, strict=True):
        for condition in _conditions(board):
            per.setdefault(condition.condition, []).append((label, condition))
    out = []
    for name, rated in per.items():
        levels = [r.level for _, c in rated for r in c.ratings]
        roles: dict[str, list[int]] = {}
        for _, c in rated:
            for r in c.ratings:
                if r.role:
                    roles.setdefault(r.role, []).append(r.level)
        top = max((c.levels or 0 for _, c in rated), default=0)
        middle = (top + 1) / 2 if top else None
        out.append(
            ConditionRollup(
                condition=name,
                per_board={label: c.median for label, c in rated},
                median=median(levels) if levels else None,
                low=min(levels) if levels else None,
                high=max(levels) if levels else None,
                below=[
                    label
                    for label, c in rated
                    if middle is not None and c.median is not None and c.median < middle
                ],
                middle=middle,
                by_role={role: median(v) for role, v in roles.items()},
            )
        )
    return out


def rollup(boards: Sequence[BoardHarvest]) -> RollupRecord:
    """Each board's choice, the adjectives the boards share, and the ratings rolled up."""
    labels = board_labels(boards)
    choices = [
        _choice(b, label)
        for b, label in zip(boards, labels, strict=True)
        if b.result.top or b.tally.terms
    ]
    return RollupRecord(
        boards=labels, choices=choices, shared=_shared(choices), ratings=_ratings(boards, labels)
    )
