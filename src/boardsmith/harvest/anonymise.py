"""Stable pseudonyms for a harvest: every name becomes "Participant A", "B", ...

A coach may share a report beyond the room. :class:`Pseudonyms` is built once per run
from every name on every board (participants, pickers, authors, members), in sorted
order, so the same person has the same pseudonym in every format and on every board
of that run. Names are replaced wherever they appear: as whole words in any text (a
warning, a sticky that mentions a colleague) and as slugs in keys (``lane-ana``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from boardsmith.harvest.model import HarvestDocument
from boardsmith.harvest.snapshot import Snapshot
from boardsmith.templates import slugify

__all__ = ["Pseudonyms", "names_in"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Fields that hold a person's name, wherever they sit in the harvest document.
_NAME_FIELDS = frozenset({"name", "participant", "participants", "pickers", "owner"})


def _label(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA: spreadsheet-style, so any number of people fits."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = _LETTERS[rest] + out
    return out


def _walk_names(value: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk_names(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_names(v, key)
    elif isinstance(value, str) and key in _NAME_FIELDS and value.strip():
        yield value


def names_in(documents: Iterable[HarvestDocument], snapshots: Iterable[Snapshot] = ()) -> set[str]:
    """Every person's name the documents (and the boards' members) mention."""
    found: set[str] = set()
    for document in documents:
        data = document.model_dump(mode="json", by_alias=True)
        for board in data["boards"]:
            for region in board["regions"]:
                if region["labels"].get("participant"):
                    found.add(region["labels"]["participant"])
            # "name" is also a region label or a board name elsewhere: read people only.
            people = {k: board[k] for k in ("participants", "stickies", "dots", "tally", "report")}
            found.update(_walk_names(people))
    for snapshot in snapshots:
        found.update(n for n in snapshot.members.values() if n)
    return found


class Pseudonyms:
    """One run's mapping from names to pseudonyms, and the rewriting that uses it."""

    def __init__(self, names: Iterable[str]) -> None:
        unique: dict[str, str] = {}
        for name in names:
            unique.setdefault(name.strip().casefold(), name.strip())
        ordered = sorted(unique)
        self._by_name = {key: f"Participant {_label(i)}" for i, key in enumerate(ordered)}
        self._by_slug = {
            slugify(unique[key]): slugify(alias)
            for key, alias in self._by_name.items()
            if slugify(unique[key])
        }
        words = sorted(self._by_name, key=len, reverse=True)
        self._words = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)
            if words
            else None
        )
        slugs = sorted(self._by_slug, key=len, reverse=True)
        self._slugs = (
            # Only where a key puts it ("lane-ana/why"), so "ask ana" is left to the word pass.
            re.compile(r"(?<=[-/])(" + "|".join(re.escape(s) for s in slugs) + r")(?=[-/]|$)")
            if slugs
            else None
        )

    def __len__(self) -> int:
        return len(self._by_name)

    def of(self, name: str) -> str:
        """The pseudonym of one name (the name itself when it is nobody's)."""
        return self._by_name.get(name.strip().casefold(), name)

    def text(self, text: str) -> str:
        """``text`` with every name (whole words, any case) and name slug replaced."""
        if self._slugs is not None:
            text = self._slugs.sub(lambda m: self._by_slug[m.group(1)], text)
        if self._words is not None:
            text = self._words.sub(lambda m: self._by_name[m.group(1).casefold()], text)
        return text

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self._value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self._value(v) for k, v in value.items()}
        return value

    def document(self, document: HarvestDocument) -> HarvestDocument:
        """The document with every name replaced, re-validated against its schema."""
        data = self._value(document.model_dump(mode="json", by_alias=True))
        return HarvestDocument.model_validate(data)

    def snapshot(self, snapshot: Snapshot) -> Snapshot:
        """The board's items and members with names replaced (for its picture)."""
        return replace(
            snapshot,
            items=[replace(i, content=self.text(i.content)) for i in snapshot.items],
            members={k: self.text(v) for k, v in snapshot.members.items()},
        )
