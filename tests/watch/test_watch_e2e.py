"""``watch`` on the embedded emulator: participants (one token each) work on the board
between refreshes, the emulator fails on purpose, and the coach's view and events
follow. The loop's sleep is where the participants act, so nothing waits real time."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from boardsmith.cli.watch import WatchOutput, run_watch
from boardsmith.emulator import EmulatorApp
from boardsmith.harvest.api import BoardSource
from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.watch import EVENT_SCHEMA, EVENT_TYPES, WatchSummary
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

PEOPLE = ["Ana", "Ben", "Chris"]
BANK = ["Collaborative", "Joyful", "Caring", "Bold", "Curious"]
PARAMS = {"participants": PEOPLE, "word_bank": BANK, "top_n": 3}

Action = Callable[[], Awaitable[None]]


def _sleeper(actions: list[Action], slept: list[float]) -> Callable[[float], Awaitable[None]]:
    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if actions:
            await actions.pop(0)()

    return sleep


def _history_reads(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) - 1  # minus the header


async def _workshop(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Workshop, Any, BoardSource, HistoryStore]:
    w = await Workshop.build(make_client, tmp_path, params=PARAMS)
    # The coach's own client; no client-side retries, so a fault reaches the loop at once.
    coach = await make_client(token="Fay:1", max_retries=0)
    source = BoardSource(w.board_id, plan=w.plan, item_ids=w.item_ids)
    return w, coach, source, HistoryStore(tmp_path)


async def test_events_follow_the_workshop_and_survive_a_fault(
    make_client: MakeClient,
    emulator_app: EmulatorApp,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    w, coach, source, store = await _workshop(make_client, tmp_path)
    history = store.path(backend="emulator", board_id=w.board_id)
    reads: list[int] = []
    ids: dict[str, str] = {}

    async def ana_two() -> None:
        reads.append(_history_reads(history))
        await w.move("Ana", w.word("Collaborative"), *await w.pick_at("Ana", 0.5, 0.1))
        await w.sticky("Ana", "Joyful", *await w.pick_at("Ana", 0.5, 0.5))

    async def ana_third() -> None:
        reads.append(_history_reads(history))
        await w.sticky("Ana", "Bold", *await w.pick_at("Ana", 0.5, 0.9))
        await w.sticky("Ana", "We get further together", *await w.why_at("Ana"))

    async def ben_three() -> None:
        reads.append(_history_reads(history))
        for fy, text in zip((0.1, 0.5, 0.9), ("Bold", "Caring", "Curious"), strict=True):
            ids[text] = await w.sticky("Ben", text, *await w.pick_at("Ben", 0.5, fy))

    async def fault() -> None:
        reads.append(_history_reads(history))
        emulator_app.faults.rate_500 = 1.0

    async def recover_and_drag() -> None:
        emulator_app.faults.rate_500 = 0.0
        # The group drags Ana's "Collaborative" into the first top slot.
        await w.move("Ana", w.word("Collaborative"), *await w.at("vision/top/slot-1"))

    actions: list[Action] = [ana_two, ana_third, ben_three, fault, recover_and_drag]
    slept: list[float] = []
    out = io.StringIO()
    summary = await run_watch(
        coach,
        source,
        budget=100_000,
        output=WatchOutput(json_events=True, out=out),
        store=store,
        backend="emulator",
        max_refreshes=6,
        sleep=_sleeper(actions, slept),
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert all(line["schema"] == EVENT_SCHEMA for line in lines)
    assert all(set(EVENT_TYPES[e["event"]]) <= set(e) for e in lines)
    got = [(e["refresh"], e["event"], e.get("participant") or e.get("term")) for e in lines]
    assert got[:6] == [
        (1, "watch-started", None),
        (2, "new-term", "collaborative"),
        (2, "new-term", "joyful"),
        (3, "participant-done", "Ana"),
        (3, "new-term", "bold"),
        (4, "participant-done", "Ben"),
    ]
    assert got[6:8] == [(4, "new-term", "caring"), (4, "new-term", "curious")]
    tie = lines[8]
    assert (tie["refresh"], tie["event"]) == (4, "tie-changed")
    # bold (2 picks) is in; four terms with one pick each compete for two places.
    assert sorted(tie["ties"]) == ["caring", "collaborative", "curious", "joyful"]
    assert [(e["refresh"], e["event"]) for e in lines[9:]] == [
        (5, "refresh-failed"),
        (6, "refresh-recovered"),
        (6, "slot-filled"),
    ]
    failed = lines[9]
    assert "500" in failed["error"]
    assert failed["retry_in"] == 2.0
    assert lines[-1]["texts"] == ["Collaborative"]
    # Every refresh is in the board history, also the one whose board had not changed.
    assert reads == [1, 2, 3, 4]
    assert _history_reads(history) == 5  # the failed refresh read nothing
    # The drag into the slot did not take Ana's pick away: the history remembers it.
    assert summary.last is not None
    ana = next(p for p in summary.last.participants if p.name == "Ana")
    assert ana.picks == ("collaborative", "joyful", "bold")
    assert ana.done
    assert ana.why
    assert summary.failed == 1
    assert summary.refreshes == 6
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "Traceback" not in out.getvalue()
    assert "Fay:1" not in out.getvalue() + err


@pytest.mark.slow
async def test_plain_output_is_stale_with_its_age_and_never_moves_the_cursor(
    make_client: MakeClient,
    emulator_app: EmulatorApp,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    w, coach, source, store = await _workshop(make_client, tmp_path)

    async def ana_picks() -> None:
        for fy, text in zip((0.1, 0.5, 0.9), ("Bold", "Caring", "Curious"), strict=True):
            await w.sticky("Ana", text, *await w.pick_at("Ana", 0.5, fy))

    async def fault() -> None:
        emulator_app.faults.rate_429 = 1.0

    async def recover() -> None:
        emulator_app.faults.rate_429 = 0.0

    out = io.StringIO()
    await run_watch(
        coach,
        source,
        budget=100_000,
        output=WatchOutput(json_events=False, out=out),
        store=store,
        backend="emulator",
        max_refreshes=5,
        sleep=_sleeper([ana_picks, fault, recover], []),
    )
    text = out.getvalue()
    assert "\x1b" not in text  # no cursor control, no colour
    assert "Participants: 0 of 3 done (picks 3-4)" in text
    assert "Participants: 1 of 3 done (picks 3-4)" in text
    stale = [line for line in text.splitlines() if "STALE" in line]
    assert len(stale) == 1
    assert stale[0].startswith("refresh 3: STALE, the view above is ")
    assert "429" in stale[0]
    assert "prompts still empty: functions, looks, sounds, feels" in text
    err = capsys.readouterr().err
    assert "Traceback" not in text + err
    assert "refresh interval: every 2 s" in err


async def test_anonymised_events_and_view_carry_no_names(
    make_client: MakeClient, tmp_path: Path
) -> None:
    w, coach, source, store = await _workshop(make_client, tmp_path)

    async def ana_picks() -> None:
        for fy, text in zip((0.1, 0.5, 0.9), ("Bold", "Caring", "Curious"), strict=True):
            await w.sticky("Ana", text, *await w.pick_at("Ana", 0.5, fy))

    for json_events in (True, False):
        out = io.StringIO()
        await run_watch(
            coach,
            source,
            budget=100_000,
            output=WatchOutput(json_events=json_events, out=out),
            store=store,
            backend="emulator",
            max_refreshes=2,
            sleep=_sleeper([ana_picks] if json_events else [], []),
            anonymise=True,
            summary=WatchSummary(),
        )
        text = out.getvalue()
        for name in PEOPLE:
            assert name not in text
        assert "Participant A" in text
        if json_events:
            done = [json.loads(x) for x in text.splitlines() if "participant-done" in x]
            assert [d["participant"] for d in done] == ["Participant A"]
