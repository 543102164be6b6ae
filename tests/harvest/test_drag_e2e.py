"""The harvest survives the workshop: the group drags its choice into the top slots.

Five participants (one token each, so one Miro user each) pick adjectives in their
lanes, say why, and dot each other's stickies; then they drag the three the group
chose into the top slots, leaving the dots behind. Harvested with a read before the
drag (the board history remembers who picked what and which sticky each dot was on)
and without one (attribution falls back to the authors, and says so).

Counted by hand, with the board's own 3 slots and 3-4 picks per person:

=============  ===========================  =====  ===========================
term           picked by                    dots   notes
=============  ===========================  =====  ===========================
joyful         Ana, Ben, Chris, Eve         1      Dee's dot on Chris's sticky
collaborative  Ana, Ben ("Collaboratives")  2      Ben's and Chris's dots
equitable      Chris ("Équitable"), Dee     0
bold           Ana, Eve                     0
curious        Ben, Eve                     0
caring         Ben                          1      Eve's dot
responsible    Chris                        0      never "responsive"
responsive     Eve                          0
careful        Eve                          0      never "caring"
accountable    Eve ("Accounting"? no: own)  0
=============  ===========================  =====  ===========================
"""

from __future__ import annotations

from pathlib import Path

from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.model import BoardHarvest, HarvestDocument
from boardsmith.harvest.narrow import plan_apply
from boardsmith.render.report import render_report
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

PEOPLE = ["Ana", "Ben", "Chris", "Dee", "Eve"]
BANK = ["Collaborative", "Joyful", "Caring", "Responsive", "Equitable", "Bold", "Curious"]
PARAMS = {"participants": PEOPLE, "word_bank": BANK, "top_n": 3, "dots_per_participant": 2}


