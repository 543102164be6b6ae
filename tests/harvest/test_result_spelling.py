"""The group's choice is spelled as the tally spells each adjective."""

from __future__ import annotations

from boardsmith.harvest.model import HarvestDocument, TopSlotRecord
from boardsmith.harvest.result import choose
from boardsmith.harvest.tally import Pick, tally
from boardsmith.render.report import render_report
from tests.harvest.factories import board


def _slot(rank: int, *texts: str, terms: list[str]) -> TopSlotRecord:
    return TopSlotRecord(
        rank=rank,
        region=f"slot-{rank}",
        stickies=[f"s{rank}-{n}" for n in range(len(texts))],
        texts=list(texts),
        terms=terms,
    )


def test_a_slot_keeps_the_groups_spelling_but_not_its_typo_or_lower_case() -> None:
    record = tally(
        [
            Pick("Ana", "Equitable"),
            Pick("Ben", "equitable"),
            Pick("Cy", "Equitable"),
            Pick("Ana", "Bold"),
            Pick("Ben", "calm"),
            Pick("Cy", "Curious"),
        ],
        [],
        participants=["Ana", "Ben", "Cy"],
        word_bank=["Equitable", "Bold", "Curious"],
        top=5,
    )
    assert [t.term for t in record.terms] == ["equitable", "bold", "curious", "calm"]
    result = choose(
        record,
        [
            # Ben's lower-case sticky, dragged in by the group.
            _slot(1, "equitable", terms=["equitable"]),
            _slot(2, "bold!", terms=["bold"]),
            # A misspelling the merger read as a known adjective.
            _slot(3, "Curius", terms=["curious"]),
            # The group's capital stays though the lane wrote it in lower case.
            _slot(4, "Calm", terms=["calm"]),
            # A word nobody picked stays as the group wrote it (edge punctuation aside).
            _slot(5, "Brave, always.", terms=["brave, always"]),
        ],
    )
    assert result.source == "group"
    assert result.top == ["equitable", "bold", "curious", "calm", "brave, always"]
    assert result.texts == ["Equitable", "Bold", "Curious", "Calm", "Brave, always"]


def test_a_sticky_with_two_adjectives_in_a_slot_gives_both() -> None:
    """Texts are per sticky, terms per adjective: "Bold, Caring" is two adjectives."""
    record = tally(
        [Pick("Ana", "Bold"), Pick("Ben", "Caring")],
        [],
        participants=["Ana", "Ben"],
        word_bank=[],
        top=2,
    )
    result = choose(record, [_slot(1, "Bold, caring", terms=["bold", "caring"])])
    assert result.top == ["bold", "caring"]
    assert result.texts == ["Bold", "Caring"]


def test_the_report_lists_the_boxes_as_the_result_spells_them() -> None:
    group = board(slots=[["bold"], []], picks=[("Ana", "Bold"), ("Ben", "Bold"), ("Ana", "calm")])
    assert group.result.texts == ["Bold"]
    text = render_report(HarvestDocument(boards=[group]), "md")
    assert "1. **Bold**" in text
    assert "**bold**" not in text
    assert "2. (still empty)" in text
