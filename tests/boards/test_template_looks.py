"""A template's new look never overwrites a look a participant gave an item: board from
template v1, participants recolour some items, v2 restyles them all, through the CLI on
the emulator."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards.apply import apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.requests import look_changed, normalise_look
from boardsmith.boards.state import StateStore
from boardsmith.miro import MiroClient
from boardsmith.miro.models import ShapeUpdate, StickyNoteUpdate
from boardsmith.templates import builtin_templates, compile_plan, find_template
from tests.cli_helpers import run_cli as run

from .test_cli import EMULATOR_USER
from .test_template_versions import PARTICIPANT, as_user, create_v1, state_ids

TEMPLATE = """
name: looks-test
title: Looks
description: A small board for testing template look changes.
version: {version}
elements:
  - frame:
      key: retro
      title: Retro
      children:
        - row:
            key: notes
            children:
              - sticky: {{key: alpha, content: {alpha}, color: {colour}}}
              - sticky: {{key: beta, content: Beta, color: {colour}}}
              - sticky: {{key: gamma, content: Gamma, color: {colour}}}
              - shape:
                  {{key: zone, content: Zone, width: 300, height: 200,
                   fill: "{fill}", border: "{border}"}}
              - shape:
                  {{key: park, content: Park, width: 300, height: 200,
                   fill: "{fill}", border: "{border}"}}
"""

V1 = {
    "version": 1,
    "alpha": "Alpha",
    "colour": "light_yellow",
    "fill": "#ffffff",
    "border": "#1a1a1a",
}
V2 = {
    "version": 2,
    "alpha": "Alpha two",
    "colour": "light_green",
    "fill": "#fff9b1",
    "border": "#2d9bf0",
}


def write(tmp_path: Path, values: dict[str, object]) -> str:
    path = tmp_path / "templates" / f"looks-v{values['version']}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(TEMPLATE.format(**values)), encoding="utf-8")
    return str(path)


def looks(home: Path, board_id: str, ids: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Key -> (text, fill colour[, border colour]) as the board shows them."""

    async def read(client: MiroClient) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for name in ("alpha", "beta", "gamma"):
            note = await client.sticky_notes.get(board_id, ids[f"retro/notes/{name}"])
            fill = note.style.fill_color
            found[name] = (note.data.content or "", str(getattr(fill, "value", fill)))
        for name in ("zone", "park"):
            shape = await client.shapes.get(board_id, ids[f"retro/notes/{name}"])
            found[name] = (
                shape.data.content or "",
                str(shape.style.fill_color).lower(),
                str(shape.style.border_color).lower(),
            )
        return found

    result: dict[str, tuple[str, ...]] = as_user(home, EMULATOR_USER, read)
    return result


def recolour(home: Path, board_id: str, ids: dict[str, str]) -> None:
    """Ana marks alpha and beta red and the zone shape red (upper-case hex, as a UI might)."""

    async def work(client: MiroClient) -> None:
        for name in ("alpha", "beta"):
            await client.sticky_notes.update(
                board_id,
                ids[f"retro/notes/{name}"],
                StickyNoteUpdate.model_validate({"style": {"fillColor": "red"}}),
            )
        await client.shapes.update(
            board_id,
            ids["retro/notes/zone"],
            ShapeUpdate.model_validate({"style": {"fillColor": "#FF0000"}}),
        )

    as_user(home, PARTICIPANT, work)


