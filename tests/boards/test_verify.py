"""The closing verification read: copies from another machine are reported by key,
and ``dedupe`` deletes only boardsmith's own untouched copies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from boardsmith.boards.apply import ApplyResult, apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.state import StateStore
from boardsmith.miro.models import StickyNoteCreate, StickyNoteUpdate
from boardsmith.templates import Plan, compile_plan, find_template

from .board_check import assert_board_matches_plan, read_items

MakeClient = Callable[..., Awaitable[Any]]


def _plan() -> Plan:
    return compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben"]})


async def _apply(client: Any, store: StateStore, board_id: str, **kw: Any) -> ApplyResult:
    return await apply_plan(
        ClientBoardIO(client), store, backend="emulator", board_id=board_id, plan=_plan(), **kw
    )


async def _two_machines(make_client: MakeClient, tmp_path: Path) -> tuple[Any, str, StateStore]:
    """Two data directories apply the plan to one empty board at the same time."""
    client = await make_client()
    board = await client.boards.create(name="Vision")
    first, second = StateStore(tmp_path / "a"), StateStore(tmp_path / "b")
    await asyncio.gather(_apply(client, first, board.id), _apply(client, second, board.id))
    return client, board.id, first


async def test_a_clean_apply_finds_no_copies(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client()
    board = await client.boards.create(name="Vision")
    result = await _apply(client, StateStore(tmp_path), board.id, fresh_board=True)
    assert result.duplicates == []


async def test_copies_from_another_machine_are_reported_by_key(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client, board_id, store = await _two_machines(make_client, tmp_path)
    plan = _plan()
    result = await _apply(client, store, board_id)
    assert result.created == 0
    assert sorted(d.key for d in result.duplicates) == sorted(i.key for i in plan.items)
    assert all(d.removable for d in result.duplicates)
    assert result.deduped == []
    assert len(await read_items(client, board_id)) == 2 * len(plan.items)


async def test_dedupe_leaves_exactly_the_plan_and_keeps_participants_work(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client, board_id, store = await _two_machines(make_client, tmp_path)
    plan = _plan()
    state = store.load(backend="emulator", board_id=board_id)
    assert state is not None
    recorded = set(state.item_ids().values())
    copies = [i for i in await read_items(client, board_id) if i["id"] not in recorded]
    # A participant edits one copy and adds a sticky of their own.
    edited = next(i for i in copies if i["type"] == "sticky_note")
    participant = await make_client(token="Ana:2")
    await participant.sticky_notes.update(
        board_id, edited["id"], StickyNoteUpdate.model_validate({"style": {"fillColor": "red"}})
    )
    own = await participant.sticky_notes.create(
        board_id, StickyNoteCreate.model_validate({"data": {"content": "mine"}})
    )

    result = await _apply(client, store, board_id, dedupe=True)

    # The edited copy stays, and so does the copied frame holding it.
    frame = edited["parent"]
    assert frame not in recorded
    kept = {d.item.id: d.why for d in result.duplicates if not d.removable}
    assert kept == {
        edited["id"]: "look changed on the board",
        frame: "holds items that are not copies",
    }
    assert {d.item.id for d in result.deduped} == {c["id"] for c in copies} - set(kept)
    after = await read_items(client, board_id)
    assert_board_matches_plan(
        [i for i in after if i["id"] not in (*kept, own.id)], plan, state.item_ids()
    )
    assert {*kept, own.id} <= {i["id"] for i in after}
    # A second run finds only what the participant touched, and deletes nothing.
    again = await _apply(client, store, board_id, dedupe=True)
    assert {d.item.id for d in again.duplicates} == set(kept)
    assert again.deduped == []
