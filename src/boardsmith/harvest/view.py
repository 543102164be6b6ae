"""One frozen view of a board: what every harvest phase reads, computed once.

A :class:`BoardView` pairs the snapshot with the template's regions as they are on the
board, each sticky with the region it sits in, the board's own numbers
(:class:`Rules`) and what earlier reads remember (:mod:`boardsmith.harvest.history`).
The phases (picks, dots, top slots, runoff, notes, records) are functions of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Literal

from boardsmith.harvest.constants import MOVE_TOLERANCE, RUNOFF_TITLE, reading_order
from boardsmith.harvest.history import BoardHistory
from boardsmith.harvest.memo import ViewMemo
from boardsmith.harvest.regions import LocatedRegion, Location, RegionIndex
from boardsmith.harvest.snapshot import SnapItem, Snapshot
from boardsmith.harvest.text import FORM_CACHE_SIZE, clean, split_items, warm_terms
from boardsmith.templates import Plan, PlanItem

__all__ = [
    "BoardView",
    "Rules",
    "StickyView",
    "build_view",
    "expected_position",
    "is_moved",
    "sticky_under",
    "warm_texts",
]

RuleSource = Literal["state", "board", "template", "flag"]


@dataclass(frozen=True)
class Rules:
    """The board's own numbers, and where each came from."""

    top_n: int
    top_source: RuleSource
    picks_min: int | None = None
    picks_max: int | None = None
    dots_per_participant: int | None = None
    #: What ``--top`` asked for when it differs from the board's own number.
    overridden: int | None = None


@dataclass(frozen=True)
class StickyView:
    """One sticky with the region it sits in and what its text says."""

    item: SnapItem
    region: LocatedRegion | None
    on_border: bool
    from_template: bool
    moved: bool
    text: str
    items: tuple[str, ...]

    # Cached (in the instance's dict, so later reads are plain attribute reads): the
    # phases read these tens of thousands of times a harvest, and watch keeps views.
    @cached_property
    def id(self) -> str:
        return self.item.id

    @cached_property
    def role(self) -> str | None:
        return self.region.role if self.region is not None else None


@dataclass(frozen=True)
class BoardView:
    """Everything the phases need, read once and never changed."""

    snapshot: Snapshot
    plan: Plan
    location: Location
    regions: tuple[LocatedRegion, ...]
    runoffs: tuple[LocatedRegion, ...]
    stickies: tuple[StickyView, ...]
    word_bank: tuple[str, ...]
    rules: Rules
    history: BoardHistory | None = None
    by_id: Mapping[str, StickyView] = field(default_factory=dict)
    #: Region key -> the stickies in it, in reading order.
    members: Mapping[str, tuple[StickyView, ...]] = field(default_factory=dict)

    @property
    def lanes(self) -> list[LocatedRegion]:
        return [r for r in self.regions if r.role == "lane"]

    @property
    def participants(self) -> list[str]:
        """Lane names in lane order, each once."""
        return list(
            dict.fromkeys(
                r.labels["participant"] for r in self.lanes if r.labels.get("participant")
            )
        )

    def in_region(self, key: str) -> list[StickyView]:
        """The stickies in one region, in reading order."""
        return list(self.members.get(key, ()))

    def of_role(self, role: str) -> list[LocatedRegion]:
        return [r for r in self.regions if r.role == role]

    @cached_property
    def carried(self) -> frozenset[str]:
        """Ids of the stickies the template carried in from an earlier board
        (``role: carried``): the group's work, though the template put them there."""
        ids = self.location.template_items
        return frozenset(ids[i.key] for i in self.plan.with_role("carried") if i.key in ids)


def sticky_under(point: SnapItem, stickies: Sequence[StickyView]) -> StickyView | None:
    """The sticky a dot's centre lies on (the nearest centre when several overlap)."""
    under = [s for s in stickies if s.item.contains(point.x, point.y)]
    if not under:
        return None
    return min(under, key=lambda s: (abs(s.item.x - point.x) + abs(s.item.y - point.y), s.id))


def _template_words(plan: Plan) -> list[PlanItem]:
    return [i for i in plan.items if i.type == "sticky_note" and i.role == "word"]


def expected_position(
    plan_item: PlanItem, plan: Plan, location: Location
) -> tuple[float, float] | None:
    """Where the template put an item on this board (``None`` when unknown)."""
    if plan_item.parent is None:
        return (plan_item.x, plan_item.y)
    frame = location.frames.get(plan_item.parent)
    if frame is None:
        return None
    frame_item = plan.by_key[plan_item.parent]
    return (plan_item.x + frame.left - frame_item.left, plan_item.y + frame.top - frame_item.top)


def is_moved(item: SnapItem, expected: tuple[float, float] | None) -> bool:
    """Whether a template item left the place the template gave it."""
    if expected is None:
        return bool(item.modified_by and item.modified_by != item.created_by)
    return abs(item.x - expected[0]) > MOVE_TOLERANCE or abs(item.y - expected[1]) > MOVE_TOLERANCE


def _template_stickies(
    plan: Plan, snapshot: Snapshot, location: Location
) -> dict[str, tuple[float, float] | None]:
    """Ids of stickies the template created, with where the template put them."""
    words = _template_words(plan)
    found: dict[str, tuple[float, float] | None] = {}
    if location.located_by == "state":
        for word in words:
            ident = location.template_items.get(word.key)
            if ident and snapshot.get(ident) is not None:
                found[ident] = expected_position(word, plan, location)
        return found
    if not words or not location.template_creators:
        return found
    # Without state: stickies made by whoever built the template, in the word look.
    sample = words[0]
    for sticky in snapshot.of_type("sticky_note"):
        if sticky.created_by not in location.template_creators:
            continue
        if abs(sticky.width - sample.width) > 1 or (
            sticky.fill_color or "light_yellow"
        ) != sample.style.get("fillColor", "light_yellow"):
            continue
        # Default parameters lay the bank out differently from this board, so a
        # planned position means nothing here: "moved" falls back to modifiedBy.
        found[sticky.id] = None
    return found


