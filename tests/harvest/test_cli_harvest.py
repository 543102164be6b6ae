"""``boardsmith harvest | tally | narrow`` end to end: the board is made with
``boardsmith create`` on the embedded emulator, participants work on it with their own
tokens, and the coach runs the commands."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from boardsmith.emulator import EmulatorTransport, create_app
from boardsmith.miro import MiroClient
from boardsmith.miro.models import (
    FixedRatioGeometry,
    ParentChange,
    PositionChange,
    StickyNoteCreate,
    StickyNoteDataChange,
)
from boardsmith.templates import compile_plan, find_template
from tests.cli_helpers import run_cli as run

PEOPLE = ["Ana", "Ben", "Cy"]
BANK = "Bold,Calm,Kind,Open,Wise"


def _create(capsys: pytest.CaptureFixture[str], extra: list[str] | None = None) -> str:
    code, out, err = run(
        capsys,
        "create",
        "vision-board",
        "--participants",
        ",".join(PEOPLE),
        "--param",
        f"word_bank={BANK}",
        "--param",
        "top_n=3",
        "--json",
        *(extra or []),
    )
    assert code == 0, err
    board_id: str = json.loads(out)["board_id"]
    return board_id


async def _picks(home: Path, board_id: str, picks: dict[str, list[str]]) -> None:
    """Each participant writes stickies into their own lane (their own token)."""
    plan = compile_plan(
        find_template("vision-board"),
        {"participants": PEOPLE, "word_bank": BANK.split(","), "top_n": 3},
    )
    app = create_app(home / "emulator.sqlite3")
    try:
        for person, words in picks.items():
            async with MiroClient(token=f"{person}:1", transport=EmulatorTransport(app)) as client:
                frames = [i async for i in client.items.list(board_id, type="frame")]
                frame = frames[0]
                plan_frame = plan.by_key["vision"]
                lane = next(
                    i for i in plan.items if i.role == "lane" and i.labels["participant"] == person
                )
                for n, word in enumerate(words):
                    x = lane.x - plan_frame.left
                    y = lane.top - plan_frame.top + 250 + n * 180
                    await client.sticky_notes.create(
                        board_id,
                        StickyNoteCreate(
                            data=StickyNoteDataChange(content=word),
                            position=PositionChange(x=x, y=y),
                            geometry=FixedRatioGeometry(width=150),
                            parent=ParentChange(id=frame.id),
                        ),
                    )
    finally:
        app.close()


async def _fill_slot(home: Path, board_id: str, text: str, who: str = "Fay") -> None:
    """``who`` writes ``text`` straight into slot 1 (the facilitator, by default: then
    nobody's lane claims it as a pick)."""
    plan = compile_plan(
        find_template("vision-board"),
        {"participants": PEOPLE, "word_bank": BANK.split(","), "top_n": 3},
    )
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token=f"{who}:1", transport=EmulatorTransport(app)) as client:
            frames = [i async for i in client.items.list(board_id, type="frame")]
            frame = frames[0]
            slot = plan.by_key["vision/top/slot-1"]
            frame_item = plan.by_key["vision"]
            await client.sticky_notes.create(
                board_id,
                StickyNoteCreate(
                    data=StickyNoteDataChange(content=text),
                    position=PositionChange(x=slot.x - frame_item.left, y=slot.y - frame_item.top),
                    geometry=FixedRatioGeometry(width=150),
                    parent=ParentChange(id=frame.id),
                ),
            )
    finally:
        app.close()


PICKS = {
    "Ana": ["Bold", '=HYPERLINK("http://x")', "kind"],
    "Ben": ["bold", "Calm", "Kind"],
    "Cy": ["Wise", "calm", "Open"],
}


