"""Finding the template's regions on a board, and which region each sticky sits in.

Two ways to find regions:

* **by state** (the board was built by boardsmith here): the plan key → item id map
  names every region item; its *current* geometry on the board is used, so moved or
  resized lanes still harvest;
* **by frames** (boards made elsewhere, or state lost): the template's frames are
  found by title (parameters such as the team name are wildcards), and each region
  by its look inside the frame: same item type, shape and colours as the plan's, in
  the same reading order. Labels that the template writes on the board (the name at
  the top of a lane, the rank in a top slot) are read back from the board, so lanes
  for participants the default parameters never named are found too.

A sticky belongs to the smallest region containing its centre; a sticky whose centre
is just outside every region but that mostly overlaps one (a sticky on a border)
goes to that region and is flagged ``on_border``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from boardsmith.harvest.areas import area_name
from boardsmith.harvest.constants import BORDER_OVERLAP, READING_ROW
from boardsmith.harvest.model import Bounds, HarvestWarning, LocatedBy
from boardsmith.harvest.snapshot import SnapItem, Snapshot
from boardsmith.harvest.text import clean
from boardsmith.templates import Plan, PlanItem, Template, compile_plan, slugify
from boardsmith.templates.geometry import bottom_edge, left_edge, right_edge, top_edge

__all__ = [
    "BORDER_OVERLAP",
    "LocatedRegion",
    "Location",
    "RegionIndex",
    "assign",
    "frame_title_patterns",
    "locate",
]

_SENTINEL = "\ue000{}\ue001"


@dataclass(frozen=True)
class LocatedRegion:
    """A template region as it is on this board, in absolute coordinates."""

    key: str
    role: str
    labels: dict[str, str]
    bounds: Bounds
    frame: str | None = None
    item_id: str | None = None
    order: int = 0

    @property
    def label(self) -> str | None:
        """Participant for lanes, prompt for notes, rank for slots, else section/title."""
        for name in ("participant", "prompt", "rank", "section", "step", "column", "condition"):
            if name in self.labels:
                return self.labels[name]
        return next(iter(self.labels.values()), None)


@dataclass
class Location:
    """The outcome of :func:`locate`."""

    located_by: LocatedBy
    regions: list[LocatedRegion]
    frames: dict[str, SnapItem] = field(default_factory=dict)
    template_items: dict[str, str] = field(default_factory=dict)
    template_creators: set[str] = field(default_factory=set)
    warnings: list[HarvestWarning] = field(default_factory=list)


def frame_title_patterns(template: Template) -> dict[str, re.Pattern[str]]:
    """Per frame key, a regex matching that frame's title whatever the str parameters.

    The template is compiled with a sentinel for every string parameter; the sentinel
    becomes ``.+`` in the pattern.
    """
    params: dict[str, object] = {}
    for name, param in template.spec.parameters.items():
        if param.type == "str":
            params[name] = _SENTINEL.format(name)
    plan = compile_plan(template, params)
    patterns = {}
    for item in plan.items:
        if item.type != "frame":
            continue
        title = clean(item.plain_text)
        pieces = re.split(r"\ue000[^\ue001]*\ue001", title)
        body = ".+".join(re.escape(p.casefold()) for p in pieces)
        patterns[item.key] = re.compile(rf"^{body}$", re.DOTALL)
    return patterns


def _plan_bounds(item: PlanItem, dx: float = 0.0, dy: float = 0.0) -> Bounds:
    return Bounds(x=item.x + dx, y=item.y + dy, width=item.width, height=item.height)


def _signature(
    item_type: str, shape: str | None, fill: str | None, border: str | None
) -> tuple[str, str, str, str]:
    return (item_type, shape or "", (fill or "").lower(), (border or "").lower())


def _plan_signature(item: PlanItem) -> tuple[str, str, str, str]:
    shape = item.shape if item.type == "shape" else None
    return _signature(item.type, shape, item.style.get("fillColor"), item.style.get("borderColor"))


def _snap_signature(item: SnapItem) -> tuple[str, str, str, str]:
    shape = item.shape if item.type == "shape" else None
    return _signature(item.type, shape, item.fill_color, item.border_color)


def _find_frames(
    plan: Plan,
    snapshot: Snapshot,
    item_ids: Mapping[str, str],
    patterns: Mapping[str, re.Pattern[str]] | None,
) -> dict[str, SnapItem]:
    found: dict[str, SnapItem] = {}
    board_frames = snapshot.of_type("frame")
    taken: set[str] = set()
    for item in plan.items:
        if item.type != "frame":
            continue
        ident = item_ids.get(item.key)
        snap = snapshot.get(ident) if ident else None
        if snap is not None:
            found[item.key] = snap
            taken.add(snap.id)
            continue
        pattern = patterns.get(item.key) if patterns else None
        wanted = clean(item.plain_text).casefold()
        candidates = [
            f
            for f in board_frames
            if f.id not in taken
            and (
                clean(f.content).casefold() == wanted
                or (pattern is not None and pattern.match(clean(f.content).casefold()))
            )
        ]
        if (
            not candidates
            and len(board_frames) == 1
            and sum(1 for i in plan.items if i.type == "frame") == 1
        ):
            # One frame on the board, one in the template: a renamed frame is still it.
            candidates = [f for f in board_frames if f.id not in taken]
        if candidates:
            best = min(
                candidates,
                key=lambda f: (
                    abs(f.width - item.width) + abs(f.height - item.height),
                    abs(f.x - item.x) + abs(f.y - item.y),
                ),
            )
            found[item.key] = best
            taken.add(best.id)
    return found


def _frame_offset(
    plan: Plan, key: str | None, frames: Mapping[str, SnapItem]
) -> tuple[float, float]:
    if key is None or key not in frames:
        return (0.0, 0.0)
    frame_item = plan.by_key[key]
    snap = frames[key]
    # Frames are anchored at their top-left corner for their children.
    return (snap.left - frame_item.left, snap.top - frame_item.top)


def _inside(item: SnapItem, bounds: Bounds) -> bool:
    return bounds.contains(item.x, item.y)


def _recover_labels(
    plan: Plan, region: PlanItem, snap: SnapItem, snapshot: Snapshot
) -> dict[str, str]:
    """Labels the template wrote on the board, read back from the board."""
    labels = dict(region.labels)
    region_bounds = _plan_bounds(region)
    texts_in_plan = [
        i
        for i in plan.items
        if i.type == "text"
        and i.key.startswith(region.key + "/")
        and region_bounds.contains(i.x, i.y)
    ]
    board_texts = [t for t in snapshot.of_type("text") if _inside(t, snap.bounds)]
    for name, value in region.labels.items():
        if clean(region.plain_text) == value and clean(snap.content):
            labels[name] = clean(snap.content)
            continue
        source = next((t for t in texts_in_plan if clean(t.plain_text) == value), None)
        if source is None or not board_texts:
            continue
        rel_x, rel_y = source.x - region.left, source.y - region.top
        nearest = min(
            board_texts,
            key=lambda t: abs(t.x - snap.left - rel_x) + abs(t.y - snap.top - rel_y),
        )
        text = clean(nearest.content)
        if text:
            labels[name] = text
    return labels


def _plan_texts(plan: Plan) -> dict[str, list[PlanItem]]:
    """The plan's text items under each key prefix (``a`` and ``a/b`` for ``a/b/c``), in
    plan order: the candidates :func:`_state_labels` scans, found in one pass."""
    under: dict[str, list[PlanItem]] = {}
    for item in plan.items:
        if item.type != "text":
            continue
        parts = item.key.split("/")
        for n in range(1, len(parts)):
            under.setdefault("/".join(parts[:n]), []).append(item)
    return under


def _state_labels(
    plan: Plan,
    region: PlanItem,
    ids: Mapping[str, str],
    snapshot: Snapshot,
    board_key: str | None = None,
    texts: Mapping[str, Sequence[PlanItem]] | None = None,
) -> dict[str, str]:
    """A region's labels, with those the template wrote on the board read back from it.

    A participant who types their own name over "Participant 1" at the top of their
    lane renames the lane: the text item the template wrote the label into says so.
    ``board_key`` is the key the region has in the state when it differs from the
    plan's (a retired region read through its plan twin); ``texts`` is
    :func:`_plan_texts` of the plan, when the caller has it.
    """
    labels = dict(region.labels)
    if not region.labels:
        return labels
    prefix = board_key or region.key
    under = (texts if texts is not None else _plan_texts(plan)).get(region.key, ())
    for name, value in region.labels.items():
        for child in under:
            if clean(child.plain_text) != value:
                continue
            snap = snapshot.get(ids.get(prefix + child.key[len(region.key) :], ""))
            text = clean(snap.content) if snap is not None else ""
            if text:
                labels[name] = text
            break
    return labels


def _stems(key: str) -> tuple[str, ...]:
    # "vision/lanes/lane-ben/why" -> ("vision", "lanes", "lane", "why")
    return tuple(part.split("-", 1)[0] for part in key.split("/"))


def _retired_regions(
    plan: Plan, ids: Mapping[str, str], snapshot: Snapshot, start: int
) -> list[LocatedRegion]:
    """Regions the state still records but the plan dropped (a participant removed from
    the list keeps their lane while it holds their work), recognised as the plan region
    that has the same parent path, the same key stem and the same look on the board.

    ``vision/lanes/lane-ben`` (and its ``.../why``) is a lane when the plan has
    ``vision/lanes/lane-ana`` drawn alike; its labels are read from its own texts, where
    the plan's twin writes them.
    """
    plan_regions = plan.region_items
    found: list[LocatedRegion] = []
    for key, ident in sorted(ids.items()):
        snap = snapshot.get(ident)
        if key in plan.by_key or snap is None or snap.type == "frame":
            continue
        twin = next(
            (
                p
                for p in plan_regions
                if _stems(p.key) == _stems(key) and _plan_signature(p) == _snap_signature(snap)
            ),
            None,
        )
        if twin is None:
            continue
        found.append(
            LocatedRegion(
                key=key,
                role=twin.role or "",
                labels=_state_labels(plan, twin, ids, snapshot, board_key=key),
                bounds=snap.bounds,
                frame=twin.parent,
                item_id=snap.id,
                order=start + len(found),
            )
        )
    return found


def _inherit_participants(regions: list[LocatedRegion]) -> list[LocatedRegion]:
    """A region inside a lane (its "why" box) belongs to the lane's participant as the
    lane is labelled now, whatever name the template gave it."""
    lanes = [r for r in regions if r.role == "lane" and r.labels.get("participant")]
    out = []
    for region in regions:
        if region.role != "lane" and "participant" in region.labels:
            around = [
                lane for lane in lanes if lane.bounds.contains(region.bounds.x, region.bounds.y)
            ]
            if around:
                lane = min(around, key=lambda r: r.bounds.area)
                labels = {**region.labels, "participant": lane.labels["participant"]}
                region = replace(region, labels=labels)
        out.append(region)
    return out


def _relabel_key(key: str, old: Mapping[str, str], new: Mapping[str, str]) -> str:
    for name, value in old.items():
        if name in new and new[name] != value:
            key = key.replace(slugify(value), slugify(new[name]))
    return key


_Look = tuple[str, str, str, str]


def _match_by_look(
    plan: Plan,
    snapshot: Snapshot,
    frames: Mapping[str, SnapItem],
    region_keys: set[str],
    warnings: list[HarvestWarning],
) -> list[LocatedRegion]:
    """Find region items inside their frames by type, shape, colours and reading order.

    Plan items that look alike (a section and an instructions box drawn the same way)
    are paired together in reading order, so the look alone never confuses them; a
    repeated region (lanes, top slots) may have more or fewer copies on the board than
    the default parameters give, and the extra copies take their labels from the board.
    """
    located: list[LocatedRegion] = []
    used: set[str] = set()
    for (parent, signature), members in _look_groups(plan).items():
        if not any(m.key in region_keys for m in members):
            continue
        frame = frames.get(parent) if parent else None
        candidates: list[SnapItem] = []
        if parent is None or frame is not None:
            candidates = _look_alikes(snapshot, signature, frame, used)
        ordered = sorted(members, key=lambda p: (round(p.top / READING_ROW), p.left))
        # How many plan items of each role the group has: a role with several is a
        # repeated region (lanes, slots), which may grow or shrink on the board.
        per_role = Counter(m.role for m in ordered)
        group = _Group(plan, snapshot, parent, ordered, per_role, region_keys)
        located += group.pair(candidates, used)
        if parent is not None and frame is not None:
            located += group.estimate(ordered[len(candidates) :], frames, warnings)
    located.sort(key=lambda r: r.order)
    return located


def _look_groups(plan: Plan) -> dict[tuple[str | None, _Look], list[PlanItem]]:
    """The plan's drawn items (no frames, stickies, connectors or dots) by frame and look."""
    groups: dict[tuple[str | None, _Look], list[PlanItem]] = {}
    for item in plan.items:
        if item.type in ("frame", "sticky_note", "connector") or item.role == "dot":
            continue
        groups.setdefault((item.parent, _plan_signature(item)), []).append(item)
    return groups


