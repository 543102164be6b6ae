"""A harvest result prints as a one-line summary, however big the board."""

from __future__ import annotations

from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.snapshot import build_snapshot


def test_the_repr_of_a_result_does_not_grow_with_the_board() -> None:
    raw = [
        {
            "id": str(n),
            "type": "sticky_note",
            "position": {"x": n, "y": 0, "relativeTo": "canvas_center"},
            "geometry": {"width": 100, "height": 100},
            "data": {"content": f"idea {n}"},
        }
        for n in range(500)
    ]
    result = harvest_snapshot(build_snapshot("b1", raw))
    text = repr(result)
    assert text == "HarvestResult(board_id='b1', items=500, stickies=500)"


def test_the_repr_of_a_document_does_not_grow_with_its_boards() -> None:
    from boardsmith.harvest.model import HarvestDocument

    def board(size: int) -> str:
        raw = [
            {
                "id": str(n),
                "type": "sticky_note",
                "position": {"x": n, "y": 0, "relativeTo": "canvas_center"},
                "geometry": {"width": 100, "height": 100},
                "data": {"content": f"idea {n}"},
            }
            for n in range(size)
        ]
        harvest = harvest_snapshot(build_snapshot("b1", raw)).harvest
        return repr(HarvestDocument(boards=[harvest] * 5))

    text = board(400)
    assert text.startswith("HarvestDocument(boards=[BoardHarvest(board_id='b1', ")
    assert "stickies=400" in text
    assert text.endswith("... 2 more], failed=0)")
    assert len(text) < 400
    # Three boards shown, each with "10" twice where the big one has "400".
    assert len(text) - len(board(10)) == 3 * 2
