"""Dictionary lookups the merger skips or starts early, checked against simplemma itself.

A numbered label ("Idea 12" -> ``idea12``) is not looked up in the languages of
:data:`NO_NUMBERED_KEYS`, because their dictionaries hold no key it could hit: the
first test reads every key of those dictionaries, so a simplemma upgrade that adds
one fails here rather than silently changing a board's terms.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simplemma.strategies.dictionaries import StreamDictionaryFactory

from boardsmith.harvest.text import (
    LANGUAGES,
    NO_NUMBERED_KEYS,
    NUMBERED_LABEL,
    TermMerger,
    _dictionary,
    preload_dictionaries,
    term_key,
    word_lemma,
)
from tests.cli_helpers import run_python


def test_no_dictionary_that_skips_numbered_labels_holds_one() -> None:
    # A lookup of a (lower-case) spelling hits a key equal to it or to it capitalised
    # (simplemma's DictionaryLookupStrategy.get_lemma; compact forms have no
    # apostrophes, and these languages have no canonicalisation table), so a key that
    # could be hit is, lower-cased, a numbered label itself.
    factory = StreamDictionaryFactory()
    for lang in sorted(NO_NUMBERED_KEYS):
        hits = [
            key for key in factory.get_dictionary(lang) if NUMBERED_LABEL.fullmatch(key.lower())
        ]
        assert hits == [], f"{lang} holds numbered keys: {hits[:10]}"


def test_german_holds_numbered_keys_so_it_is_still_asked() -> None:
    assert "de" in LANGUAGES
    assert "de" not in NO_NUMBERED_KEYS
    assert _dictionary().get_lemma("surf1", "de") is not None
    assert word_lemma("surf1") == "surf1"  # German's lemma, found as before
    assert word_lemma("surf1", ("en",)) is None


@pytest.mark.parametrize(
    ("item", "label"),
    [
        ("Idea 12", True),
        ("group3", True),
        ("Équipe 7", True),
        ("cm3", False),  # two letters: English has "cm3", still looked up
        ("4ever", False),
        ("idea", False),
        ("12", False),
        ("idea 12b", False),
    ],
)
def test_what_counts_as_a_numbered_label(item: str, label: bool) -> None:
    form = term_key(item, ("en",))
    assert bool(NUMBERED_LABEL.fullmatch(form)) is label


def test_short_and_digit_first_spellings_are_still_looked_up() -> None:
    assert word_lemma("cm3", ("en",)) == "cm3"
    assert word_lemma("4ever", ("en",)) == "4ever"


@settings(max_examples=200, deadline=None)
@given(
    letters=st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=3, max_size=12),
    number=st.integers(min_value=0, max_value=10**6),
)
def test_a_skipped_label_is_one_the_dictionary_does_not_know(letters: str, number: int) -> None:
    label = f"{letters}{number}"
    assert NUMBERED_LABEL.fullmatch(label)
    for lang in NO_NUMBERED_KEYS:
        assert _dictionary().get_lemma(label, lang) is None
        assert _dictionary().get_lemma(label.capitalize(), lang) is None
    # so the merger, which skips the lookup, answers what the lookup would have
    assert word_lemma(label, ("en", "es", "fr")) is None


def test_numbered_ideas_still_merge_as_typos_of_each_other() -> None:
    merger = TermMerger(languages=("en",))
    groups = {id(merger.add(f"idea {n}")) for n in range(1, 40)}
    assert len(groups) == 1  # "idea 2" is one edit from "idea 1", and so on


# Records every dictionary simplemma builds and on which thread, with a preload.
_PRELOAD_PROBE = """
import json, threading
from simplemma.strategies.dictionaries import StreamDictionaryFactory

built = []
build = StreamDictionaryFactory._get_dictionary_uncached

def recording(self, lang):
    built.append([lang, threading.current_thread().name])
    return build(self, lang)

StreamDictionaryFactory._get_dictionary_uncached = recording

from boardsmith.harvest import text

text.preload_dictionaries()
text.preload_dictionaries()  # once per process
lemma = text.word_lemma("Collaboratives", ("en",))
spanish = text.word_lemma("colaborativas")
print(json.dumps({"built": built, "lemma": lemma, "spanish": spanish}))
"""


@pytest.mark.slow
def test_a_preload_builds_english_once_off_the_caller_thread() -> None:
    run = run_python(_PRELOAD_PROBE, check=True)
    report = json.loads(run.stdout)
    assert run.stderr == ""
    assert report["lemma"] == "collaborative"
    assert report["spanish"] == "colaborativo"
    langs = [lang for lang, _ in report["built"]]
    assert langs.count("en") == 1
    assert ["en", "boardsmith-dictionaries"] in report["built"]
    # the other languages load on the caller's thread, when first needed
    assert all(thread == "MainThread" for lang, thread in report["built"] if lang != "en")


def test_preload_refuses_unknown_languages() -> None:
    with pytest.raises(ValueError, match="languages"):
        preload_dictionaries(("xx",))