def test_tally_json_exact_shape(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    code, out, err = run(capsys, "tally", board_id, "--format", "json", "--top", "3")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    assert list(data) == [
        "board_id",
        "participants",
        "terms",
        "top",
        "top_source",
        "proposal",
        "ties_at_cutoff",
    ]
    assert data["board_id"] == board_id
    assert data["participants"] == PEOPLE
    assert data["top"] == ["bold", "calm", "kind"]
    assert data["ties_at_cutoff"] == []
    assert data["terms"][0] == {
        "term": "bold",
        "variants": ["Bold", "bold"],
        "pickers": ["Ana", "Ben"],
        "picks": 2,
        "dots": 0,
    }
    assert all(set(t) == {"term", "variants", "pickers", "picks", "dots"} for t in data["terms"])


def test_tally_table_chart_and_csv(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    chart = tmp_path / "out" / "tally.svg"
    code, out, err = run(capsys, "tally", board_id, "--chart", str(chart), "--top", "2")
    assert code == 0, err
    assert "bold" in out
    assert "tie at the cut-off" in out  # calm and kind: 2 picks each, one slot left
    assert chart.read_text().startswith("<svg")
    code, out, err = run(capsys, "tally", board_id, "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:4] == ["rank", "term", "picks", "dots"]
    formula = [r for r in rows if "hyperlink" in r[1].lower()]
    assert formula
    assert formula[0][1].startswith("'=")


def test_harvest_formats(home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    out_file = tmp_path / "h.json"
    code, _, err = run(capsys, "harvest", board_id, "--out", str(out_file))
    assert code == 0, err
    doc = json.loads(out_file.read_text())
    assert doc["schema"] == "boardsmith.harvest"
    assert doc["boards"][0]["located_by"] == "state"
    assert len(doc["boards"][0]["stickies"]) == 9 + 5  # picks + word bank
    code, out, err = run(capsys, "harvest", board_id, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 14
    injected = [r for r in rows if "HYPERLINK" in r["raw_text"]]
    assert injected[0]["raw_text"].startswith("'=")
    code, out, err = run(capsys, "harvest", board_id, "--format", "md")
    assert code == 0, err
    assert "## Who picked what, and why" in out
    assert "| 1 | Bold |" in out


def test_two_boards_aggregate(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _create(capsys)
    second = _create(capsys)
    asyncio.run(_picks(home, first, {"Ana": ["Bold"], "Ben": ["Calm"]}))
    asyncio.run(_picks(home, second, {"Ana": ["bold"], "Cy": ["Wise"]}))
    code, out, err = run(capsys, "tally", first, second, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["board_id"] == [first, second]
    bold = next(t for t in data["terms"] if t["term"] == "bold")
    assert bold["picks"] == 2  # Ana on one board and Ana on another are two people
    assert [b["board_id"] for b in data["boards"]] == [first, second]
    assert [t["term"] for t in data["boards"][1]["terms"]] == ["bold", "wise"]


def test_narrow_apply_fills_only_empty_slots(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    # The group already put "Wise" into slot 1 (it is not in the tally's top 3).
    asyncio.run(_fill_slot(home, board_id, "Wise"))
    code, out, err = run(capsys, "narrow", board_id, "--top", "3", "--apply")
    assert code == 0, err
    assert "kept slot 1: Wise" in out
    assert (
        "disagreement: Slot 1 holds 'Wise', which the tally did not propose "
        "(ranked 5th; picked by 1 of 3)." in out
    )
    assert "the group's choice (1 of 3 top slots filled): Wise" in out
    assert "wrote 'Bold' into empty slot 2" in out
    assert "wrote 'Calm' into empty slot 3" in out
    assert "no empty slot left for 'kind'" in out
    code, out, err = run(capsys, "harvest", board_id)
    assert code == 0, err
    slots = json.loads(out)["boards"][0]["top_slots"]
    assert [s["texts"] for s in slots] == [["Wise"], ["Bold"], ["Calm"]]
    # Running again changes nothing: every slot is now filled.
    code, out, err = run(capsys, "narrow", board_id, "--top", "3", "--apply")
    assert code == 0, err
    assert "wrote" not in out
    assert "created 0 sticky notes" in out


def test_narrow_runoff_on_tie(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, {"Ana": ["Bold", "Calm"], "Ben": ["Bold", "Kind"]}))
    code, out, err = run(capsys, "narrow", board_id, "--top", "2", "--runoff", "--apply")
    assert code == 0, err
    assert "tie at the cut-off: Calm, Kind" in out
    assert "wrote 'Bold' into empty slot 1" in out
    assert "left for the group (tied): Calm" in out
    assert "runoff: a 'Runoff vote' frame" in out
    code, out, err = run(capsys, "harvest", board_id)
    doc = json.loads(out)["boards"][0]
    runoff = next(s for s in doc["sections"] if s["kind"] == "runoff")
    assert sorted(runoff["fields"]) == ["Calm", "Kind"]
    assert doc["unplaced"] == []
    frames = [r for r in doc["regions"] if r["role"] == "runoff"]
    vision = next(r for r in doc["regions"] if r["role"] == "word_bank")
    assert frames[0]["bounds"]["x"] - frames[0]["bounds"]["width"] / 2 > (
        vision["bounds"]["x"] + vision["bounds"]["width"] / 2
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["harvest", "nope", "--format", "xml"], "error: --format: expected one of json, csv, md"),
        (["tally", "nope", "--format", "md"], "error: --format: expected one of table, json, csv"),
        (["tally", "nope", "--chart", "x.png"], "error: --chart x.png: the chart is SVG"),
        (["harvest", "uXjVNOPE000="], "error: BOARD_ID uXjVNOPE000=: no such board"),
        (["harvest", "x", "--template", "nope"], "error: TEMPLATE: unknown template 'nope'"),
    ],
)
def test_cli_errors_are_one_line(
    home: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code != 0
    assert err.startswith(message), err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_progress_shows_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from boardsmith.cli.board_access import read_progress as _progress

    with _progress() as (progress, boards):
        assert progress is None  # pytest captures stderr: not a terminal
        assert boards is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with _progress(2) as (progress, boards):
        assert progress is not None
        assert boards is not None
        for n in range(3):
            progress(n + 1, 0)
        progress(3, 3)
        boards(1, 2)


def test_unwritable_output_is_a_one_line_usage_error(tmp_path: Path) -> None:
    from boardsmith.cli.harvest import _write
    from boardsmith.errors import UsageError

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(UsageError) as caught:
        _write("data", blocker / "out.json", flag="--chart")
    assert str(caught.value).startswith(f"--chart {blocker / 'out.json'}: cannot write")
    assert "\n" not in str(caught.value)


#: Three people pick Kind, the last in lower case: the report spells it "Kind".
KIND = {"Ana": ["Kind", "Calm"], "Ben": ["Kind", "Open"], "Cy": ["kind", "Wise"]}


def test_narrow_names_a_kept_slot_as_the_report_spells_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, KIND))
    asyncio.run(_fill_slot(home, board_id, "kind"))  # the group's quick lower-case copy
    code, out, err = run(capsys, "narrow", board_id, "--top", "3", "--apply")
    assert code == 0, err
    assert "kept slot 1: Kind (filled by the group)" in out
    assert "the group's choice (1 of 3 top slots filled): Kind" in out
    # The tally's table too; the variants column keeps every spelling people wrote.
    code, out, err = run(capsys, "tally", board_id, "--top", "3")
    assert code == 0, err
    row = next(line for line in out.splitlines() if "Kind" in line and "│" in line)
    assert row.split("│")[2].strip() == "Kind"
    assert "kind" in row
