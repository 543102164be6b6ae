"""The ranking rule, the tie at the cut-off and the tally JSON shape."""

from __future__ import annotations

from boardsmith.harvest.tally import DotVote, Pick, tally, tally_json


def test_ranking_pickers_then_dots_then_bank_then_alpha() -> None:
    picks = [
        Pick("Ana", "joyful"),
        Pick("Ben", "Joyful"),
        Pick("Ana", "brave"),
        Pick("Ben", "brave"),
        Pick("Cy", "zesty"),
        Pick("Cy", "apt"),
        Pick("Ana", "caring"),
    ]
    dots = [DotVote("Ana", "brave"), DotVote("Ben", "caring")]
    result = tally(
        picks, dots, participants=["Ana", "Ben", "Cy"], word_bank=["caring", "zesty"], top=3
    )
    assert [t.term for t in result.terms] == ["brave", "joyful", "caring", "zesty", "apt"]
    assert result.top == ["brave", "joyful", "caring"]
    assert result.ties_at_cutoff == []
    brave = result.terms[0]
    assert (brave.picks, brave.dots, brave.pickers) == (2, 1, ["Ana", "Ben"])


def test_same_participant_picking_twice_counts_once() -> None:
    picks = [Pick("Ana", "joyful"), Pick("Ana", "Joyfull"), Pick("Ben", "calm")]
    result = tally(picks, [], participants=["Ana", "Ben"])
    joyful = next(t for t in result.terms if t.term == "joyful")
    assert joyful.picks == 1
    assert sorted(joyful.variants) == ["Joyfull", "joyful"]


def test_tie_crossing_the_cutoff_is_reported() -> None:
    picks = [Pick(p, w) for p in ("Ana", "Ben") for w in ("a1", "b2", "c3")]
    picks += [Pick("Ana", "delta"), Pick("Ben", "delta"), Pick("Ana", "echo")]
    result = tally(picks, [], participants=["Ana", "Ben"], top=2)
    assert len(result.top) == 2
    assert sorted(result.ties_at_cutoff) == ["a1", "b2", "c3", "delta"]


def test_dots_break_the_tie() -> None:
    picks = [Pick("Ana", "alpha"), Pick("Ana", "beta")]
    result = tally(picks, [DotVote("Ben", "beta")], participants=["Ana", "Ben"], top=1)
    assert result.top == ["beta"]
    assert result.ties_at_cutoff == []


def test_tally_json_has_exactly_the_documented_keys() -> None:
    result = tally([Pick("Ana", "bold")], [], participants=["Ana"])
    data = tally_json("b1", result)
    assert list(data) == ["board_id", "participants", "terms", "top", "ties_at_cutoff"]
    assert data["terms"] == [
        {"term": "bold", "variants": ["bold"], "pickers": ["Ana"], "picks": 1, "dots": 0}
    ]