def _runoff_regions(snapshot: Snapshot) -> list[LocatedRegion]:
    return [
        LocatedRegion(
            key=f"runoff/{frame.id}",
            role="runoff",
            labels={"title": clean(frame.content)},
            bounds=frame.bounds,
            item_id=frame.id,
            order=1 << 40,
        )
        for frame in snapshot.of_type("frame")
        if clean(frame.content).startswith(RUNOFF_TITLE)
    ]


def _rules(plan: Plan, regions: Sequence[LocatedRegion], located_by: str, top: int | None) -> Rules:
    slots = sum(1 for r in regions if r.role == "top_slot")
    params = plan.params

    def number(name: str) -> int | None:
        value = params.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    own = slots or number("top_n")
    source: RuleSource = "state" if located_by == "state" else "board"
    if not slots:
        source = "template"
    if own is None:
        own, source = 5, "template"
    # Without state the plan carries the template's default, not this board's number of
    # dots (the board may have been made with another): leave it unknown.
    dots = number("dots_per_participant") if located_by == "state" else None
    rules = Rules(
        top_n=own,
        top_source=source,
        picks_min=number("picks_min"),
        picks_max=number("picks_max"),
        dots_per_participant=dots,
    )
    if top is not None and top != own:
        return replace(rules, top_n=top, top_source="flag", overridden=own)
    return rules


#: Regions whose stickies hold adjectives, where "bold, caring" is two picks.
WORD_ROLES: frozenset[str] = frozenset({"lane", "word_bank", "top_slot"})


@lru_cache(maxsize=FORM_CACHE_SIZE)
def _read_text(content: str, words: bool) -> tuple[str, tuple[str, ...]]:
    """A sticky's cleaned text and its items: once per distinct content, as a board
    repeats its word bank's words and the HTML parser is the dearer part."""
    text = clean(content)
    return text, tuple(split_items(text, words=words))


def warm_texts(contents: Iterable[str]) -> bool:
    """Read sticky ``contents`` as a harvest will (cleaned, split into items as in a
    lane), and warm the term merger with their items (:func:`warm_terms`): for a board
    whose pages are still arriving. ``False``: the dictionaries are not loaded yet,
    and nothing was done."""
    # Lazy: nothing is parsed when the dictionaries are not there yet.
    return warm_terms(item for content in contents for item in _read_text(content, True)[1])


def build_view(
    snapshot: Snapshot,
    plan: Plan,
    location: Location,
    *,
    top: int | None = None,
    history: BoardHistory | None = None,
    memo: ViewMemo | None = None,
) -> BoardView:
    """Place every sticky in its region and settle the board's numbers.

    ``memo`` keeps placements between harvests of one board (see
    :mod:`boardsmith.harvest.memo`)."""
    runoffs = _runoff_regions(snapshot)
    regions = (*location.regions, *runoffs)
    template_stickies = _template_stickies(plan, snapshot, location)
    stickies: list[StickyView] = []
    # A card is read as a sticky: its title is the note (a template's card elements, and
    # cards people add, e.g. one action each).
    notes = snapshot.of_type("sticky_note", "card")
    index: RegionIndex | None = None
    known = memo.start(regions, template_stickies) if memo is not None else {}
    placed: dict[SnapItem, StickyView] = {}
    for item in sorted(notes, key=lambda i: (i.created_at or "", i.id)):
        view = known.get(item)
        if view is None:
            index = index or RegionIndex(regions)
            region, on_border = index.assign(item)
            words = region is None or region.role in WORD_ROLES
            text, parts = _read_text(item.content, words)
            from_template = item.id in template_stickies
            view = StickyView(
                item=item,
                region=region,
                on_border=on_border,
                from_template=from_template,
                moved=from_template and is_moved(item, template_stickies[item.id]),
                text=text,
                items=parts,
            )
        if memo is not None:
            # Keyed by the item: its first hash is a tuple of 13 fields, for nothing
            # when no memo keeps the placements.
            placed[item] = view
        stickies.append(view)
    if memo is not None:
        memo.keep(placed)
    word_bank = [w.labels.get("word") or w.plain_text for w in _template_words(plan)]
    if location.located_by != "state" and template_stickies:
        # Without state the bank is what the template put on this board.
        by_id = {s.id: s for s in stickies}
        word_bank = list(dict.fromkeys(by_id[i].text for i in template_stickies if i in by_id))
    members: dict[str, list[StickyView]] = {}
    for s in stickies:
        if s.region is not None:
            members.setdefault(s.region.key, []).append(s)

    def order(s: StickyView) -> tuple[float, float, str]:
        return reading_order(s.item.top, s.item.left, s.id)

    return BoardView(
        members={
            key: (
                memo.in_reading_order(key, tuple(inside), order)
                if memo is not None
                else tuple(sorted(inside, key=order))
            )
            for key, inside in members.items()
        },
        snapshot=snapshot,
        plan=plan,
        location=location,
        regions=regions,
        runoffs=tuple(runoffs),
        stickies=tuple(stickies),
        word_bank=tuple(word_bank),
        rules=_rules(plan, location.regions, location.located_by, top),
        history=history,
        by_id={s.id: s for s in stickies},
    )
