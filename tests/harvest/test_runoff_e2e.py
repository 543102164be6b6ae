"""A runoff settles the tie at the cut-off, end to end: the coach runs ``narrow --runoff``,
each participant (their own token, so their own Miro user) drags a runoff dot onto a
tied adjective, and ``narrow`` / ``tally`` / ``narrow --apply`` then use those votes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from boardsmith.emulator import EmulatorTransport, create_app
from boardsmith.miro import MiroClient
from boardsmith.miro.models import (
    GeometryChange,
    ParentChange,
    PositionChange,
    ShapeCreate,
    ShapeDataChange,
    ShapeStyleChange,
)
from tests.cli_helpers import run_cli as run

from .test_cli_harvest import _create, _picks

# bold: 2 picks; calm and kind: 1 pick each, so one of them misses the top 2.
TIE = {"Ana": ["Bold", "Calm"], "Ben": ["Bold", "Kind"]}


def _data(item: Any, name: str) -> str:
    return str(getattr(item.data, name, None) or "")


async def _runoff_items(client: MiroClient, board_id: str) -> tuple[str, list[Any]]:
    frames = [f async for f in client.items.list(board_id, type="frame")]
    runoffs = [f for f in frames if _data(f, "title").startswith("Runoff vote")]
    assert len(runoffs) == 1, [_data(f, "title") for f in frames]
    inside = [i async for i in client.items.list(board_id, parent_item_id=runoffs[0].id)]
    return runoffs[0].id, inside


async def _vote(home: Path, board_id: str, votes: dict[str, str]) -> None:
    """Each voter drags the runoff dot in their own row onto the sticky reading ``text``."""
    app = create_app(home / "emulator.sqlite3")
    try:
        for person, text in votes.items():
            async with MiroClient(token=f"{person}:1", transport=EmulatorTransport(app)) as client:
                frame_id, inside = await _runoff_items(client, board_id)
                row = next(i for i in inside if i.type == "text" and _data(i, "content") == person)
                dot = next(
                    i
                    for i in inside
                    if i.type == "shape" and abs(i.position.y - row.position.y) < 1
                )
                sticky = next(
                    i for i in inside if i.type == "sticky_note" and _data(i, "content") == text
                )
                await client.items.update(
                    board_id,
                    dot.id,
                    x=sticky.position.x + 10,
                    y=sticky.position.y + 10,
                    parent_id=frame_id,
                )
    finally:
        app.close()


async def _own_dot(home: Path, board_id: str, person: str, text: str) -> None:
    """``person`` draws a dot of their own onto a runoff sticky."""
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token=f"{person}:1", transport=EmulatorTransport(app)) as client:
            frame_id, inside = await _runoff_items(client, board_id)
            sticky = next(
                i for i in inside if i.type == "sticky_note" and _data(i, "content") == text
            )
            await client.shapes.create(
                board_id,
                ShapeCreate(
                    data=ShapeDataChange(shape="circle"),
                    style=ShapeStyleChange(fill_color="#f16c7f", border_color="#f16c7f"),
                    position=PositionChange(x=sticky.position.x - 10, y=sticky.position.y),
                    geometry=GeometryChange(width=40, height=40),
                    parent=ParentChange(id=frame_id),
                ),
            )
    finally:
        app.close()


def _tied_board_with_runoff(capsys: pytest.CaptureFixture[str], home: Path) -> str:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, TIE))
    code, out, err = run(capsys, "narrow", board_id, "--top", "2", "--runoff")
    assert code == 0, err
    assert "tie at the cut-off: Calm, Kind" in out
    assert "runoff: a 'Runoff vote' frame" in out
    return board_id


def _harvest(capsys: pytest.CaptureFixture[str], board_id: str) -> dict[str, Any]:
    code, out, err = run(capsys, "harvest", board_id, "--top", "2")
    assert code == 0, err
    board: dict[str, Any] = json.loads(out)["boards"][0]
    return board


def test_runoff_winner_is_ranked_and_applied(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _tied_board_with_runoff(capsys, home)
    asyncio.run(_vote(home, board_id, {"Ana": "Kind", "Ben": "Kind", "Cy": "Calm"}))
    # Counted, this home-made dot would tie the runoff again (2 - 2).
    asyncio.run(_own_dot(home, board_id, "Cy", "Calm"))

    code, out, err = run(capsys, "narrow", board_id, "--top", "2")
    assert code == 0, err
    assert "then runoff votes among terms tied at the cut-off" in out
    assert "runoff settled the tie: Kind 2 votes, Calm 1 vote" in out
    assert "  2. Kind: 1 pick, 0 dots, 2 runoff votes" in out
    assert "no tie at the cut-off" in out

    code, out, err = run(capsys, "tally", board_id, "--format", "json", "--top", "2")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == [
        "board_id",
        "participants",
        "terms",
        "top",
        "top_source",
        "proposal",
        "ties_at_cutoff",
    ]
    assert all(set(t) == {"term", "variants", "pickers", "picks", "dots"} for t in data["terms"])
    assert data["top"] == ["bold", "kind"]
    assert data["ties_at_cutoff"] == []

    board = _harvest(capsys, board_id)
    runoff = board["tally"]["runoff"]
    assert runoff["outcome"] == "settled"
    assert runoff["votes"] == {"calm": 1, "kind": 2}
    assert runoff["tied_before"] == ["calm", "kind"]
    assert {t["term"]: t["runoff"] for t in board["tally"]["terms"]} == {
        "bold": None,
        "kind": 2,
        "calm": 1,
    }
    foreign = [d for d in board["dots"] if d["reason"] == "not created by the runoff"]
    assert len(foreign) == 1
    assert not foreign[0]["counted"]
    assert foreign[0]["owner"] == "Cy"
    assert any(w["code"] == "foreign-runoff-dot" for w in board["warnings"])
    section = next(s for s in board["sections"] if s["kind"] == "runoff")
    assert sorted(section["fields"]["Kind"]) == ["Ana", "Ben"]
    assert section["fields"]["Calm"] == ["Cy"]

    code, out, err = run(capsys, "narrow", board_id, "--top", "2", "--apply")
    assert code == 0, err
    assert "wrote 'Bold' into empty slot 1" in out
    assert "wrote 'Kind' into empty slot 2" in out
    assert "left for the group" not in out
    slots = _harvest(capsys, board_id)["top_slots"]
    assert [s["texts"] for s in slots] == [["Bold"], ["Kind"], []]

    code, out, err = run(capsys, "harvest", board_id, "--format", "md", "--top", "2")
    assert code == 0, err
    assert "The runoff vote settled the tie at the cut-off (runoff votes: Kind 2, Calm 1)" in out


def test_runoff_tied_again_keeps_the_tie(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board_id = _tied_board_with_runoff(capsys, home)
    asyncio.run(_vote(home, board_id, {"Ana": "Kind", "Ben": "Calm"}))
    code, out, err = run(capsys, "narrow", board_id, "--top", "2", "--apply")
    assert code == 0, err
    assert "runoff is tied too: Calm 1 vote, Kind 1 vote; still tied: Calm, Kind" in out
    assert "tie at the cut-off: Calm, Kind each have 1 pick, 0 dots and 1 runoff vote" in out
    assert "wrote 'Bold' into empty slot 1" in out
    assert "left for the group (tied): Calm" in out
    code, out, err = run(capsys, "tally", board_id, "--format", "json", "--top", "2")
    assert json.loads(out)["ties_at_cutoff"] == ["calm", "kind"]
    assert _harvest(capsys, board_id)["tally"]["runoff"]["outcome"] == "tied"


def test_runoff_without_votes_keeps_the_tie_and_is_not_created_twice(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _tied_board_with_runoff(capsys, home)
    code, out, err = run(capsys, "narrow", board_id, "--top", "2", "--runoff")
    assert code == 0, err
    assert "runoff has no votes yet (Calm, Kind): the tie stands until the group votes" in out
    assert "tie at the cut-off: Calm, Kind each have 1 pick and 0 dots" in out
    assert "--runoff: a 'Runoff vote' frame is already on the board" in out
    assert "holding Calm, Kind); no second one was created" in out
    assert "items created" not in out
    board = _harvest(capsys, board_id)
    assert [r["role"] for r in board["regions"]].count("runoff") == 1
    assert board["tally"]["ties_at_cutoff"] == ["calm", "kind"]
    assert board["tally"]["runoff"]["outcome"] == "no-votes"
    assert all(t["runoff"] is None for t in board["tally"]["terms"])
    code, out, err = run(capsys, "tally", board_id, "--top", "2")
    assert code == 0, err
    assert "runoff has no votes yet" in out
    assert "tie at the cut-off: Calm, Kind" in out


async def _lane_dot_into_runoff(home: Path, board_id: str, person: str, text: str) -> str:
    """``person`` drags an unused dot from their lane onto ``text`` in the runoff frame."""
    from boardsmith.boards.state import StateStore

    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    dot_id = state.item_ids()[f"vision/lanes/lane-{person.lower()}/dots/dot-1"]
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token=f"{person}:1", transport=EmulatorTransport(app)) as client:
            frame_id, inside = await _runoff_items(client, board_id)
            sticky = next(
                i for i in inside if i.type == "sticky_note" and _data(i, "content") == text
            )
            await client.items.update(
                board_id,
                dot_id,
                x=sticky.position.x - 15,
                y=sticky.position.y + 5,
                parent_id=frame_id,
            )
    finally:
        app.close()
    return dot_id


def test_a_lane_dot_dragged_into_the_runoff_is_reported_not_counted(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _tied_board_with_runoff(capsys, home)
    asyncio.run(_vote(home, board_id, {"Ana": "Kind", "Ben": "Kind", "Cy": "Calm"}))
    # Counted as a runoff vote, Cy's leftover lane dot would tie the runoff again (2 - 2);
    # counted as a dot, it would hand "calm" the dot vote and re-open the settled tie.
    dot_id = asyncio.run(_lane_dot_into_runoff(home, board_id, "Cy", "Calm"))

    code, out, err = run(capsys, "narrow", board_id, "--top", "2")
    assert code == 0, err
    assert "runoff settled the tie: Kind 2 votes, Calm 1 vote" in out
    assert "  2. Kind: 1 pick, 0 dots, 2 runoff votes" in out

    board = _harvest(capsys, board_id)
    terms = {t["term"]: t for t in board["tally"]["terms"]}
    assert (terms["calm"]["dots"], terms["calm"]["runoff"]) == (0, 1)
    assert board["tally"]["runoff"]["votes"] == {"calm": 1, "kind": 2}
    dot = next(d for d in board["dots"] if d["id"] == dot_id)
    assert dot["counted"] is False
    assert dot["owner"] == "Cy"
    assert dot["reason"] == "a lane dot in the runoff frame: it counts only in the dot vote"
    warning = next(w for w in board["warnings"] if w["code"] == "lane-dot-in-runoff")
    assert "Cy's lane dot" in warning["message"]


async def _stateless_harvest(home: Path, board_id: str) -> Any:
    from boardsmith.harvest.api import harvest_snapshot
    from boardsmith.harvest.snapshot import read_snapshot

    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token="Coach:1", transport=EmulatorTransport(app)) as client:
            snapshot = await read_snapshot(client, board_id)
    finally:
        app.close()
    return harvest_snapshot(snapshot, top=2).harvest


def test_without_state_runoff_dots_and_lane_dots_are_told_apart(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _tied_board_with_runoff(capsys, home)
    asyncio.run(_vote(home, board_id, {"Ana": "Kind", "Ben": "Kind", "Cy": "Calm"}))
    dot_id = asyncio.run(_lane_dot_into_runoff(home, board_id, "Cy", "Calm"))
    board = asyncio.run(_stateless_harvest(home, board_id))
    assert board.located_by == "frames"
    assert board.tally.runoff is not None
    assert board.tally.runoff.outcome == "settled"
    assert board.tally.runoff.votes == {"calm": 1, "kind": 2}
    assert board.tally.top == ["bold", "kind"]
    lane_dot = next(d for d in board.dots if d.id == dot_id)
    assert not lane_dot.counted
    assert lane_dot.reason == "a lane dot in the runoff frame: it counts only in the dot vote"
