"""Text normalisation and term merging rules, one table per rule."""

from __future__ import annotations

import pytest

from boardsmith.harvest.text import (
    TermMerger,
    clean,
    fold,
    is_near_duplicate,
    split_items,
    term_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Inclusive</p>", "Inclusive"),
        ("<p><strong>Bold</strong>&nbsp;&amp; brave</p>", "Bold & brave"),
        ("  lots   of\tspace ", "lots of space"),
        ("<p>one</p><p>two</p>", "one\ntwo"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("&lt;b&gt;not a tag&lt;/b&gt;", "<b>not a tag</b>"),
        ("", ""),
    ],
)
def test_clean_strips_html_and_entities(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("inclusive, joyful", ["inclusive", "joyful"]),
        ("inclusive;joyful; brave", ["inclusive", "joyful", "brave"]),
        ("inclusive\njoyful", ["inclusive", "joyful"]),
        ("- inclusive\n- joyful", ["inclusive", "joyful"]),
        ("• caring • bold", ["caring", "bold"]),
        ("student-centred", ["student-centred"]),
        ("safe and brave", ["safe and brave"]),
        ("joyful, , ...", ["joyful"]),
    ],
)
def test_split_items(text: str, items: list[str]) -> None:
    assert split_items(text) == items


@pytest.mark.parametrize(
    ("item", "folded"),
    [
        ("Collaborative!", "collaborative"),
        ("  JOYFUL. ", "joyful"),
        ("“Caring”", "caring"),
        ("Student-Centred...", "student-centred"),
        ("-bold-", "bold"),
    ],
)
def test_fold(item: str, folded: str) -> None:
    assert fold(item) == folded


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Collaborative", "collaborative!", True),
        ("student-centred", "Student centred", True),
        ("forward thinking", "Forward-Thinking", True),
        ("innovators", "Innovator", True),
        ("cares", "caring", True),
        ("inclusive", "joyful", False),
    ],
)
def test_term_key_ignores_case_hyphens_plurals(a: str, b: str, same: bool) -> None:
    assert (term_key(a) == term_key(b)) is same


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("colaborative", "collaborative", True),
        ("respectfull", "respectful", True),
        ("colaboritive", "collaborative", True),
        ("inclusive", "exclusive", False),
        ("fun", "fan", False),
        ("caring", "daring", False),
        ("carring", "caring", True),
        ("intentional", "international", False),
    ],
)
def test_near_duplicates(a: str, b: str, near: bool) -> None:
    assert is_near_duplicate(a, b) is near


def test_merger_keeps_variants_and_shows_most_common() -> None:
    merger = TermMerger()
    for item in ["colaborative", "Collaborative", "collaborative.", "COLLABORATIVE"]:
        merger.add(item)
    (group,) = merger.groups
    assert group.term == "collaborative"
    assert set(group.variants) == {
        "colaborative",
        "Collaborative",
        "collaborative.",
        "COLLABORATIVE",
    }


def test_merger_never_fuzzily_merges_two_bank_words() -> None:
    merger = TermMerger(["caring", "daring"])
    assert len(merger.groups) == 2
    # a typo goes to the nearest bank word, not a new term
    first = merger.add("carring")
    assert first is not None
    assert first.bank_form == "caring"


def test_merger_prefers_bank_spelling_on_a_tie() -> None:
    merger = TermMerger(["student-centred"])
    merger.add("student centred")
    merger.add("student-centred")
    (group,) = merger.groups
    assert group.term == "student-centred"


def test_merger_ignores_empty_items() -> None:
    merger = TermMerger()
    assert merger.add("...") is None
    assert merger.groups == []
