"""What one harvest of a board may keep for the next harvest of the same board.

``boardsmith watch`` harvests the same board every few seconds, and between two
refreshes a participant moves or writes a sticky or two: most stickies come back item
for item. A :class:`HarvestMemo`, owned by the watch loop and passed to
:func:`boardsmith.harvest.api.harvest_snapshot`, keeps per-sticky work that depends on
nothing but the sticky and a few board-wide inputs, keyed so that a result is only
reused when every one of its inputs is equal:

* :class:`PlacementMemo`: a sticky's region, border flag, cleaned text and items,
  keyed by the :class:`~boardsmith.harvest.snapshot.SnapItem` itself (its equality
  covers id, type, geometry, text, parent, colours, authors and ``modifiedAt``), valid
  while the located regions are equal;
* :class:`RecordMemo`: a sticky's finished
  :class:`~boardsmith.harvest.model.StickyRecord`, keyed by the item and every other
  value the record is made of, valid while the board's members are equal (they name
  the record's people).

The term merger's answers are *not* kept: each text's term depends on every text fed
before it, so they are recomputed every harvest (see docs/benchmarks.md, "Watch
refresh, third pass"). A harvest with a memo returns what one without returns, field
for field (``tests/harvest/test_incremental_harvest.py``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boardsmith.harvest.model import StickyRecord
    from boardsmith.harvest.regions import LocatedRegion
    from boardsmith.harvest.snapshot import SnapItem

__all__ = ["HarvestMemo", "Placement", "PlacementMemo", "RecordMemo"]


@dataclass(frozen=True)
class Placement:
    """Where a sticky sits and what it says: a function of the item and the regions."""

    region: LocatedRegion | None
    on_border: bool
    text: str
    items: tuple[str, ...]


@dataclass
class PlacementMemo:
    """Placements of the last harvest, for the regions they were computed against."""

    regions: tuple[LocatedRegion, ...] | None = None
    placed: dict[SnapItem, Placement] = field(default_factory=dict)

    def start(self, regions: Sequence[LocatedRegion]) -> dict[SnapItem, Placement]:
        """The placements still valid for ``regions`` (none if the regions changed);
        the caller fills in this harvest's and :meth:`keep` s them."""
        key = tuple(regions)
        if key != self.regions:
            self.regions, self.placed = key, {}
        return self.placed

    def keep(self, placed: dict[SnapItem, Placement]) -> None:
        """Keep only this harvest's placements (a deleted sticky's go)."""
        self.placed = placed


@dataclass
class RecordMemo:
    """Sticky records of the last harvest, for the members they were built with."""

    members: Mapping[str, str] | None = None
    records: dict[Hashable, StickyRecord] = field(default_factory=dict)

    def start(self, members: Mapping[str, str]) -> dict[Hashable, StickyRecord]:
        """The records still valid for ``members`` (none if the members changed)."""
        if members != self.members:
            self.members, self.records = dict(members), {}
        return self.records

    def keep(self, records: dict[Hashable, StickyRecord]) -> None:
        """Keep only this harvest's records."""
        self.records = records


@dataclass
class HarvestMemo:
    """Per-sticky work one board's harvests share (one memo per board, never shared
    between boards; see the module docstring for what is kept and when it is valid)."""

    placements: PlacementMemo = field(default_factory=PlacementMemo)
    records: RecordMemo = field(default_factory=RecordMemo)
