"""Counting picks and dots into ranked terms.

The ranking rule the group agreed on in the protocol, in order: the number of
distinct participants who picked a term, then its dot votes, then (only among the
terms tied at the cut-off that are on the board's runoff, see ``narrow --runoff``)
its runoff votes, then its first appearance in the word bank (bank terms before new
ones), then alphabetically. Picks, dots and runoff votes are *votes*; the last two
keys only make the order stable, so two terms with equal votes on both sides of the
cut-off are a real tie and are reported in ``ties_at_cutoff``.

A runoff counts only when every term tied at the cut-off is on it (otherwise it is
``stale``) and somebody has voted (otherwise ``no-votes``); terms that are not tied
are never re-ranked by it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from boardsmith.harvest.model import (
    ResultRecord,
    RunoffOutcome,
    RunoffRecord,
    TallyRecord,
    TermRecord,
)
from boardsmith.harvest.text import TermGroup, TermMerger

__all__ = [
    "DotVote",
    "Pick",
    "RunoffBallot",
    "rank_key",
    "tally",
    "tally_json",
    "ties_at_cutoff",
]


@dataclass(frozen=True)
class Pick:
    """A participant choosing an item (one item of a sticky in their lane)."""

    participant: str
    item: str


@dataclass(frozen=True)
class DotVote:
    """A counted dot on a sticky item (a dot on a list sticky votes for each item)."""

    owner: str | None
    item: str


@dataclass(frozen=True)
class RunoffBallot:
    """A runoff as harvested: the item written on each runoff sticky with its counted
    votes (zero when nobody voted for it)."""

    region: str
    votes: Mapping[str, int]


def _votes(term: TermRecord) -> tuple[int, int, int]:
    # A term without runoff votes ranks like one with zero: ``runoff`` is only ever set
    # on terms tied on picks and dots, so this never re-ranks anything else.
    return (term.picks, term.dots, term.runoff or 0)


def rank_key(term: TermRecord) -> tuple[int, int, int, int, str]:
    """Sort key implementing the ranking rule (smaller sorts first)."""
    bank = term.bank_index if term.bank_index is not None else 1 << 30
    picks, dots, runoff = _votes(term)
    return (-picks, -dots, -runoff, bank, term.term)


def ties_at_cutoff(ranked: Sequence[TermRecord], cutoff: int) -> list[str]:
    """Terms whose votes (picks, dots, runoff votes) equal the last kept term's when the
    tie crosses the cut-off; empty when the cut-off falls between different votes."""
    if cutoff <= 0 or len(ranked) <= cutoff:
        return []
    votes = _votes(ranked[cutoff - 1])
    if _votes(ranked[cutoff]) != votes:
        return []
    return [t.term for t in ranked if _votes(t) == votes]


def _settle(
    ranked: list[TermRecord], cutoff: int, region: str, votes: Mapping[str, int]
) -> tuple[list[TermRecord], RunoffRecord]:
    """Apply a runoff (votes per merged term) to the tie at the cut-off, if it can."""
    tied = ties_at_cutoff(ranked, cutoff)
    outcome: RunoffOutcome
    if not tied:
        outcome = "no-tie"
    elif not set(tied) <= set(votes):
        outcome = "stale"
    elif not any(votes[t] for t in tied):
        outcome = "no-votes"
    else:
        tied_set = set(tied)
        ranked = sorted(
            [
                t.model_copy(update={"runoff": votes[t.term]}) if t.term in tied_set else t
                for t in ranked
            ],
            key=rank_key,
        )
        outcome = "tied" if ties_at_cutoff(ranked, cutoff) else "settled"
    record = RunoffRecord(
        region=region, terms=list(votes), votes=dict(votes), tied_before=tied, outcome=outcome
    )
    return ranked, record


def tally(
    picks: Sequence[Pick],
    dots: Sequence[DotVote],
    *,
    participants: Sequence[str],
    word_bank: Sequence[str] = (),
    top: int = 5,
    merger: TermMerger | None = None,
    runoff: RunoffBallot | None = None,
) -> TallyRecord:
    """Merge items into terms and rank them; a ``runoff`` may settle a tie at the cut-off.

    A participant picking the same term twice (two stickies, or two spellings)
    counts once. Terms nobody picked and nobody dotted are left out.
    """
    merger = merger or TermMerger(word_bank)
    pickers: dict[int, dict[str, None]] = {}
    dot_counts: dict[int, int] = {}
    groups: dict[int, TermGroup] = {}
    for pick in picks:
        group = merger.add(pick.item)
        if group is None:
            continue
        groups[id(group)] = group
        pickers.setdefault(id(group), {})[pick.participant] = None
    for dot in dots:
        group = merger.add(dot.item, count=False)
        if group is None:
            continue
        groups[id(group)] = group
        dot_counts[id(group)] = dot_counts.get(id(group), 0) + 1

    order = {name: i for i, name in enumerate(participants)}
    terms = []
    for gid, group in groups.items():
        names = sorted(pickers.get(gid, {}), key=lambda n: (order.get(n, len(order)), n))
        variants = group.variant_list() or [group.bank_form or group.term]
        terms.append(
            TermRecord(
                term=group.term,
                variants=variants,
                pickers=names,
                picks=len(names),
                dots=dot_counts.get(gid, 0),
                bank_index=group.bank_index,
            )
        )
    terms.sort(key=rank_key)
    record = None
    if runoff is not None:
        term_of = {gid: group.term for gid, group in groups.items()}
        votes: dict[str, int] = {}
        for item, count in runoff.votes.items():
            found = merger.resolve(item)
            # A runoff sticky nobody picked (edited after the runoff) is no term here.
            if found is not None and id(found) in term_of:
                term = term_of[id(found)]
                votes[term] = votes.get(term, 0) + count
        terms, record = _settle(terms, top, runoff.region, votes)
    return TallyRecord(
        participants=list(participants),
        terms=terms,
        top=[t.term for t in terms[:top]],
        ties_at_cutoff=ties_at_cutoff(terms, top),
        cutoff=top,
        runoff=record,
    )


def tally_json(
    board_id: str | list[str], record: TallyRecord, result: ResultRecord | None = None
) -> dict[str, object]:
    """The exact shape ``tally --format json`` prints.

    ``top`` is the board's one result: the group's slots when filled (``top_source``
    ``group``), otherwise the tally's proposal; ``proposal`` is always the tally's.
    """
    data: dict[str, object] = {
        "board_id": board_id,
        "participants": list(record.participants),
        "terms": [
            {
                "term": t.term,
                "variants": list(t.variants),
                "pickers": list(t.pickers),
                "picks": t.picks,
                "dots": t.dots,
            }
            for t in record.terms
        ],
        "top": list(result.top if result is not None else record.top),
        "top_source": result.source if result is not None else "proposal",
        "proposal": list(record.top),
        "ties_at_cutoff": list(record.ties_at_cutoff),
    }
    if result is not None and result.disagreements:
        data["disagreements"] = list(result.disagreements)
    return data
