"""A district's change since last time as report blocks, after this time's roll-up."""

from __future__ import annotations

from collections.abc import Iterator

from boardsmith.harvest.model import AdjectiveShift, RollupChange, SchoolChange
from boardsmith.harvest.since import unmatched
from boardsmith.render.blocks import Block, Heading, Para, Table, level_change, level_or_unrated

__all__ = ["since_blocks"]


def _count_change(shift: AdjectiveShift) -> str:
    if not shift.then:
        return "new"
    if not shift.now:
        return "dropped"
    delta = len(shift.now) - len(shift.then)
    return "same" if delta == 0 else f"{delta:+d}"


def _schools(n: int) -> str:
    return "1 school is" if n == 1 else f"{n} schools are"


_HOW = {"group": "the group", "runoff": "a runoff", "proposal": "proposed"}


def _how(school: SchoolChange) -> str:
    """How each time's choice was made: a proposal is not yet the group's decision."""
    then = _HOW.get(school.then_source or "", "no choice")
    now = _HOW.get(school.now_source or "", "no choice")
    return f"{then} / {now}"


def _school_row(school: SchoolChange) -> tuple[str, str, str, str, str]:
    if school.now_source is None and school.then_source is None:
        return (school.label, "(no choice either time)", "", "", "")
    return (
        school.label,
        ", ".join(school.kept) or "none",
        ", ".join(school.new) or "none",
        ", ".join(school.dropped) or "none",
        _how(school),
    )


def since_blocks(change: RollupChange) -> Iterator[Block]:
    """The district's adjectives then and now, each school's kept/new/dropped, the
    conditions then and now, and the schools on one list only."""
    yield Heading(2, f"Since {change.then_label}")
    yield Para(
        f"Then: {change.then_label}, {len(change.then_boards)} boards. Now: {change.now_label}, "
        f"{len(change.now_boards)} boards. {_schools(len(change.schools))} on both lists, "
        "matched by their label."
    )
    for problem in unmatched(change):
        yield Para(problem[0].upper() + problem[1:] + ".", "flag")
    if change.adjectives:
        yield Heading(3, "What the district chose, then and now")
        yield Table(
            headers=("Adjective", "Boards then", "Boards now", "Change"),
            rows=tuple(
                (s.text, str(len(s.then)), str(len(s.now)), _count_change(s))
                for s in change.adjectives
            ),
            numeric=(False, True, True, False),
        )
    # A district of boards without adjectives (conditions ratings only) would get a
    # row of "no choice" per school: nothing a coach can read there.
    if any(s.then_source or s.now_source for s in change.schools):
        yield Heading(3, "Each school's choice, then and now")
        yield Table(
            headers=("School", "Kept", "New", "Dropped", "Chosen by (then / now)"),
            rows=tuple(_school_row(s) for s in change.schools),
        )
    if change.ratings:
        yield Heading(3, "Conditions, then and now")
        yield Table(
            headers=(
                "Condition",
                "Median then",
                "Median now",
                "Change",
                "Below the middle then",
                "Below the middle now",
            ),
            rows=tuple(
                (
                    c.condition,
                    level_or_unrated(c.then),
                    level_or_unrated(c.now),
                    level_change(c.then, c.now),
                    ", ".join(c.then_below) or "none",
                    ", ".join(c.now_below) or "none",
                )
                for c in change.ratings
            ),
        )
    if change.only_then:
        yield Para(f"On {change.then_label}'s list only: {', '.join(change.only_then)}.", "aside")
    if change.only_now:
        yield Para(f"New on {change.now_label}'s list: {', '.join(change.only_now)}.", "aside")
