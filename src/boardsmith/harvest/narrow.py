"""Narrowing to the group's top terms, and the two careful write-backs.

* :func:`plan_apply` / :func:`apply` write the chosen terms into EMPTY top slots as new
  stickies. A slot the group already filled is never touched, nothing is moved or
  overwritten, terms tied across the cut-off are left for the group (or a runoff),
  and every disagreement between the group's slots and the tally is reported.
* :func:`plan_runoff` / :func:`create_runoff` put the tied terms in a new runoff frame
  beside everything on the board, with fresh dots for each participant;
  :func:`existing_runoff` finds one already there, so a second is never created.
  Harvest reads the runoff back and the tally uses it to settle the tie (see
  :mod:`boardsmith.harvest.tally`), so a later ``narrow --apply`` writes the winner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from boardsmith.harvest.api import HarvestResult
from boardsmith.harvest.constants import RUNOFF_TITLE
from boardsmith.harvest.model import BoardHarvest, RegionRecord, TallyRecord
from boardsmith.harvest.result import choose, display

if TYPE_CHECKING:
    from boardsmith.miro import MiroClient

__all__ = [
    "RUNOFF_TITLE",
    "NarrowPlan",
    "NewItem",
    "RunoffPlan",
    "SlotWrite",
    "apply",
    "create_runoff",
    "existing_runoff",
    "plan_apply",
    "plan_runoff",
]

_STICKY_W = 199.0
_STICKY_RATIO = 228 / 199
_DOT = 40.0
_DOT_COLOUR = "#f16c7f"
_MARGIN = 200.0
_PAD = 60.0
_GAP = 40.0


@dataclass(frozen=True)
class SlotWrite:
    """One new sticky to write into an empty top slot."""

    rank: int
    region: str
    term: str
    text: str


@dataclass
class NarrowPlan:
    """What ``narrow --apply`` will do, and what it will not."""

    tally: TallyRecord
    writes: list[SlotWrite] = field(default_factory=list)
    kept: dict[int, list[str]] = field(default_factory=dict)
    left_for_group: list[str] = field(default_factory=list)
    no_room: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def plan_apply(board: BoardHarvest, tally: TallyRecord) -> NarrowPlan:
    """Decide which chosen terms go into which empty slots (pure)."""
    plan = NarrowPlan(tally=tally)
    by_term = {t.term: t for t in tally.terms}
    tied = set(tally.ties_at_cutoff)
    chosen = [t for t in tally.top if t not in tied]
    plan.left_for_group = [t for t in tally.top if t in tied]
    in_slots: set[str] = set()
    for slot in board.top_slots:
        if slot.stickies:
            plan.kept[slot.rank] = list(slot.texts)
            in_slots.update(slot.terms)
    # The same sentences every output gives for the slots the group filled.
    plan.disagreements = list(choose(tally, board.top_slots).disagreements)
    empty = [s for s in board.top_slots if not s.stickies]
    for term in chosen:
        if term in in_slots:
            continue
        if not empty:
            plan.no_room.append(term)
            continue
        slot = empty.pop(0)
        plan.writes.append(
            SlotWrite(rank=slot.rank, region=slot.region, term=term, text=display(by_term[term]))
        )
    return plan


@dataclass(frozen=True)
class NewItem:
    """An item to create, in absolute coordinates; ``parent`` is a frame id or None."""

    type: str
    x: float
    y: float
    width: float
    height: float
    content: str = ""
    parent: str | None = None
    parent_left: float = 0.0
    parent_top: float = 0.0


def _slot_sticky(result: HarvestResult, write: SlotWrite) -> NewItem:
    region = next(r for r in result.location.regions if r.key == write.region)
    width = min(_STICKY_W, region.bounds.width * 0.8, region.bounds.height * 0.8 / _STICKY_RATIO)
    frame = result.location.frames.get(region.frame or "")
    return NewItem(
        type="sticky_note",
        x=region.bounds.x,
        y=region.bounds.y,
        width=round(width, 2),
        height=round(width * _STICKY_RATIO, 2),
        content=write.text,
        parent=frame.id if frame else None,
        parent_left=frame.left if frame else 0.0,
        parent_top=frame.top if frame else 0.0,
    )


async def _create(client: MiroClient, board_id: str, items: Sequence[NewItem]) -> list[str]:
    from boardsmith.miro.models import (
        FixedRatioGeometry,
        GeometryChange,
        ParentChange,
        PositionChange,
        ShapeCreate,
        ShapeDataChange,
        ShapeStyleChange,
        StickyNoteCreate,
        StickyNoteDataChange,
        TextCreate,
        TextDataChange,
        WidthGeometry,
    )
    from boardsmith.miro.models.items import BulkItemCreate

    bodies: list[BulkItemCreate] = []
    for item in items:
        x, y = item.x - item.parent_left, item.y - item.parent_top
        position = PositionChange(x=round(x, 2), y=round(y, 2))
        parent = ParentChange(id=item.parent) if item.parent else None
        if item.type == "sticky_note":
            bodies.append(
                StickyNoteCreate(
                    data=StickyNoteDataChange(content=item.content),
                    position=position,
                    geometry=FixedRatioGeometry(width=item.width),
                    parent=parent,
                )
            )
        elif item.type == "text":
            bodies.append(
                TextCreate(
                    data=TextDataChange(content=item.content),
                    position=position,
                    geometry=WidthGeometry(width=item.width),
                    parent=parent,
                )
            )
        else:
            bodies.append(
                ShapeCreate(
                    data=ShapeDataChange(shape="circle", content=item.content or None),
                    style=ShapeStyleChange(fill_color=_DOT_COLOUR, border_color=_DOT_COLOUR),
                    position=position,
                    geometry=GeometryChange(width=item.width, height=item.height),
                    parent=parent,
                )
            )
    created = await client.items.bulk_create(board_id, bodies)
    return [c.id for c in created]


async def apply(client: MiroClient, result: HarvestResult, plan: NarrowPlan) -> list[str]:
    """Create the planned slot stickies; ids of what was created.

    Slots are re-checked against the freshly harvested board the plan came from; a
    plan with a write into a slot that now holds a sticky is refused by
    :func:`plan_apply` itself, which only ever lists empty slots.
    """
    if not plan.writes:
        return []
    items = [_slot_sticky(result, write) for write in plan.writes]
    return await _create(client, result.harvest.board_id, items)


def existing_runoff(board: BoardHarvest) -> RegionRecord | None:
    """The runoff frame already on the board (the one the tally counts), if any."""
    counted = board.tally.runoff.region if board.tally.runoff is not None else None
    runoffs = [r for r in board.regions if r.role == "runoff"]
    return next((r for r in runoffs if r.key == counted), runoffs[-1] if runoffs else None)


@dataclass
class RunoffPlan:
    """The runoff frame and what goes in it."""

    title: str
    frame: NewItem
    children: list[NewItem]
    terms: list[str]
    dots_each: int


def plan_runoff(result: HarvestResult, terms: Sequence[str], *, dots_each: int = 1) -> RunoffPlan:
    """Lay out a runoff frame to the right of everything on the board (pure)."""
    items = result.snapshot.items
    right = max((i.x + i.width / 2 for i in items), default=0.0)
    top = min((f.top for f in result.location.frames.values()), default=None)
    if top is None:
        top = min((i.top for i in items), default=0.0)
    participants = [p.name for p in result.harvest.participants] or ["Everyone"]
    by_term = {t.term: t for t in result.harvest.tally.terms}
    texts = [display(by_term[t]) if t in by_term else t for t in terms]
    sticky_h = _STICKY_W * _STICKY_RATIO
    row_w = len(texts) * (_STICKY_W + _GAP) - _GAP
    dots_w = 260 + dots_each * (_DOT + 16)
    width = max(row_w, dots_w, 900) + 2 * _PAD
    heading_h = 60.0
    dot_row_h = _DOT + 24
    height = _PAD + heading_h + _GAP + sticky_h + _GAP + len(participants) * dot_row_h + _PAD
    left = right + _MARGIN
    frame = NewItem(
        type="frame",
        x=left + width / 2,
        y=top + height / 2,
        width=width,
        height=height,
        content=RUNOFF_TITLE,
    )
    children: list[NewItem] = []

    def child(kind: str, x: float, y: float, w: float, h: float, content: str = "") -> NewItem:
        return NewItem(kind, x, y, w, h, content, parent="", parent_left=left, parent_top=top)

    children.append(
        child(
            "text",
            left + width / 2,
            top + _PAD + heading_h / 2,
            width - 2 * _PAD,
            heading_h,
            f"Runoff: put your dot{'s' if dots_each > 1 else ''} on the adjective"
            f"{'s' if dots_each > 1 else ''} the group should keep",
        )
    )
    y_sticky = top + _PAD + heading_h + _GAP + sticky_h / 2
    for i, text in enumerate(texts):
        x = left + _PAD + _STICKY_W / 2 + i * (_STICKY_W + _GAP)
        children.append(child("sticky_note", x, y_sticky, _STICKY_W, sticky_h, text))
    y_dots = top + _PAD + heading_h + _GAP + sticky_h + _GAP
    for row, name in enumerate(participants):
        y = y_dots + row * dot_row_h + dot_row_h / 2
        children.append(child("text", left + _PAD + 110, y, 220, 30, name))
        for d in range(dots_each):
            x = left + _PAD + 260 + d * (_DOT + 16) + _DOT / 2
            children.append(child("shape", x, y, _DOT, _DOT))
    return RunoffPlan(
        title=RUNOFF_TITLE, frame=frame, children=children, terms=list(terms), dots_each=dots_each
    )


async def create_runoff(client: MiroClient, board_id: str, plan: RunoffPlan) -> list[str]:
    """Create the runoff frame, then its children inside it; ids of everything created."""
    from boardsmith.miro.models import FrameCreate, FrameDataChange, PositionChange, SizeGeometry

    frame = await client.frames.create(
        board_id,
        FrameCreate(
            data=FrameDataChange(title=plan.title),
            position=PositionChange(x=round(plan.frame.x, 2), y=round(plan.frame.y, 2)),
            geometry=SizeGeometry(
                width=round(plan.frame.width, 2), height=round(plan.frame.height, 2)
            ),
        ),
    )
    children = [
        NewItem(
            c.type,
            c.x,
            c.y,
            c.width,
            c.height,
            c.content,
            parent=frame.id,
            parent_left=c.parent_left,
            parent_top=c.parent_top,
        )
        for c in plan.children
    ]
    return [frame.id, *await _create(client, board_id, children)]
