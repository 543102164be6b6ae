"""Compare two boards: this year's vision against last year's.

Seed 003 asks a community to revisit its vision often. ``compare(old, new)`` says what
changed between two boards of the same or related templates (one takes ``from:`` the
other): the adjectives the groups chose (kept, new, dropped), each statement and list
both reports carry under the same heading (with the changed words), the condition
ratings (median then and now, per role too) and the action plans (kept, new, dropped).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from boardsmith.errors import UsageError
from boardsmith.harvest.model import BoardHarvest, ConditionRatings, ReportSectionRecord
from boardsmith.templates import find_template

__all__ = [
    "CompareRecord",
    "ItemChanges",
    "RatingChange",
    "TextChange",
    "WordChange",
    "compare",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WordChange(_Model):
    """A run of words: the same in both, added in the new, or removed from the old."""

    kind: Literal["same", "added", "removed"]
    text: str


class TextChange(_Model):
    """A statement both reports carry, then and now, and the words that changed."""

    heading: str
    old: str
    new: str
    words: list[WordChange]


class ItemChanges(_Model):
    """A list both boards carry (adjectives, values, actions): kept, new and dropped."""

    heading: str
    kept: list[str]
    new: list[str]
    dropped: list[str]


class RatingChange(_Model):
    """A condition's median then and now, overall and per role."""

    condition: str
    old: float | None
    new: float | None
    old_by_role: dict[str, float] = Field(default_factory=dict)
    new_by_role: dict[str, float] = Field(default_factory=dict)


class CompareRecord(_Model):
    """What changed from ``old`` to ``new``."""

    schema_: str = Field(default="boardsmith.compare", alias="schema")
    version: int = 1
    old_board: str
    new_board: str
    old_label: str
    new_label: str
    adjectives: ItemChanges | None = None
    texts: list[TextChange] = Field(default_factory=list)
    lists: list[ItemChanges] = Field(default_factory=list)
    ratings: list[RatingChange] = Field(default_factory=list)
    plans: list[ItemChanges] = Field(default_factory=list)

    def to_json(self) -> str:
        """The comparison as indented JSON (``compare --format json``)."""
        return self.model_dump_json(by_alias=True, indent=2) + "\n"


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _changes(heading: str, old: Iterable[str], new: Iterable[str]) -> ItemChanges:
    old_list, new_list = list(dict.fromkeys(old)), list(dict.fromkeys(new))
    old_keys, new_keys = {_key(t) for t in old_list}, {_key(t) for t in new_list}
    return ItemChanges(
        heading=heading,
        kept=[t for t in new_list if _key(t) in old_keys],
        new=[t for t in new_list if _key(t) not in old_keys],
        dropped=[t for t in old_list if _key(t) not in new_keys],
    )


def word_changes(old: str, new: str) -> list[WordChange]:
    """The words of ``new`` against ``old``: runs kept, added and removed, in order."""
    a, b = old.split(), new.split()
    out: list[WordChange] = []
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in b])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(WordChange(kind="same", text=" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(WordChange(kind="removed", text=" ".join(a[i1:i2])))
        if j2 > j1:
            out.append(WordChange(kind="added", text=" ".join(b[j1:j2])))
    return out


def _sections(board: BoardHarvest) -> dict[str, ReportSectionRecord]:
    report = board.report
    sections = report.sections if report is not None else []
    return {s.heading.casefold(): s for s in sections}


def _rows(section: ReportSectionRecord) -> list[str]:
    """A table's rows by their first column: one line per row."""
    table = section.table
    if table is None:
        return []
    return ["; ".join(n.line for n in cell) for cell in table.column_notes()]


def _conditions(board: BoardHarvest) -> dict[str, ConditionRatings]:
    return {c.condition: c for s in _sections(board).values() for c in s.ratings}


def _related(old: BoardHarvest, new: BoardHarvest) -> bool:
    if old.template == new.template:
        return True
    for a, b in ((old, new), (new, old)):
        try:
            taken = find_template(b.template or "").spec.from_
        except UsageError:
            continue
        if any(entry.template == a.template for entry in taken):
            return True
    return False


def _chooses(board: BoardHarvest) -> bool:
    """Whether the board's protocol has the group choose adjectives (a word bank, top
    boxes or picks to tally)."""
    return bool(board.word_bank or board.top_slots or board.tally.terms)


def _pairs(
    old: BoardHarvest, new: BoardHarvest
) -> Sequence[tuple[ReportSectionRecord, ReportSectionRecord]]:
    """Sections to compare: same heading; else, for related templates, the one statement
    or table each side has (a purpose map's plan and an action timeline's)."""
    before, after = _sections(old), _sections(new)
    pairs = [(s, after[key]) for key, s in before.items() if key in after]
    matched = {id(s) for pair in pairs for s in pair}
    for show in ("statement", "table"):
        left = [s for s in before.values() if s.show == show and id(s) not in matched]
        right = [s for s in after.values() if s.show == show and id(s) not in matched]
        if len(left) == 1 and len(right) == 1:
            pairs.append((left[0], right[0]))
    return pairs


def compare(
    old: BoardHarvest, new: BoardHarvest, *, old_label: str, new_label: str
) -> CompareRecord:
    """What changed from ``old`` to ``new``; an error when the boards have nothing alike."""
    if not _related(old, new):
        raise UsageError(
            f"compare: {old_label} is a {old.template or 'unknown'} board and {new_label} a "
            f"{new.template or 'unknown'} board; compare two boards of one template, or of "
            "templates where one starts from the other"
        )
    record = CompareRecord(
        old_board=old.board_id, new_board=new.board_id, old_label=old_label, new_label=new_label
    )
    updates: dict[str, object] = {}
    # A board whose protocol chooses no adjectives (a living-vision revisit, started from a
    # vision board's) has not dropped the other board's: it never chose any.
    if (old.result.top or new.result.top) and _chooses(old) and _chooses(new):
        updates["adjectives"] = _changes("Top adjectives", old.result.texts, new.result.texts)
    texts, lists, plans = [], [], []
    for section, other in _pairs(old, new):
        if section.show == "statement":
            before, after = " ".join(section.note_lines()), " ".join(other.note_lines())
            if before or after:
                texts.append(
                    TextChange(
                        heading=other.heading,
                        old=before,
                        new=after,
                        words=word_changes(before, after),
                    )
                )
        elif section.show in ("list", "notes"):
            if section.note_lines() or other.note_lines():
                lists.append(_changes(other.heading, section.note_lines(), other.note_lines()))
        elif section.show == "table" and (_rows(section) or _rows(other)):
            plans.append(_changes(other.heading, _rows(section), _rows(other)))
    old_c, new_c = _conditions(old), _conditions(new)
    ratings = [
        RatingChange(
            condition=name,
            old=old_c[name].median if name in old_c else None,
            new=new_c[name].median if name in new_c else None,
            old_by_role=dict(old_c[name].by_role) if name in old_c else {},
            new_by_role=dict(new_c[name].by_role) if name in new_c else {},
        )
        for name in dict.fromkeys([*old_c, *new_c])
    ]
    updates.update(texts=texts, lists=lists, plans=plans, ratings=ratings)
    return record.model_copy(update=updates)
