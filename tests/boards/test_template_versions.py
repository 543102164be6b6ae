"""A board built from template v1, then brought to v2 through the CLI on the emulator:
retired items are reported and only pruned on request, a style change reaches an item
whose text a participant edited, and a lost state file still finds moved items."""

from __future__ import annotations

import asyncio
import json
import textwrap
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorTransport, create_app
from boardsmith.miro import MiroClient
from boardsmith.miro.models import StickyNoteCreate, StickyNoteUpdate
from boardsmith.templates import compile_plan, find_template
from tests.cli_helpers import run_cli as run

from .test_cli import EMULATOR_USER, board_items

PARTICIPANT = "Ana:2"

V1 = """
name: retro-test
title: Retro
description: A small board for testing template versions.
version: {version}
elements:
  - frame:
      key: retro
      title: Retro
      children:
        - row:
            key: notes
            children:
              - sticky: {{key: alpha, content: Alpha, color: light_yellow}}
              - sticky: {{key: beta, content: Beta, color: {beta_colour}}}
{gone}
"""

GONE = """
  - frame:
      key: gone
      title: Parked
      children:
        - row:
            key: notes
            children:
              - sticky: {key: gamma, content: Gamma, color: light_yellow}
              - sticky: {key: delta, content: Delta, color: light_yellow}
              - shape: {key: zone, content: Parking, width: 400, height: 400, fill: "#ffffff"}
  - frame:
      key: old
      title: Old ideas
      children:
        - sticky: {key: idea, content: Old idea, color: light_green}
"""


def write_template(
    tmp_path: Path, *, version: int, beta_colour: str = "light_yellow", gone: bool = True
) -> str:
    """The test template, version ``version``, as a file in the real template language."""
    text = V1.format(version=version, beta_colour=beta_colour, gone=GONE if gone else "")
    path = tmp_path / "templates" / f"retro-v{version}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def as_user(home: Path, token: str, work: Callable[[MiroClient], Awaitable[Any]]) -> Any:
    """Run ``work`` against the emulator database under ``home`` as the user ``token``."""

    async def go() -> Any:
        app = create_app(home / "emulator.sqlite3")
        try:
            async with MiroClient(
                token=token, base_url="http://emulator.local", transport=EmulatorTransport(app)
            ) as client:
                return await work(client)
        finally:
            app.close()

    return asyncio.run(go())


def state_ids(home: Path, board_id: str) -> dict[str, str]:
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    return state.item_ids()


def create_v1(home: Path, capsys: pytest.CaptureFixture[str], template: str) -> str:
    code, out, err = run(capsys, "create", template, "--json")
    assert code == 0, err
    return str(json.loads(out)["board_id"])


