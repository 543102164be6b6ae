"""A whole Leadership Vision workshop on the emulator, harvested with and without state.

Four participants (one token each), a facilitator typing for a remote member, messy
text, a list on one sticky, a typo, a duplicate pick, a word dragged out of the bank,
a sticky on a lane border, one outside every region, template dots on and off
stickies, a home-made dot, notes under prompts, a filled top slot, and finally the
whole frame dragged somewhere else before the harvest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.model import BoardHarvest
from boardsmith.harvest.snapshot import read_snapshot
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

PEOPLE = ["Ana", "Ben", "Cy", "Dee"]
BANK = ["Inclusive", "Joyful", "Collaborative", "Bold", "Caring", "Curious"]


async def _run_workshop(w: Workshop) -> dict[str, str]:
    ids: dict[str, str] = {}
    # Ana drags a bank word into her lane and writes two stickies, one a list.
    await w.move("Ana", w.word("Collaborative"), *await w.pick_at("Ana", 0.5, 0.85))
    ids["ana_joyful"] = await w.sticky("Ana", "<p>Joyful!</p>", *await w.pick_at("Ana", 0.5, 0.35))
    ids["ana_list"] = await w.sticky("Ana", "inclusive, brave", *await w.pick_at("Ana", 0.5, 0.6))
    # Ben: a typo, shouting, and the same word twice.
    ids["ben_typo"] = await w.sticky("Ben", "colaborative", *await w.pick_at("Ben", 0.5, 0.3))
    ids["ben_joyful"] = await w.sticky("Ben", "JOYFUL", *await w.pick_at("Ben", 0.5, 0.5))
    ids["ben_brave1"] = await w.sticky("Ben", "Brave", *await w.pick_at("Ben", 0.5, 0.7))
    ids["ben_brave2"] = await w.sticky("Ben", "brave&nbsp;", *await w.pick_at("Ben", 0.5, 0.88))
    # The facilitator types for Cy, who is remote; Cy's own sticky straddles the lane edge.
    ids["cy_caring"] = await w.sticky("Fay", "Caring", *await w.pick_at("Cy", 0.5, 0.4))
    x, y = await w.pick_at("Cy", 1.0, 0.7)
    ids["cy_border"] = await w.sticky("Cy", "bold", x + 10, y)
    # Dee: a plural-free word, a trailing hyphen, and a sticky in no region at all.
    ids["dee_curious"] = await w.sticky("Dee", "Curious", *await w.pick_at("Dee", 0.5, 0.4))
    ids["dee_incl"] = await w.sticky("Dee", "Inclusive-", *await w.pick_at("Dee", 0.5, 0.7))
    ids["parking"] = await w.sticky(
        "Dee", "parking lot: budget?", *await w.at("vision", 0.99, 0.999)
    )
    # Notes under prompts, and the group fills top slot 1.
    ids["note_fn"] = await w.sticky(
        "Ana", "Teams plan together weekly", *await w.at("vision/prompts/functions", 0.5, 0.6)
    )
    ids["note_feel"] = await w.sticky(
        "Ben", "Everyone belongs", *await w.at("vision/prompts/feels", 0.5, 0.7)
    )
    ids["slot1"] = await w.sticky("Ben", "Collaborative", *await w.at("vision/top/slot-1"))
    # Ben drags a bank word out of the bank into a prompt area: it becomes his note.
    await w.move("Ben", w.word("Curious"), *await w.at("vision/prompts/looks", 0.5, 0.6))
    # Dots: Ana and Ben vote on each other's "collaborative"; Cy drops a dot on blank
    # canvas; Dee draws her own dot, which the template did not give her.
    collab_x, collab_y = await w.pick_at("Ana", 0.5, 0.85)
    await w.move("Ana", w.dots_of("Ana")[0], *await w.pick_at("Ben", 0.52, 0.31))
    await w.move("Ben", w.dots_of("Ben")[0], collab_x + 20, collab_y - 20)
    await w.move("Cy", w.dots_of("Cy")[0], *await w.at("vision/notes", 0.9, 0.9))
    ids["dee_dot"] = await w.dot("Dee", *await w.pick_at("Dee", 0.5, 0.4))
    # Cy covers his unused second dot with a new sticky: a pick, but not a dot vote.
    tray_dot = next(i.key for i in w.plan.items if w.item_ids.get(i.key) == w.dots_of("Cy")[1])
    ids["cy_fair"] = await w.sticky("Cy", "Fair", *await w.at(tray_dot))
    # Finally someone drags the whole frame.
    await w.move_frame(500, 300)
    return ids


def _check(board: BoardHarvest, w: Workshop, ids: dict[str, str]) -> None:
    tally = board.tally
    terms = {t.term: t for t in tally.terms}
    assert tally.participants == PEOPLE
    assert [t.term for t in tally.terms] == [
        "collaborative",
        "inclusive",
        "joyful",
        "brave",
        "bold",
        "caring",
        "curious",
        "fair",
    ]
    assert (terms["fair"].picks, terms["fair"].dots) == (1, 0)
    assert (terms["collaborative"].picks, terms["collaborative"].dots) == (2, 2)
    assert set(terms["collaborative"].variants) == {"Collaborative", "colaborative"}
    assert terms["brave"].pickers == ["Ana", "Ben"]
    assert terms["caring"].pickers == ["Cy"]
    assert terms["bold"].pickers == ["Cy"]
    assert terms["curious"].dots == 0
    assert tally.top == ["collaborative", "inclusive", "joyful"]
    assert tally.ties_at_cutoff == ["inclusive", "joyful", "brave"]

    stickies = {s.id: s for s in board.stickies}
    assert ids["ana_list"] in board.lists
    assert stickies[ids["cy_caring"]].participant == "Cy"
    assert stickies[ids["cy_caring"]].attributed_by == "lane"
    typist = stickies[ids["cy_caring"]].created_by
    assert typist is not None
    assert typist.name == "Fay"
    assert stickies[ids["cy_border"]].on_border
    assert stickies[ids["cy_border"]].participant == "Cy"
    assert board.unplaced == [ids["parking"]]
    assert stickies[ids["parking"]].participant == "Dee"
    assert stickies[ids["note_fn"]].participant == "Ana"
    assert any("more than once" in warning.message for warning in board.warnings)

    notes = {n.prompt: [x.text for x in n.notes] for n in board.notes}
    assert notes["functions"] == ["Teams plan together weekly"]
    assert notes["feels"] == ["Everyone belongs"]
    assert notes["looks"] == ["Curious"]
    dragged = stickies[w.word("Curious")]
    assert (dragged.participant, dragged.attributed_by) == ("Ben", "modifier")
    assert dragged.from_template
    unmoved = stickies[w.word("Joyful")]
    assert (unmoved.participant, unmoved.attributed_by) == (None, "template")
    assert [s.rank for s in board.top_slots] == [1, 2, 3]
    assert board.top_slots[0].texts == ["Collaborative"]
    assert board.top_slots[0].terms == ["collaborative"]

    dots = {d.id: d for d in board.dots}
    assert dots[ids["dee_dot"]].counted is False
    assert dots[ids["dee_dot"]].reason == "not created by the template"
    counted = [d for d in board.dots if d.counted]
    assert sorted(d.owner or "" for d in counted) == ["Ana", "Ben"]
    assert all(d.terms == ["collaborative"] for d in counted)

    # Every region is reported with absolute bounds where it now is (frame moved).
    lanes = {r.label or "": r for r in board.regions if r.role == "lane"}
    assert sorted(lanes) == sorted(PEOPLE)
    plan_lane = w.plan.by_key[w.lane("Ana")]
    assert lanes["Ana"].bounds.width == pytest.approx(plan_lane.width)
    assert {r.role for r in board.regions} >= {"lane", "top_slot", "word_bank", "prompt_notes"}


async def test_workshop_harvest_with_state(make_client: MakeClient, tmp_path: Path) -> None:
    w = await Workshop.build(
        make_client,
        tmp_path,
        params={"participants": PEOPLE, "word_bank": BANK, "top_n": 3, "dots_per_participant": 2},
    )
    ids = await _run_workshop(w)
    snapshot = await read_snapshot(w.facilitator, w.board_id)
    result = harvest_snapshot(snapshot, plan=w.plan, item_ids=w.item_ids, top=3)
    board = result.harvest
    assert board.located_by == "state"
    _check(board, w, ids)
    on_board = {i.id for i in snapshot.of_type("sticky_note")}
    assert {s.id for s in board.stickies} == on_board
    assert set(w.created) <= on_board
    origin = await w.frame_origin()
    ana = next(r for r in board.regions if r.label == "Ana")
    plan_frame = w.plan.by_key[w.frame_key]
    plan_lane = w.plan.by_key[w.lane("Ana")]
    assert ana.bounds.x == pytest.approx(origin[0] + plan_lane.x - plan_frame.left)


async def test_workshop_harvest_without_state(make_client: MakeClient, tmp_path: Path) -> None:
    """A board built elsewhere: the template is recognised by its frame title, regions
    by their look, lanes by the names written in them."""
    w = await Workshop.build(
        make_client,
        tmp_path,
        params={
            "participants": PEOPLE,
            "word_bank": BANK,
            "top_n": 3,
            "dots_per_participant": 2,
            "team": "Lincoln High",
        },
    )
    ids = await _run_workshop(w)
    snapshot = await read_snapshot(w.facilitator, w.board_id)
    result = harvest_snapshot(snapshot, top=3)
    board = result.harvest
    assert board.located_by == "frames"
    assert board.template == "leadership-vision"
    _check(board, w, ids)
    assert board.word_bank == BANK
    on_board = {i.id for i in snapshot.of_type("sticky_note")}
    assert {s.id for s in board.stickies} == on_board
    assert set(w.created) <= on_board