def _look_alikes(
    snapshot: Snapshot, signature: _Look, frame: SnapItem | None, used: set[str]
) -> list[SnapItem]:
    """Board items with this look in the frame (anywhere without one), in reading order."""
    candidates = [
        s
        for s in snapshot.items
        if s.id not in used
        and s.type != "frame"
        and _snap_signature(s) == signature
        and (frame is None or s.parent_id == frame.id or _inside(s, frame.bounds))
    ]
    candidates.sort(key=lambda s: (round(s.top / READING_ROW), s.left))
    return candidates


@dataclass(frozen=True)
class _Group:
    """Plan items of one frame and one look, in reading order, matched to the board."""

    plan: Plan
    snapshot: Snapshot
    parent: str | None
    ordered: list[PlanItem]
    per_role: Counter[str | None]
    region_keys: set[str]

    def pair(self, candidates: list[SnapItem], used: set[str]) -> list[LocatedRegion]:
        """The n-th board item is the n-th plan item; extra copies of a repeated region
        are further copies of its last one, keyed ``key#n`` unless their labels rename
        them."""
        located: list[LocatedRegion] = []
        ordered, keys = self.ordered, self.region_keys
        for index, snap in enumerate(candidates):
            if index < len(ordered):
                template_item = ordered[index]
            else:
                # More copies than the defaults make: only a repeated region grows.
                template_item = ordered[-1]
                if self.per_role[template_item.role] < 2 or template_item.key not in keys:
                    break
            used.add(snap.id)
            if template_item.key not in keys:
                continue
            labels = _recover_labels(self.plan, template_item, snap, self.snapshot)
            key = _relabel_key(template_item.key, template_item.labels, labels)
            if index >= len(ordered) and (key == template_item.key or key in keys):
                key = f"{template_item.key}#{index + 1}"
            located.append(
                LocatedRegion(
                    key=key,
                    role=template_item.role or "",
                    labels=labels,
                    bounds=snap.bounds,
                    frame=self.parent,
                    item_id=snap.id,
                    order=self.plan.position[template_item.key] * 1000 + index,
                )
            )
        return located

    def estimate(
        self,
        missing: list[PlanItem],
        frames: Mapping[str, SnapItem],
        warnings: list[HarvestWarning],
    ) -> list[LocatedRegion]:
        """Plan regions with no board item: placed where the frame says, and warned of
        (fewer copies of a repeated region than the defaults make is no problem)."""
        dx, dy = _frame_offset(self.plan, self.parent, frames)
        located: list[LocatedRegion] = []
        for template_item in missing:
            if template_item.key not in self.region_keys or self.per_role[template_item.role] > 1:
                continue
            located.append(
                LocatedRegion(
                    key=template_item.key,
                    role=template_item.role or "",
                    labels=dict(template_item.labels),
                    bounds=_plan_bounds(template_item, dx, dy),
                    frame=self.parent,
                    order=self.plan.position[template_item.key] * 1000,
                )
            )
            warnings.append(
                HarvestWarning(
                    code="region-estimated",
                    message=f"{_area(self.plan, template_item)} was not found on the board "
                    "by its look; its place was estimated from the frame",
                )
            )
        return located


