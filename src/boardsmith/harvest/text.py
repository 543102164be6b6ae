"""Text normalisation and term merging for what participants write on stickies.

Stickies arrive as Miro's HTML subset typed by tired humans: ``<p>Colaborative!</p>``,
``inclusive, joyful``, ``Student-centred``. This module turns them into *terms*: one
entry per adjective the group meant, keeping every raw spelling it was written in.

The rules, each a small function so they can be table-tested:

* :func:`clean` strips HTML and entities and collapses whitespace (what a person sees);
* :func:`split_items` splits a sticky holding a list into its items;
* :func:`fold` lower-cases and drops trailing punctuation (the form a term is shown in);
* :func:`compact` also drops hyphens, spaces and punctuation, and :func:`unaccent`
  drops accents, giving the *form* that is compared;
* :func:`word_lemma` is the form's dictionary lemma, or ``None`` when no dictionary
  attests the form as a word (a typo, a compound like ``studentcentred``);
* :func:`term_key` is a term's identity: the lemma of a word, else the form itself;
* :func:`board_languages` picks the dictionaries one board needs (see below);
* :class:`TermMerger` groups items into :class:`TermGroup` terms.

The merge rule. Two items are one term when their keys are equal, so inflections
("Collaboratives", "mutige"/"mutig", "colaborativas"/"colaborativo") merge through the
dictionary and nothing else does: a lemmatizer maps inflections to their word, never
one word to another, so "responsible"/"responsive", "careful"/"caring" and
"inclusive"/"inclusion" stay apart, unlike with a stemmer. An item may also join a
term *fuzzily*, by being one typo away (:func:`is_near_duplicate`) from a form already
seen, but only if it is not a known word itself — a real word stands on its own — or,
when it is, only into a term holding no known word yet (so "colaborative" followed by
"collaborative" is still one term). Hence a term never holds two different words.
Word-bank words never merge fuzzily at all.

Words are looked up in a merger's languages (by default all of :data:`LANGUAGES`) in
that fixed order (English first, on the accent-folded form; then the others, on the form
as written and then accent-folded), the first dictionary that attests the form deciding
its lemma, so for given languages a form's lemma never depends on what else is on the
board. The dictionaries are simplemma's, shipped in its wheel; they load on the first
lookup, not at import, so the CLI starts without them, or in a thread started by
:func:`preload_dictionaries` (a harvest starts one before its network reads).

Which languages a board needs. Loading the Spanish, French and German dictionaries costs
about 2-3 s a process (English alone about 0.1 s), and a single typo would load them all,
since "is this a known word in any language?" needs every dictionary. So a merger may
consult fewer languages (``TermMerger(bank, languages=...)``), and
:func:`board_languages` chooses them from the board's own words, deterministically, and
loading only the English dictionary to decide:

* take the distinct accent-folded compact forms of all the board's items (word bank and
  stickies) that are letters only and at least :data:`MIN_PROBE_LENGTH` long;
* if at least :data:`ENGLISH_BOARD_PERCENT` % of them are English words or inflections
  (the English lookup :func:`word_lemma` makes, a pluralised adjective included), the
  board is English and gets ``("en",)``; a board with no such form (empty, or only
  short words) has nothing to look up and is English too;
* otherwise it gets all of :data:`LANGUAGES`.

Typos and compounds count against English, because without the other dictionaries a
typo cannot be told from a foreign word. So a board written mostly in Spanish never
reads as English; an English board with a typo in one item in ten still does, while one
with very many distinct typos may not, which costs only the load time, since all of
:data:`LANGUAGES` is the full behaviour. On an English board a stray Spanish or German
word is simply not a known word: it keeps its own term, or joins one as a typo would.
The same words always give the same languages, so a board's terms depend only on its
own words and their order.
"""

from __future__ import annotations

import contextlib
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from boardsmith.templates.escape import html_to_text

if TYPE_CHECKING:
    from simplemma.strategies import DictionaryLookupStrategy
    from simplemma.strategies.dictionaries import DictionaryFactory

__all__ = [
    "TermGroup",
    "TermMerger",
    "board_languages",
    "clean",
    "compact",
    "fold",
    "is_near_duplicate",
    "preload_dictionaries",
    "split_items",
    "term_key",
    "unaccent",
    "warm_terms",
    "word_lemma",
]

