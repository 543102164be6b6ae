"""``boardsmith watch`` as the coach runs it: a board made with ``boardsmith create`` on
the embedded emulator, participants' stickies written with their own tokens."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from boardsmith.cli import watch as watch_cli
from tests.cli_helpers import run_cli as run
from tests.harvest.test_cli_harvest import _create, _picks


def _history(home: Path, board_id: str) -> Path:
    from boardsmith.harvest.history import HistoryStore

    return HistoryStore(home).path(backend="emulator", board_id=board_id)


def test_watch_json_writes_ndjson_events_and_records_history(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, {"Ana": ["Bold", "Calm", "Kind"], "Ben": ["Bold"]}))
    code, out, err = run(capsys, "watch", board_id, "--json", "--refreshes", "2")
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["event"] for e in events] == ["watch-started", "watch-ended"]
    started = events[0]
    assert started["board_id"] == board_id
    assert started["participants"] == [
        {"participant": "Ana", "picks": 3, "status": "done"},
        {"participant": "Ben", "picks": 1, "status": "picking"},
        {"participant": "Cy", "picks": 0, "status": "not-started"},
    ]
    assert started["interval"] == 2.0
    assert events[-1]["refreshes"] == 2
    assert events[-1]["done"] == 1
    lines = _history(home, board_id).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3  # header + two reads
    assert err.splitlines()[-1].startswith("watched ")
    assert "2 refreshes" in err.splitlines()[-1]
    assert "refresh interval: every 2 s: a refresh costs 600 credits" in err


def test_watch_piped_is_plain_text(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board_id = _create(capsys)
    picks = {"Ana": ["Bold", "Calm", "Kind"], "Ben": ["Wise", "Open", "bold"]}
    asyncio.run(_picks(home, board_id, picks))
    url = f"https://miro.com/app/board/{board_id}/?share_link_id=1"
    code, out, err = run(capsys, "watch", url, "--refreshes", "1", "--top", "3")
    assert code == 0, err
    assert "\x1b" not in out
    assert "Participants: 2 of 3 done (picks 3-4)" in out
    assert "Cy" in out
    assert "not started" in out
    assert "top slots: 0 of 3 filled" in out
    # bold has two picks; four terms with one pick each compete for two places.
    assert "tie at the cut-off (top 3): Calm, Kind, Open, Wise" in out


def test_interval_within_the_budget(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board_id = _create(capsys)
    code, out, err = run(
        capsys, "watch", board_id, "--json", "--refreshes", "1", "--interval", "0.1"
    )
    assert code == 0, err
    started = json.loads(out.splitlines()[0])
    # 600 credits a refresh may come at most 100,000 / 600 times a minute.
    assert started["interval"] == 0.4
    assert "more than the budget of 100,000; using 0.4 s" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interval", "0"], "--interval"),
        (["--refreshes", "0"], "--refreshes"),
        (["--template", "no-such-template"], "no-such-template"),
    ],
)
def test_usage_errors(
    home: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "watch", "b1", *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


def test_no_such_board(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "watch", "nosuchboard", "--refreshes", "1")
    assert code == 2
    assert err.strip() == "error: BOARD_ID nosuchboard: no such board on the embedded emulator"


def test_ctrl_c_ends_cleanly_with_a_summary(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, {"Ana": ["Bold", "Calm", "Kind"]}))
    shown = watch_cli.WatchOutput.update
    updates = 0

    def update(self: watch_cli.WatchOutput, view: object, events: object) -> None:
        nonlocal updates
        shown(self, view, events)  # type: ignore[arg-type]
        updates += 1
        if updates == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(watch_cli.WatchOutput, "update", update)
    code, out, err = run(capsys, "watch", board_id, "--json", "--interval", "0.5")
    assert code == 0, err
    assert "Traceback" not in err
    assert "interrupted" not in err
    events = [json.loads(line) for line in out.splitlines()]
    assert events[-1]["event"] == "watch-ended"
    assert events[-1]["refreshes"] == 2
    assert err.splitlines()[-1].startswith("watched ")
    assert "1 of 3 participants done" in err.splitlines()[-1]


def test_watch_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "watch" in out
    code, out, _ = run(capsys, "watch", "--help")
    assert code == 0
    assert "--interval SECONDS" in out
    assert "--refreshes" not in out  # a test option, hidden


def test_port_without_web_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "watch", "b1", "--port", "8800")
    assert (code, out) == (2, "")
    assert err.strip() == "error: --port: it is the port of the --web page; add --web"


def test_web_on_a_taken_port_says_so(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    board_id = _create(capsys)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, _, err = run(
            capsys, "watch", board_id, "--web", "--port", str(port), "--refreshes", "1"
        )
    assert code == 2
    assert err.strip().startswith(f"error: --port {port}: cannot serve the page there: ")
    assert len(err.strip().splitlines()) == 1


def test_web_serves_the_page_while_watching(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board_id = _create(capsys)
    code, out, err = run(
        capsys, "watch", board_id, "--web", "--port", "0", "--refreshes", "1", "--json"
    )
    assert code == 0, err
    assert "page for the room: http://127.0.0.1:" in err
    assert json.loads(out.splitlines()[0])["event"] == "watch-started"


def test_events_keep_the_tallys_terms_while_the_view_spells_them(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json is for programs: a term there is the tally's key, as in the harvest's JSON."""
    board_id = _create(capsys)
    picks = {"Ana": ["Bold", "Calm", "Kind"], "Ben": ["Wise", "Open", "bold"]}
    asyncio.run(_picks(home, board_id, picks))
    code, out, err = run(capsys, "watch", board_id, "--json", "--refreshes", "1", "--top", "3")
    assert code == 0, err
    started = json.loads(out.splitlines()[0])
    assert started["event"] == "watch-started"
    assert started["ties"] == ["calm", "kind", "open", "wise"]
