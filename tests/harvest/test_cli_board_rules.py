"""The board's own numbers and names: top slots, picks range, renamed lanes."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorTransport, create_app
from boardsmith.miro import MiroClient
from boardsmith.miro.models import (
    FixedRatioGeometry,
    ParentChange,
    PositionChange,
    StickyNoteCreate,
    StickyNoteDataChange,
    TextDataChange,
    TextUpdate,
)
from tests.cli_helpers import run_cli as run

from .test_cli_harvest import _create, _picks

# bold 3, calm 2, kind 2, open 1, wise 1: a board of 3 slots keeps bold, calm, kind.
PICKS = {
    "Ana": ["Bold", "Calm", "Kind"],
    "Ben": ["Bold", "Calm", "Open"],
    "Cy": ["Bold", "Kind", "Wise"],
}


def test_the_boards_own_top_slots_set_the_cut_off(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)  # made with --param top_n=3
    asyncio.run(_picks(home, board_id, PICKS))
    code, out, err = run(capsys, "narrow", board_id, "--apply")
    assert code == 0, err
    assert "top 3 (by participants who picked" in out
    assert "  3. Kind: 2 picks, 0 dots" in out
    assert "no tie at the cut-off" in out
    assert [line for line in out.splitlines() if line.startswith("wrote")] == [
        "wrote 'Bold' into empty slot 1",
        "wrote 'Calm' into empty slot 2",
        "wrote 'Kind' into empty slot 3",
    ]
    assert "disagreement" not in out
    assert err == ""

    code, out, err = run(capsys, "harvest", board_id, "--format", "md")
    assert code == 0, err
    assert "## Our top 3 adjectives\n\n1. **Bold**\n2. **Calm**\n3. **Kind**" in out
    assert "The 5" not in out

    code, out, err = run(capsys, "tally", board_id, "--top", "4", "--format", "json")
    assert code == 0, err
    assert "--top 4 overrides the 3 top slots of board" in err
    data = json.loads(out)
    assert data["proposal"] == ["bold", "calm", "kind", "open"]
    # The group's slots stay the one result whatever --top asks the tally for.
    assert (data["top"], data["top_source"]) == (["bold", "calm", "kind"], "group")
    code, out, err = run(capsys, "tally", board_id, "--top", "4", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["term"] for r in rows if r["top"] == "yes"] == ["bold", "calm", "kind"]
    assert [r["term"] for r in rows if r["proposed"] == "yes"] == ["bold", "calm", "kind", "open"]


async def _rename_and_pick(home: Path, board_id: str) -> None:
    """Ana types her name over "Participant 1" and picks in that lane, with its dot."""
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    ids = state.item_ids()
    lane_key = "vision/lanes/lane-participant-1"
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token="Ana:1", transport=EmulatorTransport(app)) as client:
            await client.texts.update(
                board_id, ids[f"{lane_key}/name"], TextUpdate(data=TextDataChange(content="Ana"))
            )
            lane = await client.items.get(board_id, ids[lane_key])
            assert lane.position is not None
            frame_id = lane.parent.id if lane.parent else None
            assert frame_id is not None
            x, y = lane.position.x, lane.position.y - 200
            await client.sticky_notes.create(
                board_id,
                StickyNoteCreate(
                    data=StickyNoteDataChange(content="Brave"),
                    position=PositionChange(x=x, y=y),
                    geometry=FixedRatioGeometry(width=150),
                    parent=ParentChange(id=frame_id),
                ),
            )
            await client.items.update(
                board_id, ids[f"{lane_key}/dots/dot-1"], x=x, y=y, parent_id=frame_id
            )
    finally:
        app.close()


def test_a_participant_who_types_their_name_over_the_placeholder_is_named(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "create", "vision-board", "--json")
    assert code == 0, err
    board_id = json.loads(out)["board_id"]
    asyncio.run(_rename_and_pick(home, board_id))
    code, out, err = run(capsys, "harvest", board_id)
    assert code == 0, err
    board = json.loads(out)["boards"][0]
    names = [p["name"] for p in board["participants"]]
    assert names[0] == "Ana"
    assert "Participant 1" not in names
    assert names[1:] == [f"Participant {n}" for n in range(2, 7)]
    brave = next(t for t in board["tally"]["terms"] if t["term"] == "brave")
    assert (brave["pickers"], brave["dots"]) == (["Ana"], 1)
    assert next(d for d in board["dots"] if d["counted"])["owner"] == "Ana"
    lane = next(r for r in board["regions"] if r["role"] == "lane")
    assert lane["label"] == "Ana"
    why = next(r for r in board["regions"] if r["role"] == "why")
    assert why["labels"]["participant"] == "Ana"


def test_a_removed_participants_lane_keeps_their_picks_and_chris_keeps_his(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)  # Ana, Ben, Cy
    asyncio.run(_picks(home, board_id, PICKS))
    code, out, err = run(
        capsys, "apply", "vision-board", "--board", board_id, "--participants", "Ana,Cy"
    )
    assert code == 0, err
    code, out, err = run(capsys, "harvest", board_id)
    assert code == 0, err
    board = json.loads(out)["boards"][0]
    assert [p["name"] for p in board["participants"]] == ["Ana", "Cy", "Ben"]
    assert board["unplaced"] == []
    picks = {p["name"]: p["picks"] for p in board["participants"]}
    assert picks == {
        "Ana": ["bold", "calm", "kind"],
        "Ben": ["bold", "calm", "open"],
        "Cy": ["bold", "kind", "wise"],
    }
    warning = next(w for w in board["warnings"] if w["code"] == "retired-region")
    assert warning["message"].startswith("Ben's lane is no longer in the template's parameters")
    ben_why = [
        r for r in board["regions"] if r["role"] == "why" and r["labels"]["participant"] == "Ben"
    ]
    assert len(ben_why) == 1


def test_narrow_apply_is_one_writer_per_board(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from boardsmith.boards.lock import board_lock

    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    with board_lock(home, "emulator", board_id):
        code, out, err = run(capsys, "narrow", board_id, "--apply", "--no-wait")
    assert code == 3
    assert out == ""
    assert err.count("\n") == 1
    assert f"board {board_id}: another boardsmith run is changing it" in err
    assert "--no-wait" in err
    # Nothing was written, and without the other run it goes through.
    code, out, err = run(capsys, "harvest", board_id)
    assert all(not s["stickies"] for s in json.loads(out)["boards"][0]["top_slots"])
    code, out, err = run(capsys, "narrow", board_id, "--apply", "--no-wait")
    assert code == 0, err
    assert "created 3 sticky notes" in out


def test_json_and_format_json_mean_the_same_on_harvest_tally_and_narrow(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    for command in ("harvest", "tally", "narrow"):
        code, by_flag, err = run(capsys, command, board_id, "--json")
        assert code == 0, err
        code, by_format, err = run(capsys, command, board_id, "--format", "json")
        assert code == 0, err
        first, second = json.loads(by_flag), json.loads(by_format)
        if command == "harvest":
            # Two reads differ only in what the history had seen before them.
            for doc in (first, second):
                for board in doc["boards"]:
                    board.pop("history")
        assert first == second, command
    code, _, err = run(capsys, "tally", board_id, "--json", "--format", "csv")
    assert code == 2
    assert "--json: it means --format json, and --format csv was given too" in err


def test_narrow_json_says_what_it_proposed_and_wrote(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    code, out, err = run(capsys, "narrow", board_id, "--apply", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["board_id"] == board_id
    assert data["result"]["source"] == "proposal"  # as read, before the write-back
    assert data["result"]["top"] == ["bold", "calm", "kind"]
    assert data["rules"]["top_n"] == 3
    assert data["applied"]["written"] == [
        {"slot": 1, "text": "Bold"},
        {"slot": 2, "text": "Calm"},
        {"slot": 3, "text": "Kind"},
    ]
    assert data["applied"]["created"] == 3
    code, out, err = run(capsys, "narrow", board_id, "--json")
    data = json.loads(out)
    assert (data["result"]["source"], data["result"]["texts"]) == (
        "group",
        ["Bold", "Calm", "Kind"],
    )
    assert "applied" not in data


def test_quiet_keeps_the_data_and_drops_the_messages(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, PICKS))
    code, loud, err = run(capsys, "tally", board_id, "--top", "4", "--json")
    assert code == 0, err
    assert "--top 4 overrides" in err
    code, quiet, err = run(capsys, "--quiet", "tally", board_id, "--top", "4", "--json")
    assert code == 0
    assert err == ""
    assert json.loads(quiet)["proposal"] == json.loads(loud)["proposal"]
