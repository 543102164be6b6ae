"""The pure plan/state/board diff: create, update, leave and why."""

from __future__ import annotations

from dataclasses import replace

from boardsmith.boards.diff import BoardItem, Create, Leave, diff
from boardsmith.boards.requests import (
    Placement,
    form_hash,
    item_text,
    plan_look,
    sent_hash,
    text_hash,
)
from boardsmith.boards.state import BoardState, StateEntry
from boardsmith.templates.plan import Plan, PlanItem

from .plans import make_plan, small_plan, sticky

ORIGIN = Placement()


def _recorded(plan: Plan, placement: Placement = ORIGIN) -> tuple[BoardState, dict[str, BoardItem]]:
    """State and board as if ``plan`` had just been applied at ``placement``."""
    state = BoardState(backend="emulator", board_id="b=", template="test")
    board: dict[str, BoardItem] = {}
    for n, item in enumerate(plan.items):
        x, y = placement.absolute(item)
        item_id = str(1000 + n)
        state.items[item.key] = StateEntry(
            item_id=item_id,
            type=item.type,
            hash=sent_hash(item),
            x=x,
            y=y,
            parent_key=item.parent,
            content_hash=text_hash(item_text(item)),
        )
        parent = state.items[item.parent].item_id if item.parent else None
        board[item_id] = BoardItem(
            id=item_id, type=item.type, parent_id=parent, x=x, y=y, text=item_text(item)
        )
    return state, board


def test_empty_state_creates_everything_in_plan_order() -> None:
    plan = small_plan()
    state = BoardState(backend="emulator", board_id="b=", template="test")
    result = diff(plan, state, None, placement=Placement())
    assert [c.item.key for c in result.creates] == [i.key for i in plan.items]
    assert result.counts() == {"create": len(plan.items), "update": 0, "leave": 0}


def test_applied_plan_is_a_no_op() -> None:
    plan = small_plan()
    state, board = _recorded(plan, Placement(3000, 0))
    result = diff(plan, state, board, placement=Placement(3000, 0))
    assert result.empty
    assert {leave.reason for leave in result.leaves} == {"unchanged"}


def test_partial_state_creates_only_the_rest() -> None:
    plan = small_plan()
    state, board = _recorded(plan)
    del state.items["bank/w2"], state.items["title"]
    result = diff(plan, state, board, placement=Placement())
    assert [c.item.key for c in result.creates] == ["bank/w2", "title"]


def test_changed_template_item_is_updated() -> None:
    state, board = _recorded(small_plan(words=("Bold", "Kind", "Fair")))
    new = small_plan(version=2, words=("Bold", "Caring", "Fair"))
    result = diff(new, state, board, placement=Placement())
    assert [(u.item.key, u.content, u.position) for u in result.updates] == [
        ("bank/w1", True, False)
    ]
    assert result.creates == []


def test_moved_item_keeps_its_place_but_gets_new_content() -> None:
    state, board = _recorded(small_plan(words=("Bold", "Kind", "Fair")))
    moved_id = state.items["bank/w1"].item_id
    board[moved_id] = BoardItem(
        id=moved_id, type="sticky_note", parent_id="1000", x=900, y=900, text="Kind"
    )
    # Same template: the move is simply respected.
    same = diff(small_plan(), state, board, placement=Placement())
    assert same.empty
    assert Leave(small_plan().by_key["bank/w1"], "moved") in same.leaves

    # A template that changes the word AND the item's position: content only.
    new_items = [
        i.model_copy(update={"content": "Caring", "x": i.x + 10}) if i.key == "bank/w1" else i
        for i in small_plan().items
    ]
    result = diff(make_plan(*new_items, version=2), state, board, placement=Placement())
    assert [(u.item.key, u.content, u.position) for u in result.updates] == [
        ("bank/w1", True, False)
    ]


def test_template_move_of_an_unmoved_item_is_applied() -> None:
    state, board = _recorded(small_plan())
    new_items = [
        i.model_copy(update={"y": i.y + 50}) if i.key == "title" else i for i in small_plan().items
    ]
    result = diff(make_plan(*new_items), state, board, placement=Placement())
    assert [(u.item.key, u.content, u.position) for u in result.updates] == [("title", False, True)]