def _area(plan: Plan, item: PlanItem) -> str:
    name = area_name(plan, item.key, item.role or "", item.labels)
    return name[:1].upper() + name[1:]


def locate(
    plan: Plan,
    snapshot: Snapshot,
    item_ids: Mapping[str, str] | None = None,
    *,
    title_patterns: Mapping[str, re.Pattern[str]] | None = None,
) -> Location:
    """Find every region of ``plan`` on the board in ``snapshot``."""
    ids = dict(item_ids or {})
    warnings: list[HarvestWarning] = []
    frames = _find_frames(plan, snapshot, ids, title_patterns)
    have_state = bool(ids) and any(snapshot.get(v) is not None for v in ids.values())
    located_by: LocatedBy
    if have_state:
        regions = _state_regions(plan, snapshot, ids, frames, warnings)
        located_by = "state"
        template_items = {k: v for k, v in ids.items() if snapshot.get(v) is not None}
    else:
        regions = _look_regions(plan, snapshot, frames, warnings)
        located_by = "frames" if frames else "none"
        template_items = {key: snap.id for key, snap in frames.items()}
    creators = {f.created_by for f in frames.values() if f.created_by}
    if have_state:
        for item_id in template_items.values():
            snap = snapshot.get(item_id)
            if snap is not None and snap.created_by:
                creators.add(snap.created_by)
    return Location(
        located_by=located_by,
        regions=_inherit_participants(regions),
        frames=frames,
        template_items=template_items,
        template_creators=creators,
        warnings=warnings,
    )


