"""Pure rules: region assignment on borders, snapshot coordinates, narrowing decisions."""

from __future__ import annotations

from boardsmith.harvest.model import Bounds
from boardsmith.harvest.narrow import plan_apply
from boardsmith.harvest.regions import LocatedRegion, assign
from boardsmith.harvest.snapshot import build_snapshot
from boardsmith.harvest.tally import Pick, tally
from tests.harvest.factories import board


def region(key: str, left: float, top: float, w: float, h: float, order: int = 0) -> LocatedRegion:
    return LocatedRegion(
        key=key,
        role="lane",
        labels={"participant": key},
        bounds=Bounds(x=left + w / 2, y=top + h / 2, width=w, height=h),
        order=order,
    )


LANES = [region("ana", 0, 0, 400, 1000, 0), region("ben", 440, 0, 400, 1000, 1)]
OUTER = region("section", -100, -100, 2000, 2000, 2)


def sticky_at(x: float, y: float, w: float = 150) -> Bounds:
    return Bounds(x=x, y=y, width=w, height=w * 228 / 199)


def test_centre_inside_wins_and_smallest_region_beats_its_container() -> None:
    found, border = assign(sticky_at(200, 500), [OUTER, *LANES])
    assert found is not None
    assert found.key == "ana"
    assert border is False


def test_centre_on_the_shared_edge_goes_to_the_bigger_overlap() -> None:
    touching = [region("a", 0, 0, 400, 1000, 0), region("b", 400, 0, 400, 1000, 1)]
    found, border = assign(sticky_at(400, 500), touching)
    assert found is not None
    assert found.key == "a"  # equal overlap: plan order decides
    assert border is False
    found, _ = assign(sticky_at(401, 500), touching)
    assert found is not None
    assert found.key == "b"


def test_centre_in_the_gap_goes_to_the_lane_it_mostly_covers() -> None:
    found, border = assign(sticky_at(410, 500), LANES)
    assert found is not None
    assert found.key == "ana"
    assert border is True


def test_barely_touching_is_unplaced() -> None:
    # Ben's lane ends at 840; this sticky overlaps it by 20 of its 150 px.
    found, border = assign(sticky_at(840 + 75 - 20, 500), LANES)
    assert found is None
    assert border is False


def test_snapshot_makes_frame_children_absolute() -> None:
    snapshot = build_snapshot(
        "b",
        [
            {
                "id": "f",
                "type": "frame",
                "data": {"title": "Vision"},
                "position": {"x": 1000, "y": 500, "relativeTo": "canvas_center"},
                "geometry": {"width": 400, "height": 200},
            },
            {
                "id": "s",
                "type": "sticky_note",
                "data": {"content": "<p>Bold</p>"},
                "position": {"x": 50, "y": 20, "relativeTo": "parent_top_left"},
                "geometry": {"width": 100, "height": 114},
                "parent": {"id": "f"},
                "createdBy": {"id": "7", "type": "user"},
            },
            {
                "id": "s",
                "type": "sticky_note",
                "data": {"content": "duplicate from another stream"},
            },
            {
                "id": "t",
                "type": "text",
                "data": {"content": "top level"},
                "position": {"x": -5, "y": 7, "relativeTo": "canvas_center"},
                "geometry": {"width": 10, "height": 10},
            },
        ],
        members={"7": "Ana"},
    )
    child = snapshot.get("s")
    assert child is not None
    assert (child.x, child.y) == (850, 420)
    assert child.content == "<p>Bold</p>"
    assert snapshot.name_of(child.created_by) == "Ana"
    top = snapshot.get("t")
    assert top is not None
    assert (top.x, top.y) == (-5, 7)
    assert len(snapshot.items) == 3


def test_apply_never_touches_a_filled_slot_and_reports_disagreement() -> None:
    record = tally(
        [Pick("Ana", "bold"), Pick("Ben", "bold"), Pick("Ana", "calm")],
        [],
        participants=["Ana", "Ben"],
        top=2,
    )
    harvested = board(slots=[["Wise"], []])
    plan = plan_apply(harvested, record)
    assert [(w.rank, w.term) for w in plan.writes] == [(2, "bold")]
    assert plan.kept == {1: ["Wise"]}
    assert plan.no_room == ["calm"]
    assert plan.disagreements == [
        "Slot 1 holds 'Wise', which the tally did not propose (nobody picked it in a lane)."
    ]


def test_apply_skips_terms_the_group_already_placed() -> None:
    record = tally(
        [Pick("Ana", "bold"), Pick("Ben", "bold"), Pick("Ana", "calm")],
        [],
        participants=["Ana", "Ben"],
        top=2,
    )
    plan = plan_apply(board(slots=[[], ["Bold"]]), record)
    assert [(w.rank, w.term) for w in plan.writes] == [(1, "calm")]
    assert plan.disagreements == []


def test_apply_leaves_tied_terms_for_the_group() -> None:
    record = tally(
        [Pick("Ana", "bold"), Pick("Ben", "bold"), Pick("Ana", "calm"), Pick("Ben", "kind")],
        [],
        participants=["Ana", "Ben"],
        top=2,
    )
    assert record.ties_at_cutoff == ["calm", "kind"]
    plan = plan_apply(board(slots=[[], []]), record)
    assert [w.term for w in plan.writes] == ["bold"]
    assert plan.left_for_group == ["calm"]


def test_a_board_of_no_known_template_keeps_every_sticky_as_unplaced() -> None:
    from boardsmith.harvest.api import harvest_snapshot

    snapshot = build_snapshot(
        "b",
        [
            {
                "id": "f",
                "type": "frame",
                "data": {"title": "Retro"},
                "position": {"x": 0, "y": 0},
                "geometry": {"width": 1000, "height": 1000},
            },
            {
                "id": "s1",
                "type": "sticky_note",
                "data": {"content": "bold"},
                "position": {"x": 5, "y": 5, "relativeTo": "parent_top_left"},
                "geometry": {"width": 100, "height": 114},
                "parent": {"id": "f"},
            },
            {
                "id": "s2",
                "type": "sticky_note",
                "data": {"content": "calm"},
                "position": {"x": 3000, "y": 0},
                "geometry": {"width": 100, "height": 114},
            },
        ],
    )
    board = harvest_snapshot(snapshot).harvest
    assert board.template is None
    assert board.located_by == "none"
    assert board.unplaced == ["s1", "s2"]
    assert board.warnings[0].code == "template-unknown"
    assert board.tally.terms == []


def test_written_back_text_is_never_a_typo() -> None:
    # The typo comes first, but the term is spelled right by the majority.
    record = tally(
        [Pick("Ana", "Colaborative"), Pick("Ben", "Collaborative"), Pick("Cy", "collaborative")],
        [],
        participants=["Ana", "Ben", "Cy"],
    )
    assert record.terms[0].variants[0] == "Colaborative"
    plan = plan_apply(board(slots=[[]]), record)
    assert [w.text for w in plan.writes] == ["Collaborative"]
