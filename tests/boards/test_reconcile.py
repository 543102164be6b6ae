"""Matching plan items to what is on the board (ambiguous writes, adoption)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from boardsmith.boards.apply import adopt_items
from boardsmith.boards.diff import BoardItem
from boardsmith.boards.reconcile import infer_placement, match_edited, match_items, unmatched
from boardsmith.boards.requests import Placement, item_text
from boardsmith.boards.state import BoardState
from boardsmith.templates.plan import PlanItem

from .plans import make_plan, small_plan, sticky


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


# -- edited template items: kind and place (issue 21) -------------------------

_YELLOW = {"fillColor": "light_yellow", "shape": "square"}


def _word(**change: object) -> BoardItem:
    """The board item of small_plan's 'bank/w1' ("Kind") as boardsmith left it, then changed."""
    base = next(b for b in _board_of(Placement()) if b.id == "id-bank/w1")
    fields: dict[str, object] = {"look": dict(_YELLOW), "created_by": "fac", **change}
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def _nudged(dx: float, dy: float, **change: object) -> BoardItem:
    base = _word(**change)
    return dataclasses.replace(
        base, x=base.x + dx, y=base.y + dy, rel_x=base.rel_x + dx, rel_y=base.rel_y + dy
    )


@pytest.mark.parametrize(
    ("case", "board", "adopted"),
    [
        ("text edited in place", [_word(text="Kind to all")], "id-bank/w1"),
        ("text cleared in place", [_word(text="")], "id-bank/w1"),
        ("nudged within its spot", [_nudged(60, -40, text="Kinder")], "id-bank/w1"),
        ("recoloured", [_word(text="Kinder", look={**_YELLOW, "fillColor": "red"})], None),
        ("resized", [_word(text="Kinder", width=300.0)], None),
        ("moved off its spot", [_nudged(250, 0, text="Kinder")], None),
        ("in another frame", [_word(text="Kinder", parent_id="id-other")], None),
        ("made by a participant", [_word(text="Kinder", created_by="ana")], None),
        ("shows another word of the plan", [_word(text="Bold")], None),
        ("look not read", [_word(text="Kinder", look=None)], "id-bank/w1"),
        (
            "one exactly in place, one laid on it",
            [_word(text="Kinder"), _nudged(30, 30, id="laid", text="note")],
            "id-bank/w1",
        ),
        (
            "two on the spot, neither exactly",
            [_nudged(30, 0, text="a"), _nudged(-30, 0, id="other", text="b")],
            None,
        ),
    ],
)
def test_match_edited(case: str, board: list[BoardItem], adopted: str | None) -> None:
    plan = small_plan()
    found = match_edited(
        [plan.by_key["bank/w1"]],
        board,
        placement=Placement(),
        plan=plan,
        ids={"bank": "id-bank"},
        creator="fac",
    )
    assert {k: b.id for k, b in found.items()} == ({"bank/w1": adopted} if adopted else {}), case


def test_match_edited_leaves_a_candidate_two_plan_items_share() -> None:
    # Two plan stickies of one kind on overlapping spots: the item between them is neither's.
    plan = make_plan(sticky("a", 0, 0, text="A"), sticky("b", 150, 0, text="B"))
    between = BoardItem(
        id="x", type="sticky_note", parent_id=None, x=75, y=0, width=199, height=228, text="?"
    )
    kw: dict[str, Any] = {"placement": Placement(), "plan": plan, "ids": {}}
    assert match_edited(plan.items, [between], **kw) == {}
    assert [u.key for u in unmatched(plan.items, [between], **kw)] == ["a", "b"]


def test_match_edited_pairs_a_connector_by_its_endpoints() -> None:
    plan = make_plan(
        sticky("a", 0, 0, text="A"),
        sticky("b", 400, 0, text="B"),
        PlanItem(key="ab", type="connector", x=0, y=0, width=0, height=0, start="a", end="b",
                 content="then"),
    )  # fmt: skip
    link = BoardItem(id="c", type="connector", parent_id=None, x=0, y=0, text="and later",
                     start_id="id-a", end_id="id-b")  # fmt: skip
    found = match_edited(
        [plan.by_key["ab"]], [link], placement=Placement(), plan=plan,
        ids={"a": "id-a", "b": "id-b"},
    )  # fmt: skip
    assert found["ab"].id == "c"


@pytest.mark.parametrize(
    ("board", "why"),
    [
        ([_word(text="Kinder", look={**_YELLOW, "fillColor": "red"})],
         "in its place, another text, another look or size"),
        ([_nudged(30, 0, text="a"), _nudged(-30, 0, id="other", text="b")],
         "in its place, another text, its look"),
        ([_nudged(900, 0, text="Kind"), _nudged(900, 300, id="other", text="Kind")],
         "elsewhere, its text, its look"),
        ([_word(text="Kind", width=300.0)], "in its place, its text, another look or size"),
    ],
)  # fmt: skip
def test_unmatched_says_why_each_candidate_could_be_it(board: list[BoardItem], why: str) -> None:
    plan = small_plan()
    (found,) = unmatched(
        [plan.by_key["bank/w1"]], board, placement=Placement(), plan=plan,
        ids={"bank": "id-bank"}, creator="fac",
    )  # fmt: skip
    assert found.key == "bank/w1"
    assert found.candidates[0] == (board[0].id, why)
    assert len(found.candidates) == len(board)


def test_unmatched_ignores_what_nothing_suggests_and_other_users_items() -> None:
    plan = small_plan()
    board = [_nudged(900, 0, text="Elsewhere"), _word(text="Kind", created_by="ana")]
    kw: dict[str, Any] = {"placement": Placement(), "plan": plan, "ids": {"bank": "id-bank"}}
    assert unmatched([plan.by_key["bank/w1"]], board, creator="fac", **kw) == []


def test_a_retitled_frame_is_adopted_and_then_holds_its_children() -> None:
    plan = small_plan()
    board = {b.id: b for b in _board_of(Placement())}
    board["id-bank"] = dataclasses.replace(board["id-bank"], text="Our words")
    state = BoardState(backend="emulator", board_id="b", template="test")
    adoption = adopt_items(plan, state, board)
    assert {k: b.id for k, b in adoption.found.items()} == {
        i.key: f"id-{i.key}" for i in plan.items
    }
    assert set(adoption.edited) == {"bank"}
    assert adoption.unmatched == []
