"""Text normalisation and term merging for what participants write on stickies.

Stickies arrive as Miro's HTML subset typed by tired humans: ``<p>Colaborative!</p>``,
``inclusive, joyful``, ``Student-centred``. This module turns them into *terms*: one
entry per adjective the group meant, keeping every raw spelling it was written in.

The rules, each a small function so they can be table-tested:

* :func:`clean` strips HTML and entities and collapses whitespace (what a person sees);
* :func:`split_items` splits a sticky holding a list into its items;
* :func:`fold` lower-cases and drops trailing punctuation (the form a term is shown in);
* :func:`term_key` also ignores hyphens and spaces and stems (what makes two forms equal);
* :class:`TermMerger` merges forms sharing a stem, or near-identical ones (typos), into
  one :class:`TermGroup`, but never fuzzily merges two distinct word-bank words.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = [
    "TermGroup",
    "TermMerger",
    "clean",
    "compact",
    "fold",
    "is_near_duplicate",
    "split_items",
    "term_key",
]

# Block-level tags end a line: a sticky with two paragraphs holds two items.
_BLOCK_TAGS = re.compile(r"<\s*(?:br|/p|/div|/li|p|div|li)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Separators people use to put several adjectives on one sticky.
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;\n\u2022\u00b7|]|\s/\s)\s*")
_LEADING_BULLET = re.compile(r"^(?:[-*\u2022\u2013\u2014]|\d+[.)])\s+")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212_"
_EDGE_PUNCTUATION = ".,;:!?\u2026\"'`\u2018\u2019\u201c\u201d()[]{}*" + _DASHES
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def clean(content: str) -> str:
    """Return what a person sees on a sticky: no HTML, no entities, tidy whitespace.

    Line breaks from ``<p>``/``<br>``/``<li>`` are kept as ``\\n`` so lists survive.
    """
    text = _BLOCK_TAGS.sub("\n", content)
    text = _ANY_TAG.sub("", text)
    # Unescape after removing tags so an escaped "&lt;b&gt;" stays visible text.
    text = html.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def split_items(text: str) -> list[str]:
    """Split a cleaned sticky into the items of a list (one item if it is not a list).

    Commas, semicolons, line breaks, bullets and `` / `` separate items; a leading
    ``-`` or ``1.`` bullet is dropped. Empty items vanish.
    """
    items = []
    for part in _LIST_SEPARATORS.split(text):
        part = _LEADING_BULLET.sub("", part.strip()).strip()
        if part.strip(_EDGE_PUNCTUATION + " "):
            items.append(part)
    return items


def fold(item: str) -> str:
    """Return the display form of one item: case-folded, single spaces, no edge punctuation."""
    text = _SPACES.sub(" ", item.replace("\n", " ")).strip()
    text = text.strip(_EDGE_PUNCTUATION + " ")
    return text.casefold()


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer("english")


def compact(item: str) -> str:
    """The folded form with hyphens, spaces and punctuation removed (``student-centred`` →
    ``studentcentred``)."""
    return _NON_WORD.sub("", fold(item))


@lru_cache(maxsize=4096)
def term_key(item: str) -> str:
    """The identity of a term: the stem of its compact form. Equal keys are one term."""
    word = compact(item)
    return str(_stemmer().stemWord(word)) if word else ""


def is_near_duplicate(a: str, b: str) -> bool:
    """True when two compact forms are one typo apart (two for long words).

    Short words never merge fuzzily ("fun" and "fan" are different adjectives); the
    edit budget grows with length so "colaborative" joins "collaborative" but
    "inclusive" stays apart from "exclusive", and the first letter must agree.
    """
    if a == b:
        return True
    shortest = min(len(a), len(b))
    # People rarely mistype the first letter, while different words often differ
    # only there ("caring"/"daring"), so that letter must agree.
    if shortest < 5 or a[0] != b[0]:
        return False
    budget = 2 if shortest >= 12 else 1
    return OSA.distance(a, b, score_cutoff=budget) <= budget


@dataclass
class TermGroup:
    """One merged term: every raw variant written for it and how often."""

    key: str
    variants: Counter[str] = field(default_factory=Counter)
    forms: set[str] = field(default_factory=set)
    bank_index: int | None = None
    bank_form: str | None = None
    first_seen: int = 0

    @property
    def term(self) -> str:
        """The display form: the most common folded variant; ties go to the word bank's
        spelling, then to the variant seen first."""
        folded: Counter[str] = Counter()
        order: dict[str, int] = {}
        for i, (variant, count) in enumerate(self.variants.items()):
            form = fold(variant)
            folded[form] += count
            order.setdefault(form, i)
        if not folded:
            return self.bank_form or self.key

        def rank(form: str) -> tuple[int, int, int]:
            return (-folded[form], 0 if form == self.bank_form else 1, order[form])

        return min(folded, key=rank)

    def variant_list(self) -> list[str]:
        """Raw variants, most common first, then in the order they were first seen."""
        order = {v: i for i, v in enumerate(self.variants)}
        return sorted(self.variants, key=lambda v: (-self.variants[v], order[v]))


class TermMerger:
    """Assigns items to terms, merging stems and typos, deterministically by arrival order.

    Seed it with the template's word bank (in bank order) so bank words define the
    canonical terms and their ranking tiebreak; then :meth:`add` every item seen.
    """

    def __init__(self, word_bank: Sequence[str] = ()) -> None:
        self._groups: list[TermGroup] = []
        self._by_key: dict[str, TermGroup] = {}
        self._by_form: dict[str, TermGroup] = {}
        # Fuzzy candidates share the first letter and differ in length by at most two,
        # so forms are indexed by (first letter, length) to keep big boards linear-ish.
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for index, word in enumerate(word_bank):
            group = self._find_or_create(word, allow_fuzzy=False)
            if group.bank_index is None:
                group.bank_index = index
                group.bank_form = fold(word)

    @property
    def groups(self) -> list[TermGroup]:
        """Every term, in the order it was first created (word bank first)."""
        return list(self._groups)

    def add(self, raw_item: str, *, count: bool = True) -> TermGroup | None:
        """Return the term for one item (``None`` for an empty item), recording its variant.

        ``count=False`` resolves without counting (e.g. a word-bank sticky nobody picked).
        """
        if not compact(raw_item):
            return None
        group = self._find_or_create(raw_item, allow_fuzzy=True)
        if count:
            group.variants[_SPACES.sub(" ", raw_item.replace("\n", " ")).strip()] += 1
        return group

    def resolve(self, raw_item: str) -> TermGroup | None:
        """The term an item would join, without recording anything."""
        return self.add(raw_item, count=False)

    def _find_or_create(self, item: str, *, allow_fuzzy: bool) -> TermGroup:
        key = term_key(item)
        form = compact(item)
        group = self._by_key.get(key) or self._by_form.get(form)
        if group is None and allow_fuzzy:
            group = self._fuzzy_match(form)
        if group is None:
            group = TermGroup(key=key, first_seen=len(self._groups))
            self._groups.append(group)
        self._by_key.setdefault(key, group)
        if form not in self._by_form:
            self._by_form[form] = group
            self._by_shape.setdefault((form[:1], len(form)), []).append(form)
        group.forms.add(form)
        return group

    def _fuzzy_match(self, form: str) -> TermGroup | None:
        best: tuple[int, int, TermGroup] | None = None
        pool = [
            known
            for length in range(len(form) - 2, len(form) + 3)
            for known in self._by_shape.get((form[:1], length), ())
        ]
        # One C call screens the pool; the length-dependent budget is checked on hits.
        for known, distance, _ in process.extract(
            form, pool, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            if not is_near_duplicate(form, known):
                continue
            group = self._by_form[known]
            candidate = (int(distance), group.first_seen, group)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        return best[2] if best else None
