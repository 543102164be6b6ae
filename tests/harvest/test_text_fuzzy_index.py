"""The merger's near-duplicate index finds exactly what a scan of every known form finds.

:class:`ScanningMerger` is the rule as written: compare a new form with every form
seen so far. The indexed :class:`TermMerger` must make the same decision for every
item, on boards built to stress the index: shared prefixes, typos of every kind,
long words (two edits allowed), known words and word-bank words.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from boardsmith.harvest.text import TermGroup, TermMerger, is_near_duplicate

ENGLISH = ("en",)
BANK = ["Collaborative", "Inclusive", "Student-centred", "Joyful", "Equitable", "Curious"]
STEMS = [
    "collaborative", "inclusive", "studentcentred", "joyful", "equitable", "curious",
    "responsible", "responsive", "careful", "caring", "daring", "idea", "innovationhub",
    "transformational", "transformative", "respectful",
]  # fmt: skip


class ScanningMerger(TermMerger):
    """The fuzzy rule by brute force over every known form (the reference)."""

    def _fuzzy_match(self, form: str, *, is_word: bool) -> TermGroup | None:
        best: tuple[int, int, TermGroup] | None = None
        for known, group in self._by_form.items():
            if known == form or not is_near_duplicate(form, known):
                continue
            if is_word and group.first_seen in self._holds_word:
                continue
            candidate = (OSA.distance(form, known), group.first_seen, group)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        return best[2] if best else None


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 2:
        return word + "x"
    i = rng.randrange(1, len(word))
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + rng.choice("aeioux") + word[i:]
    if kind == 2:
        return word[:i] + rng.choice("aeioux") + word[i + 1 :]
    j = min(i + 1, len(word) - 1)
    chars = list(word)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def _board(seed: int, size: int) -> list[str]:
    rng = random.Random(seed)
    items = []
    for n in range(size):
        stem = rng.choice(STEMS)
        roll = rng.random()
        if roll < 0.3:
            items.append(f"{stem} {rng.randrange(200)}")
        elif roll < 0.7:
            word = stem
            for _ in range(rng.randrange(1, 3)):
                word = _typo(word, rng)
            items.append(word.title() if n % 3 else word)
        else:
            items.append(stem)
    return items


def _decisions(merger: TermMerger, items: list[str]) -> list[tuple[int, str] | None]:
    out = []
    for item in items:
        group = merger.add(item)
        out.append(None if group is None else (group.first_seen, group.key))
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=300))
def test_indexed_merger_decides_like_a_full_scan(seed: int, size: int) -> None:
    items = _board(seed, size)
    indexed = TermMerger(BANK, languages=ENGLISH)
    scanning = ScanningMerger(BANK, languages=ENGLISH)
    assert _decisions(indexed, items) == _decisions(scanning, items)
    assert [(g.key, dict(g.variants), g.forms) for g in indexed.groups] == [
        (g.key, dict(g.variants), g.forms) for g in scanning.groups
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdeé -", min_size=0, max_size=16), max_size=60))
def test_indexed_merger_matches_a_full_scan_on_arbitrary_text(items: list[str]) -> None:
    indexed = TermMerger(languages=ENGLISH)
    scanning = ScanningMerger(languages=ENGLISH)
    assert _decisions(indexed, items) == _decisions(scanning, items)


def test_shared_prefixes_still_merge_only_typos() -> None:
    merger = TermMerger(languages=ENGLISH)
    ideas = [merger.add(f"idea {n}") for n in range(1, 400)]
    # "idea 12" and "idea 13" are one edit apart, so the rule merges them: the
    # index must keep that decision, not hide it.
    assert ideas[11] is ideas[12]
    long_a = merger.add("transformational")
    long_b = merger.add("transfromationl")  # two edits, both long: one term
    assert long_a is long_b
