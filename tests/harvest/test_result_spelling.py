"""The group's choice is spelled as the tally spells each adjective."""

from __future__ import annotations

from boardsmith.harvest.model import TopSlotRecord
from boardsmith.harvest.result import choose
from boardsmith.harvest.tally import Pick, tally


def _slot(rank: int, *texts: str, terms: list[str]) -> TopSlotRecord:
    return TopSlotRecord(
        rank=rank,
        region=f"slot-{rank}",
        stickies=[f"s{rank}-{n}" for n in range(len(texts))],
        texts=list(texts),
        terms=terms,
    )


def test_a_slot_shows_the_adjective_as_the_tally_does_and_keeps_other_words() -> None:
    record = tally(
        [
            Pick("Ana", "Equitable"),
            Pick("Ben", "equitable"),
            Pick("Cy", "Equitable"),
            Pick("Ana", "Bold"),
        ],
        [],
        participants=["Ana", "Ben", "Cy"],
        word_bank=["Equitable", "Bold"],
        top=3,
    )
    assert [t.term for t in record.terms] == ["equitable", "bold"]
    result = choose(
        record,
        [
            # Ben's lower-case sticky, dragged in by the group.
            _slot(1, "equitable", terms=["equitable"]),
            _slot(2, "bold!", terms=["bold"]),
            # A word nobody picked stays as the group wrote it (edge punctuation aside).
            _slot(3, "Brave, always.", terms=["brave, always"]),
        ],
    )
    assert result.source == "group"
    assert result.top == ["equitable", "bold", "brave, always"]
    assert result.texts == ["Equitable", "Bold", "Brave, always"]