#: Dictionaries consulted, in this order: the first that attests a form gives its lemma.
#: English comes first because workshops run in English; each further language costs
#: its dictionary's load time (0.1-1 s) the first time a non-English form turns up.
LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de")
#: What an English board consults (see :func:`board_languages`).
ENGLISH_ONLY: tuple[str, ...] = ("en",)
#: A board is English when at least this percentage of its distinct probe forms are
#: English words or inflections (typos and compounds count against it). Erring towards
#: "not English" only costs load time: all of LANGUAGES is today's full behaviour.
ENGLISH_BOARD_PERCENT = 60
#: Compact forms shorter than this do not vote on a board's language ("fun", "gut").
MIN_PROBE_LENGTH = 4
#: How many further dictionary steps a lemma may take (see :func:`word_lemma`).
LEMMA_CHAIN_LIMIT = 3
#: Distinct forms whose analysis is kept: a 10,000-sticky board has fewer than this.
FORM_CACHE_SIZE = 16384
#: Forms one near-duplicate graph holds before a fresh one starts (see NearGraph).
NEAR_GRAPH_SIZE = 50_000
#: Compact forms shorter than this never merge fuzzily ("fun" and "fan" differ).
MIN_FUZZY_LENGTH = 5
#: Compact forms at least this long may be two typos apart, shorter ones only one.
LONG_WORD_LENGTH = 12
#: Forms shorter than this ending in "s" are not read as a pluralised English adjective.
MIN_PLURAL_LENGTH = 4
#: A spelling of at least three letters then digits ("idea12" for "Idea 12", "group3")
#: is a label, and these languages' dictionaries hold no such key (nor one that is such
#: a spelling capitalised), so looking it up there cannot hit: a board of numbered ideas
#: would otherwise cost two dictionary scans a sticky. tests/harvest/test_text_lookups.py
#: checks this against the dictionaries themselves, so an upgrade adding such a key
#: fails there. German holds some ("surf1", "hmi96") and is still asked.
NUMBERED_LABEL = re.compile(r"[^\W\d_]{3,}\d+")
NO_NUMBERED_KEYS: frozenset[str] = frozenset({"en", "es", "fr"})

_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A sticky that is itself a list: one item per line or bullet.
_LINE_SEPARATORS = re.compile(r"\s*[\n\u2022\u00b7]\s*")
# Separators people use to put several adjectives on one line ("bold, caring").
_WORD_SEPARATORS = re.compile(r"\s*(?:[,;|]|\s/\s)\s*")
#: A comma-separated line is a list of adjectives only when every part is this short
#: ("culturally responsive" is two words);
#: "Teachers plan together, weekly" is one sentence, not two picks.
MAX_WORDS_PER_ITEM = 2
_LEADING_BULLET = re.compile(r"^(?:[-*\u2022\u2013\u2014]|\d+[.)])\s+")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212_"
_EDGE_PUNCTUATION = ".,;:!?\u2026\"'`\u2018\u2019\u201c\u201d()[]{}*" + _DASHES
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def clean(content: str) -> str:
    """Return what a person sees on a sticky: no HTML, no entities, tidy whitespace.

    Line breaks from ``<p>``/``<br>``/``<li>`` are kept as ``\\n`` so lists survive
    (a sticky with two paragraphs holds two items); see
    :func:`~boardsmith.templates.escape.html_to_text`.
    """
    return html_to_text(content)


def split_items(text: str, *, words: bool = True) -> list[str]:
    """Split a cleaned sticky into the items of a list (one item if it is not a list).

    Line breaks and bullets always separate items; a leading ``-`` or ``1.`` bullet is
    dropped. With ``words`` (a sticky of adjectives: a lane, a top slot) commas,
    semicolons, ``|`` and `` / `` separate them too, but only when every part is at
    most :data:`MAX_WORDS_PER_ITEM` words: a sentence with commas stays one item.
    Empty items vanish.
    """
    items = []
    for line in _LINE_SEPARATORS.split(text):
        parts = [line]
        if words:
            pieces = _WORD_SEPARATORS.split(line)
            if all(len(p.split()) <= MAX_WORDS_PER_ITEM for p in pieces):
                parts = pieces
        for part in parts:
            part = _LEADING_BULLET.sub("", part.strip()).strip()
            if part.strip(_EDGE_PUNCTUATION + " "):
                items.append(part)
    return items


def fold(item: str) -> str:
    """Return the display form of one item: case-folded, single spaces, no edge punctuation."""
    text = _SPACES.sub(" ", item.replace("\n", " ")).strip()
    text = text.strip(_EDGE_PUNCTUATION + " ")
    return text.casefold()


