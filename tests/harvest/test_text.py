"""Text normalisation and term merging rules, one table per rule."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardsmith.harvest.text import (
    LANGUAGES,
    TermMerger,
    board_languages,
    clean,
    compact,
    fold,
    is_near_duplicate,
    split_items,
    term_key,
    unaccent,
    word_lemma,
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
        # A sentence with commas is one item, even among adjectives.
        (
            "Teachers plan together, weekly, with data",
            ["Teachers plan together, weekly, with data"],
        ),
        ("bold, caring, deeply student-centred", ["bold", "caring", "deeply student-centred"]),
    ],
)
def test_split_items(text: str, items: list[str]) -> None:
    assert split_items(text) == items


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Trust, honesty, care", ["Trust, honesty, care"]),
        ("1. Email all staff\n2. Team meetings", ["Email all staff", "Team meetings"]),
        ("- plan together\n- study work", ["plan together", "study work"]),
    ],
)
def test_notes_split_only_on_lines_and_bullets(text: str, items: list[str]) -> None:
    assert split_items(text, words=False) == items


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
        ("Équitable", "Equitable", True),
        ("Collaboratives", "collaborative", True),
        ("mutige", "mutig", True),
        ("colaborativas", "colaborativo", True),
        ("responsible", "responsive", False),
        ("inclusive", "inclusion", False),
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


@pytest.mark.parametrize(
    ("item", "lemma"),
    [
        ("Collaboratives", "collaborative"),
        ("Inclusives", "inclusive"),  # a pluralised adjective is the English adjective
        ("Équitable", "equitable"),
        ("équitables", "equitable"),
        ("caring", "care"),
        ("nurturings", "nurture"),  # follows the dictionary's chain to the base word
        ("mutigen", "mutig"),
        ("colaborativa", "colaborativo"),
        ("Innovadoras", "innovador"),
        ("courageuse", "courageux"),
        ("Student-centred", None),
        ("colaborative", None),
        ("respectfull", None),
        ("", None),
    ],
)
def test_word_lemma(item: str, lemma: str | None) -> None:
    assert word_lemma(item) == lemma


def test_unaccent_keeps_letters_and_drops_marks() -> None:
    assert unaccent("Équitable naïve Über") == "Equitable naive Uber"


def _merged(*items: str, bank: tuple[str, ...] = ()) -> bool:
    """Whether the items, added in order after the bank, all land in one term."""
    merger = TermMerger(bank)
    groups = {id(merger.add(item)) for item in items}
    return len(groups) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the seven false merges a stemmer made: same root, different words
        ("Responsible", "responsive"),
        ("Careful", "caring"),
        ("Accounting", "accountable"),
        ("Sustained", "sustainable"),
        ("Respected", "respectful"),
        ("Adaptable", "adaptive"),
        ("Supported", "supportive"),
        # and others like them
        ("inclusive", "inclusion"),
        ("inclusive", "exclusive"),
        ("caring", "daring"),
        ("intentional", "international"),
        ("adapted", "adopted"),  # one letter apart, but both are words
        ("creative", "creativity"),
        ("hopeful", "hopeless"),
        ("empowering", "empowerment"),
    ],
)
def test_two_different_words_never_merge(a: str, b: str) -> None:
    assert not _merged(a, b)
    assert not _merged(b, a)
    # nor through the word bank
    merger = TermMerger([a])
    group = merger.add(b)
    assert group is not None
    assert group.bank_index is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # case and punctuation
        ("JOYFUL", "Joyful"),
        ("Inclusive!", "inclusive"),
        ("“Caring”", "caring."),
        ("student-centred", "Student centred"),
        ("Forward-Thinking", "forward thinking"),
        # accents
        ("Équitable", "Equitable"),
        ("équitables", "EQUITABLE"),
        # inflections
        ("Collaboratives", "collaborative"),
        ("innovators", "Innovator"),
        ("Inclusives", "inclusive"),
        ("cares", "caring"),
        # typos, whichever comes first
        ("colaborative", "collaborative"),
        ("collaborative", "colaborative"),
        ("respectfull", "respectful"),
        ("colaboritive", "Collaborative"),
        ("carring", "caring"),
        ("Sustainible", "sustainable"),
        # Spanish gender and number, German inflection
        ("colaborativa", "colaborativo"),
        ("colaborativas", "Colaborativos"),
        ("innovadora", "innovador"),
        ("mutige", "mutig"),
        ("mutigen", "Mutiger"),
        ("neugierige", "neugierig"),
        # French
        ("bienveillante", "bienveillants"),
    ],
)
def test_spellings_of_one_word_merge(first: str, second: str) -> None:
    assert _merged(first, second)
    merger = TermMerger([second])
    group = merger.add(first)
    assert group is not None
    assert group.bank_index == 0


def test_html_stickies_merge_after_cleaning() -> None:
    merger = TermMerger(["Inclusive"])
    for sticky in ["<p>Inclusive</p>", "<p><strong>inclusive!</strong></p>", "INCLUSIVE"]:
        (item,) = split_items(clean(sticky))
        group = merger.add(item)
        assert group is not None
        assert group.bank_form == "inclusive"
    (group,) = merger.groups
    assert group.variant_list() == ["Inclusive", "inclusive!", "INCLUSIVE"]


def test_a_typo_joins_the_nearest_term_seen_first() -> None:
    merger = TermMerger(["adapted", "adopted"])
    # "adapted" and "adopted" are both one edit from "adpted": the first one wins
    group = merger.add("adpted")
    assert group is not None
    assert group.bank_form == "adapted"


def test_a_word_adopts_a_term_of_typos_but_never_joins_another_word() -> None:
    merger = TermMerger()
    typo = merger.add("adpted")  # one edit from both "adapted" and "adopted"
    first_word = merger.add("adopted")
    second_word = merger.add("adapted")
    assert typo is first_word
    assert second_word is not first_word
    assert [sorted(g.variants) for g in merger.groups] == [["adopted", "adpted"], ["adapted"]]


def test_a_group_never_holds_two_lemmas_on_a_real_board() -> None:
    items = [
        "Responsible", "responsive", "Responsiible", "responsives", "Careful", "caring",
        "Caareful", "carring", "Accounting", "accountable", "acountable", "Sustained",
        "sustainable", "sustinable", "Respected", "respectful", "respectfull", "Adaptable",
        "adaptive", "adaptve", "Supported", "supportive", "suportive", "inclusion",
        "inclusive", "inclusiv", "exclusive",
    ]  # fmt: skip
    merger = TermMerger()
    for item in items:
        merger.add(item)
    for group in merger.groups:
        lemmas = {word_lemma(v) for v in group.variants} - {None}
        assert len(lemmas) <= 1, (group.key, sorted(group.variants))
    # each word keeps its own term, and each typo joins the word it misspells
    assert [g.variant_list() for g in merger.groups] == [
        ["Responsible", "Responsiible"], ["responsive", "responsives"],
        ["Careful", "Caareful"], ["caring", "carring"], ["Accounting"],
        ["accountable", "acountable"], ["Sustained"], ["sustainable", "sustinable"],
        ["Respected"], ["respectful", "respectfull"], ["Adaptable"],
        ["adaptive", "adaptve"], ["Supported"], ["supportive", "suportive"],
        ["inclusion"], ["inclusive", "inclusiv"], ["exclusive"],
    ]  # fmt: skip


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


def test_merger_never_fuzzily_merges_two_bank_words_that_are_not_words() -> None:
    # Neither is in a dictionary and they are one edit apart, yet both are bank words.
    merger = TermMerger(["student-centred", "student-centered"])
    assert len(merger.groups) == 2
    group = merger.add("Student Centered")
    assert group is not None
    assert group.bank_index == 1


# Forms real stickies hold: words, their inflections, typos, foreign words, decorations.
_VOCABULARY = [
    "collaborative", "Colaborative", "COLLABORATIVES", "colaborativa", "colaborativo",
    "responsible", "responsive", "Responsiible", "careful", "caring", "carring",
    "Équitable", "equitable", "inclusive", "inclusion", "inclusiv", "Inclusive!",
    "mutig", "mutige", "student-centred", "Student centred", "adpted", "adapted",
    "adopted", "joyful", "JOYFUL.",
]  # fmt: skip


def _snapshot(merger: TermMerger) -> list[tuple[str, list[str], list[int]]]:
    return [(g.key, list(g.variants), list(g.variants.values())) for g in merger.groups]


@settings(max_examples=200, deadline=None)
@given(
    bank=st.lists(st.sampled_from(_VOCABULARY), max_size=4),
    items=st.lists(st.sampled_from(_VOCABULARY), max_size=30),
)
def test_merging_is_deterministic_and_keeps_arrival_order(
    bank: list[str], items: list[str]
) -> None:
    runs = []
    for _ in range(2):
        merger = TermMerger(bank)
        assigned = [merger.add(item) for item in items]
        runs.append(_snapshot(merger))
    assert runs[0] == runs[1]
    # every raw spelling is kept, in the order it was first written, in its own term
    for group in merger.groups:
        mine = [item for item, g in zip(items, assigned, strict=True) if g is group]
        assert list(group.variants) == list(dict.fromkeys(mine))
        assert sum(group.variants.values()) == len(mine)
        lemmas = {word_lemma(v) for v in group.forms} - {None}
        assert len(lemmas) <= 1, sorted(group.variants)
    # resolving again finds the same term and records nothing
    before = _snapshot(merger)
    for item, term in zip(items, assigned, strict=True):
        assert merger.resolve(item) is term
    assert _snapshot(merger) == before


@given(st.text(max_size=20))
def test_term_key_is_stable_and_total(text: str) -> None:
    assert term_key(text) == term_key(text)
    assert (term_key(text) == "") is (compact(text) == "")


# The leadership-vision template's word bank (45 words, six of them compounds).
_ENGLISH_BANK = (
    "Equitable", "Inclusive", "Collaborative", "Curious", "Reflective", "Trusting",
    "Transparent", "Courageous", "Adaptive", "Responsive", "Joyful", "Rigorous",
    "Student-centred", "Coherent", "Innovative", "Supportive", "Empowering", "Accountable",
    "Humble", "Bold", "Connected", "Resilient", "Caring", "Purposeful", "Focused", "Open",
    "Welcoming", "Agile", "Evidence-driven", "Learning-oriented", "Respectful", "Honest",
    "Creative", "Shared", "Distributed", "Sustainable", "Aligned", "Hopeful", "Generous",
    "Thoughtful", "Community-rooted", "Culturally responsive", "Growth-minded", "Just",
    "Vibrant",
)  # fmt: skip
_ENGLISH_STICKIES = (
    "colaborative", "Collaboratives", "Équitable", "respectfull", "Inclusive!", "carring",
    "Sustainible", "JOYFUL", "kind", "brave",
)  # fmt: skip
_SPANISH_STICKIES = (
    "colaborativa", "colaborativo", "justo", "junto", "inclusiva", "Innovadora",
    "creativo", "respetuosa", "alegre", "empática", "solidario", "abierta",
)  # fmt: skip


def test_an_english_board_consults_english_only() -> None:
    assert board_languages(_ENGLISH_BANK + _ENGLISH_STICKIES) == ("en",)
    merger = TermMerger(_ENGLISH_BANK, languages=("en",))
    assert merger.languages == ("en",)
    bank = {fold(word): i for i, word in enumerate(_ENGLISH_BANK)}
    expected = {
        "colaborative": "collaborative",
        "Collaboratives": "collaborative",
        "Équitable": "equitable",
        "respectfull": "respectful",
        "carring": "caring",
        "Sustainible": "sustainable",
    }
    for item, word in expected.items():
        group = merger.add(item)
        assert group is not None
        assert group.bank_index == bank[word], item


def test_a_spanish_board_consults_every_language() -> None:
    languages = board_languages(_SPANISH_STICKIES)
    assert languages == LANGUAGES
    merger = TermMerger(languages=languages)
    groups = {item: merger.add(item) for item in _SPANISH_STICKIES}
    assert groups["colaborativa"] is groups["colaborativo"]
    assert groups["justo"] is not groups["junto"]  # two words, one letter apart
    assert groups["inclusiva"] is not groups["Innovadora"]


@pytest.mark.parametrize(
    ("items", "languages"),
    [
        ((), ("en",)),  # nothing to look up
        (("fun", "gut", "5 stars", "2024"), ("en",)),  # too short or not letters
        (("joyful", "caring", "brave", "colaborative", "studentcentred"), ("en",)),  # 3/5
        (("joyful", "caring", "colaborative", "studentcentred"), LANGUAGES),  # 2/4
        # repeats and spellings of one form vote once
        (("mutig", "MUTIG", "mutig!", "joyful", "caring"), ("en",)),
        (("mutig", "tapfer", "neugierig", "joyful", "JOYFUL", "Joyful"), LANGUAGES),
    ],
)
def test_board_languages_threshold(items: tuple[str, ...], languages: tuple[str, ...]) -> None:
    assert board_languages(items) == languages
    assert board_languages(reversed(items)) == languages


def test_lookups_are_cached_per_language_set() -> None:
    # the same form asked with different languages, in either order, answers for each
    assert word_lemma("mutige", ("en",)) is None
    assert word_lemma("mutige") == "mutig"
    assert word_lemma("mutige", ("en",)) is None
    assert term_key("mutige", ("en",)) == "mutige"
    assert term_key("mutige") == "mutig"
    # so two mergers in one process do not share answers
    # "justo"/"junto" are two Spanish words, but to English only two forms one typo apart
    assert _merged_with(("en",), "justo", "junto")
    assert not _merged_with(LANGUAGES, "justo", "junto")
    assert _merged_with(("en",), "justo", "junto")


def _merged_with(languages: tuple[str, ...], *items: str) -> bool:
    merger = TermMerger(languages=languages)
    return len({id(merger.add(item)) for item in items}) == 1


@pytest.mark.parametrize("languages", [(), ("en", "en"), ("it",), ("EN",)])
def test_merger_refuses_unknown_languages(languages: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="languages"):
        TermMerger(languages=languages)


# Records which dictionaries simplemma builds, then merges a board twice: with the
# languages board_languages picks, and with the default (every language) as a control
# showing the probe sees the other dictionaries load.
_LOAD_PROBE = """
import json, sys
from simplemma.strategies.dictionaries import StreamDictionaryFactory

loaded = []
build = StreamDictionaryFactory._get_dictionary_uncached

def recording(self, lang):
    loaded.append(lang)
    return build(self, lang)

StreamDictionaryFactory._get_dictionary_uncached = recording

from boardsmith.harvest.text import TermMerger, board_languages

bank, stickies = json.loads(sys.argv[1])
report = {"languages": board_languages(bank + stickies)}
merger = TermMerger(bank, languages=report["languages"])
for item in stickies:
    merger.add(item)
report["chosen"] = list(loaded)
merger = TermMerger(bank)
for item in stickies:
    merger.add(item)
report["default"] = list(loaded)
print(json.dumps(report))
"""


@pytest.mark.slow
def test_an_english_board_never_loads_the_other_dictionaries() -> None:
    board = json.dumps([list(_ENGLISH_BANK), list(_ENGLISH_STICKIES)])
    run = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE, board],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(run.stdout)
    assert report["languages"] == ["en"]
    assert report["chosen"] == ["en"]
    # the control: today's default loads every dictionary for the same board
    assert sorted(report["default"]) == sorted(LANGUAGES)
