"""create/apply end to end on the in-process emulator: exact boards, no-op re-runs,
resume after an abort, faults, participants' work, adoption without state."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from boardsmith.boards.apply import ApplyResult, apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorApp, EmulatorTransport, Faults
from boardsmith.miro.errors import MiroError
from boardsmith.miro.models import StickyNoteCreate
from boardsmith.templates import Plan, builtin_templates, compile_plan, find_template
from tests.fake_time import FakeTime

from .board_check import assert_board_matches_plan, read_items

MakeClient = Callable[..., Awaitable[Any]]
BACKEND = "emulator"


async def _client(make_client: MakeClient, **kwargs: Any) -> Any:
    fake = FakeTime()
    return await make_client(sleep=fake.sleep, clock=fake.clock, **kwargs)


async def _apply(
    client: Any,
    store: StateStore,
    board_id: str,
    plan: Plan,
    **kwargs: Any,
) -> ApplyResult:
    return await apply_plan(
        ClientBoardIO(client), store, backend=BACKEND, board_id=board_id, plan=plan, **kwargs
    )


def _writes(app: EmulatorApp) -> dict[str, int]:
    return {
        op: n
        for op, n in app.stats()["requests"].items()
        if op.split()[0] in ("POST", "PATCH", "PUT", "DELETE")
    }


@pytest.mark.parametrize("name", [t.name for t in builtin_templates()])
async def test_builtin_template_builds_exactly_its_plan(
    name: str, make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    client = await _client(make_client)
    plan = compile_plan(find_template(name), {})
    store = StateStore(tmp_path)
    board = await client.boards.create(name=plan.title)
    emulator_app.reset_stats()
    sent_before = client.stats.requests

    result = await _apply(client, store, board.id, plan, fresh_board=True)
    calls = emulator_app.stats()["total_requests"]
    assert calls == client.stats.requests - sent_before

    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    assert set(state.items) == {i.key for i in plan.items}
    assert result.created == len(plan.items)
    assert_board_matches_plan(await read_items(client, board.id), plan, state.item_ids())

    frames = sum(1 for i in plan.items if i.type == "frame")
    connectors = sum(1 for i in plan.items if i.type == "connector")
    others = len(plan.items) - frames - connectors
    # frames one by one, the rest in bulk chunks of 20, connectors one by one, then
    # the verification read (items at 50 a page, one connectors page), nothing else
    verify = math.ceil((len(plan.items) - connectors) / 50) + 1
    assert calls <= frames + math.ceil(others / 20) + connectors + verify


async def test_rerun_is_a_no_op(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    client = await _client(make_client)
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben", "Cy"]})
    store = StateStore(tmp_path)
    board = await client.boards.create(name="v")
    await _apply(client, store, board.id, plan, fresh_board=True)
    before = (
        await read_items(client, board.id),
        store.path_for(backend=BACKEND, board_id=board.id).read_text(),
    )
    emulator_app.reset_stats()

    result = await _apply(client, store, board.id, plan)

    assert (result.created, result.updated, result.adopted) == (0, 0, 0)
    assert result.unchanged == len(plan.items)
    assert _writes(emulator_app) == {}
    assert (
        await read_items(client, board.id),
        store.path_for(backend=BACKEND, board_id=board.id).read_text(),
    ) == before


class _AbortAfter(httpx.AsyncBaseTransport):
    """Let ``k`` bulk creates through, commit the next one, then die like a killed process."""

    def __init__(self, app: EmulatorApp, k: int) -> None:
        self.inner = EmulatorTransport(app)
        self.k = k
        self.bulk = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith("/items/bulk"):
            self.bulk += 1
            if self.bulk > self.k:
                raise _Killed
        return response


class _Killed(BaseException):
    """Not an Exception: nothing in the client may catch it, as with SIGKILL."""


@pytest.mark.parametrize("k", [0, 1, 3])
async def test_aborted_run_is_completed_exactly_once(
    k: int, make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    plan = compile_plan(find_template("vision-board"), {})
    store = StateStore(tmp_path)
    dying = await _client(make_client, transport=_AbortAfter(emulator_app, k), concurrency=1)
    board = await dying.boards.create(name="v")
    with pytest.raises(_Killed):
        await _apply(dying, store, board.id, plan, fresh_board=True, concurrency=1)
    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    # The frame and k chunks were recorded; the chunk that was committed last was not.
    assert len(state.items) == 1 + 20 * k
    assert len(await read_items(dying, board.id)) == 1 + 20 * (k + 1)

    client = await _client(make_client)
    emulator_app.reset_stats()
    result = await _apply(client, store, board.id, plan)

    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    assert result.adopted == 20
    assert result.created == len(plan.items) - 1 - 20 * (k + 1)
    assert_board_matches_plan(await read_items(client, board.id), plan, state.item_ids())


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_random_faults_still_build_every_item_exactly_once(
    seed: int, make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben"]})
    store = StateStore(tmp_path)
    client = await _client(make_client)
    board = await client.boards.create(name="v")
    emulator_app.faults = Faults(rate_429=0.15, rate_500=0.15, fail_after_commit=0.2, seed=seed)

    fresh = True
    failed_runs = 0
    for _attempt in range(10):
        try:
            result = await _apply(client, store, board.id, plan, fresh_board=fresh)
            break
        except MiroError:  # a run may give up on a failing API; the next one finishes it
            fresh = False
            failed_runs += 1
    else:
        pytest.fail("ten runs did not complete the board")

    emulator_app.faults = Faults()
    # The faults did bite: retried calls, writes found on the board, or a run given up.
    assert client.stats.retries + result.reconciled + result.adopted + failed_runs > 0
    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    assert set(state.items) == {i.key for i in plan.items}
    assert_board_matches_plan(await read_items(client, board.id), plan, state.item_ids())


@pytest.mark.parametrize("mode", ["500", "drop"])
async def test_every_write_failing_after_commit_is_reconciled_not_repeated(
    mode: str, make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    plan = compile_plan(find_template("vision-board"), {})
    store = StateStore(tmp_path)
    client = await _client(make_client)
    board = await client.boards.create(name="v")
    emulator_app.faults = Faults(fail_after_commit=1.0, fail_mode=mode)  # type: ignore[arg-type]

    result = await _apply(client, store, board.id, plan, fresh_board=True)

    emulator_app.faults = Faults()
    # Every create was applied but answered with a failure: all found by reading back.
    assert result.reconciled == len(plan.items)
    assert result.created == len(plan.items)
    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    assert_board_matches_plan(await read_items(client, board.id), plan, state.item_ids())
    # Nothing was sent twice: the board, one frame, the bulk chunks.
    posts = sum(n for op, n in emulator_app.stats()["requests"].items() if op.startswith("POST"))
    assert posts == 2 + math.ceil((len(plan.items) - 1) / 20)


def _v2(plan: Plan, changes: dict[str, dict[str, Any]]) -> Plan:
    items = tuple(
        item.model_copy(update=changes[item.key]) if item.key in changes else item
        for item in plan.items
    )
    return plan.model_copy(update={"items": items, "version": plan.version + 1})


async def test_apply_updates_the_template_and_leaves_participants_alone(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    facilitator = await _client(make_client)
    ana = await _client(make_client, token="Ana:2")
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben"]})
    store = StateStore(tmp_path)
    board = await facilitator.boards.create(name="v")
    await _apply(facilitator, store, board.id, plan, fresh_board=True)
    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    ids = state.item_ids()
    frame_key = next(i.key for i in plan.items if i.type == "frame")
    stickies = [i for i in plan.items if i.type == "sticky_note"]
    moved, deleted, edited = stickies[0], stickies[1], stickies[2]

    # Participants: two stickies of their own, one template sticky moved, one deleted.
    await ana.items.bulk_create(
        board.id,
        [
            StickyNoteCreate.model_validate(
                {
                    "data": {"content": "Brave"},
                    "position": {"x": 100, "y": 100},
                    "parent": {"id": ids[frame_key]},
                }
            ),
            StickyNoteCreate.model_validate(
                {"data": {"content": "Kind"}, "position": {"x": 90000, "y": 0}}
            ),
        ],
    )
    await ana.items.update(board.id, ids[moved.key], x=5, y=7)
    await ana.items.delete(board.id, ids[deleted.key])
    participant_before = [
        i for i in await read_items(facilitator, board.id) if i["id"] not in set(ids.values())
    ]
    moved_before = next(
        i for i in await read_items(facilitator, board.id) if i["id"] == ids[moved.key]
    )

    new_plan = _v2(
        plan,
        {
            moved.key: {"content": "Moved and renamed"},
            deleted.key: {"content": "Deleted and renamed"},
            edited.key: {"content": "Renamed"},
        },
    )
    emulator_app.reset_stats()
    result = await _apply(facilitator, store, board.id, new_plan)

    assert result.created == 0
    assert result.updated == 2  # moved + edited; the deleted one stays deleted
    assert [s.item.key for s in result.skipped] == [deleted.key]
    assert set(_writes(emulator_app)) == {"PATCH /v2/boards/{board_id}/sticky_notes/{item_id}"}
    after = {i["id"]: i for i in await read_items(facilitator, board.id)}
    for mine in participant_before:
        assert after[mine["id"]] == mine
    assert after[ids[moved.key]]["text"] == "Moved and renamed"
    assert (after[ids[moved.key]]["x"], after[ids[moved.key]]["y"]) == (
        moved_before["x"],
        moved_before["y"],
    )
    assert after[ids[edited.key]]["text"] == "Renamed"
    assert ids[deleted.key] not in after

    # A second apply is a no-op; --restore brings the deleted sticky back once.
    emulator_app.reset_stats()
    again = await _apply(facilitator, store, board.id, new_plan)
    assert (again.created, again.updated) == (0, 0)
    assert _writes(emulator_app) == {}
    restored = await _apply(facilitator, store, board.id, new_plan, restore=True)
    assert restored.created == 1
    texts = [i["text"] for i in await read_items(facilitator, board.id)]
    assert texts.count("Deleted and renamed") == 1


async def test_participant_edit_is_never_overwritten(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    from boardsmith.miro.models import StickyNoteUpdate

    facilitator = await _client(make_client)
    ana = await _client(make_client, token="Ana:2")
    plan = compile_plan(find_template("vision-board"), {})
    store = StateStore(tmp_path)
    board = await facilitator.boards.create(name="v")
    await _apply(facilitator, store, board.id, plan, fresh_board=True)
    ids = store.load(backend=BACKEND, board_id=board.id).item_ids()  # type: ignore[union-attr]
    sticky = next(i for i in plan.items if i.type == "sticky_note")
    await ana.sticky_notes.update(
        board.id, ids[sticky.key], StickyNoteUpdate.model_validate({"data": {"content": "Ana's"}})
    )
    result = await _apply(facilitator, store, board.id, _v2(plan, {sticky.key: {"content": "New"}}))
    assert result.updated == 0
    after = {i["id"]: i for i in await read_items(facilitator, board.id)}
    assert after[ids[sticky.key]]["text"] == "Ana's"


async def test_existing_content_is_never_covered_and_adoption_needs_no_state(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    client = await _client(make_client)
    plan = compile_plan(find_template("see-hear-feel"), {})
    store = StateStore(tmp_path)
    board = await client.boards.create(name="v")
    await client.items.bulk_create(
        board.id,
        [
            StickyNoteCreate.model_validate(
                {"data": {"content": f"old {n}"}, "position": {"x": 300 * n, "y": 0}}
            )
            for n in range(3)
        ],
    )
    existing = await read_items(client, board.id)

    result = await _apply(client, store, board.id, plan)
    dx, dy = result.placement.dx, result.placement.dy
    assert dx > 0
    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    assert_board_matches_plan(
        await read_items(client, board.id), plan, state.item_ids(), dx=dx, dy=dy, extra=3
    )
    left = min(i.left for i in plan.items) + dx
    assert left > max(e["x"] + 199 / 2 for e in existing)

    # Lose the state file: the next run finds the template where it is and creates nothing.
    store.path_for(backend=BACKEND, board_id=board.id).unlink()
    emulator_app.reset_stats()
    adopted = await _apply(client, store, board.id, plan)
    assert adopted.created == 0
    assert adopted.adopted == len(plan.items)
    assert (adopted.placement.dx, adopted.placement.dy) == (dx, dy)
    assert _writes(emulator_app) == {}
    new_state = store.load(backend=BACKEND, board_id=board.id)
    assert new_state is not None
    assert new_state.item_ids() == state.item_ids()


async def test_other_template_on_the_same_board_is_refused(
    make_client: MakeClient, tmp_path: Path
) -> None:
    from boardsmith.errors import UsageError

    client = await _client(make_client)
    store = StateStore(tmp_path)
    board = await client.boards.create(name="v")
    await _apply(
        client, store, board.id, compile_plan(find_template("see-hear-feel"), {}), fresh_board=True
    )
    with pytest.raises(UsageError, match="built from template 'see-hear-feel'"):
        await _apply(client, store, board.id, compile_plan(find_template("purpose-map"), {}))


def _mixed_plan() -> Plan:
    """Top-level items of every kind boardsmith creates, a connector between two stickies."""
    from boardsmith.templates import PlanItem

    from .plans import frame, make_plan, sticky

    return make_plan(
        frame("f", 0, 0, 1200, 800, "Ideas"),
        sticky("f/a", -300, -100, parent="f", text="Start"),
        sticky("b", 1200, 0, text="Finish"),
        PlanItem(key="c", type="card", x=1200, y=400, width=320, height=94, content="Owner"),
        PlanItem(
            key="t", type="text", x=0, y=-600, width=600, height=40, content="<p>Title</p>",
            style={"fontSize": "24"},
        ),
        PlanItem(
            key="link", type="connector", x=0, y=0, width=0, height=0, start="f/a", end="b",
            content="then",
        ),
    )  # fmt: skip


async def test_cards_texts_and_connectors_round_trip(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    client = await _client(make_client)
    plan = _mixed_plan()
    store = StateStore(tmp_path)
    board = await client.boards.create(name="v")

    result = await _apply(client, store, board.id, plan, fresh_board=True)

    assert result.created == len(plan.items)
    state = store.load(backend=BACKEND, board_id=board.id)
    assert state is not None
    assert_board_matches_plan(await read_items(client, board.id), plan, state.item_ids())
    connectors = [c async for c in client.connectors.list(board.id)]
    assert [(c.start_item.id, c.end_item.id) for c in connectors] == [
        (state.item_ids()["f/a"], state.item_ids()["b"])
    ]

    # No-op again, and adoptable without state (connector matched by its endpoints).
    emulator_app.reset_stats()
    assert (await _apply(client, store, board.id, plan)).created == 0
    store.path_for(backend=BACKEND, board_id=board.id).unlink()
    adopted = await _apply(client, store, board.id, plan)
    assert (adopted.created, adopted.adopted) == (0, len(plan.items))
    assert _writes(emulator_app) == {}


async def test_progress_reports_every_item_and_chunks_overlap(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    gate = _Overlap(emulator_app)
    client = await _client(make_client, transport=gate)
    plan = compile_plan(find_template("vision-board"), {})
    store = StateStore(tmp_path)
    board = await client.boards.create(name="v")
    seen: list[tuple[int, int]] = []

    await _apply(
        client, store, board.id, plan, fresh_board=True, progress=lambda d, t: seen.append((d, t))
    )

    assert seen[0] == (0, len(plan.items))
    assert seen[-1] == (len(plan.items), len(plan.items))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    # Independent chunks were in flight together.
    assert gate.most >= 2


class _Overlap(httpx.AsyncBaseTransport):
    """Holds each bulk create until another one is in flight (or a second has passed)."""

    def __init__(self, app: EmulatorApp) -> None:
        self.inner = EmulatorTransport(app)
        self.in_flight = 0
        self.most = 0
        self.company = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/items/bulk"):
            return await self.inner.handle_async_request(request)
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        if self.in_flight >= 2:
            self.company.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.company.wait(), timeout=1.0)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1


async def test_state_is_journalled_per_call_and_rewritten_only_twice_per_run(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rewriting the whole file after every call made large creates quadratic.
    client = await _client(make_client)
    names = [f"P{i}" for i in range(12)]
    plan = compile_plan(find_template("vision-board"), {"participants": names})
    store = StateStore(tmp_path)
    saves: list[int] = []
    records: list[int] = []
    real_save, real_record = store.save, store.record

    def save(state: Any) -> Path:
        saves.append(len(state.items))
        return real_save(state)

    def record(state: Any, keys: Any) -> None:
        keys = list(keys)
        records.append(len(keys))
        real_record(state, keys)

    monkeypatch.setattr(store, "save", save)
    monkeypatch.setattr(store, "record", record)
    board = await client.boards.create(name="v")

    await _apply(client, store, board.id, plan, fresh_board=True)

    assert len(saves) == 2  # once before the first call, once to compact at the end
    assert sum(records) == len(plan.items)  # every created item journalled as it came back
    assert max(records) <= 20
    state = StateStore(tmp_path).load(backend=BACKEND, board_id=board.id)
    assert state is not None
    assert set(state.items) == {i.key for i in plan.items}
