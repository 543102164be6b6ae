"""The plan/apply diff: what to create, update or leave, as a pure function.

Input is the plan, the board's recorded state and (when the board was read)
what is on the board now. Participants own the board: an item they moved
keeps its place, an item they edited keeps their words, an item they deleted
stays deleted unless ``restore`` is asked for. Nothing that is not in the
state (i.e. that boardsmith did not create or adopt) ever appears in a diff.

Items recorded in the state whose keys the plan no longer has (a newer
template dropped them) are *retired*: reported, never deleted here. Whether
``apply --prune`` may delete one is decided here too, so ``plan`` can show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from boardsmith.boards.constants import POSITION_TOLERANCE
from boardsmith.boards.requests import (
    Placement,
    form_hash,
    item_text,
    look_changed,
    sent_hash,
    text_hash,
)
from boardsmith.boards.state import BoardState, StateEntry
from boardsmith.templates.geometry import bottom_edge, inside, left_edge, right_edge, top_edge
from boardsmith.templates.plan import Plan, PlanItem

LeaveReason = Literal[
    "unchanged",
    "moved",
    "edited",
    "deleted",
    "parent deleted",
    "look changed on the board",
    "look not recorded",
]

#: Leave reasons for items that are on the board (as opposed to deleted ones).
PRESENT_REASONS: frozenset[str] = frozenset(
    {"unchanged", "moved", "edited", "look changed on the board", "look not recorded"}
)


@dataclass(frozen=True)
class BoardItem:
    """An item as it is on the board, positions converted to absolute coordinates.

    ``text`` is normalised (see :func:`boardsmith.boards.requests.normalise_text`;
    frame titles via :func:`~boardsmith.boards.requests.plain_title`).
    Connectors carry their endpoint ids and no geometry. ``x``/``y`` are
    absolute; ``rel_x``/``rel_y`` are what Miro reported.
    """

    id: str
    type: str
    parent_id: str | None
    x: float
    y: float
    width: float | None = None
    height: float | None = None
    text: str = ""
    start_id: str | None = None
    end_id: str | None = None
    #: The position as Miro reports it (frame-relative for children).
    rel_x: float = 0.0
    rel_y: float = 0.0
    #: Id of the user who created the item, when Miro says.
    created_by: str | None = None
    #: Its look as the board shows it (:func:`~boardsmith.boards.requests.normalise_look`);
    #: ``None`` when not read.
    look: dict[str, str] | None = None

    # A connector has no size: its box is its point.
    @property
    def left(self) -> float:
        return left_edge(self.x, self.width or 0.0)

    @property
    def top(self) -> float:
        return top_edge(self.y, self.height or 0.0)

    @property
    def right(self) -> float:
        return right_edge(self.x, self.width or 0.0)

    @property
    def bottom(self) -> float:
        return bottom_edge(self.y, self.height or 0.0)

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies on this item (edges included)."""
        return inside(self.left, self.top, self.right, self.bottom, x, y)


@dataclass(frozen=True)
class Create:
    """Create ``item`` (``restore``: it existed and a participant deleted it)."""

    item: PlanItem
    restore: bool = False


@dataclass(frozen=True)
class Update:
    """PATCH an item boardsmith created: its content/style/geometry and/or its position.

    ``style`` alone (``content`` False) sends style, shape and geometry but not
    the text: a participant edited the text and keeps their words.
    ``kept_look`` (with ``content``) sends the text without the look: a
    participant restyled the item on the board (or the state does not say
    what was sent) and keeps that look; ``look_why`` is the leave reason.
    """

    item: PlanItem
    entry: StateEntry
    content: bool
    position: bool
    style: bool = False
    kept_look: bool = False
    look_why: LeaveReason | None = None


@dataclass(frozen=True)
class Leave:
    """Nothing to do for ``item``, and why."""

    item: PlanItem
    reason: LeaveReason


RetireReason = Literal[
    "unchanged",
    "moved",
    "edited",
    "deleted",
    "holds items",
    "covered",
    "connected",
    "part of a kept item",
    "not read",
]

#: Why a retired item is kept on the board, in words for the CLI.
RETIRE_WHY: dict[str, str] = {
    "unchanged": "unchanged since boardsmith wrote it",
    "moved": "moved by a participant, kept",
    "edited": "edited by a participant, kept",
    "deleted": "already deleted from the board",
    "holds items": "other items sit in it, kept",
    "covered": "other items sit on top of it, kept",
    "connected": "a connector boardsmith keeps is attached to it, kept",
    "part of a kept item": "belongs to a retired item that stays, kept with it",
    "not read": "board not read",
}


@dataclass(frozen=True)
class Retire:
    """A recorded item the plan no longer has (a newer template dropped it).

    It stays on the board and in the state; ``prunable`` says ``apply
    --prune`` may delete it (unchanged since boardsmith wrote it and nothing
    rests on it), ``reason`` says why or why not.
    """

    key: str
    entry: StateEntry
    reason: RetireReason
    #: How many items participants put in it (see :func:`participant_items`):
    #: a retired lane keeps what was placed in it, and says how much.
    holding: int = 0

    @property
    def prunable(self) -> bool:
        """Whether ``apply --prune`` deletes it."""
        return self.reason == "unchanged"