@lru_cache(maxsize=FORM_CACHE_SIZE)
def compact(item: str) -> str:
    """The folded form with hyphens, spaces and punctuation removed (``student-centred`` →
    ``studentcentred``)."""
    return _NON_WORD.sub("", fold(item))


def unaccent(text: str) -> str:
    """``text`` without combining accents (``équitable`` → ``equitable``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _strategy() -> tuple[DictionaryLookupStrategy, DictionaryFactory]:
    # Imported here so that importing boardsmith (and `boardsmith --version`) does not
    # pay for the lemmatizer. The streaming factory holds the four dictionaries in about
    # 50 MB rather than 290 MB and loads no slower; its lookups are slower (~20 µs) but
    # happen once per distinct form thanks to the cache below.
    from simplemma.strategies import DictionaryLookupStrategy
    from simplemma.strategies.dictionaries import StreamDictionaryFactory

    factory = StreamDictionaryFactory()
    return DictionaryLookupStrategy(factory), factory


_preload_lock = threading.Lock()
_preloading: threading.Thread | None = None


def preload_dictionaries(languages: Sequence[str] = ENGLISH_ONLY) -> None:
    """Start loading the lemmatizer and ``languages``' dictionaries in a background
    thread, once per process, so that a harvest started later does not wait for them.

    Call it before reading boards: importing simplemma and building the English
    dictionary is about 0.3 s of CPU that every harvest needs (see
    :func:`board_languages`), which then overlaps the network reads instead of
    following the last page. Results are the same with or without it; a failure here
    is left for the harvest's own lookup to raise.
    """
    global _preloading
    chosen = _checked_languages(languages)
    with _preload_lock:
        if _preloading is not None:
            return
        _preloading = threading.Thread(
            target=_load, args=(chosen,), name="boardsmith-dictionaries", daemon=True
        )
        _preloading.start()


def _load(languages: tuple[str, ...]) -> None:
    # A failure (simplemma missing or broken) is the harvest's to report, on its thread.
    with contextlib.suppress(Exception):
        _, factory = _strategy()
        for lang in languages:
            factory.get_dictionary(lang)


def warm_terms(items: Iterable[str], languages: Sequence[str] = ENGLISH_ONLY) -> bool:
    """Work out, ahead of a board's merger, what it will ask of ``items`` (sticky items,
    as :func:`split_items` gives them), by resolving them in a merger of their own:
    each one's form and lemma in ``languages``, and each form's near duplicates among
    the forms seen so far (:class:`NearGraph`).

    Every answer is a per-process cache of a pure function, so the board's merger
    decides exactly as without it, only faster; ``languages`` is a guess (a board's are
    known once every item is read), and a wrong guess only misses. Does nothing, and
    returns ``False``, until a started :func:`preload_dictionaries` has finished:
    waiting for it would hold up the caller.
    """
    loading = _preloading
    if loading is None or loading.is_alive():
        return False
    merger = TermMerger(languages=languages)
    for item in items:
        merger.resolve(item)
    return True


def _dictionary() -> DictionaryLookupStrategy:
    """The lemmatizer, once a preload (if one was started) has finished: the factory's
    caches are not made for two threads building one dictionary."""
    loading = _preloading
    if loading is not None and loading is not threading.current_thread():
        loading.join()
    return _strategy()[0]


def _candidates(form: str, folded: str, lang: str) -> tuple[str, ...]:
    """The spellings of one form to look up in one language's dictionary, in order."""
    if lang != "en":
        # Other languages' dictionaries hold the accented spelling, so the form as
        # written goes first and the folded one catches a dropped accent.
        return tuple(dict.fromkeys((form, folded)))
    # English spellings carry no accents, so a stray one ("Équitable") is noise. People
    # also pluralise adjectives on stickies ("Inclusives"); English has no such form,
    # so the singular is what they meant, ahead of a French "inclusives".
    if len(folded) >= MIN_PLURAL_LENGTH and folded.endswith("s"):
        return (folded, folded[:-1])
    return (folded,)


def _checked_languages(languages: Sequence[str]) -> tuple[str, ...]:
    """``languages`` as a tuple, refusing an empty, repeated or unsupported one."""
    chosen = tuple(languages)
    unknown = [lang for lang in chosen if lang not in LANGUAGES]
    if not chosen or unknown or len(set(chosen)) != len(chosen):
        raise ValueError(f"languages must be distinct codes from {LANGUAGES}, got {chosen!r}")
    return chosen


