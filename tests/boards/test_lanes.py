"""Lanes when participants change: a lane never leaves what participants put in it.

The pure arrangement (:func:`boardsmith.boards.placement.arrange_lanes`) as a
table, then end to end on the emulator with each participant their own user.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards.apply import ApplyResult, apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.diff import BoardItem, diff, retired
from boardsmith.boards.placement import LaneSpot, arrange_lanes
from boardsmith.boards.requests import Placement, item_text, sent_hash, text_hash
from boardsmith.boards.state import BoardState, StateEntry, StateStore
from boardsmith.emulator import EmulatorApp
from boardsmith.miro.models import StickyNoteCreate
from boardsmith.templates import Plan, PlanItem, compile_plan, find_template
from tests.cli_helpers import run_cli as run

from .board_check import read_items
from .test_cli import board_items
from .test_template_versions import as_user

VISION = find_template("vision-board")
MakeClient = Callable[..., Awaitable[Any]]
Box = tuple[float, float, float, float]


def vision(names: Sequence[str]) -> Plan:
    return compile_plan(VISION, {"participants": list(names)})


def _origin(plan: Plan) -> tuple[float, float]:
    lanes = plan.with_role("lane")
    return min(ln.left for ln in lanes), min(ln.top for ln in lanes)


def _grid(names: Sequence[str]) -> list[tuple[float, float]]:
    plan = vision(names)
    x0, y0 = _origin(plan)
    return [(round(ln.left - x0, 2), round(ln.top - y0, 2)) for ln in plan.with_role("lane")]


#: The template's lane grid (offsets from the first lane): slot n is where the n-th lane goes.
SLOTS = _grid([f"P{n}" for n in range(12)])


def lane_of(plan: Plan, name: str) -> PlanItem:
    return next(lane for lane in plan.with_role("lane") if lane.labels["participant"] == name)


def slots_of(arranged: Plan, plan: Plan) -> dict[str, int]:
    """Which grid slot each lane of ``arranged`` is in (``plan``: as compiled)."""
    x0, y0 = _origin(plan)
    return {
        ln.labels["participant"]: SLOTS.index((round(ln.left - x0, 2), round(ln.top - y0, 2)))
        for ln in arranged.with_role("lane")
    }


def board_after(
    plan: Plan, *, holding: Sequence[str] = (), gone: Sequence[str] = ()
) -> tuple[BoardState, dict[str, BoardItem]]:
    """State and board once ``plan`` was applied and participants put a sticky in
    the lanes of ``holding``; the lanes of ``gone`` (and all they hold) were deleted."""
    state = BoardState(backend="emulator", board_id="b=", template=plan.template)
    board: dict[str, BoardItem] = {}
    for n, item in enumerate(plan.items):
        item_id = f"i{n}"
        state.items[item.key] = StateEntry(
            item_id=item_id,
            type=item.type,
            hash=sent_hash(item),
            x=item.x,
            y=item.y,
            parent_key=item.parent,
            content_hash=text_hash(item_text(item)),
        )
        dropped = any(item.key.startswith(lane_of(plan, name).key) for name in gone)
        if not dropped:
            board[item_id] = BoardItem(
                id=item_id,
                type=item.type,
                parent_id=state.items[item.parent].item_id if item.parent else None,
                x=item.x,
                y=item.y,
                width=item.width,
                height=item.height,
                text=item_text(item),
            )
    for name in holding:
        lane = lane_of(plan, name)
        # Low in the picks area, like a participant's first adjective.
        board[f"sticky-{name}"] = BoardItem(
            id=f"sticky-{name}",
            type="sticky_note",
            parent_id=state.items["vision"].item_id,
            x=lane.x,
            y=lane.y - 100,
            width=199,
            height=228,
            text="Bold",
        )
    return state, board


def boxes(plan: Plan, board: dict[str, BoardItem], state: BoardState) -> list[tuple[str, Box]]:
    """Every lane's box: the arranged plan's and the retired ones still on the board."""
    out = [
        (lane.key, (lane.left, lane.top, lane.right, lane.bottom))
        for lane in plan.with_role("lane")
    ]
    for key, entry in state.items.items():
        if key not in plan.by_key and key.count("/") == 2 and key.startswith("vision/lanes/"):
            found = board.get(entry.item_id)
            if found is not None:
                out.append((key, (found.left, found.top, found.right, found.bottom)))
    return out


def assert_apart(lanes: list[tuple[str, Box]]) -> None:
    for n, (a, ab) in enumerate(lanes):
        for b, bb in lanes[n + 1 :]:
            apart = ab[2] <= bb[0] or bb[2] <= ab[0] or ab[3] <= bb[1] or bb[3] <= ab[1]
            assert apart, (a, b)


ABC = ["Ana", "Ben", "Chris"]


@pytest.mark.parametrize(
    ("after", "holding", "gone", "slots", "spots"),
    [
        # Ben leaves; every lane holds a sticky: Chris stays beside Ben's kept lane.
        (["Ana", "Chris"], ABC, [], {"Ana": 0, "Chris": 2},
         [LaneSpot("vision/lanes/lane-chris", "holds items", 1)]),
        # Chris's lane is empty but Ben's (retired, still there) takes its new place.
        (["Ana", "Chris"], ["Ana"], [], {"Ana": 0, "Chris": 2},
         [LaneSpot("vision/lanes/lane-chris", "place taken")]),
        # Ben's lane was pruned: the empty lane of Chris moves up, children and all.
        (["Ana", "Chris"], [], ["Ben"], {"Ana": 0, "Chris": 1}, []),
        # Ben leaves and Dee joins in one run: Dee takes the first free place.
        (["Ana", "Chris", "Dee"], ABC, [], {"Ana": 0, "Chris": 2, "Dee": 3},
         [LaneSpot("vision/lanes/lane-chris", "holds items", 1),
          LaneSpot("vision/lanes/lane-dee", "place taken")]),
        # Reordered: Ana holds work and stays first. The empty lanes may move: Ben
        # gets his new place (Chris's old one), Chris, whose place is Ana's, the free one.
        (["Chris", "Ana", "Ben"], ["Ana"], [], {"Chris": 1, "Ana": 0, "Ben": 2},
         [LaneSpot("vision/lanes/lane-chris", "place taken"),
          LaneSpot("vision/lanes/lane-ana", "holds items", 1)]),
        # Nothing changes: nothing moves, whatever the lanes hold.
        (ABC, ["Ben"], [], {"Ana": 0, "Ben": 1, "Chris": 2}, []),
    ],
)  # fmt: skip
def test_lanes_stay_with_what_they_hold(
    after: list[str],
    holding: list[str],
    gone: list[str],
    slots: dict[str, int],
    spots: list[LaneSpot],
) -> None:
    before = vision(ABC)
    state, board = board_after(before, holding=holding, gone=gone)
    plan = vision(after)
    arranged = arrange_lanes(plan, state, board)

    assert slots_of(arranged.plan, plan) == slots
    assert sorted(arranged.spots, key=lambda s: s.key) == sorted(spots, key=lambda s: s.key)
    assert_apart(boxes(arranged.plan, board, state))
    # Children keep their place in their lane; nothing else in the plan moves.
    for item in plan.items:
        moved = arranged.plan.by_key[item.key]
        lane = next((ln for ln in plan.with_role("lane") if item.key.startswith(ln.key)), None)
        if lane is None:
            assert moved == item
        else:
            new_lane = arranged.plan.by_key[lane.key]
            assert moved.x - item.x == pytest.approx(new_lane.x - lane.x)
            assert moved.y - item.y == pytest.approx(new_lane.y - lane.y)


def test_a_full_row_continues_in_the_next_row() -> None:
    six = [f"P{n}" for n in range(1, 7)]
    state, board = board_after(vision(six), holding=six)
    plan = vision([*six[:1], *six[2:], "P7"])  # P2 leaves, P7 joins
    arranged = arrange_lanes(plan, state, board)
    got = slots_of(arranged.plan, plan)
    # Six columns fit the frame: the seventh place is the first of the next row.
    assert got == {"P1": 0, "P3": 2, "P4": 3, "P5": 4, "P6": 5, "P7": 6}
    assert SLOTS[6][0] == SLOTS[0][0] == 0
    assert_apart(boxes(arranged.plan, board, state))


def test_a_lane_a_participant_moved_keeps_its_children_with_it() -> None:
    before = vision(ABC)
    state, board = board_after(before, holding=["Chris"])
    chris = state.items["vision/lanes/lane-chris"]
    # Chris dragged his lane (and the sticky in it) 300 down and 50 right.
    for item_id in (chris.item_id, "sticky-Chris"):
        old = board[item_id]
        board[item_id] = BoardItem(**{**old.__dict__, "x": old.x + 50, "y": old.y + 300})
    plan = vision(["Ana", "Chris"])
    arranged = arrange_lanes(plan, state, board)
    lane = arranged.plan.by_key["vision/lanes/lane-chris"]
    assert (lane.x, lane.y) == (board[chris.item_id].x, board[chris.item_id].y)
    name = arranged.plan.by_key["vision/lanes/lane-chris/name"]
    old_name = before.by_key["vision/lanes/lane-chris/name"]
    assert (name.x, name.y) == (old_name.x + 50, old_name.y + 300)
    # The diff leaves the lane where Chris put it and brings its name and dots along.
    result = diff(arranged.plan, state, board, placement=Placement())
    updates = {u.item.key: u for u in result.updates}
    assert "vision/lanes/lane-chris" not in updates
    assert updates["vision/lanes/lane-chris/name"].position
    assert all(u.position for k, u in updates.items() if k.startswith("vision/lanes/lane-chris/"))


def test_a_board_not_read_keeps_the_plan() -> None:
    plan = vision(ABC)
    state, _ = board_after(plan)
    assert arrange_lanes(plan, state, None).plan is plan


def test_a_kept_retired_lane_keeps_its_children_and_counts_what_it_holds() -> None:
    state, board = board_after(vision(ABC), holding=["Ben"])
    board["sticky-Ben-2"] = BoardItem(
        **{**board["sticky-Ben"].__dict__, "id": "sticky-Ben-2", "y": board["sticky-Ben"].y + 250}
    )
    plan = vision(["Ana", "Chris"])
    gone = {r.key: r for r in retired(plan, state, board)}
    lane = gone["vision/lanes/lane-ben"]
    assert (lane.reason, lane.holding, lane.prunable) == ("covered", 2, False)
    # Its name, dots and why box stay with it; --prune would not take them.
    for key, item in gone.items():
        if key != lane.key:
            assert key.startswith(lane.key + "/")
            assert not item.prunable, key
            assert item.holding == 0 or key.endswith("/why")


async def _apply(
    client: Any, store: StateStore, board_id: str, plan: Plan, **kw: Any
) -> ApplyResult:
    return await apply_plan(
        ClientBoardIO(client), store, backend="emulator", board_id=board_id, plan=plan, **kw
    )


async def test_removing_a_participant_leaves_every_lane_with_its_stickies(
    make_client: MakeClient, emulator_app: EmulatorApp, tmp_path: Path
) -> None:
    facilitator = await make_client()
    store = StateStore(tmp_path)
    first = vision(ABC)
    board = await facilitator.boards.create(name="v")
    await _apply(facilitator, store, board.id, first, fresh_board=True)
    state = store.load(backend="emulator", board_id=board.id)
    assert state is not None
    ids = state.item_ids()
    frame = first.by_key["vision"]
    # Each participant, as their own Miro user, puts two stickies in their lane.
    for name in ABC:
        person = await make_client(token=f"{name}:1")
        lane = lane_of(first, name)
        await person.items.bulk_create(
            board.id,
            [
                StickyNoteCreate.model_validate(
                    {
                        "data": {"content": f"{word} ({name})"},
                        "position": {"x": lane.x - frame.left, "y": lane.y - frame.top + dy},
                        "parent": {"id": ids["vision"]},
                    }
                )
                for word, dy in (("Bold", -200), ("Kind", 0))
            ],
        )
    before = {i["id"]: i for i in await read_items(facilitator, board.id)}

    # plan shows what apply does: Chris's lane stays, Ben's is kept holding 2.
    second = vision(["Ana", "Chris"])
    planned = await _apply(facilitator, store, board.id, second, dry_run=True)
    result = await _apply(facilitator, store, board.id, second)
    for outcome in (planned, result):
        assert outcome.lanes == [LaneSpot("vision/lanes/lane-chris", "holds items", 2)]
        ben = next(r for r in outcome.retired if r.key == "vision/lanes/lane-ben")
        assert (ben.holding, ben.prunable) == (2, False)
        assert not [u for u in outcome.diff.updates if u.item.key.startswith("vision/lanes/")]

    after = {i["id"]: i for i in await read_items(facilitator, board.id)}
    # Nothing of the lanes moved, and no sticky left its lane.
    assert after == before

    # Dee joins later: her lane goes to the first free place, clear of every lane.
    third = vision(["Ana", "Chris", "Dee"])
    result = await _apply(facilitator, store, board.id, third)
    assert [s.key for s in result.lanes] == ["vision/lanes/lane-chris", "vision/lanes/lane-dee"]
    state = store.load(backend="emulator", board_id=board.id)
    assert state is not None
    items = {i["id"]: i for i in await read_items(facilitator, board.id)}
    lanes = []
    for key in ("lane-ana", "lane-ben", "lane-chris", "lane-dee"):
        got = items[state.items[f"vision/lanes/{key}"].item_id]
        # Every lane has the template's size (read_items reports no geometry).
        size = third.by_key["vision/lanes/lane-ana"]
        half_w, half_h = size.width / 2, size.height / 2
        lanes.append(
            (key, (got["x"] - half_w, got["y"] - half_h, got["x"] + half_w, got["y"] + half_h))
        )
    assert_apart(lanes)
    dee = dict(lanes)["lane-dee"]
    for key, entry in state.items.items():
        if key.startswith("vision/lanes/lane-dee/"):
            child = items[entry.item_id]
            assert dee[0] <= child["x"] <= dee[2], key
            assert dee[1] <= child["y"] <= dee[3], key
    # And a re-run changes nothing.
    emulator_app.reset_stats()
    again = await _apply(facilitator, store, board.id, third)
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.slow
def test_cli_plan_and_apply_keep_the_lanes_of_a_removed_participant(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "create", "vision-board", "--participants", "Ana,Ben,Chris", "--json"
    )
    assert code == 0, err
    board_id = str(json.loads(out)["board_id"])
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    ids = state.item_ids()
    first = vision(ABC)
    frame = first.by_key["vision"]
    for name in ABC:

        async def put(client: Any, name: str = name) -> None:
            lane = lane_of(first, name)
            await client.items.bulk_create(
                board_id,
                [
                    StickyNoteCreate.model_validate(
                        {
                            "data": {"content": word},
                            "position": {"x": lane.x - frame.left, "y": lane.y - frame.top + dy},
                            "parent": {"id": ids["vision"]},
                        }
                    )
                    for word, dy in (("Bold", -200), ("Kind", 0), ("Open", 200))
                ],
            )

        as_user(home, f"{name}:1", put)
    before = {i["id"]: i for i in board_items(home, board_id)}

    args = ["vision-board", "--board", board_id, "--participants", "Ana,Chris"]
    code, out, err = run(capsys, "--verbose", "plan", *args)
    assert code == 0, err
    assert (
        "  lane   vision/lanes/lane-chris  (stays where it is: "
        "holds 3 items participants put there)" in out
    )
    assert (
        "  retire vision/lanes/lane-ben  (shape, other items sit on top of it, kept; "
        "holds 3 items participants put there)"
    ) in out
    assert "update vision/lanes/" not in out
    # Without --verbose, the same in the workshop's words.
    code, out, err = run(capsys, "plan", *args)
    assert code == 0, err
    assert "  lane for Chris stays where it is: holds 3 items participants put there" in out
    assert "  lane for Ben: " in out
    assert "vision/lanes/" not in out

    code, out, err = run(capsys, "apply", *args, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["lanes"] == [
        {"key": "vision/lanes/lane-chris", "why": "holds items", "holds": 3}
    ]
    ben = next(r for r in summary["retired_items"] if r["key"] == "vision/lanes/lane-ben")
    assert (ben["why"], ben["holds"]) == ("covered", 3)
    # Every lane, every sticky where it was: nothing on the board moved.
    assert {i["id"]: i for i in board_items(home, board_id)} == before
    code, out, err = run(capsys, "apply", *args)
    assert code == 0, err
    assert (
        "retired vision/lanes/lane-ben  (shape, other items sit on top of it, kept; holds 3" in out
    )