def _state_regions(
    plan: Plan,
    snapshot: Snapshot,
    ids: Mapping[str, str],
    frames: Mapping[str, SnapItem],
    warnings: list[HarvestWarning],
) -> list[LocatedRegion]:
    """Every plan region by the item the state names (its place estimated from the
    template when the item is gone), then the regions the plan retired."""
    regions: list[LocatedRegion] = []
    texts = _plan_texts(plan)
    for index, item in enumerate(plan.region_items):
        snap = snapshot.get(ids.get(item.key, ""))
        if snap is not None:
            bounds = snap.bounds
        elif item.type == "frame" and item.key in frames:
            bounds = frames[item.key].bounds
        else:
            dx, dy = _frame_offset(plan, item.parent, frames)
            bounds = _plan_bounds(item, dx, dy)
            warnings.append(
                HarvestWarning(
                    code="region-missing",
                    message=f"{_area(plan, item)} is gone from the board; "
                    "its place was estimated from the template",
                    item_id=ids.get(item.key),
                )
            )
        regions.append(
            LocatedRegion(
                key=item.key,
                role=item.role or "",
                labels=_state_labels(plan, item, ids, snapshot, texts=texts),
                bounds=bounds,
                frame=item.parent,
                item_id=snap.id if snap else None,
                order=index,
            )
        )
    retired = _retired_regions(plan, ids, snapshot, len(regions))
    warnings += [
        HarvestWarning(
            code="retired-region",
            message=f"{area_name(plan, r.key, r.role, r.labels)} is no longer in "
            "the template's parameters but is still on the board; what it holds is "
            "counted as theirs",
            item_id=r.item_id,
        )
        for r in retired
        if r.role == "lane"
    ]
    return regions + retired


