"""What ``narrow`` decides on its own: how many fresh dots a runoff hands out."""

from __future__ import annotations

import pytest

from boardsmith.harvest.model import TallyRecord
from boardsmith.harvest.narrow import runoff_dots


def _tally(top: list[str], tied: list[str], cutoff: int) -> TallyRecord:
    return TallyRecord(participants=[], terms=[], top=top, ties_at_cutoff=tied, cutoff=cutoff)


@pytest.mark.parametrize(
    ("top", "tied", "cutoff", "dots"),
    [
        # Bold is in; calm and kind compete for the one place left.
        (["bold", "calm"], ["calm", "kind"], 2, 1),
        # Nothing is clearly in: the tie competes for all three places.
        (["a", "b", "c"], ["a", "b", "c", "d"], 3, 3),
        # Two clearly in, two places left for the tied terms.
        (["a", "b", "c", "d"], ["c", "d", "e"], 4, 2),
        # Never no dot at all.
        (["a"], [], 1, 1),
    ],
)
def test_a_runoff_hands_out_a_dot_per_place_the_tie_competes_for(
    top: list[str], tied: list[str], cutoff: int, dots: int
) -> None:
    assert runoff_dots(_tally(top, tied, cutoff)) == dots
