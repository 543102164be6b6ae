"""One result per board: the group's choice when it filled the slots, else the proposal.

Every output names this one list. When the group has put stickies in the top slots,
those are the result, in slot order; the tally's ranking is then the *proposal*, and
each difference between the two is one sentence with its reason ("ranked 7th; picked
by 1 of 5"). With every slot empty the proposal is the result.
"""

from __future__ import annotations

from collections.abc import Sequence

from boardsmith.harvest.model import ResultRecord, TallyRecord, TermRecord, TopSlotRecord
from boardsmith.harvest.text import fold

__all__ = ["choose", "display", "ordinal", "tidy"]

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
        for text, term in zip(slot.texts, slot.terms, strict=False):
            if term not in top:
                top.append(term)
                # An adjective the tally knows is spelled as everywhere else (its most
                # common spelling, never the slot's typo or lower case); anything else
                # as the group wrote it.
                texts.append(display(by_term[term]) if term in by_term else tidy(text))
            if term not in proposal:
                disagreements.append(
                    f"Slot {slot.rank} holds {text!r}, which the tally did not propose "
                    f"({_standing(tally, term)})."
                )
    if len(filled) == len(slots):
        for term in proposal:
            if term not in top:
                disagreements.append(
                    f"{term!r} was proposed ({_standing(tally, term)}) but the group put it "
                    "in no slot."
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
