"""The pure parts of ``watch``: progress against the protocol, the events between two
refreshes, the interval from the board's size and the budget, the retry backoff."""

from __future__ import annotations

from dataclasses import replace

import pytest

from boardsmith.harvest.tally import Pick, RunoffBallot, tally
from boardsmith.harvest.watch import (
    EVENT_TYPES,
    MAX_BACKOFF,
    ParticipantProgress,
    PromptProgress,
    SlotProgress,
    TermCount,
    WatchState,
    WatchSummary,
    choose_interval,
    diff_states,
    is_transient,
    refresh_cost,
    retry_delay,
    status_of,
)
from boardsmith.miro.errors import (
    ConnectError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from tests.harvest.factories import board


def _person(name: str, picks: tuple[str, ...] = (), why: bool = False) -> ParticipantProgress:
    return ParticipantProgress(name, picks, status_of(len(picks), 3, 4), why)


def _state(**changes: object) -> WatchState:
    base = WatchState(
        board_id="b1",
        board_name="Vision",
        template="vision-board",
        picks_min=3,
        picks_max=4,
        participants=(_person("Ana"), _person("Ben")),
        terms=(),
        top=(),
        ties_at_cutoff=(),
        cutoff=3,
        slots=(SlotProgress(1, ()), SlotProgress(2, ()), SlotProgress(3, ())),
        prompts=(PromptProgress("looks", 0), PromptProgress("feels", 0)),
        item_count=40,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("count", "low", "high", "status"),
    [
        (0, 3, 4, "not-started"),
        (1, 3, 4, "picking"),
        (2, 3, 4, "picking"),
        (3, 3, 4, "done"),
        (4, 3, 4, "done"),
        (5, 3, 4, "too-many"),
        (1, None, None, "done"),
        (7, 3, None, "done"),
        (2, None, 1, "too-many"),
        (0, None, None, "not-started"),
    ],
)
def test_status_against_the_range(
    count: int, low: int | None, high: int | None, status: str
) -> None:
    assert status_of(count, low, high) == status


def test_picks_range_in_words() -> None:
    assert _state().picks_range == "3-4"
    assert _state(picks_min=3, picks_max=3).picks_range == "3"
    assert _state(picks_min=3, picks_max=None).picks_range == "at least 3"
    assert _state(picks_min=None, picks_max=None).picks_range is None


def test_no_change_no_events() -> None:
    assert diff_states(_state(), _state()) == []


def test_events_in_their_fixed_order() -> None:
    old = _state()
    new = _state(
        participants=(
            _person("Ana", ("Bold", "Calm", "Kind"), why=True),
            _person("Ben", ("Bold",)),
        ),
        terms=(TermCount("Bold", 2, 0), TermCount("Calm", 1, 0), TermCount("Kind", 1, 0)),
        top=("Bold", "Calm", "Kind"),
        slots=(SlotProgress(1, ("Bold",)), SlotProgress(2, ()), SlotProgress(3, ())),
        prompts=(PromptProgress("looks", 1, "Ben"), PromptProgress("feels", 0)),
    )
    events = [(e.event, dict(e.data)) for e in diff_states(old, new)]
    assert events == [
        (
            "participant-done",
            {"participant": "Ana", "picks": ["Bold", "Calm", "Kind"], "why": True},
        ),
        ("new-term", {"term": "Bold", "picks": 2, "dots": 0}),
        ("new-term", {"term": "Calm", "picks": 1, "dots": 0}),
        ("new-term", {"term": "Kind", "picks": 1, "dots": 0}),
        ("slot-filled", {"slot": 1, "texts": ["Bold"]}),
        ("prompt-first-note", {"prompt": "looks", "participant": "Ben"}),
    ]


def test_tie_changes_and_participant_falls_back() -> None:
    old = _state(
        participants=(_person("Ana", ("A", "B", "C")), _person("Ben")),
        ties_at_cutoff=("Calm", "Kind"),
    )
    new = replace(
        old,
        participants=(_person("Ana", ("A", "B", "C", "D", "E")), _person("Ben")),
        ties_at_cutoff=(),
    )
    events = [(e.event, dict(e.data)) for e in diff_states(old, new)]
    assert events == [
        (
            "participant-not-done",
            {"participant": "Ana", "picks": ["A", "B", "C", "D", "E"], "status": "too-many"},
        ),
        ("tie-changed", {"ties": [], "previous": ["Calm", "Kind"], "cutoff": 3}),
    ]


def test_a_second_note_and_a_slot_that_stays_filled_say_nothing() -> None:
    old = _state(slots=(SlotProgress(1, ("Bold",)),), prompts=(PromptProgress("looks", 1, "Ana"),))
    new = _state(
        slots=(SlotProgress(1, ("Bold", "Brave")),), prompts=(PromptProgress("looks", 2, "Ana"),)
    )
    assert diff_states(old, new) == []


def test_every_event_documents_its_fields() -> None:
    new = _state(
        participants=(_person("Ana", ("A", "B", "C")), _person("Ben")),
        terms=(TermCount("A", 1, 0),),
        ties_at_cutoff=("A",),
        slots=(SlotProgress(1, ("A",)),),
        prompts=(PromptProgress("looks", 1, "Ana"),),
    )
    for event in diff_states(_state(), new):
        line = event.to_json(refresh=2, at="2026-12-01T13:00:00Z", board_id="b1")
        assert list(line)[:5] == ["schema", "event", "refresh", "at", "board_id"]
        assert set(line) - {"schema", "event", "refresh", "at", "board_id"} == set(
            EVENT_TYPES[event.event]
        )


def test_renamed_hides_names_everywhere() -> None:
    state = _state(
        participants=(_person("Ana", ("Ana's idea",)),),
        prompts=(PromptProgress("looks", 1, "Ana"),),
    )
    renamed = state.renamed(lambda n: "Participant A", lambda t: t.replace("Ana", "Participant A"))
    assert renamed.participants[0].name == "Participant A"
    assert renamed.participants[0].picks == ("Participant A's idea",)
    assert renamed.prompts[0].first_by == "Participant A"


def test_refresh_cost_counts_cursor_pages() -> None:
    # 5 streams of one page, one members page, the board: 5 * 100 + 50 + 50.
    assert refresh_cost({}) == 600
    # 1,000 stickies: 21 pages (the 20th page is full, an empty one ends the stream).
    assert refresh_cost({"sticky_note": 1000, "frame": 1, "shape": 20, "text": 40}) == (
        (21 + 1 + 1 + 1 + 1) * 100 + 50 + 50
    )
    assert refresh_cost({"sticky_note": 49}) == 600
    assert refresh_cost({}, members=150) == 650


@pytest.mark.parametrize(
    ("cost", "budget", "requested", "seconds", "clamped"),
    [
        (600, 100_000, None, 2.0, False),  # small board: the floor
        (2_600, 100_000, None, 6.3, False),  # 1,000 stickies: a quarter of the budget
        (20_600, 100_000, None, 49.5, False),  # 10,000 stickies
        (600, 10_000, None, 14.4, False),  # a smaller budget
        (600, 100_000, 10.0, 10.0, False),  # --interval kept
        (600, 100_000, 1.0, 1.0, False),  # faster than the default, still within budget
        (2_600, 100_000, 1.0, 1.6, True),  # would exceed the whole budget: raised
    ],
)
def test_interval_from_cost_and_budget(
    cost: int, budget: int, requested: float | None, seconds: float, clamped: bool
) -> None:
    choice = choose_interval(cost, budget, requested=requested)
    assert choice.seconds == seconds
    assert choice.clamped is clamped
    assert choice.credits_per_minute <= budget * (1 if requested else 0.25) + 1e-6
    assert f"{seconds:g} s" in choice.reason


def test_interval_reason_says_why() -> None:
    assert choose_interval(2_600, 100_000).reason == (
        "every 6.3 s: a refresh costs 2,600 credits, 25% of the budget of 100,000 credits a minute"
    )
    assert "more than the budget of 100,000" in choose_interval(2_600, 100_000, requested=1).reason


@pytest.mark.parametrize(
    ("failures", "interval", "retry_at", "now", "delay"),
    [
        (1, 5.0, None, 0.0, 5.0),
        (2, 5.0, None, 0.0, 10.0),
        (3, 5.0, None, 0.0, 20.0),
        (9, 5.0, None, 0.0, MAX_BACKOFF),
        (1, 0.5, None, 0.0, 2.0),  # never faster than the floor
        (1, 5.0, 1030.0, 1000.0, 30.0),  # a 429 that says when
        (3, 5.0, 1001.0, 1000.0, 20.0),
    ],
)
def test_retry_backoff(
    failures: int, interval: float, retry_at: float | None, now: float, delay: float
) -> None:
    assert retry_delay(failures, interval, retry_at=retry_at, now=now) == delay


def test_transient_errors() -> None:
    where = {"method": "GET", "path": "/v2/boards/b"}
    assert is_transient(RateLimitError(status=429, **where))
    assert is_transient(ServerError(status=503, **where))
    assert is_transient(ConnectError("refused", method="GET", path="/v2/boards/b"))
    assert not is_transient(NotFoundError(status=404, **where))
    assert not is_transient(ValueError("bug"))


def test_summary_line() -> None:
    summary = WatchSummary(refreshes=12, failed=1, credits=7_200, elapsed=125.0)
    summary.last = _state(participants=(_person("Ana", ("A", "B", "C")), _person("Ben")))
    assert summary.line() == (
        "watched 2 min 05 s: 12 refreshes (1 failed), 7,200 credits; 1 of 2 participants "
        "done, 0 terms, 0 of 3 top slots filled"
    )


def test_the_runoff_votes_show_as_they_come_in() -> None:
    """After ``narrow --runoff`` the room sees the runoff's votes, most first, and what
    they did to the tie; a board without a runoff has no such line."""
    picks = [Pick("Ana", "Bold"), Pick("Ben", "Bold"), Pick("Ana", "Calm"), Pick("Ben", "Kind")]

    def with_runoff(votes: dict[str, int] | None) -> WatchState:
        ballot = RunoffBallot("runoff/f1", votes) if votes is not None else None
        record = tally(picks, [], participants=["Ana", "Ben"], word_bank=[], top=2, runoff=ballot)
        return WatchState.from_harvest(board().model_copy(update={"tally": record}))

    assert with_runoff(None).runoff is None
    settled = with_runoff({"Calm": 1, "Kind": 2})
    assert settled.runoff == "runoff votes: Kind 2, Calm 1 (the tie is settled)"
    assert with_runoff({"Calm": 0, "Kind": 0}).runoff == (
        "runoff votes: Calm 0, Kind 0 (no votes yet)"
    )
    # A new vote is a change of the board: the view is drawn again.
    assert settled != with_runoff({"Calm": 1, "Kind": 3})