@lru_cache(maxsize=FORM_CACHE_SIZE)
def _lemma_of_form(form: str, languages: tuple[str, ...]) -> str | None:
    """The dictionary lemma of a compact form in the first of ``languages`` that knows
    it, accent-folded and compacted, or None. Only those dictionaries are loaded."""
    if not form:
        return None
    folded = unaccent(form)
    dictionary = _dictionary()
    for lang in languages:
        for candidate in _candidates(form, folded, lang):
            if lang in NO_NUMBERED_KEYS and NUMBERED_LABEL.fullmatch(candidate):
                continue
            lemma = dictionary.get_lemma(candidate, lang)
            if lemma is None:
                continue
            # The dictionaries map some inflections to another inflection of the
            # same word ("nurturings" → "nurturing" → "nurture"); following the
            # chain gives every inflection of a word the lemma its base form has.
            for _ in range(LEMMA_CHAIN_LIMIT):
                further = dictionary.get_lemma(lemma, lang)
                if further is None or further == lemma:
                    break
                lemma = further
            return _NON_WORD.sub("", unaccent(lemma.casefold())) or folded
    return None


def word_lemma(item: str, languages: Sequence[str] = LANGUAGES) -> str | None:
    """The dictionary lemma of an item (``Collaboratives`` → ``collaborative``,
    ``mutige`` → ``mutig``), or ``None`` if no dictionary in ``languages`` knows it."""
    return _lemma_of_form(compact(item), _checked_languages(languages))


def term_key(item: str, languages: Sequence[str] = LANGUAGES) -> str:
    """The identity of a term: the lemma of its compact form if it is a known word in
    ``languages``, else the accent-folded compact form. Equal keys are one term."""
    form = compact(item)
    return _lemma_of_form(form, _checked_languages(languages)) or unaccent(form)


def board_languages(items: Iterable[str]) -> tuple[str, ...]:
    """The languages a merger for a board holding ``items`` should consult:
    :data:`ENGLISH_ONLY` when English knows most of its words, else :data:`LANGUAGES`.

    ``items`` are the board's raw items (word bank and every sticky item, any order,
    repeats welcome). Of their distinct accent-folded compact forms, those made of
    letters only and at least :data:`MIN_PROBE_LENGTH` long vote; the board is English
    when at least :data:`ENGLISH_BOARD_PERCENT` % of them are English words or
    inflections, or when none votes. Only the English dictionary is ever loaded to decide.
    """
    # Folding is per distinct raw item: a big board repeats a few hundred words.
    forms = {unaccent(compact(item)) for item in set(items)}
    probes = [f for f in forms if len(f) >= MIN_PROBE_LENGTH and f.isalpha()]
    english = sum(1 for form in probes if _lemma_of_form(form, ENGLISH_ONLY) is not None)
    if 100 * english >= ENGLISH_BOARD_PERCENT * len(probes):
        return ENGLISH_ONLY
    return LANGUAGES


def is_near_duplicate(a: str, b: str) -> bool:
    """True when two compact forms are one typo apart (two for long words).

    Short words never merge fuzzily ("fun" and "fan" are different adjectives); the
    edit budget grows with length so "colaborative" joins "collaborative" but
    "inclusive" stays apart from "exclusive", and the first letter must agree.

    This is only the spelling test; :class:`TermMerger` also refuses to merge two
    known words however close they are.
    """
    if a == b:
        return True
    shortest = min(len(a), len(b))
    # People rarely mistype the first letter, while different words often differ
    # only there ("caring"/"daring"), so that letter must agree.
    if shortest < MIN_FUZZY_LENGTH or a[0] != b[0]:
        return False
    budget = _edit_budget(shortest)
    return OSA.distance(a, b, score_cutoff=budget) <= budget


def _edit_budget(shortest: int) -> int:
    """How many edits apart two forms may be, the shorter ``shortest`` letters long."""
    return 2 if shortest >= LONG_WORD_LENGTH else 1


@lru_cache(maxsize=FORM_CACHE_SIZE)
def _variant(raw_item: str) -> str:
    """How a raw item is recorded among a term's variants: one line, single spaces."""
    return _SPACES.sub(" ", raw_item.replace("\n", " ")).strip()