@dataclass
class Diff:
    """The actions that bring a board up to date with a plan, in plan order."""

    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    leaves: list[Leave] = field(default_factory=list)
    retired: list[Retire] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of items to create, update and leave (retired items: ``len(retired)``)."""
        return {
            "create": len(self.creates),
            "update": len(self.updates),
            "leave": len(self.leaves),
        }

    @property
    def empty(self) -> bool:
        """True when the board is already up to date."""
        return not self.creates and not self.updates


def same_position(ax: float, ay: float, bx: float, by: float) -> bool:
    """Whether two positions are equal within :data:`POSITION_TOLERANCE`."""
    return abs(ax - bx) <= POSITION_TOLERANCE and abs(ay - by) <= POSITION_TOLERANCE


def participant_items(state: BoardState, board: Mapping[str, BoardItem]) -> list[BoardItem]:
    """Items on the board that participants placed: their own, or template items they moved.

    Frames and connectors do not count (they hold or join things, they are not
    put anywhere). A template item still where boardsmith sent it is the
    board's furniture, not anyone's contribution.
    """
    entries = {e.item_id: e for e in state.items.values()}
    out: list[BoardItem] = []
    for item in board.values():
        if item.type in ("frame", "connector"):
            continue
        entry = entries.get(item.id)
        if entry is None or not same_position(item.x, item.y, entry.x, entry.y):
            out.append(item)
    return out


def items_inside(
    area: BoardItem,
    items: Iterable[BoardItem],
    state: BoardState,
    own: str,
) -> int:
    """How many of ``items`` have their centre on ``area`` (absolute coordinates).

    Items recorded under the key ``own`` or below it (``own/...``: a lane's
    name, dots, why box) are part of the area, not placed in it.
    """
    if area.width is None or area.height is None:
        return 0
    mine = {e.item_id for k, e in state.items.items() if k == own or k.startswith(own + "/")}
    return sum(
        1
        for item in items
        if item.id != area.id and item.id not in mine and area.contains(item.x, item.y)
    )


def diff(
    plan: Plan,
    state: BoardState,
    board: Mapping[str, BoardItem] | None,
    *,
    placement: Placement,
    restore: bool = False,
) -> Diff:
    """Compare ``plan`` with ``state`` and the ``board`` (item id -> item).

    ``board`` is ``None`` when the board was not read (a board boardsmith has
    just created): recorded items are then taken as present and untouched.
    """
    result = Diff()
    # Keys whose item exists on the board after this diff is applied.
    available: set[str] = set()
    for item in plan.items:
        entry = state.items.get(item.key)
        blocked = _blocked_by(item, available)
        if entry is None:
            if blocked:
                result.leaves.append(Leave(item, "parent deleted"))
            else:
                result.creates.append(Create(item))
                available.add(item.key)
            continue
        on_board = board.get(entry.item_id) if board is not None else None
        if board is not None and on_board is None:
            if restore and not blocked:
                result.creates.append(Create(item, restore=True))
                available.add(item.key)
            else:
                result.leaves.append(Leave(item, "deleted"))
            continue
        available.add(item.key)
        action = _compare(item, entry, on_board, placement)
        if isinstance(action, Update) and blocked:
            # The frame it belongs to is gone: a re-parent would fail; leave it.
            result.leaves.append(Leave(item, "parent deleted"))
        elif isinstance(action, Update):
            result.updates.append(action)
        else:
            result.leaves.append(action)
    result.retired = retired(plan, state, board)
    return result


def retired(plan: Plan, state: BoardState, board: Mapping[str, BoardItem] | None) -> list[Retire]:
    """Recorded items whose keys ``plan`` no longer has, and whether each may be pruned.

    An item may be pruned only when it is on the board where boardsmith put it
    with the text boardsmith wrote, no item boardsmith is not deleting sits in
    it (frames) or on it, and no connector that stays is attached to it.
    """
    gone = [key for key in state.items if key not in plan.by_key]
    if not gone:
        return []
    if board is None:
        return [Retire(key, state.items[key], "not read") for key in gone]
    reasons = {key: _as_left(state.items[key], board) for key in gone}
    _pin_what_stays(reasons, state, board)
    loose = participant_items(state, board)
    out: list[Retire] = []
    for key in gone:
        entry = state.items[key]
        found = board.get(entry.item_id)
        # Only areas hold things; a sticky under another is just covered.
        area = found is not None and found.type in ("shape", "frame")
        held = items_inside(found, loose, state, key) if found is not None and area else 0
        out.append(Retire(key, entry, reasons[key], holding=held))
    return out


def _as_left(entry: StateEntry, board: Mapping[str, BoardItem]) -> RetireReason:
    """Whether a retired item is as boardsmith left it, or what a participant did to it."""
    found = board.get(entry.item_id)
    if found is None:
        return "deleted"
    if entry.content_hash is not None and text_hash(found.text) != entry.content_hash:
        return "edited"
    if entry.type != "connector" and not same_position(found.x, found.y, entry.x, entry.y):
        return "moved"
    return "unchanged"


def _pin_what_stays(
    reasons: dict[str, RetireReason], state: BoardState, board: Mapping[str, BoardItem]
) -> None:
    """Keep the unchanged items that deleting would take something kept with.

    Keeping one item can pin another (a frame holding it, an item under a
    kept connector); repeat until nothing more changes.
    """
    changed = True
    while changed:
        changed = False
        doomed = {state.items[k].item_id for k, r in reasons.items() if r == "unchanged"}
        kept = [k for k, r in reasons.items() if r not in ("unchanged", "deleted")]
        for key, reason in reasons.items():
            if reason != "unchanged":
                continue
            why = _pinned(state.items[key], board, doomed)
            if why is None and any(key.startswith(k + "/") for k in kept):
                # A kept lane keeps its name, dots and why box: pruning them
                # would leave a nameless box holding someone's stickies.
                why = "part of a kept item"
            if why is not None:
                reasons[key] = why
                changed = True


def _pinned(
    entry: StateEntry, board: Mapping[str, BoardItem], doomed: set[str]
) -> RetireReason | None:
    """Why deleting ``entry``'s item would take something else with it, if it would."""
    me = board[entry.item_id]
    for other in board.values():
        if other.id in doomed:
            continue
        if other.type == "connector":
            if me.id in (other.start_id, other.end_id):
                return "connected"
            continue
        if me.type == "frame" and other.parent_id == me.id:
            return "holds items"
        # Positions are absolute, so whatever frame each is in, this is what
        # a participant sees lying on the item.
        if (
            me.type != "connector"
            and other.type != "frame"
            and me.width is not None
            and me.contains(other.x, other.y)
            and other.id != me.id
        ):
            return "covered"
    return None


