"""Adoption without state, end to end on the emulator (issue 21): a template item
a participant edited is adopted by its kind and place, what cannot be matched
surely is reported, and ``--restore`` re-points a stale state entry instead of
making a second item."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards.apply import ApplyResult, apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorApp, EmulatorTransport, create_app
from boardsmith.miro import MiroClient
from boardsmith.miro.models import StickyNoteUpdate
from boardsmith.templates import Plan, compile_plan, find_template
from tests.cli_helpers import run_cli as run

from .board_check import read_items

MakeClient = Callable[..., Awaitable[Any]]
BACKEND = "emulator"
WORD = "vision/word-bank/word-inclusive"


def _plan() -> Plan:
    return compile_plan(find_template("vision-board"), {})


async def _apply(
    client: Any, store: StateStore, board_id: str, plan: Plan, **kw: Any
) -> ApplyResult:
    return await apply_plan(
        ClientBoardIO(client), store, backend=BACKEND, board_id=board_id, plan=plan, **kw
    )


async def _built(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Any, Any, StateStore, str, dict[str, str]]:
    """A vision board boardsmith built, a participant's client, the store and the ids."""
    facilitator = await make_client()
    ana = await make_client(token="Ana:1")
    store = StateStore(tmp_path)
    board = await facilitator.boards.create(name="v")
    await _apply(facilitator, store, board.id, _plan(), fresh_board=True)
    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    return facilitator, ana, store, board.id, state.item_ids()


def _texts(items: list[dict[str, Any]]) -> list[str]:
    return [i["text"] for i in items]