@lru_cache(maxsize=FORM_CACHE_SIZE)
def _analysis(written: str, languages: tuple[str, ...]) -> tuple[str, str | None]:
    """A compact form's accent-folded form and lemma: what every merge decision about
    it starts from, kept so that a watch's refreshes (the same texts again and again)
    look each text up once per process."""
    return unaccent(written), _lemma_of_form(written, languages)


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
    """Assigns items to terms, merging inflections and typos, deterministically by
    arrival order, and never merging two different known words.

    Seed it with the template's word bank (in bank order) so bank words define the
    canonical terms and their ranking tiebreak; then :meth:`add` every item seen.
    ``languages`` are the dictionaries consulted, both for lemmas and for whether a form
    is a known word (use :func:`board_languages` so an English board loads only
    English); only those are ever loaded.
    """

    def __init__(
        self, word_bank: Sequence[str] = (), *, languages: Sequence[str] = LANGUAGES
    ) -> None:
        self._languages = _checked_languages(languages)
        self._groups: list[TermGroup] = []
        self._by_key: dict[str, TermGroup] = {}
        self._by_form: dict[str, TermGroup] = {}
        # Fuzzy candidates are a form's near duplicates among every form this process
        # has seen (see NearGraph), of which only this merger's count.
        self._graph = NearGraph.shared()
        self._done: dict[str, TermGroup] = {}
        # first_seen of every group that already holds a known word: a second, different
        # word may never join it fuzzily (its lemma would have matched the key if equal).
        self._holds_word: set[int] = set()
        for index, word in enumerate(word_bank):
            group = self._find_or_create(word, allow_fuzzy=False)
            if group.bank_index is None:
                group.bank_index = index
                group.bank_form = fold(word)

    @classmethod
    def for_board(cls, word_bank: Sequence[str], items: Iterable[str]) -> TermMerger:
        """A merger for a board holding ``items`` (besides its bank), consulting only
        the languages :func:`board_languages` finds it written in."""
        return cls(word_bank, languages=board_languages([*word_bank, *items]))

    @property
    def languages(self) -> tuple[str, ...]:
        """The dictionaries this merger consults, in lookup order."""
        return self._languages

    @property
    def groups(self) -> list[TermGroup]:
        """Every term, in the order it was first created (word bank first)."""
        return list(self._groups)

    def add(self, raw_item: str, *, count: bool = True) -> TermGroup | None:
        """Return the term for one item (``None`` for an empty item), recording its variant.

        ``count=False`` resolves without counting (e.g. a word-bank sticky nobody picked).
        """
        written = compact(raw_item)
        if not written:
            return None
        group = self._done.get(written) or self._find_or_create(raw_item, allow_fuzzy=True)
        if count:
            group.variants[_variant(raw_item)] += 1
        return group

    def resolve(self, raw_item: str) -> TermGroup | None:
        """The term an item would join, without recording anything."""
        return self.add(raw_item, count=False)

    def _find_or_create(self, item: str, *, allow_fuzzy: bool) -> TermGroup:
        written = compact(item)
        # A form met before gets the group it got then: its key now maps to that group
        # (set below, never reset), and the rest is idempotent. A harvest feeds each
        # text several times (picks, tally, terms), so this is most lookups.
        done = self._done.get(written)
        if done is not None:
            return done
        form, lemma = _analysis(written, self._languages)
        key = lemma or form
        group = self._by_key.get(key) or self._by_form.get(form)
        if group is None and allow_fuzzy:
            group = self._fuzzy_match(form, is_word=lemma is not None)
        if group is None:
            group = TermGroup(key=key, first_seen=len(self._groups))
            self._groups.append(group)
        if lemma is not None:
            self._holds_word.add(group.first_seen)
        self._by_key.setdefault(key, group)
        if form not in self._by_form:
            self._by_form[form] = group
            self._index(form)
        group.forms.add(form)
        self._done[written] = group
        return group

    def _index(self, form: str) -> None:
        # Shorter forms never merge fuzzily, so they are never candidates.
        if len(form) >= MIN_FUZZY_LENGTH:
            self._graph.add(form)

    def _fuzzy_match(self, form: str, *, is_word: bool) -> TermGroup | None:
        if len(form) < MIN_FUZZY_LENGTH:
            return None
        by_form = self._by_form
        # A real word stands on its own: it may only adopt a term made of typos (one
        # seen before the word itself), never one that has a word already.
        refused = self._holds_word if is_word else frozenset()
        best: TermGroup | None = None
        best_rank = (0, 0)
        # The graph knows every form this merger indexed, so its near duplicates of
        # ``form`` that this merger knows are exactly those a scan would find.
        for known, distance in self._graph.add(form).items():
            group = by_form.get(known)
            if group is None or group.first_seen in refused:
                continue
            # (distance, first_seen) names one group, so the pool's order cannot matter.
            rank = (distance, group.first_seen)
            if best is None or rank < best_rank:
                best, best_rank = group, rank
        return best


