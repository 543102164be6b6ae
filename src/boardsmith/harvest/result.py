"""One result per board: the group's choice when it filled the slots, else the proposal.

Every output names this one list. When the group has put stickies in the top slots,
those are the result, in slot order; the tally's ranking is then the *proposal*, and
each difference between the two is one sentence with its reason ("ranked 7th; picked
by 1 of 5"). With every slot empty the proposal is the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from boardsmith.harvest.model import ResultRecord, TallyRecord, TermRecord, TopSlotRecord
from boardsmith.harvest.text import fold

__all__ = ["choose", "display", "ordinal", "slot_words", "spellings", "tidy"]

_EDGE = ".,;:!?\u2026-"


def tidy(text: str) -> str:
    """A sticky's text as a heading shows it: without stray edge punctuation."""
    return text.strip().strip(_EDGE).strip() or text


def display(term: TermRecord) -> str:
    """How a term is shown and written back: the most common spelling that matches the
    term (so never a typo), as people wrote it, without stray punctuation."""
    matching = [v for v in term.variants if fold(v) == term.term]
    raw = (matching or term.variants or [term.term])[0]
    return tidy(raw) or term.term


def spellings(tally: TallyRecord) -> dict[str, str]:
    """Each of the tally's terms as reports spell it (:func:`display`), for every line
    people read; programs keep the terms themselves."""
    return {t.term: display(t) for t in tally.terms}


def slot_words(slot: TopSlotRecord, terms: Mapping[str, TermRecord]) -> list[tuple[str, str, str]]:
    """Each adjective in a slot: its term, the text it was written as, and how reports
    show it: as the group wrote it, unless that is a misspelling of an adjective the
    tally knows (then the tally's spelling, :func:`display`) or all lower case where the
    tally's spelling is not ("equitable" in the box, "Equitable" in the tally).

    A slot's texts are per sticky and its terms per adjective: they pair up only when
    each sticky holds one adjective; otherwise a term stands for its own text.
    """
    aligned = len(slot.texts) == len(slot.terms)
    words = []
    for n, term in enumerate(slot.terms):
        written = slot.texts[n] if aligned else term
        words.append((term, written, _shown(tidy(written), terms.get(term))))
    return words


def _shown(own: str, known: TermRecord | None) -> str:
    if known is None:
        return own
    spelled = display(known)
    if fold(own) != known.term or (own.islower() and not spelled.islower()):
        return spelled
    return own


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _standing(tally: TallyRecord, term: str) -> str:
    ranked = [t.term for t in tally.terms]
    if term not in ranked:
        return "nobody picked it in a lane"
    found = tally.terms[ranked.index(term)]
    people = len(tally.participants)
    dots = f", {found.dots} dot{'s' if found.dots != 1 else ''}" if found.dots else ""
    return f"ranked {ordinal(ranked.index(term) + 1)}; picked by {found.picks} of {people}{dots}"


def choose(tally: TallyRecord, slots: Sequence[TopSlotRecord]) -> ResultRecord:
    """The board's one result, with the proposal and every disagreement spelled out."""
    filled = [s for s in slots if s.stickies]
    proposal = list(tally.top)
    by_term = {t.term: t for t in tally.terms}
    if not filled:
        return ResultRecord(
            source="proposal",
            top=proposal,
            texts=[display(by_term[t]) for t in proposal],
            slots=len(slots),
            filled=0,
            proposal=proposal,
            ties_at_cutoff=list(tally.ties_at_cutoff),
        )
    top: list[str] = []
    texts: list[str] = []
    disagreements: list[str] = []
    for slot in filled:
        if not slot.terms:
            shown = ", ".join(repr(t) for t in slot.texts)
            disagreements.append(
                f"Slot {slot.rank} holds {shown}, which harvest could not read as an adjective."
            )
        for term, text, shown in slot_words(slot, by_term):
            if term not in top:
                top.append(term)
                texts.append(shown)
            if term not in proposal:
                disagreements.append(
                    f"Slot {slot.rank} holds {text!r}, which the tally did not propose "
                    f"({_standing(tally, term)})."
                )
    if len(filled) == len(slots):
        for term in proposal:
            if term not in top:
                disagreements.append(
                    f"{display(by_term[term])!r} was proposed ({_standing(tally, term)}) but "
                    "the group put it in no slot."
                )
    return ResultRecord(
        source="group",
        top=top,
        texts=texts,
        slots=len(slots),
        filled=len(filled),
        proposal=proposal,
        ties_at_cutoff=list(tally.ties_at_cutoff),
        disagreements=disagreements,
    )
