"""The ranking rule, the tie at the cut-off and the tally JSON shape."""

from __future__ import annotations

from boardsmith.harvest.model import TallyRecord
from boardsmith.harvest.tally import DotVote, Pick, RunoffBallot, tally, tally_json


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
    assert list(data) == [
        "board_id",
        "participants",
        "terms",
        "top",
        "top_source",
        "proposal",
        "ties_at_cutoff",
    ]
    assert data["terms"] == [
        {"term": "bold", "variants": ["bold"], "pickers": ["Ana"], "picks": 1, "dots": 0}
    ]


def _three_way_tie(votes: dict[str, int]) -> TallyRecord:
    # joyful: 2 picks; brave, calm, open: 1 pick each, for 2 more places.
    picks = [Pick("Ana", "joyful"), Pick("Ben", "joyful")]
    picks += [Pick("Ana", "brave"), Pick("Ben", "calm"), Pick("Cy", "open")]
    return tally(
        picks,
        [],
        participants=["Ana", "Ben", "Cy"],
        top=3,
        runoff=RunoffBallot(region="runoff/f1", votes=votes),
    )


def test_runoff_settles_only_the_tied_terms() -> None:
    result = _three_way_tie({"Open": 2, "Calm": 1, "Brave": 0})
    assert result.top == ["joyful", "open", "calm"]
    assert result.ties_at_cutoff == []
    assert result.runoff is not None
    assert result.runoff.outcome == "settled"
    assert result.runoff.tied_before == ["brave", "calm", "open"]
    assert {t.term: t.runoff for t in result.terms} == {
        "joyful": None,
        "open": 2,
        "calm": 1,
        "brave": 0,
    }


def test_runoff_partly_settled_keeps_the_rest_of_the_tie() -> None:
    result = _three_way_tie({"Open": 2, "Calm": 1, "Brave": 1})
    assert result.top[:2] == ["joyful", "open"]
    assert result.ties_at_cutoff == ["brave", "calm"]
    assert result.runoff is not None
    assert result.runoff.outcome == "tied"


def test_runoff_missing_a_tied_term_is_stale_and_not_used() -> None:
    result = _three_way_tie({"Open": 3, "Calm": 0})
    assert result.runoff is not None
    assert result.runoff.outcome == "stale"
    assert result.ties_at_cutoff == ["brave", "calm", "open"]
    assert all(t.runoff is None for t in result.terms)


def test_runoff_without_votes_changes_nothing() -> None:
    result = _three_way_tie({"Open": 0, "Calm": 0, "Brave": 0})
    assert result.runoff is not None
    assert result.runoff.outcome == "no-votes"
    assert result.top == ["joyful", "brave", "calm"]
    assert result.ties_at_cutoff == ["brave", "calm", "open"]


def test_runoff_never_reranks_terms_that_are_not_tied() -> None:
    picks = [Pick("Ana", "joyful"), Pick("Ben", "joyful"), Pick("Ana", "brave")]
    ballot = RunoffBallot(region="runoff/f1", votes={"brave": 5})
    result = tally(picks, [], participants=["Ana", "Ben"], top=1, runoff=ballot)
    assert result.top == ["joyful"]
    assert result.runoff is not None
    assert result.runoff.outcome == "no-tie"
    assert all(t.runoff is None for t in result.terms)
