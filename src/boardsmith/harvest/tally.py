"""Counting picks and dots into ranked terms.

The ranking rule the group agreed on in the protocol, in order: the number of
distinct participants who picked a term, then its dot votes, then its first
appearance in the word bank (bank terms before new ones), then alphabetically.
Only picks and dots are *votes*; the last two keys only make the order stable, so
two terms with equal picks and dots on both sides of the cut-off are a real tie
and are reported in ``ties_at_cutoff``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boardsmith.harvest.model import TallyRecord, TermRecord
from boardsmith.harvest.text import TermGroup, TermMerger

__all__ = ["DotVote", "Pick", "rank_key", "tally", "tally_json", "ties_at_cutoff"]


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


def rank_key(term: TermRecord) -> tuple[int, int, int, str]:
    """Sort key implementing the ranking rule (smaller sorts first)."""
    bank = term.bank_index if term.bank_index is not None else 1 << 30
    return (-term.picks, -term.dots, bank, term.term)


def ties_at_cutoff(ranked: Sequence[TermRecord], cutoff: int) -> list[str]:
    """Terms whose votes (picks, dots) equal the last kept term's when the tie crosses
    the cut-off; empty when the cut-off falls between different vote counts."""
    if cutoff <= 0 or len(ranked) <= cutoff:
        return []
    last = ranked[cutoff - 1]
    votes = (last.picks, last.dots)
    if (ranked[cutoff].picks, ranked[cutoff].dots) != votes:
        return []
    return [t.term for t in ranked if (t.picks, t.dots) == votes]


def tally(
    picks: Sequence[Pick],
    dots: Sequence[DotVote],
    *,
    participants: Sequence[str],
    word_bank: Sequence[str] = (),
    top: int = 5,
    merger: TermMerger | None = None,
) -> TallyRecord:
    """Merge items into terms and rank them.

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
    return TallyRecord(
        participants=list(participants),
        terms=terms,
        top=[t.term for t in terms[:top]],
        ties_at_cutoff=ties_at_cutoff(terms, top),
        cutoff=top,
    )


def tally_json(board_id: str | list[str], record: TallyRecord) -> dict[str, object]:
    """The exact shape ``tally --format json`` prints."""
    return {
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
        "top": list(record.top),
        "ties_at_cutoff": list(record.ties_at_cutoff),
    }
