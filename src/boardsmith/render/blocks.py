"""The blocks a report is made of: headings, paragraphs, lists, tables, figures.

:mod:`~boardsmith.render.report_blocks` decides a report's words as these blocks;
:mod:`~boardsmith.render.report_md` and :mod:`~boardsmith.render.report_html` write
them out, so the two formats always say the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BULLET",
    "NUMBERED",
    "Block",
    "Changes",
    "Entry",
    "Figure",
    "Heading",
    "Items",
    "Para",
    "Report",
    "Table",
    "level_change",
    "level_or_unrated",
    "level_range",
    "level_text",
]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    tone: Literal["plain", "aside", "flag"] = "plain"


@dataclass(frozen=True)
class Entry:
    """One list entry: a note, an adjective ...; ``lines`` > 1 when it is itself a list."""

    lines: tuple[str, ...]
    author: str | None = None
    strong: bool = False
    #: The number a person gave the note ("2. Share at staff meetings"), kept as theirs.
    number: int | None = None

    def sub_items(self) -> tuple[bool, list[tuple[int | None, str]]]:
        """A sticky that is itself a list: (numbered?, its lines without their bullets).

        Numbers people wrote ("1.", "2)") are kept as theirs when every line has one.
        """
        found = [NUMBERED.match(line) for line in self.lines]
        if all(found):
            return True, [
                (int(m.group(1)), line[m.end() :])
                for line, m in zip(self.lines, found, strict=True)
                if m is not None
            ]
        return False, [(None, BULLET.sub("", line)) for line in self.lines]


@dataclass(frozen=True)
class Items:
    entries: tuple[Entry, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Per row: why it is flagged (shown in words, never by colour alone), or "".
    flags: tuple[str, ...] = ()
    numeric: tuple[bool, ...] = ()
    #: The heading of the column that shows the flags.
    flag_header: str = "Check"


@dataclass(frozen=True)
class Figure:
    """A picture the HTML embeds (``svg``) and the Markdown names (``caption``)."""

    kind: Literal["tally", "board"]
    caption: str
    svg: str


@dataclass(frozen=True)
class Changes:
    """A text as it is now, with the words added and removed since then marked."""

    words: tuple[tuple[Literal["same", "added", "removed"], str], ...]


Block = Heading | Para | Items | Table | Figure | Changes


@dataclass(frozen=True)
class Report:
    title: str
    body: tuple[Block, ...]
    footer: tuple[str, ...] = field(default=())


BULLET = re.compile(r"^\s*[-*\u2022\u2013]\s+")
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+(?=\S)")


def level_text(value: float) -> str:
    """A rating level or median as people write it: ``2``, ``2.5``."""
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def level_or_unrated(value: float | None) -> str:
    """A level, or ``(not rated)`` when there is none."""
    return "(not rated)" if value is None else level_text(value)


def level_change(old: float | None, new: float | None) -> str:
    """How a median moved: ``up 1``, ``down 0.5``, ``no change``; ``""`` when one is missing."""
    if old is None or new is None:
        return ""
    delta = new - old
    if delta == 0:
        return "no change"
    return f"{'up' if delta > 0 else 'down'} {level_text(abs(delta))}"


def level_range(low: int | None, high: int | None) -> str:
    """The range of some ratings: ``1-4``, ``3`` when they agree, ``""`` when none."""
    if low is None:
        return ""
    return f"{low}-{high}" if high is not None and high != low else str(low)