def _look_regions(
    plan: Plan,
    snapshot: Snapshot,
    frames: Mapping[str, SnapItem],
    warnings: list[HarvestWarning],
) -> list[LocatedRegion]:
    """Without state: the frames found by title, and the regions inside by their look."""
    plan_regions = plan.region_items
    frame_regions = [
        LocatedRegion(
            key=i.key,
            role=i.role or "",
            labels=dict(i.labels),
            bounds=frames[i.key].bounds,
            item_id=frames[i.key].id,
            order=plan.position[i.key] * 1000,
        )
        for i in plan_regions
        if i.type == "frame" and i.key in frames
    ]
    keys = {i.key for i in plan_regions if i.type != "frame"}
    regions = sorted(
        frame_regions + _match_by_look(plan, snapshot, frames, keys, warnings),
        key=lambda r: r.order,
    )
    if not frames and any(i.type == "frame" for i in plan.items):
        wanted = ", ".join(repr(clean(i.plain_text)) for i in plan.items if i.type == "frame")
        warnings.append(
            HarvestWarning(
                code="template-not-found",
                message=f"no frame titled {wanted} on the board: every sticky is unplaced",
            )
        )
    return regions


class _Box(Protocol):
    """What placing an item needs: its centre and size (a ``Bounds`` or a ``SnapItem``)."""

    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...


