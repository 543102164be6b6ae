"""``watch_loop`` without real time: a scripted refresh, a fake clock whose sleep only
moves the clock, and the views and events the loop hands to the screen."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import replace

import pytest

from boardsmith.harvest.watch import (
    ParticipantProgress,
    Refreshed,
    WatchEvent,
    WatchState,
    WatchSummary,
    WatchView,
    status_of,
    watch_loop,
)
from boardsmith.miro.errors import NotFoundError, RateLimitError, ServerError
from tests.fake_time import FakeTime

START = 1_800_000_000.0


def _state(picks: int = 0) -> WatchState:
    words = ("Bold", "Calm", "Kind", "Open")[:picks]
    return WatchState(
        board_id="b1",
        board_name="Vision",
        template="vision-board",
        picks_min=3,
        picks_max=4,
        participants=(ParticipantProgress("Ana", words, status_of(picks, 3, 4), False),),
        terms=(),
        top=(),
        ties_at_cutoff=(),
        cutoff=3,
        slots=(),
        prompts=(),
        item_count=40,
    )


class Script:
    """Each call returns (or raises) the next scripted outcome; a read takes 1 s."""

    def __init__(self, time: FakeTime, outcomes: Sequence[Refreshed | Exception]) -> None:
        self.time = time
        self.outcomes = list(outcomes)
        self.calls = 0

    async def __call__(self) -> Refreshed:
        self.calls += 1
        self.time.now += 1.0
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class Screen:
    def __init__(self) -> None:
        self.views: list[WatchView] = []
        self.events: list[WatchEvent] = []

    def __call__(self, view: WatchView, events: Sequence[WatchEvent]) -> None:
        self.views.append(view)
        self.events.extend(events)


def _ok(picks: int, credits: int = 600, *, unchanged: bool = False) -> Refreshed:
    return Refreshed(_state(picks), credits, unchanged=unchanged)


def _server_error() -> ServerError:
    return ServerError(status=503, method="GET", path="/v2/boards/b1/items", message="busy")


async def test_refreshes_events_and_summary() -> None:
    time = FakeTime(START)
    script = Script(time, [_ok(0), _ok(2), _ok(3), _ok(3, unchanged=True)])
    screen = Screen()
    summary = await watch_loop(
        script,
        budget=100_000,
        on_update=screen,
        clock=time.clock,
        sleep=time.sleep,
        max_refreshes=4,
    )
    assert [e.event for e in screen.events] == ["watch-started", "participant-done"]
    assert screen.events[1].data["participant"] == "Ana"
    assert [v.refresh for v in screen.views] == [1, 2, 3, 4]
    # 600 credits a refresh under 100,000 a minute: the 2 s floor; no sleep after the last.
    assert time.sleeps == [2.0, 2.0, 2.0]
    assert summary.refreshes == 4
    assert summary.credits == 2400
    assert summary.elapsed == 4 * 1.0 + 3 * 2.0
    # Three refreshes (1,800 credits) since the first ended, over 9 s.
    assert screen.views[-1].spend_rate == pytest.approx(1800 / (9 / 60))
    assert summary.last is not None
    assert summary.last.done == 1


async def test_a_failed_refresh_shows_the_last_view_stale_and_recovers() -> None:
    time = FakeTime(START)
    script = Script(time, [_ok(0), _ok(3), _server_error(), _server_error(), _ok(3)])
    screen = Screen()
    summary = await watch_loop(
        script,
        budget=100_000,
        on_update=screen,
        clock=time.clock,
        sleep=time.sleep,
        interval=5.0,
        max_refreshes=5,
    )
    stale = [v for v in screen.views if v.stale]
    assert [v.refresh for v in stale] == [3, 4]
    # The last good view stays (Ana done), with its age and when the next try is.
    assert all(v.state.participants[0].done for v in stale)
    assert [v.stale_for for v in stale] == [6.0, 12.0]
    assert [v.retry_in for v in stale] == [5.0, 10.0]
    assert stale[0].error is not None
    assert "503" in stale[0].error
    assert "\n" not in stale[0].error
    assert not screen.views[-1].stale
    assert [e.event for e in screen.events] == [
        "watch-started",
        "participant-done",
        "refresh-failed",
        "refresh-failed",
        "refresh-recovered",
    ]
    assert screen.events[-1].data == {"stale_for": 23.0}
    assert time.sleeps == [5.0, 5.0, 5.0, 10.0]
    assert summary.failed == 2


async def test_a_429_waits_until_miro_says() -> None:
    time = FakeTime(START)
    limited = RateLimitError(status=429, method="GET", path="/v2/boards/b1/items")
    limited.retry_at = START + 100.0
    script = Script(time, [_ok(0), limited, _ok(0)])
    screen = Screen()
    await watch_loop(
        script,
        budget=100_000,
        on_update=screen,
        clock=time.clock,
        sleep=time.sleep,
        max_refreshes=3,
    )
    # Read 1 ends at +1, sleep 2, read 2 fails at +4: Miro said +100.
    assert time.sleeps == [2.0, 96.0]


async def test_an_error_that_is_not_transient_ends_the_watch() -> None:
    time = FakeTime(START)
    gone = NotFoundError(status=404, method="GET", path="/v2/boards/b1/items")
    script = Script(time, [_ok(0), gone])
    with pytest.raises(NotFoundError):
        await watch_loop(
            script,
            budget=100_000,
            on_update=Screen(),
            clock=time.clock,
            sleep=time.sleep,
            max_refreshes=5,
        )


async def test_the_first_refresh_must_succeed() -> None:
    time = FakeTime(START)
    script = Script(time, [_server_error()])
    with pytest.raises(ServerError):
        await watch_loop(
            script, budget=100_000, on_update=Screen(), clock=time.clock, sleep=time.sleep
        )


async def test_the_interval_follows_the_board_as_it_grows() -> None:
    time = FakeTime(START)
    # The board grows from one page per type to 2,600 credits a refresh.
    script = Script(time, [_ok(0), replace(_ok(1), credits=2600), _ok(1, 2600)])
    screen = Screen()
    await watch_loop(
        script,
        budget=100_000,
        on_update=screen,
        clock=time.clock,
        sleep=time.sleep,
        max_refreshes=3,
    )
    changed = [e for e in screen.events if e.event == "interval-changed"]
    assert [e.data["interval"] for e in changed] == [6.3]
    assert time.sleeps == [2.0, 6.3]


async def test_stop_ends_the_sleep_at_once() -> None:
    stop = asyncio.Event()
    time = FakeTime(START)
    slept: list[float] = []

    async def forever(seconds: float) -> None:
        slept.append(seconds)
        await asyncio.Event().wait()  # a sleep only the stop event can end

    def screen(view: WatchView, events: Sequence[WatchEvent]) -> None:
        stop.set()

    summary = WatchSummary()
    script = Script(time, [_ok(0)])
    result = await watch_loop(
        script,
        budget=100_000,
        on_update=screen,
        clock=time.clock,
        sleep=forever,
        stop=stop,
        summary=summary,
    )
    assert result is summary
    assert summary.refreshes == 1
    assert slept == []  # stop was set before the first sleep


def test_a_terminal_gets_the_live_view_redrawn_in_place() -> None:
    from boardsmith.cli.watch import WatchOutput
    from boardsmith.harvest.watch import choose_interval

    out = io.StringIO()
    choice = choose_interval(600, 100_000)
    with WatchOutput(json_events=False, out=out, terminal=True) as output:
        for picks in (0, 3):
            view = WatchView(
                state=_state(picks), refresh=picks, elapsed=0, interval=choice, spend_rate=0
            )
            output.update(view, [])
        stale = replace(
            view, error="GET /v2/boards/b1/items failed: 503", stale_for=12.0, retry_in=4.0
        )
        output.update(stale, [])
    text = out.getvalue()
    assert "\x1b[" in text  # cursor control: the view is redrawn, not appended
    assert "Participants: 1 of 1 done (picks 3-4)" in text
    assert "STALE: this view is 12 s old" in text


def test_board_text_is_never_read_as_markup() -> None:
    from rich.console import Console

    from boardsmith.cli.watch import render_view
    from boardsmith.harvest.watch import TermCount, choose_interval

    person = ParticipantProgress("[/red]Ana", ("[bold]x",), "picking", False)
    state = replace(_state(), participants=(person,), terms=(TermCount("[link=x]y[/link]", 1, 0),))
    view = WatchView(state, 1, 0.0, choose_interval(600, 100_000), 0.0)
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(render_view(view))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "[/red]Ana" in text
    assert "[bold]x" in text
    assert "[link=x]y[/link]" in text


def test_each_person_is_one_line_that_fits_the_screen_however_many_picks() -> None:
    from rich.console import Console

    from boardsmith.cli.watch import render_view
    from boardsmith.harvest.watch import choose_interval

    many = tuple(f"adjective {n}" for n in range(30))
    people = (
        ParticipantProgress("Ana", many, "too-many", True),
        ParticipantProgress("Ben", ("bold", "kind"), "picking", False),
    )
    view = WatchView(
        replace(_state(), participants=people), 1, 0.0, choose_interval(600, 100_000), 0.0
    )
    for width in (80, 120):
        console = Console(file=io.StringIO(), width=width, color_system=None)
        console.print(render_view(view, width=width))
        lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
        assert max(len(line) for line in lines) <= width
        ana = next(line for line in lines if "Ana" in line)
        shown = ana.count("adjective")
        assert 1 <= shown < 30
        assert f"+{30 - shown} more" in ana  # the rest are counted, not dropped silently
        assert ana.rstrip().endswith("│")  # the row is whole: nothing cut at the edge
        ben = next(line for line in lines if "Ben" in line)
        assert "bold, kind" in ben
        assert "more" not in ben


def test_wide_characters_count_as_two_columns_when_picks_are_cut() -> None:
    from rich.cells import cell_len
    from rich.console import Console

    from boardsmith.cli.watch import render_view
    from boardsmith.harvest.watch import choose_interval

    wide = tuple(f"勇敢な人{n}" for n in range(20))  # each character two columns wide
    people = (ParticipantProgress("Ana", wide, "too-many", True),)
    view = WatchView(
        replace(_state(), participants=people), 1, 0.0, choose_interval(600, 100_000), 0.0
    )
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(render_view(view, width=80))
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert max(cell_len(line) for line in lines) <= 80
    ana = next(line for line in lines if "Ana" in line)
    assert "more" in ana
    assert ana.rstrip().endswith("│")


def test_the_runoff_line_is_on_the_screen_and_the_page() -> None:
    from rich.console import Console

    from boardsmith.cli.watch import render_view
    from boardsmith.harvest.watch import choose_interval
    from boardsmith.render.watch_page import page_payload

    line = "runoff votes: Kind 2, Calm 1 (the tie is settled)"
    view = WatchView(replace(_state(), runoff=line), 1, 0.0, choose_interval(600, 100_000), 0.0)
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(render_view(view))
    assert line in console.file.getvalue()  # type: ignore[attr-defined]
    assert page_payload(view)["runoff"] == line
    assert page_payload(replace(view, state=_state()))["runoff"] is None