def test_new_template_look_leaves_participants_looks_and_restyles_the_rest(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board_id = create_v1(home, capsys, write(tmp_path, V1))
    ids = state_ids(home, board_id)
    recolour(home, board_id, ids)
    v2 = write(tmp_path, V2)

    # plan: the same decisions apply will take, changing nothing.
    before = looks(home, board_id, ids)
    code, out, err = run(capsys, "plan", v2, "--board", board_id, "--json")
    assert code == 0, err
    rows = {i["key"]: (i["action"], i["why"]) for i in json.loads(out)["items"]}
    assert rows["retro/notes/beta"] == ("leave", "look changed on the board")
    assert rows["retro/notes/zone"] == ("leave", "look changed on the board")
    assert rows["retro/notes/alpha"] == (
        "update",
        "text only, look changed on the board, look left as is",
    )
    assert rows["retro/notes/gamma"] == ("update", "content")
    assert rows["retro/notes/park"] == ("update", "content")
    code, out, _ = run(capsys, "--verbose", "plan", v2, "--board", board_id)
    assert "leave  retro/notes/beta  (sticky_note, look changed on the board)" in out
    assert looks(home, board_id, ids) == before

    code, out, err = run(capsys, "apply", v2, "--board", board_id, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["updated"] == 3
    kept = {r["key"]: r["why"] for r in summary["looks_kept"]}
    assert kept == {
        "retro/notes/alpha": "look changed on the board",
        "retro/notes/beta": "look changed on the board",
        "retro/notes/zone": "look changed on the board",
    }
    after = looks(home, board_id, ids)
    assert after["alpha"] == ("Alpha two", "red")
    assert after["beta"] == ("Beta", "red")
    assert after["gamma"] == ("Gamma", "light_green")
    assert after["zone"] == ("Zone", "#ff0000", "#1a1a1a")
    assert after["park"] == ("Park", "#fff9b1", "#2d9bf0")

    # A second run changes nothing and still says why the looks stay.
    code, out, err = run(capsys, "apply", v2, "--board", board_id)
    assert code == 0, err
    assert "0 created, 0 updated" in out
    assert "leave look of retro/notes/alpha  (sticky_note, look changed on the board;" in out
    assert "leave look of retro/notes/zone  (shape, look changed on the board;" in out
    assert looks(home, board_id, ids) == after


def test_state_without_recorded_looks_leaves_every_look_and_says_so(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board_id = create_v1(home, capsys, write(tmp_path, V1))
    ids = state_ids(home, board_id)
    # A state file written before looks were recorded.
    store = StateStore(home)
    path = store.path_for(backend="emulator", board_id=board_id)
    raw = json.loads(path.read_text(encoding="utf-8"))
    for entry in raw["items"].values():
        entry.pop("look", None)
    path.write_text(json.dumps(raw), encoding="utf-8")
    before = looks(home, board_id, ids)

    code, out, err = run(capsys, "apply", write(tmp_path, V2), "--board", board_id, "--json")
    assert code == 0, err
    summary = json.loads(out)
    kept = {r["key"]: r["why"] for r in summary["looks_kept"]}
    assert set(kept) == {f"retro/notes/{n}" for n in ("alpha", "beta", "gamma", "zone", "park")}
    assert set(kept.values()) == {"look not recorded"}
    after = looks(home, board_id, ids)
    assert after["alpha"] == ("Alpha two", "light_yellow")
    for name in ("beta", "gamma", "zone", "park"):
        assert after[name] == before[name]


@pytest.mark.parametrize("name", [t.name for t in builtin_templates()])
async def test_untouched_builtin_board_shows_the_looks_boardsmith_recorded(
    name: str, make_client: Callable[..., Awaitable[Any]], tmp_path: Path
) -> None:
    # Miro answers styles in its own formats; an untouched item must compare equal,
    # or every template look change would be held back as a participant's.
    client = await make_client()
    plan = compile_plan(find_template(name), {})
    store = StateStore(tmp_path)
    board = await client.boards.create(name=plan.title)
    io = ClientBoardIO(client)
    await apply_plan(io, store, backend="emulator", board_id=board.id, plan=plan, fresh_board=True)
    state = store.load(backend="emulator", board_id=board.id)
    assert state is not None
    on_board = await io.read_board(board.id)
    differing = []
    for key, entry in state.items.items():
        shown = on_board[entry.item_id].look
        assert entry.look is not None, key
        assert shown is not None, key
        if look_changed(entry.look, shown):
            differing.append((key, entry.look, shown))
    assert differing == []


def test_look_normalisation_and_comparison() -> None:
    sent = normalise_look({"fillColor": "#FFF9B1", "fontSize": "14", "borderWidth": 2}, "square")
    assert sent == {"fillColor": "#fff9b1", "fontSize": "14", "borderWidth": "2", "shape": "square"}
    board = normalise_look(
        {"fillColor": "#fff9b1", "fontSize": 14.0, "borderWidth": "2.0", "textAlign": "center"},
        "square",
    )
    # Defaults Miro adds (textAlign) do not count; a changed value does.
    assert not look_changed(sent, board)
    assert look_changed(sent, {**board, "fillColor": "#ff0000"})
    assert look_changed(sent, {**board, "shape": "rectangle"})
    assert look_changed(sent, {k: v for k, v in board.items() if k != "fontSize"})
