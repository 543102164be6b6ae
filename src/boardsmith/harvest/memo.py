"""What one harvest of a board may keep for the next harvest of the same board.

``boardsmith watch`` harvests the same board every few seconds, and between two
refreshes a participant moves or writes a sticky or two: most stickies come back item
for item. A :class:`HarvestMemo`, owned by the watch loop and passed to
:func:`boardsmith.harvest.api.harvest_snapshot`, keeps per-sticky work that depends on
nothing but the sticky and a few board-wide inputs, keyed so that a result is only
reused when every one of its inputs is equal:

* :class:`ReadMemo`: each listed item as checked and converted for the snapshot, kept
  while Miro lists it with equal JSON, and its ``SnapItem`` while its frame stays put;
* :class:`ViewMemo`: a sticky's :class:`~boardsmith.harvest.view.StickyView` (its
  region, border flag, cleaned text and items, whether the template made it and moved
  it), keyed by the :class:`~boardsmith.harvest.snapshot.SnapItem` itself (its equality
  covers id, type, geometry, text, parent, colours, authors and ``modifiedAt``), valid
  while the located regions and the template's stickies are equal; and each region's
  stickies in reading order, while the region holds the same views;
* :class:`SightingMemo`: what a harvest says it saw of an item, while the item, what
  the history held of it, its sticky view and the sticky its dot counts on are the
  very same objects;
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

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boardsmith.harvest.history import Sighting
    from boardsmith.harvest.model import StickyRecord
    from boardsmith.harvest.regions import LocatedRegion
    from boardsmith.harvest.snapshot import SnapItem
    from boardsmith.harvest.view import StickyView

__all__ = ["HarvestMemo", "ReadMemo", "RecordMemo", "SightingEntry", "SightingMemo", "ViewMemo"]


@dataclass
class ViewMemo:
    """Sticky views of the last harvest, for the regions and template stickies they
    were made against."""

    regions: tuple[LocatedRegion, ...] | None = None
    template: dict[str, tuple[float, float] | None] | None = None
    views: dict[SnapItem, StickyView] = field(default_factory=dict)
    #: Region key -> its stickies in creation order, and the same in reading order.
    members: dict[str, tuple[tuple[StickyView, ...], tuple[StickyView, ...]]] = field(
        default_factory=dict
    )

    def start(
        self,
        regions: Sequence[LocatedRegion],
        template: Mapping[str, tuple[float, float] | None],
    ) -> dict[SnapItem, StickyView]:
        """The views still valid for ``regions`` and the template's stickies (with
        where the template put them): none if either changed. The caller fills in this
        harvest's and :meth:`keep` s them."""
        key = tuple(regions)
        if key != self.regions or template != self.template:
            self.regions, self.template, self.views, self.members = key, dict(template), {}, {}
        return self.views

    def keep(self, views: dict[SnapItem, StickyView]) -> None:
        """Keep only this harvest's views (a deleted sticky's go)."""
        self.views = views

    def in_reading_order(
        self,
        key: str,
        inside: tuple[StickyView, ...],
        order: Callable[[StickyView], tuple[float, float, str]],
    ) -> tuple[StickyView, ...]:
        """``inside`` (one region's stickies) sorted by ``order``; the last sort when
        the region holds the very same views as last time."""
        last = self.members.get(key)
        if last is not None and last[0] == inside:
            return last[1]
        ordered = tuple(sorted(inside, key=order))
        self.members[key] = (inside, ordered)
        return ordered


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


Origin = tuple[float, float] | None


@dataclass
class ReadMemo:
    """Items of the last read of one board: an item listed exactly as last time (equal
    JSON) is neither checked nor converted again, and keeps its
    :class:`~boardsmith.harvest.snapshot.SnapItem` while its frame has not moved."""

    listed: dict[str, tuple[Mapping[str, Any], Mapping[str, Any]]] = field(default_factory=dict)
    items: dict[str, tuple[Mapping[str, Any], str | None, Origin, SnapItem]] = field(
        default_factory=dict
    )
    _listing: dict[str, tuple[Mapping[str, Any], Mapping[str, Any]]] = field(
        default_factory=dict, repr=False
    )

    def as_read(self, raw: Any, convert: Callable[[Any], Mapping[str, Any]]) -> Mapping[str, Any]:
        """``convert(raw)``, or what it gave for an equal listing last read."""
        ident = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(ident, str):
            return convert(raw)
        last = self.listed.get(ident)
        read = last[1] if last is not None and last[0] == raw else convert(raw)
        self._listing[ident] = (raw, read)
        return read

    def kept(
        self, ident: str, read: Mapping[str, Any], frames: Mapping[str, tuple[float, float]]
    ) -> SnapItem | None:
        """Last read's item for ``read`` when it is the same object (an equal listing,
        see :meth:`as_read`) and the frame it is placed by has its corner where it was."""
        last = self.items.get(ident)
        if last is None or last[0] is not read:
            return None
        _, anchor, origin, item = last
        if anchor is not None and frames.get(anchor) != origin:
            return None
        return item

    def keep(
        self,
        ident: str,
        read: Mapping[str, Any],
        anchor: str | None,
        origin: Origin,
        item: SnapItem,
    ) -> None:
        """Keep this read's item, made from ``read``, placed by the frame ``anchor``
        (``None``: by nothing) whose corner was at ``origin``."""
        self.items[ident] = (read, anchor, origin, item)

    def finish(self, kept: Iterable[str]) -> None:
        """End one read: keep what it listed, forget the items it did not find."""
        self.listed, self._listing = self._listing, {}
        ids = set(kept)
        self.items = {k: v for k, v in self.items.items() if k in ids}


#: What one sighting was made of, and the sighting: the item, what the history said
#: before, its sticky view, the sticky its dot counted on.
SightingEntry = tuple["SnapItem", "Sighting | None", "StickyView | None", "str | None", "Sighting"]


@dataclass
class SightingMemo:
    """What the last harvest said it saw of each item, for the very same inputs."""

    #: Item id -> what its sighting was made of, and the sighting.
    seen: dict[str, SightingEntry] = field(default_factory=dict)

    def get(
        self,
        item: SnapItem,
        before: Sighting | None,
        sticky: StickyView | None,
        on: str | None,
    ) -> Sighting | None:
        """Last harvest's sighting when its inputs are these very objects (all of them
        immutable), else ``None``."""
        last = self.seen.get(item.id)
        if (
            last is not None
            and last[0] is item
            and last[1] is before
            and last[2] is sticky
            and last[3] == on
        ):
            return last[4]
        return None

    def keep(self, seen: dict[str, SightingEntry]) -> None:
        """Keep only this harvest's sightings."""
        self.seen = seen


@dataclass
class HarvestMemo:
    """Per-sticky work one board's harvests share (one memo per board, never shared
    between boards; see the module docstring for what is kept and when it is valid)."""

    views: ViewMemo = field(default_factory=ViewMemo)
    read: ReadMemo = field(default_factory=ReadMemo)
    sightings: SightingMemo = field(default_factory=SightingMemo)
    records: RecordMemo = field(default_factory=RecordMemo)
