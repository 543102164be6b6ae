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