async def _pick(w: Workshop) -> dict[str, str]:
    ids: dict[str, str] = {}
    await w.move("Ana", w.word("Collaborative"), *await w.pick_at("Ana", 0.5, 0.1))
    ids["collaborative"] = w.word("Collaborative")
    ids["ana_joyful"] = await w.sticky("Ana", "Joyful", *await w.pick_at("Ana", 0.5, 0.5))
    ids["ana_bold"] = await w.sticky("Ana", "Bold", *await w.pick_at("Ana", 0.5, 0.9))
    ids["ana_why"] = await w.sticky("Ana", "We get further together", *await w.why_at("Ana"))
    for fy, text in zip(
        (0.05, 0.35, 0.65, 0.95), ("Collaboratives", "Caring", "Joyful", "Curious"), strict=True
    ):
        ids[f"ben_{text.lower()}"] = await w.sticky("Ben", text, *await w.pick_at("Ben", 0.5, fy))
    ids["chris_responsible"] = await w.sticky(
        "Chris", "Responsible", *await w.pick_at("Chris", 0.5, 0.1)
    )
    ids["chris_joyful"] = await w.sticky("Chris", "Joyful!", *await w.pick_at("Chris", 0.5, 0.5))
    ids["chris_equitable"] = await w.sticky(
        "Chris", "<p>Équitable</p>", *await w.pick_at("Chris", 0.5, 0.9)
    )
    ids["dee_equitable"] = await w.sticky("Dee", "Equitable", *await w.pick_at("Dee", 0.5, 0.4))
    eve = ["Responsive", "Careful", "Joyful", "Bold", "Curious", "Accountable"]
    for k, text in enumerate(eve):
        x, y = await w.pick_at("Eve", 0.28 if k % 2 == 0 else 0.72, 0.1 + 0.4 * (k // 2))
        ids[f"eve_{text.lower()}"] = await w.sticky("Eve", text, x, y)
    # Dots: two on Ana's "Collaborative", one on Chris's "Joyful!", one on Ben's "Caring".
    for voter, target, dx in (
        ("Ben", "collaborative", -30),
        ("Chris", "collaborative", 30),
        ("Dee", "chris_joyful", 0),
        ("Eve", "ben_caring", 0),
    ):
        sticky = await w.facilitator.items.get(w.board_id, ids[target])
        assert sticky.position is not None
        origin = await w.frame_origin()
        await w.move(
            voter,
            w.dots_of(voter)[0],
            origin[0] + sticky.position.x + dx,
            origin[1] + sticky.position.y + 20,
        )
    return ids


async def _drag_into_slots(w: Workshop, ids: dict[str, str]) -> None:
    """Each picker drags their own sticky into a slot; the dots stay in the lanes."""
    await w.move("Ana", ids["collaborative"], *await w.at("vision/top/slot-1"))
    await w.move("Chris", ids["chris_joyful"], *await w.at("vision/top/slot-2"))
    await w.move("Ana", ids["ana_bold"], *await w.at("vision/top/slot-3"))


async def _harvest(w: Workshop, store: HistoryStore) -> BoardHarvest:
    return await w.harvest(store)


def _terms(board: BoardHarvest) -> dict[str, tuple[list[str], int]]:
    return {t.term: (t.pickers, t.dots) for t in board.tally.terms}


def _check_common(board: BoardHarvest, ids: dict[str, str]) -> None:
    terms = _terms(board)
    assert terms["joyful"][0] == ["Ana", "Ben", "Chris", "Eve"]
    assert terms["collaborative"][0] == ["Ana", "Ben"]
    assert terms["equitable"][0] == ["Chris", "Dee"]
    assert terms["bold"][0] == ["Ana", "Eve"]
    for word in ("responsible", "responsive", "careful", "caring", "accountable"):
        assert word in terms, word  # different words never merge
    assert board.rules.top_n == 3
    assert board.rules.top_source == "state"
    assert (board.rules.picks_min, board.rules.picks_max) == (3, 4)
    assert board.tally.cutoff == 3
    by_name = {p.name: p for p in board.participants}
    assert by_name["Ana"].picks == ["collaborative", "joyful", "bold"]
    assert by_name["Ana"].why == ["We get further together"]
    assert len(by_name["Eve"].picks) == 6
    out_of_range = next(w for w in board.warnings if w.code == "picks-out-of-range")
    assert out_of_range.message.endswith("picked a different number: Dee (1), Eve (6)")
    stickies = {s.id: s for s in board.stickies}
    for key in ("collaborative", "ana_bold"):
        assert stickies[ids[key]].participant == "Ana"
        assert stickies[ids[key]].role == "top_slot"
    assert stickies[ids["chris_joyful"]].participant == "Chris"
    assert stickies[ids["ana_why"]].role == "why"
    assert not stickies[ids["ana_why"]].pick
    # One result: the group's slots, and the proposal only as a proposal.
    result = board.result
    assert result.source == "group"
    assert result.top == ["collaborative", "joyful", "bold"]
    assert result.texts == ["Collaborative", "Joyful", "Bold"]
    assert (result.filled, result.slots) == (3, 3)


async def test_the_drag_keeps_who_picked_what_and_the_dots(
    make_client: MakeClient, tmp_path: Path
) -> None:
    w = await Workshop.build(make_client, tmp_path, params=PARAMS)
    store = HistoryStore(tmp_path)
    ids = await _pick(w)
    before = await _harvest(w, store)
    assert before.history == "none"
    assert _terms(before)["collaborative"] == (["Ana", "Ben"], 2)
    assert before.result.source == "proposal"
    await _drag_into_slots(w, ids)

    board = await _harvest(w, store)
    assert board.history == "used"
    _check_common(board, ids)
    terms = _terms(board)
    assert terms["collaborative"][1] == 2
    assert terms["joyful"][1] == 1
    assert terms["caring"] == (["Ben"], 1)
    assert [t.term for t in board.tally.terms][:5] == [
        "joyful",
        "collaborative",
        "equitable",
        "bold",
        "curious",
    ]
    assert board.tally.top == ["joyful", "collaborative", "equitable"]
    assert board.tally.ties_at_cutoff == ["equitable", "bold", "curious"]
    stickies = {s.id: s for s in board.stickies}
    assert stickies[ids["collaborative"]].attributed_by == "history"
    remembered = [d for d in board.dots if d.remembered]
    assert sorted(d.owner or "" for d in remembered) == ["Ben", "Chris", "Dee"]
    assert all(d.counted for d in remembered)
    assert not any(w.code == "attributed-by-author" for w in board.warnings)
    assert board.result.disagreements == [
        "Slot 3 holds 'Bold', which the tally did not propose (ranked 4th; picked by 2 of 5).",
        "'Equitable' was proposed (ranked 3rd; picked by 2 of 5) but the group put it in no slot.",
    ]
    # narrow --apply finds every slot filled and invents no disagreement of its own.
    plan = plan_apply(board, board.tally)
    assert plan.writes == []
    assert plan.disagreements == board.result.disagreements
    report = render_report(HarvestDocument(boards=[board]), "md")
    assert "## Our top 3 adjectives\n\n1. **Collaborative**\n2. **Joyful**\n3. **Bold**" in report
    assert "_The tally proposed: Joyful, Collaborative, Equitable._" in report
    assert "The 5" not in report
    assert "| Ana | Collaborative, Joyful, Bold | We get further together |" in report


async def test_without_a_read_before_the_drag_authors_decide_and_it_says_so(
    make_client: MakeClient, tmp_path: Path
) -> None:
    w = await Workshop.build(make_client, tmp_path, params=PARAMS)
    ids = await _pick(w)
    await _drag_into_slots(w, ids)
    board = await _harvest(w, HistoryStore(tmp_path))
    assert board.history == "none"
    _check_common(board, ids)
    stickies = {s.id: s for s in board.stickies}
    assert stickies[ids["collaborative"]].attributed_by == "modifier"
    assert stickies[ids["chris_joyful"]].attributed_by == "creator"
    warning = next(w for w in board.warnings if w.code == "attributed-by-author")
    assert warning.message.endswith(
        "counted as the pick of whoever wrote or moved it: "
        "'Collaborative' (Ana), 'Bold' (Ana), 'Joyful!' (Chris)"
    )
    # The dots were left behind on nothing, and nothing remembers what they were on.
    terms = _terms(board)
    assert terms["collaborative"][1] == 0
    assert terms["joyful"][1] == 0
    assert terms["caring"] == (["Ben"], 1)
    left = [d for d in board.dots if d.reason == "not on a sticky"]
    assert sorted(d.owner or "" for d in left) == ["Ben", "Chris", "Dee"]