def _form_pending(item: PlanItem, entry: StateEntry, content_changed: bool) -> bool:
    """Whether the template's look (style, shape, size) differs from what was last sent."""
    if entry.form_hash is not None:
        return form_hash(item) != entry.form_hash
    if not content_changed:
        return False
    # Older state files lack form_hash: the hash changed, so if the template's
    # text did not, the change must be to the look.
    return entry.content_hash is not None and text_hash(item_text(item)) == entry.content_hash


def _blocked_by(item: PlanItem, available: set[str]) -> bool:
    # A child needs its frame and a connector its endpoints on the board.
    needed = [item.parent] if item.parent else []
    if item.type == "connector":
        needed += [k for k in (item.start, item.end) if k]
    return any(key not in available for key in needed)


def _look_touched(entry: StateEntry, on_board: BoardItem | None) -> LeaveReason | None:
    """Why the item's look must stay as it is on the board, or ``None`` when it may change."""
    if on_board is None or on_board.look is None:
        # Not read (a board boardsmith just created): nobody touched it.
        return None
    if entry.look is None:
        # Older state or an adopted item: what boardsmith sent is unknown.
        return "look not recorded"
    if look_changed(entry.look, on_board.look):
        return "look changed on the board"
    return None


def _compare(
    item: PlanItem, entry: StateEntry, on_board: BoardItem | None, placement: Placement
) -> Update | Leave:
    content_changed = sent_hash(item) != entry.hash
    edited = (
        on_board is not None
        and entry.content_hash is not None
        and text_hash(on_board.text) != entry.content_hash
    )
    px, py = placement.absolute(item)
    position_changed = item.type != "connector" and (
        not same_position(px, py, entry.x, entry.y) or item.parent != entry.parent_key
    )
    moved = (
        on_board is not None
        and item.type != "connector"
        and not same_position(on_board.x, on_board.y, entry.x, entry.y)
    )
    form_pending = _form_pending(item, entry, content_changed)
    kept: LeaveReason | None = _look_touched(entry, on_board) if form_pending else None
    if kept is None:
        do_content = content_changed and not edited
        # The participant's words stay; a template change to the item's look still
        # applies (every type boardsmith creates can be restyled without its text).
        do_style = form_pending and edited and not do_content
        if not do_content and form_pending and not edited:
            # A look withheld earlier whose item a participant has since put back.
            do_style = True
    else:
        # The participant's look stays; only a changed text is still sent.
        text_pending = content_changed and (
            entry.content_hash is None or text_hash(item_text(item)) != entry.content_hash
        )
        do_content = text_pending and not edited
        do_style = False
    do_position = position_changed and not moved
    if do_content or do_position or do_style:
        return Update(
            item,
            entry,
            content=do_content,
            position=do_position,
            style=do_style and not do_content,
            kept_look=do_content and kept is not None,
            look_why=kept,
        )
    if kept is not None:
        return Leave(item, kept)
    if moved:
        return Leave(item, "moved")
    if edited:
        return Leave(item, "edited")
    return Leave(item, "unchanged")
