"""``create NAME --from BOARD``: one board's results start the next."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

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


def _create(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(capsys, "create", *args, "--json")


async def _write(home: Path, board_id: str, template: str, notes: dict[str, str]) -> None:
    """Ana writes each text at the centre of the plan item with that key."""
    plan = compile_plan(find_template(template))
    frame_item = next(i for i in plan.items if i.type == "frame")
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token="Ana:1", transport=EmulatorTransport(app)) as client:
            frames = [i async for i in client.items.list(board_id, type="frame")]
            frame = frames[0]
            for key, text in notes.items():
                item = plan.by_key[key]
                await client.sticky_notes.create(
                    board_id,
                    StickyNoteCreate(
                        data=StickyNoteDataChange(content=text),
                        position=PositionChange(
                            x=item.x - frame_item.left, y=item.y - frame_item.top
                        ),
                        geometry=FixedRatioGeometry(width=150),
                        parent=ParentChange(id=frame.id),
                    ),
                )
    finally:
        app.close()


async def _stickies(home: Path, board_id: str) -> list[str]:
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token="Fay:1", transport=EmulatorTransport(app)) as client:
            return [
                str(getattr(i.data, "content", ""))
                async for i in client.items.list(board_id, type="sticky_note")
            ]
    finally:
        app.close()


def test_a_purpose_maps_action_plan_starts_the_action_timeline(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _create(capsys, "purpose-map")
    assert code == 0, err
    source = json.loads(out)["board_id"]
    row = "purpose-map/plan/rows/row-"
    asyncio.run(
        _write(
            home,
            source,
            "purpose-map",
            {
                row + "1/what": "Pilot reading circles",
                row + "1/who": "Ms Lee",
                row + "2/what": "Train tutors",
            },
        )
    )
    code, out, err = _create(capsys, "action-timeline", "--from", source)
    assert code == 0, err
    assert f"from board {source}: actions = Pilot reading circles, Train tutors" in err
    target = json.loads(out)["board_id"]
    assert target != source
    assert sorted(asyncio.run(_stickies(home, target))) == ["Pilot reading circles", "Train tutors"]
    # The board remembers the values: applying again changes nothing.
    code, out, err = run(capsys, "apply", "action-timeline", "--board", target, "--json")
    assert code == 0, err
    assert json.loads(out)["created"] == 0


def test_a_value_given_on_the_command_line_wins(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _create(capsys, "purpose-map")
    source = json.loads(out)["board_id"]
    asyncio.run(_write(home, source, "purpose-map", {"purpose-map/plan/rows/row-1/what": "Pilot"}))
    code, out, err = _create(
        capsys, "action-timeline", "--from", source, "--param", "actions=Our own"
    )
    assert code == 0, err
    assert f"--param actions: given, so not taken from board {source}" in err
    assert asyncio.run(_stickies(home, json.loads(out)["board_id"])) == ["Our own"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param(
            "see-hear-feel",
            "error: --from: template 'see-hear-feel' takes nothing from other boards",
            id="takes-nothing",
        ),
        pytest.param(
            "action-timeline",
            "error: --from {board}: the board is a leadership-vision board; "
            "'action-timeline' takes from purpose-map",
            id="wrong-kind-of-board",
        ),
    ],
)
def test_an_incompatible_board_is_one_clear_error(
    home: Path, capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    code, out, err = _create(capsys, "vision-board")
    board = json.loads(out)["board_id"]
    code, out, err = _create(capsys, target, "--from", board)
    assert code == 2
    assert err.strip().splitlines() == [message.format(board=board)]


def test_an_empty_source_section_says_there_is_nothing_to_carry(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _create(capsys, "purpose-map")
    board = json.loads(out)["board_id"]
    code, _, err = _create(capsys, "action-timeline", "--from", board)
    assert code == 2
    assert (
        f"error: --from {board}: nothing to carry: the board's section "
        "'Our first action plan' is empty" in err
    )


def test_from_takes_a_board_url_and_refuses_other_urls(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _create(capsys, "action-timeline", "--from", "https://example.com/x")
    assert code == 2
    assert "--from" in err.strip().splitlines()[0]


def test_a_vision_boards_adjectives_start_the_collaborative_brainstorm(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.harvest.test_cli_harvest import _create as _vision
    from tests.harvest.test_cli_harvest import _fill_slot, _picks

    vision = _vision(capsys)
    asyncio.run(_picks(home, vision, {"Ana": ["Bold", "Kind"], "Ben": ["Bold"]}))
    asyncio.run(_fill_slot(home, vision, "Bold"))
    code, out, err = _create(capsys, "collaborative-planning-vision", "--from", vision)
    assert code == 0, err
    # Slot 1 holds Bold, the other slots are empty: the group's choice is Bold alone.
    assert f"from board {vision}: aspirations = Bold" in err
    board = json.loads(out)["board_id"]
    assert asyncio.run(_stickies(home, board)) == ["Bold"]
    code, out, err = run(capsys, "harvest", board, "--format", "md")
    assert code == 0, err
    assert "## Our aspirations, by theme\n\n### Not color-coded\n\n- Bold\n" in out


def test_a_vision_statement_is_what_a_living_vision_revisits(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _create(capsys, "collaborative-planning-vision")
    assert code == 0, err
    source = json.loads(out)["board_id"]
    statement = "Every teacher plans with colleagues, every week."
    asyncio.run(
        _write(home, source, "collaborative-planning-vision", {"cpv/vision-statement": statement})
    )
    code, out, err = _create(capsys, "living-vision", "--from", source)
    assert code == 0, err
    assert f"from board {source}: statement = {statement}" in err
    board = json.loads(out)["board_id"]
    code, out, err = run(capsys, "harvest", board, "--format", "md")
    assert code == 0, err
    assert statement in out.split("---")[0]
