"""A district's roll-up against the last one: what each school and the district changed.

Seed 003 asks for a vision revisited often, and seed 004 for planning across a district.
``since(then, now)`` takes two roll-ups (last year's boards and this year's, each a
:class:`~boardsmith.harvest.model.RollupRecord`) and says, per school matched by its
label, which adjectives its group kept, took up and let go; across the district, how many
boards chose each adjective then and now; and, per condition, the median and the schools
below the middle then and now. Schools in only one of the two are named, never guessed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from boardsmith.harvest.api import across_boards
from boardsmith.harvest.model import (
    AdjectiveShift,
    BoardChoice,
    ConditionShift,
    HarvestDocument,
    RollupChange,
    RollupRecord,
    SchoolChange,
)
from boardsmith.harvest.rollup import rollup

__all__ = ["since", "unmatched", "with_since"]


def _key(label: str) -> str:
    return " ".join(label.casefold().split())


def _school(label: str, then: BoardChoice | None, now: BoardChoice | None) -> SchoolChange:
    before = dict(zip(then.terms, then.texts, strict=False)) if then else {}
    after = dict(zip(now.terms, now.texts, strict=False)) if now else {}
    return SchoolChange(
        label=label,
        then_board=then.board_id if then else "",
        now_board=now.board_id if now else "",
        kept=[text for term, text in after.items() if term in before],
        new=[text for term, text in after.items() if term not in before],
        dropped=[text for term, text in before.items() if term not in after],
        then_source=then.source if then else None,
        now_source=now.source if now else None,
    )


def _adjectives(
    then: RollupRecord, now: RollupRecord, names: dict[str, str]
) -> list[AdjectiveShift]:
    """Every adjective either time chose, by how many boards chose it now, then then."""
    before = {s.term: s for s in then.shared}
    after = {s.term: s for s in now.shared}
    shifts = [
        AdjectiveShift(
            term=term,
            text=(after.get(term) or before[term]).text,
            then=[names.get(_key(b), b) for b in before[term].boards] if term in before else [],
            now=list(after[term].boards) if term in after else [],
        )
        for term in dict.fromkeys([*after, *before])
    ]
    return sorted(shifts, key=lambda s: (-len(s.now), -len(s.then), s.text.casefold()))


def _ratings(then: RollupRecord, now: RollupRecord, names: dict[str, str]) -> list[ConditionShift]:
    before = {c.condition: c for c in then.ratings}
    after = {c.condition: c for c in now.ratings}
    out = []
    for name in dict.fromkeys([*after, *before]):
        old, new = before.get(name), after.get(name)
        old_per = {names.get(_key(b), b): m for b, m in (old.per_board if old else {}).items()}
        new_per = dict(new.per_board) if new else {}
        out.append(
            ConditionShift(
                condition=name,
                then=old.median if old else None,
                now=new.median if new else None,
                then_below=[names.get(_key(b), b) for b in old.below] if old else [],
                now_below=list(new.below) if new else [],
                per_school={
                    school: (old_per.get(school), new_per.get(school))
                    for school in dict.fromkeys([*new_per, *old_per])
                },
            )
        )
    return out


def since(
    then: RollupRecord,
    now: RollupRecord,
    *,
    then_label: str = "last time",
    now_label: str = "this time",
) -> RollupChange:
    """What changed from ``then`` to ``now``; schools are matched by label, ignoring case
    and spacing, and shown under this time's spelling."""
    now_by_key = {_key(b): b for b in now.boards}
    # Last time's labels under this time's spelling, so one school is one row.
    names = {_key(b): now_by_key.get(_key(b), b) for b in then.boards}
    then_choice = {_key(c.label): c for c in then.choices}
    now_choice = {_key(c.label): c for c in now.choices}
    then_keys = {_key(b) for b in then.boards}
    schools = [
        _school(label, then_choice.get(_key(label)), now_choice.get(_key(label)))
        for label in now.boards
        if _key(label) in then_keys
    ]
    return RollupChange(
        then_label=then_label,
        now_label=now_label,
        then_boards=list(then.boards),
        now_boards=list(now.boards),
        schools=schools,
        only_then=[b for b in then.boards if _key(b) not in now_by_key],
        only_now=[b for b in now.boards if _key(b) not in then_keys],
        adjectives=_adjectives(then, now, names),
        ratings=_ratings(then, now, names),
    )


def unmatched(change: RollupChange) -> Sequence[str]:
    """Why nothing could be compared, when no school is on both lists; else nothing."""
    if change.schools or not (change.then_boards and change.now_boards):
        return ()
    return (
        f"no school is on both lists ({change.then_label} and {change.now_label}): "
        "give each board the same label in both files (the school's name after its id)",
    )


def with_since(
    document: HarvestDocument,
    earlier: Collection[str],
    *,
    then_label: str,
    now_label: str,
    top: int | None = None,
) -> HarvestDocument:
    """``document`` (one harvest of both lists) as this time's document: its boards, roll-up
    and pooled picks are this time's only, and ``since`` says what changed from the boards
    in ``earlier`` (last time's ids). Boards that could not be read stay in ``failed``."""
    then_boards = [b for b in document.boards if b.board_id in earlier]
    now_boards = [b for b in document.boards if b.board_id not in earlier]
    rolled, pooled = across_boards(now_boards, top=top)
    now = rolled if rolled is not None else rollup(now_boards)
    change = since(rollup(then_boards), now, then_label=then_label, now_label=now_label)
    return document.model_copy(
        update={"boards": now_boards, "rollup": rolled, "aggregate": pooled, "since": change}
    )
