"""Matching plan items to what is on the board (ambiguous writes, adoption)."""

from __future__ import annotations

from boardsmith.boards.diff import BoardItem
from boardsmith.boards.reconcile import infer_placement, match_items
from boardsmith.boards.requests import Placement, item_text

from .plans import small_plan


def _board_of(placement: Placement, skip: frozenset[str] = frozenset()) -> list[BoardItem]:
    """What applying small_plan() at ``placement`` leaves on a board (ids 'id-<key>')."""
    plan = small_plan()
    out = []
    for item in plan.items:
        if item.key in skip:
            continue
        parent = plan.by_key[item.parent] if item.parent else None
        x, y = placement.absolute(item)
        rx, ry = placement.relative(item, parent)
        out.append(
            BoardItem(
                id=f"id-{item.key}",
                type=item.type,
                parent_id=f"id-{parent.key}" if parent else None,
                x=x,
                y=y,
                width=item.width,
                height=item.height,
                text=item_text(item),
                rel_x=rx,
                rel_y=ry,
            )
        )
    return out


def test_everything_matches_in_plan_order() -> None:
    plan = small_plan()
    placement = Placement(2000, 100)
    found = match_items(
        plan.items, _board_of(placement), placement=placement, plan=plan.by_key, ids={}
    )
    assert {k: v.id for k, v in found.items()} == {i.key: f"id-{i.key}" for i in plan.items}


def test_taken_ids_and_wrong_positions_do_not_match() -> None:
    plan = small_plan()
    board = _board_of(Placement())
    found = match_items(
        plan.items,
        board,
        placement=Placement(),
        plan=plan.by_key,
        ids={},
        taken={"id-title"},
    )
    assert "title" not in found
    elsewhere = match_items(plan.items, board, placement=Placement(10, 0), plan=plan.by_key, ids={})
    assert elsewhere == {}


def test_children_need_their_frame_and_match_once() -> None:
    plan = small_plan()
    board = _board_of(Placement())
    # A participant's copy of a word somewhere else in the frame is not the template item.
    copy = BoardItem(
        id="copy", type="sticky_note", parent_id="id-bank", x=0, y=0, text="Bold", rel_x=5, rel_y=5
    )
    children = [i for i in plan.items if i.parent == "bank"]
    found = match_items(
        children, [copy, *board], placement=Placement(), plan=plan.by_key, ids={"bank": "id-bank"}
    )
    assert found["bank/w0"].id == "id-bank/w0"
    assert match_items(children, board, placement=Placement(), plan=plan.by_key, ids={}) == {}


def test_infer_placement_finds_the_offset_from_a_frame() -> None:
    assert infer_placement(small_plan(), _board_of(Placement(3400, -20))) == Placement(3400, -20)


def test_infer_placement_needs_evidence() -> None:
    plan = small_plan()
    lone = [b for b in _board_of(Placement(50, 50)) if b.type != "frame"]
    # A single top-level sticky with the same word is not enough evidence.
    assert infer_placement(plan, lone) is None
    assert infer_placement(plan, []) is None
