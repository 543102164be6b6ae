"""Narrowing to the group's top terms, and what the two careful write-backs add.

* :func:`plan_apply` decides which chosen terms go into EMPTY top slots as new
  stickies. A slot the group already filled is never touched, nothing is moved or
  overwritten, terms tied across the cut-off are left for the group (or a runoff),
  and every disagreement between the group's slots and the tally is reported.
* :func:`plan_runoff` lays out the tied terms in a new runoff frame beside everything
  on the board, with fresh dots for each participant; :func:`existing_runoff` finds
  one already there, so a second is never created. Harvest reads the runoff back and
  the tally uses it to settle the tie (see :mod:`boardsmith.harvest.tally`), so a
  later ``narrow --apply`` writes the winner.
* :func:`decide` is ``boardsmith narrow``: every decision, as one result to write
  (the items are :class:`~boardsmith.templates.PlanItem` s, which
  :mod:`boardsmith.boards.add_items` creates) and to report.

Nothing here talks to a board.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from boardsmith.errors import UsageError
from boardsmith.harvest.api import HarvestResult
from boardsmith.harvest.constants import RUNOFF_TITLE
from boardsmith.harvest.model import BoardHarvest, RegionRecord, TallyRecord
from boardsmith.harvest.result import choose, display
from boardsmith.harvest.snapshot import SnapItem
from boardsmith.templates.escape import escape_text
from boardsmith.templates.plan import STICKY_RATIO, PlanItem

__all__ = [
    "RUNOFF_TITLE",
    "NarrowDecision",
    "NarrowPlan",
    "RunoffDecision",
    "RunoffPlan",
    "SlotItems",
    "SlotWrite",
    "decide",
    "existing_runoff",
    "plan_apply",
    "plan_runoff",
    "runoff_dots",
    "slot_items",
]

_STICKY_W = 199.0
_STICKY_RATIO = STICKY_RATIO["square"]
_DOT = 40.0
_DOT_COLOUR = "#f16c7f"
_MARGIN = 200.0
_PAD = 60.0
_GAP = 40.0
#: The key of a runoff frame among the items :func:`plan_runoff` lays out.
RUNOFF_KEY = "runoff"


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
class SlotItems:
    """A :class:`NarrowPlan` and the stickies of its writes, with the frames they go in.

    ``frames``: a parent key -> the frame's board id and the frame as a plan item
    (it is already on the board; children are placed relative to it).
    """

    plan: NarrowPlan
    items: tuple[PlanItem, ...]
    frames: Mapping[str, tuple[str, PlanItem]]


def _as_plan_item(key: str, frame: SnapItem) -> PlanItem:
    return PlanItem(
        key=key, type="frame", x=frame.x, y=frame.y, width=frame.width, height=frame.height
    )


def slot_items(result: HarvestResult, plan: NarrowPlan) -> SlotItems:
    """The new stickies ``plan`` writes, each centred in its empty slot (pure)."""
    items: list[PlanItem] = []
    frames: dict[str, tuple[str, PlanItem]] = {}
    for write in plan.writes:
        region = next(r for r in result.location.regions if r.key == write.region)
        bounds = region.bounds
        width = round(min(_STICKY_W, bounds.width * 0.8, bounds.height * 0.8 / _STICKY_RATIO), 2)
        frame = result.location.frames.get(region.frame or "")
        if frame is not None and region.frame is not None:
            frames[region.frame] = (frame.id, _as_plan_item(region.frame, frame))
        items.append(
            PlanItem(
                key=f"narrow/slot-{write.rank}",
                type="sticky_note",
                parent=region.frame if frame is not None else None,
                x=bounds.x,
                y=bounds.y,
                width=width,
                height=round(width * _STICKY_RATIO, 2),
                content=escape_text(write.text),
            )
        )
    return SlotItems(plan=plan, items=tuple(items), frames=frames)


def existing_runoff(board: BoardHarvest) -> RegionRecord | None:
    """The runoff frame already on the board (the one the tally counts), if any."""
    counted = board.tally.runoff.region if board.tally.runoff is not None else None
    runoffs = [r for r in board.regions if r.role == "runoff"]
    return next((r for r in runoffs if r.key == counted), runoffs[-1] if runoffs else None)


def runoff_dots(tally: TallyRecord) -> int:
    """Fresh dots per participant in a runoff: the top places the tie competes for
    (the cut-off less the terms clearly in), at least one."""
    clear = [t for t in tally.top if t not in tally.ties_at_cutoff]
    return max(1, tally.cutoff - len(clear))


@dataclass(frozen=True)
class RunoffPlan:
    """The runoff frame (first, key :data:`RUNOFF_KEY`) and what goes in it."""

    title: str
    items: tuple[PlanItem, ...]
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
    laid: list[PlanItem] = [
        PlanItem(
            key=RUNOFF_KEY,
            type="frame",
            x=left + width / 2,
            y=top + height / 2,
            width=width,
            height=height,
            content=escape_text(RUNOFF_TITLE),
        )
    ]

    def child(kind: str, x: float, y: float, w: float, h: float, content: str = "") -> None:
        look = {"fillColor": _DOT_COLOUR, "borderColor": _DOT_COLOUR} if kind == "shape" else {}
        laid.append(
            PlanItem.model_validate(
                {
                    "key": f"{RUNOFF_KEY}/{len(laid)}",
                    "type": kind,
                    "parent": RUNOFF_KEY,
                    "x": x,
                    "y": y,
                    "width": w,
                    "height": h,
                    "content": escape_text(content),
                    "shape": "circle" if kind == "shape" else None,
                    "style": look,
                }
            )
        )

    plural = "s" if dots_each > 1 else ""
    child(
        "text",
        left + width / 2,
        top + _PAD + heading_h / 2,
        width - 2 * _PAD,
        heading_h,
        f"Runoff: put your dot{plural} on the adjective{plural} the group should keep",
    )
    y_sticky = top + _PAD + heading_h + _GAP + sticky_h / 2
    for i, text in enumerate(texts):
        x = left + _PAD + _STICKY_W / 2 + i * (_STICKY_W + _GAP)
        child("sticky_note", x, y_sticky, _STICKY_W, sticky_h, text)
    y_dots = top + _PAD + heading_h + _GAP + sticky_h + _GAP
    for row, name in enumerate(participants):
        y = y_dots + row * dot_row_h + dot_row_h / 2
        child("text", left + _PAD + 110, y, 220, 30, name)
        for d in range(dots_each):
            child("shape", left + _PAD + 260 + d * (_DOT + 16) + _DOT / 2, y, _DOT, _DOT)
    return RunoffPlan(title=RUNOFF_TITLE, items=tuple(laid), terms=list(terms), dots_each=dots_each)


@dataclass(frozen=True)
class RunoffDecision:
    """What ``--runoff`` does: nothing (a runoff is already there, or nothing is tied
    at the cut-off), or lay out ``plan``."""

    existing: RegionRecord | None = None
    plan: RunoffPlan | None = None

    @property
    def needed(self) -> bool:
        """False when nothing is tied at the cut-off (and no runoff is there)."""
        return self.existing is not None or self.plan is not None


@dataclass(frozen=True)
class NarrowDecision:
    """Everything ``boardsmith narrow`` decided for one harvested board.

    ``apply`` is set with ``--apply``, ``runoff`` with ``--runoff``; both are None
    when nothing was picked (nothing to narrow).
    """

    result: HarvestResult
    apply: SlotItems | None = None
    runoff: RunoffDecision | None = None

    @property
    def empty(self) -> bool:
        """True when nobody picked anything yet."""
        return not self.result.harvest.tally.terms


def decide(result: HarvestResult, *, do_apply: bool, runoff: bool) -> NarrowDecision:
    """What ``narrow`` (with ``--apply`` and/or ``--runoff``) writes, decided (pure).

    ``--apply`` on a board without top slots is a :class:`UsageError`.
    """
    board = result.harvest
    record = board.tally
    if not record.terms:
        return NarrowDecision(result=result)
    slots = None
    if do_apply:
        if not board.top_slots:
            raise UsageError(
                f"--apply: board {board.board_id} has no top slots to write into "
                f"(template {board.template or 'unknown'})"
            )
        slots = slot_items(result, plan_apply(board, record))
    decision: RunoffDecision | None = None
    if runoff:
        existing = existing_runoff(board)
        if existing is not None:
            decision = RunoffDecision(existing=existing)
        elif record.ties_at_cutoff:
            layout = plan_runoff(result, record.ties_at_cutoff, dots_each=runoff_dots(record))
            decision = RunoffDecision(plan=layout)
        else:
            decision = RunoffDecision()
    return NarrowDecision(result=result, apply=slots, runoff=decision)