class NearGraph:
    """Every compact form a process has indexed, each with its near duplicates
    (:func:`is_near_duplicate`) and their edit distances.

    Near duplicates are a property of two strings alone, so they are found once per
    form and process rather than once per merger: a watch harvests the same texts
    every refresh, and the board's thousands of forms then cost a dictionary lookup
    each. Candidates are found through deletion neighbourhoods (see
    :func:`_deletions`): forms within the edit budget share a form with one (two, for
    long words) letters deleted, so adding a form costs its length, not the number of
    forms, even when thousands share a prefix ("idea 1" ... "idea 4000").

    A merger keeps the graph it started with; :meth:`shared` starts a new one once
    the current one holds :data:`NEAR_GRAPH_SIZE` forms, so memory stays bounded.
    """

    _current: NearGraph | None = None

    def __init__(self) -> None:
        #: Candidate forms screened so far (the work, independent of the machine).
        self.compared = 0
        self._near: dict[str, dict[str, int]] = {}
        self._short: dict[str, list[str]] = {}
        self._long: dict[str, list[str]] = {}

    @classmethod
    def shared(cls) -> NearGraph:
        """The process's graph (a fresh one when the last grew full)."""
        if cls._current is None or len(cls._current) >= NEAR_GRAPH_SIZE:
            cls._current = cls()
        return cls._current

    @classmethod
    def reset(cls) -> None:
        """Make the next merger start a fresh graph (a benchmark timing a cold merger);
        mergers already made keep theirs."""
        cls._current = None

    def __len__(self) -> int:
        return len(self._near)

    def add(self, form: str) -> dict[str, int]:
        """``form``'s near duplicates among the forms added so far (itself excluded),
        with their distances; ``form`` is added if it is new (read-only result)."""
        found = self._near.get(form)
        if found is not None:
            return found
        pool = self._pool(form)
        self.compared += len(pool)
        found = _near_in(form, pool)
        for known, distance in found.items():
            # The relation is symmetric: ``form`` is near ``known`` too.
            self._near[known][form] = distance
        self._near[form] = found
        for variant in _deletions(form, 1):
            self._short.setdefault(variant, []).append(form)
        if len(form) >= LONG_WORD_LENGTH:
            for variant in _deletions(form, 2):
                self._long.setdefault(variant, []).append(form)
        return found

    def _pool(self, form: str) -> set[str]:
        """Known forms that may be near ``form``: a superset of its near duplicates.

        Every form one edit away shares a one-deletion variant with ``form``; two edits
        apart are only allowed when both are long, and then share a two-deletion one.
        """
        pool: set[str] = set()
        for variant in _deletions(form, 1):
            pool.update(self._short.get(variant, ()))
        if len(form) >= LONG_WORD_LENGTH:
            for variant in _deletions(form, 2):
                pool.update(self._long.get(variant, ()))
        return pool


def _near_in(form: str, pool: Iterable[str]) -> dict[str, int]:
    """The forms of ``pool`` (none equal to ``form``) that :func:`is_near_duplicate`
    finds near ``form``, with their distances, decided exactly as it decides but in
    one C call: the first letter must agree, and two edits are allowed only between
    two long forms."""
    if len(form) < MIN_FUZZY_LENGTH:
        return {}
    first = form[0]
    alike = [k for k in pool if k[0] == first and len(k) >= MIN_FUZZY_LENGTH]
    found: dict[str, int] = {}
    # ``form``'s own budget bounds every pair's; the shorter form of a pair decides.
    for known, score, _ in process.extract(
        form, alike, scorer=OSA.distance, score_cutoff=_edit_budget(len(form)), limit=None
    ):
        distance = int(score)
        if distance <= _edit_budget(min(len(form), len(known))):
            found[known] = distance
    return found


@lru_cache(maxsize=FORM_CACHE_SIZE)
def _deletions(form: str, depth: int) -> frozenset[str]:
    """``form`` and every string made from it by deleting up to ``depth`` letters.

    Two strings at most ``depth`` edits apart (insertions, deletions, substitutions,
    adjacent transpositions, as :func:`is_near_duplicate` counts them) always share
    one: each edit costs at most one deletion on either side.
    """
    found = {form}
    frontier = {form}
    for _ in range(depth):
        frontier = {word[:i] + word[i + 1 :] for word in frontier for i in range(len(word))}
        found |= frontier
    return frozenset(found)
