"""RegionIndex places items exactly as the plain scan of every region does."""

from __future__ import annotations

import math
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from boardsmith.harvest.constants import BORDER_OVERLAP
from boardsmith.harvest.model import Bounds
from boardsmith.harvest.regions import LocatedRegion, RegionIndex, assign


def _overlap(a: Bounds, b: Bounds) -> float:
    w = min(a.right, b.right) - max(a.left, b.left)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    return w * h if w > 0 and h > 0 else 0.0


def reference_assign(
    bounds: Bounds, regions: Sequence[LocatedRegion]
) -> tuple[LocatedRegion | None, bool]:
    """The rule as it was written before the index: every region, every time."""
    containing = [r for r in regions if r.bounds.contains(bounds.x, bounds.y)]
    if containing:
        best = min(containing, key=lambda r: (r.bounds.area, -_overlap(bounds, r.bounds), r.order))
        return best, False
    area = bounds.area
    if area <= 0:
        return None, False
    overlapping = [(r, _overlap(bounds, r.bounds)) for r in regions]
    overlapping = [(r, o) for r, o in overlapping if o >= BORDER_OVERLAP * area]
    if not overlapping:
        return None, False
    best_region, _ = max(overlapping, key=lambda ro: (ro[1], -ro[0].bounds.area, -ro[0].order))
    return best_region, True


# Coarse coordinates make shared edges, nested regions and exact ties common.
coord = st.integers(-4, 40).map(lambda n: n * 25.0)
size = st.integers(0, 24).map(lambda n: n * 25.0)


@st.composite
def regions(draw: st.DrawFn) -> list[LocatedRegion]:
    count = draw(st.integers(0, 40))
    return [
        LocatedRegion(
            key=f"r{n}",
            role="lane",
            labels={},
            bounds=Bounds(x=draw(coord), y=draw(coord), width=draw(size), height=draw(size)),
            order=draw(st.integers(0, 5)),  # equal orders: ties fall to region order
        )
        for n in range(count)
    ]


boxes = st.builds(Bounds, x=coord, y=coord, width=size, height=size)


@settings(max_examples=300, deadline=None)
@given(regions(), st.lists(boxes, min_size=1, max_size=30), st.integers(0, 9))
def test_index_matches_the_plain_scan(
    found: list[LocatedRegion], items: list[Bounds], cells: int
) -> None:
    index = RegionIndex(found, cells=cells)
    for box in items:
        expected = reference_assign(box, found)
        got = index.assign(box)
        assert got == expected
        assert got[0] is expected[0]  # the same region object, not an equal one
        assert assign(box, found) == expected


def test_boxes_without_finite_edges_are_placed_by_the_scan() -> None:
    lane = LocatedRegion(
        key="lane", role="lane", labels={}, bounds=Bounds(x=0, y=0, width=100, height=100)
    )
    far = LocatedRegion(
        key="far", role="lane", labels={}, bounds=Bounds(x=900, y=900, width=10, height=10)
    )
    index = RegionIndex([lane, far])
    for box in (
        Bounds(x=math.nan, y=0, width=10, height=10),
        Bounds(x=0, y=0, width=math.inf, height=10),
        Bounds(x=math.inf, y=0, width=10, height=10),
    ):
        assert index.assign(box) == reference_assign(box, [lane, far])
    assert index.assign(Bounds(x=10, y=10, width=10, height=10))[0] is lane


def test_a_region_without_finite_edges_disables_the_grid() -> None:
    odd = LocatedRegion(
        key="odd", role="lane", labels={}, bounds=Bounds(x=0, y=0, width=math.inf, height=10)
    )
    box = Bounds(x=5, y=0, width=10, height=10)
    assert RegionIndex([odd]).assign(box) == reference_assign(box, [odd])
