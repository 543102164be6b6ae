"""tally/harvest on a board with no recognised template regions, or with a
``--template`` that does not fit it, say so on stderr (issue 16)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from boardsmith.emulator import EmulatorTransport, create_app
from boardsmith.miro import MiroClient
from boardsmith.miro.models import (
    BoardCreate,
    FixedRatioGeometry,
    PositionChange,
    StickyNoteCreate,
    StickyNoteDataChange,
)
from boardsmith.miro.models.items import FrameCreate, FrameDataChange, SizeGeometry

from .conftest import Run


async def _foreign_board(home: Path, frames: tuple[str, ...] = ("Ideas", "Actions")) -> str:
    """A board someone made by hand: frames boardsmith does not know, two stickies."""
    app = create_app(home / "emulator.sqlite3")  # the emulator makes the directory
    try:
        async with MiroClient(token="Facilitator:local", transport=EmulatorTransport(app)) as c:
            board = await c.boards.create(BoardCreate(name="Retro"))
            for n, title in enumerate(frames):
                await c.frames.create(
                    board.id,
                    FrameCreate(
                        data=FrameDataChange(title=title),
                        position=PositionChange(x=n * 1200, y=0),
                        geometry=SizeGeometry(width=1000, height=800),
                    ),
                )
            for n, word in enumerate(("Bold", "Calm")):
                await c.sticky_notes.create(
                    board.id,
                    StickyNoteCreate(
                        data=StickyNoteDataChange(content=word),
                        position=PositionChange(x=n * 200, y=0),
                        geometry=FixedRatioGeometry(width=150),
                    ),
                )
            return board.id
    finally:
        app.close()


def test_tally_on_a_board_without_template_regions_suggests_template(home: Path, run: Run) -> None:
    board_id = asyncio.run(_foreign_board(home))
    code, out, err = run("tally", board_id)
    assert code == 0
    assert err.strip().splitlines() == [
        "warning: board Retro: no template regions were recognised (no local state, no known "
        "frame title), so every sticky is unplaced; name the template with --template"
    ]
    assert "no adjectives picked yet" in out


def test_harvest_with_a_template_whose_frame_is_missing_says_regions_not_found(
    home: Path, run: Run
) -> None:
    board_id = asyncio.run(_foreign_board(home))
    code, out, err = run("harvest", board_id, "--template", "vision-board")
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "warning: board Retro: the regions of --template vision-board were not found on it "
        "(no frame titled "
    )
    assert lines[0].endswith("on the board: every sticky is unplaced)")
    codes = [w["code"] for w in json.loads(out)["boards"][0]["warnings"]]
    assert "template-not-found" in codes


def test_a_template_that_does_not_fit_a_boardsmith_board_says_regions_not_found(
    home: Path, run: Run
) -> None:
    code, out, err = run(
        "create", "vision-board", "--participants", "Ana,Ben", "--title", "Vision", "--json"
    )
    assert code == 0, err
    board_id = json.loads(out)["board_id"]
    for state in (home / "state").iterdir():
        state.unlink()  # a board from another machine: no local state
    code, out, err = run("tally", board_id, "--template", "purpose-map")
    assert code == 0
    assert err.strip().splitlines() == [
        "warning: board Vision: the regions of --template purpose-map were not found on it "
        "(only a frame was; their places are estimates)"
    ]
    # The right template finds them: no warning.
    code, out, err = run("tally", board_id, "--template", "vision-board")
    assert code == 0
    assert err == ""


def test_a_template_with_nothing_on_the_board_says_regions_not_found(home: Path, run: Run) -> None:
    board_id = asyncio.run(_foreign_board(home, frames=("Ideas",)))
    code, out, err = run("tally", board_id, "--template", "action-timeline", "--format", "json")
    assert code == 0
    assert err.strip().splitlines() == [
        "warning: board Retro: the regions of --template action-timeline were not found on it "
        "(nothing of it is on the board: every sticky is unplaced)"
    ]
    assert json.loads(out)["terms"] == []