def test_participant_edit_is_not_overwritten() -> None:
    state, board = _recorded(small_plan())
    item_id = state.items["bank/w1"].item_id
    board[item_id] = BoardItem(
        id=item_id, type="sticky_note", parent_id="1000", x=-50, y=-200, text="Kind!!"
    )
    new = small_plan(version=2, words=("Bold", "Caring", "Fair"))
    result = diff(new, state, board, placement=Placement())
    assert result.updates == []
    assert Leave(new.by_key["bank/w1"], "edited") in result.leaves


def test_deleted_items_stay_deleted_unless_restored() -> None:
    plan = small_plan()
    state, board = _recorded(plan)
    del board[state.items["bank/w0"].item_id]

    kept = diff(plan, state, board, placement=Placement())
    assert kept.creates == []
    assert Leave(plan.by_key["bank/w0"], "deleted") in kept.leaves

    restored = diff(plan, state, board, placement=Placement(), restore=True)
    assert restored.creates == [Create(plan.by_key["bank/w0"], restore=True)]


def test_children_of_a_deleted_frame_are_left_alone() -> None:
    plan = small_plan()
    state, board = _recorded(plan)
    del board[state.items["bank"].item_id]
    del state.items["bank/w2"]
    result = diff(plan, state, board, placement=Placement())
    assert result.creates == []
    reasons = {leave.item.key: leave.reason for leave in result.leaves}
    assert reasons["bank"] == "deleted"
    assert reasons["bank/w2"] == "parent deleted"

    restored = diff(plan, state, board, placement=Placement(), restore=True)
    assert [c.item.key for c in restored.creates] == ["bank", "bank/w2"]


def test_state_entries_not_in_the_plan_are_never_touched() -> None:
    state, board = _recorded(small_plan(words=("Bold", "Kind", "Fair")))
    smaller = small_plan(version=2, words=("Bold",))
    result = diff(smaller, state, board, placement=Placement())
    touched = (
        {c.item.key for c in result.creates}
        | {u.item.key for u in result.updates}
        | {leave.item.key for leave in result.leaves}
    )
    assert touched == {i.key for i in smaller.items}
    assert result.empty


def test_connector_waits_for_its_endpoints() -> None:
    a = sticky("a", 0, 0, text="A")
    b = sticky("b", 400, 0, text="B")
    conn = PlanItem(key="c", type="connector", x=0, y=0, width=0, height=0, start="a", end="b")
    plan = make_plan(a, b, conn)
    state, board = _recorded(make_plan(a, b))
    del board[state.items["b"].item_id]
    result = diff(plan, state, board, placement=Placement())
    assert Leave(conn, "parent deleted") in result.leaves
    assert result.updates == []
    assert result.creates == []


def test_chunks_are_dense_grouped_by_parent_and_at_most_20() -> None:
    from boardsmith.boards.apply import chunks_by_parent

    items = [sticky(f"a/{n}", n, 0, parent="a") for n in range(25)]
    items += [sticky(f"top/{n}", n, 0) for n in range(7)]
    items += [sticky(f"b/{n}", n, 0, parent="b") for n in range(30)]
    # interleave parents: chunking must regroup them
    shuffled = items[::2] + items[1::2]
    chunks = chunks_by_parent(shuffled)
    assert len(chunks) == 4  # ceil(62 / 20)
    assert all(len(c) <= 20 for c in chunks)
    flat = [i.key for c in chunks for i in c]
    assert sorted(flat) == sorted(i.key for i in items)
    parents = [i.parent for c in chunks for i in c]
    # each parent's items are contiguous
    runs = [p for n, p in enumerate(parents) if n == 0 or parents[n - 1] != p]
    assert len(runs) == len(set(runs)) == 3


def _restyled(plan: Plan, key: str, **changes: object) -> Plan:
    items = tuple(
        item.model_copy(update=changes) if item.key == key else item for item in plan.items
    )
    return plan.model_copy(update={"items": items, "version": plan.version + 1})


