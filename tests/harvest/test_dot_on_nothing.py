"""A used dot left on no sticky is reported, not silently dropped."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

PARAMS = {"participants": ["Ana", "Ben"], "word_bank": ["Bold", "Kind"], "top_n": 1}


async def test_a_dot_whose_sticky_was_dragged_away_is_named(
    make_client: MakeClient, tmp_path: Path
) -> None:
    w = await Workshop.build(make_client, tmp_path, params=PARAMS)
    kind = await w.sticky("Ana", "Kind", *await w.pick_at("Ana", 0.5, 0.3))
    spot = await w.pick_at("Ana", 0.5, 0.3)
    await w.move("Ben", w.dots_of("Ben")[0], *spot)
    # The group drags Ana's sticky into the top slot; no read saw Ben's dot on it.
    slot = next(i.key for i in w.plan.items if i.role == "top_slot")
    await w.move("Ana", kind, *await w.at(slot))
    board = await w.harvest()
    assert board.tally.terms[0].dots == 0
    (warning,) = [x for x in board.warnings if x.code == "dot-on-nothing"]
    assert warning.message.startswith("Ben's dot is on no sticky, so it is not counted")