async def test_an_edited_template_item_is_adopted_when_the_state_is_lost(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    facilitator, ana, store, board_id, ids = await _built(make_client, tmp_path)
    plan = _plan()
    await ana.sticky_notes.update(
        board_id,
        ids[WORD],
        StickyNoteUpdate.model_validate({"data": {"content": "Inclusive (of everyone)"}}),
    )
    before = await read_items(facilitator, board_id)
    store.path_for(backend=BACKEND, board_id=board_id).unlink()

    result = await _apply(facilitator, store, board_id, plan)

    assert (result.created, result.adopted) == (0, len(plan.items))
    assert result.ambiguous == []
    assert result.unmatched == []
    after = await read_items(facilitator, board_id)
    assert len(after) == len(before)
    texts = _texts(after)
    assert "Inclusive" not in texts
    assert texts.count("Inclusive (of everyone)") == 1
    state = store.load(backend=BACKEND, board_id=board_id)
    assert state is not None
    assert state.item_ids() == ids
    # The participant's words are theirs: the next run leaves them (and everything else).
    again = await _apply(facilitator, store, board_id, plan)
    assert (again.created, again.updated) == (0, 0)
    assert next(lv.reason for lv in again.leaves if lv.item.key == WORD) == "edited"


async def test_an_item_that_might_be_the_template_item_is_reported_not_created_silently(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    facilitator, ana, store, board_id, ids = await _built(make_client, tmp_path)
    plan = _plan()
    # Edited and recoloured: its place is all that is left, not enough to be sure.
    await ana.sticky_notes.update(
        board_id,
        ids[WORD],
        StickyNoteUpdate.model_validate(
            {"data": {"content": "Belonging"}, "style": {"fillColor": "red"}}
        ),
    )
    store.path_for(backend=BACKEND, board_id=board_id).unlink()

    result = await _apply(facilitator, store, board_id, plan)

    assert result.created == 1
    assert result.ambiguous == [WORD]
    (found,) = result.unmatched
    assert found.key == WORD
    assert found.candidates == ((ids[WORD], "in its place, another text, another look or size"),)
    texts = _texts(await read_items(facilitator, board_id))
    assert texts.count("Belonging") == 1
    assert texts.count("Inclusive") == 1


async def test_nothing_on_the_board_could_be_it_so_it_is_created_quietly(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    facilitator, _ana, store, board_id, ids = await _built(make_client, tmp_path)
    await facilitator.items.delete(board_id, ids[WORD])
    store.path_for(backend=BACKEND, board_id=board_id).unlink()

    result = await _apply(facilitator, store, board_id, _plan())

    assert (result.created, result.unmatched) == (1, [])
    assert _texts(await read_items(facilitator, board_id)).count("Inclusive") == 1


async def test_restore_repoints_a_stale_entry_instead_of_making_a_second_item(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    facilitator, ana, store, board_id, ids = await _built(make_client, tmp_path)
    plan = _plan()
    state = store.load(backend=BACKEND, board_id=board_id)
    assert state is not None
    # Both entries name ids the board never had; a participant moved the second item.
    moved = "vision/word-bank/word-curious"
    item = await facilitator.items.get(board_id, ids[moved])
    await ana.sticky_notes.update(
        board_id,
        ids[moved],
        StickyNoteUpdate.model_validate(
            {"position": {"x": item.position.x + 500, "y": item.position.y + 300}}
        ),
    )
    state.items[WORD] = state.items[WORD].model_copy(update={"item_id": "3458764999999999999"})
    state.items[moved] = state.items[moved].model_copy(update={"item_id": "3458764999999999998"})
    store.save(state)
    before = await read_items(facilitator, board_id)

    result = await _apply(facilitator, store, board_id, plan, restore=True)

    assert result.created == 0
    assert {(r.key, r.new_id) for r in result.repointed} == {(WORD, ids[WORD]), (moved, ids[moved])}
    assert len(await read_items(facilitator, board_id)) == len(before)
    after = store.load(backend=BACKEND, board_id=board_id)
    assert after is not None
    assert after.item_ids() == ids
    assert result.duplicates == []
    # Everything else recorded stays: the moved item is left where the participant put it.
    assert next(lv.reason for lv in result.leaves if lv.item.key == moved) == "moved"


def _edit_in_db(home_dir: Path, board_id: str, item_id: str, body: dict[str, Any]) -> None:
    """A participant's edit, made on the emulator database the CLI uses."""

    async def edit() -> None:
        app = create_app(home_dir / "emulator.sqlite3")
        try:
            async with MiroClient(
                token="Ana:1", base_url="http://emulator.local", transport=EmulatorTransport(app)
            ) as client:
                await client.sticky_notes.update(
                    board_id, item_id, StickyNoteUpdate.model_validate(body)
                )
        finally:
            app.close()

    asyncio.run(edit())


@pytest.mark.slow
def test_plan_and_apply_report_unmatched_items(
    home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "create", "vision-board", "--json")
    assert code == 0, out
    board_id = json.loads(out)["board_id"]
    store = StateStore(home)
    state = store.load(backend=BACKEND, board_id=board_id)
    assert state is not None
    item_id = state.item_ids()[WORD]
    _edit_in_db(
        home, board_id, item_id, {"data": {"content": "Belonging"}, "style": {"fillColor": "red"}}
    )
    store.path_for(backend=BACKEND, board_id=board_id).unlink()

    code, out, _ = run(capsys, "plan", "vision-board", "--board", board_id, "--json")
    assert code == 0, out
    planned = json.loads(out)
    assert planned["create"] == 1
    assert planned["ambiguous"] == [WORD]
    assert planned["unmatched"][0]["candidates"][0]["id"] == item_id

    code, out, _ = run(capsys, "--verbose", "plan", "vision-board", "--board", board_id)
    assert f"create {WORD}: board items could be it, none surely, so none is taken" in out
    assert f"could be {item_id}  (in its place, another text, another look or size)" in out
    # Without --verbose the item is named by what it shows and where it goes.
    code, out, _ = run(capsys, "plan", "vision-board", "--board", board_id)
    assert (
        'create sticky note "Inclusive" in word bank: board items could be it, none surely'
    ) in out
    assert WORD not in out

    code, out, _ = run(capsys, "apply", "vision-board", "--board", board_id, "--json")
    assert code == 0, out
    applied = json.loads(out)
    assert applied["created"] == 1
    assert [u["key"] for u in applied["unmatched"]] == [WORD]
    assert applied["unmatched"][0]["candidates"] == [
        {"id": item_id, "why": "in its place, another text, another look or size"}
    ]
