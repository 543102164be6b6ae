"""Harvested records are what validating their JSON again gives, to the last float."""

from __future__ import annotations

import random
from typing import Any

from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.model import BoardHarvest, HarvestDocument, StickyRecord
from boardsmith.harvest.snapshot import build_snapshot
from boardsmith.templates import compile_plan, find_template


def _vision_board(stickies: int) -> BoardHarvest:
    """The vision board with stickies in the lanes, some at whole-number positions."""
    rng = random.Random(7)
    plan = compile_plan(find_template("vision-board"), {})
    ids = {item.key: f"{1_000 + n}" for n, item in enumerate(plan.items)}
    raw: list[dict[str, Any]] = [
        {
            "id": ids[item.key],
            "type": item.type,
            "position": {"x": item.x, "y": item.y},
            "geometry": {"width": item.width, "height": item.height},
            "data": {"title" if item.type == "frame" else "content": item.plain_text},
            "style": dict(item.style),
            "createdBy": {"id": "1"},
        }
        for item in plan.items
        if item.type != "connector"
    ]
    lanes = [i for i in plan.items if i.role == "lane"]
    for n in range(stickies):
        lane = lanes[n % len(lanes)]
        raw.append(
            {
                "id": f"9{n:05d}",
                "type": "sticky_note",
                "position": {"x": int(lane.x) + n % 3, "y": lane.y + rng.random() * 100},
                "geometry": {"width": 150, "height": 171},
                "data": {"content": rng.choice(["bold", "caring", "<p>calm, kind</p>"])},
                "createdBy": {"id": str(n % 4)},
                "modifiedBy": {"id": "2"} if n % 5 else None,
                "createdAt": "2026-01-01T00:00:00Z",
            }
        )
    snapshot = build_snapshot("b1", raw, members={"1": "Fay", "2": "Ana"})
    return harvest_snapshot(snapshot, plan=plan, item_ids=ids).harvest


def test_sticky_records_validate_to_themselves() -> None:
    harvest = _vision_board(120)
    assert len(harvest.stickies) == 120 + sum(1 for s in harvest.stickies if s.from_template)
    for record in harvest.stickies:
        again = StickyRecord.model_validate(record.model_dump())
        assert again == record
        assert again.model_dump_json() == record.model_dump_json()
        assert isinstance(record.bounds.x, float)
        assert isinstance(record.bounds.width, float)


def test_the_document_survives_a_json_round_trip() -> None:
    document = HarvestDocument(boards=[_vision_board(60)])
    again = HarvestDocument.model_validate_json(document.to_json())
    assert again.to_json() == document.to_json()


def test_whole_number_positions_are_written_as_floats() -> None:
    from boardsmith.harvest.snapshot import SnapItem, Snapshot

    item = SnapItem(id="1", type="sticky_note", x=3, y=4, width=100, height=114, content="x")
    harvest = harvest_snapshot(Snapshot(board_id="b", items=[item])).harvest
    record = harvest.stickies[0]
    assert (
        record.model_dump_json()
        == StickyRecord.model_validate(record.model_dump()).model_dump_json()
    )