def test_retired_items_are_reported_kept_and_pruned_only_when_unchanged(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board_id = create_v1(home, capsys, write_template(tmp_path, version=1))
    ids = state_ids(home, board_id)
    v2 = write_template(tmp_path, version=2, gone=False)

    async def participants(client: MiroClient) -> None:
        # Gamma edited, Delta moved (both inside their frame), a sticky on the zone.
        await client.sticky_notes.update(
            board_id,
            ids["gone/notes/gamma"],
            StickyNoteUpdate.model_validate({"data": {"content": "Gamma, says Ana"}}),
        )
        await client.items.update(board_id, ids["gone/notes/delta"], x=150, y=60)
        zone = next(i for i in await read(client) if i["id"] == ids["gone/notes/zone"])
        await client.items.bulk_create(
            board_id,
            [
                StickyNoteCreate.model_validate(
                    {
                        "data": {"content": "Parked by Ana"},
                        "position": {"x": zone["x"], "y": zone["y"]},
                    }
                )
            ],
        )

    async def read(client: MiroClient) -> list[dict[str, Any]]:
        from .board_check import read_items

        return await read_items(client, board_id)

    as_user(home, PARTICIPANT, participants)
    before = {i["id"]: i for i in board_items(home, board_id)}
    retired_keys = {
        "gone",
        "gone/notes/gamma",
        "gone/notes/delta",
        "gone/notes/zone",
        "old",
        "old/idea",
    }

    # plan: every retired item named, with why; nothing changes.
    code, out, err = run(capsys, "plan", v2, "--board", board_id, "--json")
    assert code == 0, err
    planned = json.loads(out)
    assert planned["retired"] == len(retired_keys)
    why = {i["key"]: i["why"] for i in planned["items"] if i["action"] == "retire"}
    assert set(why) == retired_keys
    assert why["gone/notes/gamma"].startswith("edited")
    assert why["gone/notes/delta"].startswith("moved")
    assert why["gone/notes/zone"].startswith("other items sit on top")
    assert why["gone"].startswith("other items sit in it")
    assert why["old"] == why["old/idea"] == "unchanged, apply --prune deletes it"
    code, out, _ = run(capsys, "--verbose", "plan", v2, "--board", board_id)
    assert "retire old/idea  (sticky_note, unchanged, apply --prune deletes it)" in out
    assert "6 retired" in out.splitlines()[1]

    # apply without --prune: reported, nothing deleted, all still recorded.
    code, out, err = run(capsys, "apply", v2, "--board", board_id, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["retired"] == len(retired_keys)
    assert "pruned" not in summary
    assert {r["key"] for r in summary["retired_items"]} == retired_keys
    after = {i["id"]: i for i in board_items(home, board_id)}
    assert set(after) == set(before)
    for key in retired_keys:
        assert after[ids[key]] == before[ids[key]], key
    assert retired_keys <= set(state_ids(home, board_id))
    code, out, _ = run(capsys, "apply", v2, "--board", board_id)
    assert code == 0
    assert "retired: 6 items no longer in the template, left on the board" in out
    assert "retired old  (frame, unchanged; --prune would delete it)" in out
    assert {i["id"] for i in board_items(home, board_id)} == set(before)

    # apply --prune: deletes exactly the unchanged ones, keeps the rest and says why.
    code, out, err = run(capsys, "apply", v2, "--board", board_id, "--prune", "--yes", "--json")
    assert code == 0, err
    pruned = json.loads(out)
    assert (pruned["retired"], pruned["pruned"]) == (6, 2)
    deleted = {r["key"] for r in pruned["retired_items"] if r["pruned"]}
    assert deleted == {"old", "old/idea"}
    after = {i["id"]: i for i in board_items(home, board_id)}
    assert set(after) == set(before) - {ids["old"], ids["old/idea"]}
    for item_id, item in after.items():
        if item_id not in {ids["retro"], ids["retro/notes/alpha"], ids["retro/notes/beta"]}:
            assert item == before[item_id]
    recorded = set(state_ids(home, board_id))
    assert not {"old", "old/idea"} & recorded
    assert retired_keys - {"old", "old/idea"} <= recorded

    # Nothing more to prune; the text output names what stays and why.
    code, out, _ = run(capsys, "apply", v2, "--board", board_id, "--prune", "--yes")
    assert code == 0
    assert "retired: 4 items no longer in the template, 0 deleted (--prune)" in out
    assert "retired gone/notes/delta  (sticky_note, moved by a participant, kept)" in out
    assert "retired gone/notes/gamma  (sticky_note, edited by a participant, kept)" in out
    assert len(board_items(home, board_id)) == len(before) - 2


def test_style_change_reaches_an_item_whose_text_a_participant_edited(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board_id = create_v1(home, capsys, write_template(tmp_path, version=1))
    ids = state_ids(home, board_id)
    beta = ids["retro/notes/beta"]

    async def edit(client: MiroClient) -> None:
        await client.sticky_notes.update(
            board_id, beta, StickyNoteUpdate.model_validate({"data": {"content": "Ana's words"}})
        )

    as_user(home, PARTICIPANT, edit)
    v2 = write_template(tmp_path, version=2, beta_colour="blue")

    code, out, _ = run(capsys, "--verbose", "plan", v2, "--board", board_id)
    assert "update retro/notes/beta  (sticky_note, style only, text edited by a participant)" in (
        out
    )
    code, out, err = run(capsys, "apply", v2, "--board", board_id, "--json")
    assert code == 0, err
    assert json.loads(out)["updated"] == 1

    async def look(client: MiroClient) -> tuple[str | None, str | None]:
        note = await client.sticky_notes.get(board_id, beta)
        colour = note.style.fill_color if note.style is not None else None
        return (note.data.content if note.data is not None else None), colour

    content, colour = as_user(home, EMULATOR_USER, look)
    assert "Ana's words" in (content or "")
    assert colour == "blue"
    # Applied once: the next run has nothing to do and the text is still Ana's.
    code, out, _ = run(capsys, "apply", v2, "--board", board_id, "--json")
    assert (json.loads(out)["created"], json.loads(out)["updated"]) == (0, 0)
    assert as_user(home, EMULATOR_USER, look) == (content, "blue")


def _lose_state(home: Path, board_id: str) -> None:
    StateStore(home).path_for(backend="emulator", board_id=board_id).unlink()


def test_lost_state_adopts_a_moved_item_it_can_tell_apart(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    template = write_template(tmp_path, version=1)
    board_id = create_v1(home, capsys, template)
    ids = state_ids(home, board_id)
    plan = compile_plan(find_template(template), {})

    async def move(client: MiroClient) -> None:
        await client.items.update(board_id, ids["retro/notes/beta"], x=900, y=400)
        # Ana's own "Beta": same type and text, but not by the template's author.
        await client.items.bulk_create(
            board_id,
            [
                StickyNoteCreate.model_validate(
                    {"data": {"content": "Beta"}, "position": {"x": 5000, "y": 5000}}
                )
            ],
        )

    as_user(home, PARTICIPANT, move)
    before = board_items(home, board_id)
    _lose_state(home, board_id)

    code, out, err = run(capsys, "apply", template, "--board", board_id, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["created"], summary["updated"]) == (0, 0)
    assert summary["adopted"] == len(plan.items)
    assert summary["ambiguous"] == []
    assert board_items(home, board_id) == before
    assert state_ids(home, board_id) == ids


def test_lost_state_with_two_candidates_creates_and_says_so(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    template = write_template(tmp_path, version=1)
    board_id = create_v1(home, capsys, template)
    ids = state_ids(home, board_id)
    plan = compile_plan(find_template(template), {})

    async def move(client: MiroClient) -> None:
        await client.items.update(board_id, ids["retro/notes/beta"], x=900, y=400)

    async def duplicate(client: MiroClient) -> None:
        # The facilitator's own second "Beta": nothing tells the two apart.
        await client.items.bulk_create(
            board_id,
            [
                StickyNoteCreate.model_validate(
                    {"data": {"content": "Beta"}, "position": {"x": 5000, "y": 5000}}
                )
            ],
        )

    as_user(home, PARTICIPANT, move)
    as_user(home, EMULATOR_USER, duplicate)
    before = board_items(home, board_id)
    _lose_state(home, board_id)

    code, out, _ = run(capsys, "--verbose", "plan", template, "--board", board_id)
    assert "retro/notes/beta: several items on the board have its type and text" in out
    code, out, err = run(capsys, "apply", template, "--board", board_id)
    assert code == 0, err
    assert "created retro/notes/beta: several items on the board have its type and text" in out
    after = board_items(home, board_id)
    assert {i["id"] for i in before} < {i["id"] for i in after}
    assert len(after) == len(before) + 1
    recorded = state_ids(home, board_id)
    assert recorded["retro/notes/beta"] not in {i["id"] for i in before}
    assert {k: v for k, v in recorded.items() if k != "retro/notes/beta"} == {
        k: v for k, v in ids.items() if k != "retro/notes/beta"
    }
    assert set(recorded) == {i.key for i in plan.items}