@dataclass(frozen=True)
class _Edges:
    """A region's edges and area, computed once (the same floats ``Bounds`` gives)."""

    region: LocatedRegion
    left: float
    top: float
    right: float
    bottom: float
    area: float

    @classmethod
    def of(cls, region: LocatedRegion) -> _Edges:
        b = region.bounds
        return cls(region, b.left, b.top, b.right, b.bottom, b.area)


def _overlap_of(left: float, top: float, right: float, bottom: float, r: _Edges) -> float:
    w = min(right, r.right) - max(left, r.left)
    h = min(bottom, r.bottom) - max(top, r.top)
    return w * h if w > 0 and h > 0 else 0.0


def _choose(
    box: _Box, pool: Sequence[_Edges], near: Callable[[], Sequence[_Edges]] | None = None
) -> tuple[LocatedRegion | None, bool]:
    """:func:`assign`'s rule over ``pool`` (in region order). ``near``, when given, gives
    the part of the pool that may overlap the item's box (the rest cannot win by
    overlap), asked for only when no region holds the centre."""
    x, y, width, height = box.x, box.y, box.width, box.height
    # ``inside`` spelled out: this runs for every sticky against every nearby region.
    containing = [r for r in pool if r.left <= x <= r.right and r.top <= y <= r.bottom]
    if len(containing) == 1:
        return containing[0].region, False  # what the ``min`` below gives for one
    left, top = left_edge(x, width), top_edge(y, height)
    right, bottom = right_edge(x, width), bottom_edge(y, height)
    if containing:
        best = min(
            containing,
            key=lambda r: (r.area, -_overlap_of(left, top, right, bottom, r), r.region.order),
        )
        return best.region, False
    area = width * height
    if area <= 0:
        return None, False
    overlapping = [
        (r, o)
        for r in (pool if near is None else near())
        if (o := _overlap_of(left, top, right, bottom, r)) >= BORDER_OVERLAP * area
    ]
    if not overlapping:
        return None, False
    best_edges, _ = max(overlapping, key=lambda ro: (ro[1], -ro[0].area, -ro[0].region.order))
    return best_edges.region, True


def assign(
    bounds: _Box, regions: Sequence[LocatedRegion], *, roles: frozenset[str] | None = None
) -> tuple[LocatedRegion | None, bool]:
    """The region an item belongs to, and whether it was placed by border overlap.

    The smallest region containing the centre wins (a top slot inside a section beats
    the section); on a shared edge the region the item overlaps most wins. With the
    centre outside every region, the region overlapping at least
    :data:`BORDER_OVERLAP` of the item's area wins, flagged as on the border.
    Placing many items in the same regions: :class:`RegionIndex`.
    """
    return _choose(bounds, [_Edges.of(r) for r in regions if roles is None or r.role in roles])