def test_style_change_of_an_edited_item_is_applied_without_its_text() -> None:
    # _recorded writes entries without form_hash, as older state files have.
    plan = small_plan()
    state, board = _recorded(plan)
    item_id = state.items["bank/w1"].item_id
    board[item_id] = BoardItem(
        id=item_id, type="sticky_note", parent_id="1000", x=-50, y=-200, text="Kind!!"
    )
    blue = _restyled(plan, "bank/w1", style={"fillColor": "blue"})
    result = diff(blue, state, board, placement=Placement())
    assert [(u.item.key, u.content, u.style, u.position) for u in result.updates] == [
        ("bank/w1", False, True, False)
    ]
    # Text and colour both changed: without form_hash the look change cannot be told apart.
    both = _restyled(plan, "bank/w1", style={"fillColor": "blue"}, content="<p>Caring</p>")
    assert diff(both, state, board, placement=Placement()).updates == []
    # With form_hash recorded it can.
    entry = state.items["bank/w1"]
    state.items["bank/w1"] = entry.model_copy(
        update={"form_hash": form_hash(plan.by_key["bank/w1"])}
    )
    result = diff(both, state, board, placement=Placement())
    assert [(u.item.key, u.content, u.style) for u in result.updates] == [("bank/w1", False, True)]
    # A text-only template change to an edited item still changes nothing.
    text_only = _restyled(plan, "bank/w1", content="<p>Caring</p>")
    assert diff(text_only, state, board, placement=Placement()).updates == []


def test_retired_items_are_reported_and_only_untouched_ones_prunable() -> None:
    plan = small_plan(words=("Bold", "Kind", "Fair"))
    state, board = _recorded(plan)
    # w1 moved, w2 untouched; the frame holds the surviving w0, so it stays.
    moved = board[state.items["bank/w1"].item_id]
    board[moved.id] = BoardItem(
        id=moved.id, type=moved.type, parent_id=moved.parent_id, x=moved.x + 40, y=moved.y,
        text=moved.text,
    )  # fmt: skip
    smaller = make_plan(*(i for i in plan.items if i.key not in ("bank/w1", "bank/w2")), version=2)
    result = diff(smaller, state, board, placement=Placement())
    assert result.empty
    reasons = {r.key: (r.reason, r.prunable) for r in result.retired}
    assert reasons == {"bank/w1": ("moved", False), "bank/w2": ("unchanged", True)}

    # Without the board there is nothing to judge by: reported, never prunable.
    blind = diff(smaller, state, None, placement=Placement())
    assert {r.key: r.prunable for r in blind.retired} == {"bank/w1": False, "bank/w2": False}


def test_a_look_held_back_is_applied_once_the_participant_restores_it() -> None:
    plan = small_plan()
    state, board = _recorded(plan)
    item = plan.by_key["bank/w1"]
    entry = state.items["bank/w1"]
    state.items["bank/w1"] = entry.model_copy(
        update={"form_hash": form_hash(item), "look": plan_look(item)}
    )
    red = {**plan_look(item), "fillColor": "red"}
    board[entry.item_id] = replace(board[entry.item_id], look=red)
    # The template's text and colour change: the text goes, the participant's red stays.
    both = _restyled(plan, "bank/w1", style={"fillColor": "blue"}, content="<p>Caring</p>")
    [update] = diff(both, state, board, placement=Placement()).updates
    assert (update.content, update.style, update.kept_look) == (True, False, True)
    assert update.look_why == "look changed on the board"
    # After that text-only update the look is still held back, as a leave.
    new = next(i for i in both.items if i.key == "bank/w1")
    state.items["bank/w1"] = state.items["bank/w1"].model_copy(
        update={"hash": sent_hash(new), "content_hash": text_hash(item_text(new))}
    )
    board[entry.item_id] = replace(board[entry.item_id], text="Caring")
    result = diff(both, state, board, placement=Placement())
    assert result.updates == []
    assert Leave(new, "look changed on the board") in result.leaves
    # The participant puts the template's old look back: now the new look is sent.
    board[entry.item_id] = replace(board[entry.item_id], look=plan_look(item))
    [update] = diff(both, state, board, placement=Placement()).updates
    assert (update.content, update.style, update.kept_look) == (False, True, False)