class RegionIndex:
    """Regions bucketed on a grid, for placing many items with :func:`assign`'s rule.

    Scanning every region for every sticky costs regions x stickies box tests; a
    region can only contain an item's centre, or overlap its box, if it shares a grid
    cell with it, so each item is tested against the few regions of its cells. The
    answers are :func:`assign`'s, float for float: the same edges, the same candidates
    in the same order.
    """

    def __init__(self, regions: Sequence[LocatedRegion], *, cells: int = 0) -> None:
        self._edges = [_Edges.of(r) for r in regions]
        finite = all(
            math.isfinite(v) for e in self._edges for v in (e.left, e.top, e.right, e.bottom)
        )
        self._size = cells or max(1, min(64, 2 * math.isqrt(len(self._edges))))
        if not self._edges or not finite:
            self._size = 1  # nothing to bucket, or a region with no finite box: scan
            self._x0 = self._y0 = 0.0
            self._cw = self._ch = 1.0
            self._grid: dict[tuple[int, int], list[int]] = {}
            self._cell_edges: dict[tuple[int, int], list[_Edges]] = {}
            return
        self._x0 = min(e.left for e in self._edges)
        self._y0 = min(e.top for e in self._edges)
        span_x = max(e.right for e in self._edges) - self._x0
        span_y = max(e.bottom for e in self._edges) - self._y0
        self._cw = span_x / self._size if span_x > 0 else 1.0
        self._ch = span_y / self._size if span_y > 0 else 1.0
        self._grid = {}
        for n, e in enumerate(self._edges):
            for cx in self._cells(e.left, e.right, self._x0, self._cw):
                for cy in self._cells(e.top, e.bottom, self._y0, self._ch):
                    self._grid.setdefault((cx, cy), []).append(n)
        # Each cell's regions as edges, in region order: what ``assign`` tests first.
        self._cell_edges = {
            cell: [self._edges[n] for n in members] for cell, members in self._grid.items()
        }

    # Cell numbers are monotonic in the coordinate and clamped to the grid, so an
    # interval's cells always include the cell of every point in it. ``math.floor``
    # raises on NaN and infinities: such a box is placed by the plain scan.
    def _cells(self, low: float, high: float, origin: float, size: float) -> range:
        last = self._size - 1
        first = min(last, max(0, math.floor((low - origin) / size)))
        return range(first, min(last, max(0, math.floor((high - origin) / size))) + 1)

    def _near(self, box: _Box) -> Sequence[_Edges]:
        """The regions sharing a cell with the box, in region order (all of them for a
        box with no finite edges)."""
        x, y, width, height = box.x, box.y, box.width, box.height
        try:
            cols = self._cells(left_edge(x, width), right_edge(x, width), self._x0, self._cw)
            rows = self._cells(top_edge(y, height), bottom_edge(y, height), self._y0, self._ch)
        except (ValueError, OverflowError):
            return self._edges
        grid = self._grid
        found = {n for cx in cols for cy in rows for n in grid.get((cx, cy), ())}
        return [self._edges[n] for n in sorted(found)]

    def assign(self, box: _Box) -> tuple[LocatedRegion | None, bool]:
        """The region ``box`` belongs to, and whether by border overlap (see :func:`assign`)."""
        if self._size == 1:
            return _choose(box, self._edges)
        # The cell of the centre, as ``_cells`` numbers it for a point.
        last = self._size - 1
        try:
            col = min(last, max(0, math.floor((box.x - self._x0) / self._cw)))
            row = min(last, max(0, math.floor((box.y - self._y0) / self._ch)))
        except (ValueError, OverflowError):
            return _choose(box, self._edges)
        here = self._cell_edges.get((col, row), ())
        return _choose(box, here, lambda: self._near(box))
