"""Applying a Plan to a board: idempotent, resumable, safe for participants' work.

The order of work:

1. Read the board (unless boardsmith just created it) and the state file.
   Without state, find where the template already sits on the board (or
   place it beside existing content) and adopt matching template items:
   exactly placed, moved (by text) or edited (by kind and place); report
   those board items could be but none surely is. With state, also adopt
   plan items a killed run created but never recorded, and re-point entries
   whose ids are not on the board to their items found under other ids.
2. Diff the plan against state and board (:mod:`boardsmith.boards.diff`).
3. Create frames (one call each, concurrently), then everything else in bulk
   chunks of at most 20 grouped by parent (concurrently), then connectors,
   then PATCH the updates. State is saved after every successful call.
4. With ``prune``, delete the retired items (recorded, no longer in the
   plan) that are exactly as boardsmith left them, and forget them.
5. Read the whole board again and report extra copies of template items
   (another machine applied the same plan: :mod:`boardsmith.boards.verify`);
   with ``dedupe``, delete those that are boardsmith's own and untouched.

A create that fails ambiguously (it may have been applied) is reconciled by
reading the items of that parent and matching the chunk's items before only
the missing ones are sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from boardsmith.boards.constants import APPLY_CONCURRENCY, CHUNK_SIZE, MAX_AMBIGUOUS_ATTEMPTS
from boardsmith.boards.diff import (
    PRESENT_REASONS,
    BoardItem,
    Create,
    Diff,
    Leave,
    Retire,
    Update,
    diff,
)
from boardsmith.boards.placement import LaneSpot, arrange_lanes, beside
from boardsmith.boards.reconcile import (
    Unmatched,
    infer_placement,
    match_edited,
    match_items,
    match_moved,
    unmatched,
)
from boardsmith.boards.requests import (
    BULK_TYPES,
    Placement,
    connector_body,
    create_body,
    form_hash,
    item_text,
    look_changed,
    plan_look,
    sent_hash,
    text_hash,
    update_body,
)
from boardsmith.boards.state import BoardState, StateEntry, StateStore
from boardsmith.boards.verify import Duplicate, find_duplicates, removal_order
from boardsmith.errors import StateError, UsageError
from boardsmith.miro.errors import AmbiguousWriteError, NotFoundError
from boardsmith.templates.plan import Plan, PlanItem
from boardsmith.threads import in_thread

_T = TypeVar("_T")

Progress = Callable[[int, int], None]
"""Progress callback: ``(done, total)`` items."""


class BoardIO(Protocol):
    """The board operations apply needs (implemented over MiroClient in ``client_io``)."""

    async def read_board(self, board_id: str) -> dict[str, BoardItem]:
        """Every item and connector on the board, positions made absolute."""
        ...

    async def read_children(
        self, board_id: str, parent_id: str | None, types: Iterable[str]
    ) -> list[BoardItem]:
        """Items of these types directly on the canvas (``None``) or in a frame."""
        ...

    async def create_frame(self, board_id: str, body: Mapping[str, object]) -> str:
        """Create one frame; its id."""
        ...

    async def bulk_create(self, board_id: str, bodies: Sequence[Mapping[str, object]]) -> list[str]:
        """Create up to 20 items in one call; their ids in order."""
        ...

    async def create_connector(self, board_id: str, body: Mapping[str, object]) -> str:
        """Create one connector; its id."""
        ...

    async def update_item(
        self, board_id: str, item_type: str, item_id: str, body: Mapping[str, object]
    ) -> None:
        """PATCH one item through its typed endpoint."""
        ...

    async def delete_item(self, board_id: str, item_type: str, item_id: str) -> None:
        """Delete one item (or connector); raises NotFoundError when it is gone."""
        ...


@dataclass
class ApplyResult:
    """What a run did (or, for a dry run, would do) to a board."""

    board_id: str
    diff: Diff
    placement: Placement
    created: int = 0
    updated: int = 0
    adopted: int = 0
    reconciled: int = 0
    leaves: list[Leave] = field(default_factory=list)
    #: Plan keys created although board items could be the template item
    #: (its text elsewhere, or its kind or text in its place), none surely.
    ambiguous: list[str] = field(default_factory=list)
    #: The same items with their candidates and why each could be the item.
    unmatched: list[Unmatched] = field(default_factory=list)
    #: Recorded keys whose ids were not on the board, found under other ids.
    repointed: list[Repointed] = field(default_factory=list)
    #: Retired items deleted by ``--prune`` (and forgotten by the state).
    pruned: list[Retire] = field(default_factory=list)
    #: Whether this run pruned (``--prune``).
    prune: bool = False
    #: Lanes not where the template puts them: kept beside what they hold, or
    #: moved to a free place (:func:`~boardsmith.boards.placement.arrange_lanes`).
    lanes: list[LaneSpot] = field(default_factory=list)
    #: Extra copies of template items the closing verification read found.
    duplicates: list[Duplicate] = field(default_factory=list)
    #: Copies deleted by ``--dedupe`` (boardsmith's own, untouched).
    deduped: list[Duplicate] = field(default_factory=list)

    @property
    def duplicates_left(self) -> list[Duplicate]:
        """Copies still on the board after this run."""
        done = {d.item.id for d in self.deduped}
        return [d for d in self.duplicates if d.item.id not in done]

    @property
    def retired(self) -> list[Retire]:
        """Recorded items the template no longer has (see :class:`Retire`)."""
        return self.diff.retired

    @property
    def kept(self) -> list[Retire]:
        """Retired items still on the board after this run (not deleted by ``--prune``)."""
        done = {r.key for r in self.pruned}
        return [r for r in self.diff.retired if r.key not in done and r.reason != "deleted"]

    @property
    def unchanged(self) -> int:
        """Plan items left as they are (including ones participants moved or edited)."""
        return sum(1 for leave in self.leaves if leave.reason in PRESENT_REASONS)

    @property
    def kept_looks(self) -> list[tuple[PlanItem, str]]:
        """Items whose new template look was not applied, and why (a participant's look stays)."""
        kept: list[tuple[PlanItem, str]] = [
            (u.item, u.look_why) for u in self.diff.updates if u.kept_look and u.look_why
        ]
        kept += [
            (lv.item, lv.reason)
            for lv in self.leaves
            if lv.reason in ("look changed on the board", "look not recorded")
        ]
        return kept

    @property
    def skipped(self) -> list[Leave]:
        """Plan items not on the board because a participant deleted them (or their frame)."""
        return [leave for leave in self.leaves if leave.reason in ("deleted", "parent deleted")]


def new_state(
    *, backend: str, board_id: str, plan: Plan, placement: Placement | None = None
) -> BoardState:
    """Empty state for a board the plan is about to be applied to."""
    placement = placement or Placement()
    return BoardState(
        backend=backend,
        board_id=board_id,
        template=plan.template,
        template_version=str(plan.version),
        params=dict(plan.params),
        offset_x=placement.dx,
        offset_y=placement.dy,
    )


@dataclass(frozen=True)
class _Derived:
    """The parts of an item's state entry that depend on the plan item alone."""

    hash: str
    content_hash: str
    form_hash: str
    look: dict[str, str]


class _Run:
    """One apply run: the state, the IO, and bookkeeping shared by concurrent calls."""

    def __init__(
        self,
        io: BoardIO,
        store: StateStore,
        state: BoardState,
        plan: Plan,
        *,
        progress: Progress | None,
        total: int,
        concurrency: int,
    ) -> None:
        self.io = io
        self.store = store
        self.state = state
        self.plan = plan
        self.placement = Placement(state.offset_x, state.offset_y)
        self.progress = progress
        self.total = total
        self.done = 0
        self.created = 0
        self.reconciled = 0
        self.updated = 0
        self.gate = asyncio.Semaphore(concurrency)
        self.failed = False
        self._derived: dict[str, tuple[PlanItem, _Derived]] = {}

    # -- bookkeeping -----------------------------------------------------------

    def record(self, item: PlanItem, item_id: str, *, save: bool = True) -> None:
        x, y = self.placement.absolute(item)
        derived = self.derived(item)
        self.state.items[item.key] = StateEntry(
            item_id=item_id,
            type=item.type,
            hash=derived.hash,
            x=x,
            y=y,
            parent_key=item.parent,
            content_hash=derived.content_hash,
            form_hash=derived.form_hash,
            look=dict(derived.look),
        )
        if save:
            self.store.record(self.state, [item.key])

    def derived(self, item: PlanItem) -> _Derived:
        """What ``item``'s state entry records of the item itself (its hashes and look)."""
        found = self._derived.get(item.key)
        if found is not None and found[0] is item:
            return found[1]
        derived = _Derived(
            hash=sent_hash(item),
            content_hash=text_hash(item_text(item)),
            form_hash=form_hash(item),
            look=plan_look(item),
        )
        self._derived[item.key] = (item, derived)
        return derived

    def derive(self, items: Iterable[PlanItem]) -> None:
        """Work out :meth:`derived` for ``items`` now, while earlier calls are in flight,
        so recording their answers later does not (about 0.06 ms an item)."""
        for item in items:
            self.derived(item)

    def advance(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)

    def ids(self) -> dict[str, str]:
        return self.state.item_ids()

    def parent_of(self, item: PlanItem) -> PlanItem | None:
        return self.plan.by_key[item.parent] if item.parent else None

    async def guarded(self, work: Callable[[], Awaitable[None]]) -> None:
        # After the first hard failure no new call starts; calls in flight finish
        # and are recorded, so nothing sent is left unrecorded.
        async with self.gate:
            if self.failed:
                return
            try:
                await work()
            except BaseException:
                self.failed = True
                raise

    async def run_all(
        self,
        jobs: Sequence[Callable[[], Awaitable[None]]],
        *,
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Run ``jobs`` (at most ``concurrency`` at once), and ``meanwhile`` once they
        have sent their calls; the first error is raised once all have finished."""
        waiting = [self.guarded(job) for job in jobs]
        if meanwhile is not None:
            waiting.append(_after_sending(meanwhile))
        results = await asyncio.gather(*waiting, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            raise errors[0]

    # -- creating --------------------------------------------------------------

    async def create_frame(self, item: PlanItem) -> None:
        body = create_body(item, placement=self.placement)

        async def send(_items: Sequence[PlanItem]) -> list[str]:
            return [await self.io.create_frame(self.state.board_id, body)]

        await self._create([item], send)

    async def create_chunk(self, items: Sequence[PlanItem]) -> None:
        async def send(remaining: Sequence[PlanItem]) -> list[str]:
            bodies = [self._body(i) for i in remaining]
            return await self.io.bulk_create(self.state.board_id, bodies)

        await self._create(items, send)

    async def create_connector(self, item: PlanItem) -> None:
        body = connector_body(item, self.ids())

        async def send(_items: Sequence[PlanItem]) -> list[str]:
            return [await self.io.create_connector(self.state.board_id, body)]

        await self._create([item], send)

    async def _create(
        self,
        items: Sequence[PlanItem],
        send: Callable[[Sequence[PlanItem]], Awaitable[list[str]]],
    ) -> None:
        """Create ``items`` with one call; after an ambiguous failure, read the
        board, record what is there, and send only what is missing."""
        remaining = list(items)
        for attempt in range(1, MAX_AMBIGUOUS_ATTEMPTS + 1):
            try:
                ids = await send(remaining)
            except AmbiguousWriteError as exc:
                for index, created in sorted(exc.created.items()):
                    self.record(remaining[index], created.id)
                    self.created += 1
                    self.advance(1)
                sure = set(exc.created)
                remaining = [item for n, item in enumerate(remaining) if n not in sure]
                found = await self._reconcile(remaining)
                remaining = [item for item in remaining if item.key not in found]
                if not remaining:
                    return
                if attempt == MAX_AMBIGUOUS_ATTEMPTS:
                    raise
                continue
            if len(ids) != len(remaining):
                # Cannot map ids to keys; the next run adopts them by reading the board.
                raise StateError(
                    f"board {self.state.board_id}: Miro created {len(ids)} items "
                    f"for {len(remaining)} requested"
                )
            for item, item_id in zip(remaining, ids, strict=True):
                self.record(item, item_id, save=False)
            # Journalled in a thread: the append's fsync waits on the disk (1-5 ms on a
            # busy one), and the event loop meanwhile handles the other calls' answers.
            # The entries are durable once this returns, and before a Ctrl-C goes on.
            await in_thread(self.store.record, self.state, [i.key for i in remaining])
            self.created += len(remaining)
            self.advance(len(remaining))
            return

    def _body(self, item: PlanItem) -> dict[str, object]:
        parent = self.parent_of(item)
        parent_id = self.state.items[parent.key].item_id if parent is not None else None
        return create_body(item, placement=self.placement, parent=parent, parent_id=parent_id)

    async def _reconcile(self, items: Sequence[PlanItem]) -> set[str]:
        """Read the board where ``items`` would be and record those already there."""
        found: set[str] = set()
        groups: dict[str | None, list[PlanItem]] = {}
        known = self.ids()
        for item in items:
            parent_id = known.get(item.parent) if item.parent else None
            groups.setdefault(parent_id, []).append(item)
        for parent_id, group in groups.items():
            types = {item.type for item in group}
            on_board = await self.io.read_children(self.state.board_id, parent_id, types)
            # Read again after the await: concurrent chunks may have recorded items meanwhile.
            known = self.ids()
            taken = set(known.values())
            matched = match_items(
                group,
                on_board,
                placement=self.placement,
                plan=self.plan.by_key,
                ids=known,
                taken=taken,
            )
            for key, board_item in matched.items():
                self.record(self.plan.by_key[key], board_item.id)
                found.add(key)
        self.reconciled += len(found)
        self.created += len(found)
        self.advance(len(found))
        return found

    # -- updating --------------------------------------------------------------

    async def update(self, action: Update) -> None:
        item = action.item
        parent = self.parent_of(item)
        parent_id = self.ids().get(parent.key) if parent is not None else None
        body = update_body(
            item,
            placement=self.placement,
            parent=parent,
            parent_id=parent_id,
            content=action.content,
            position=action.position,
            style=action.style,
            look=not action.kept_look,
        )
        try:
            await self.io.update_item(self.state.board_id, item.type, action.entry.item_id, body)
        except NotFoundError:
            # Deleted by a participant since the board was read: leave it deleted.
            self.advance(1)
            return
        old = action.entry
        x, y = self.placement.absolute(item) if action.position else (old.x, old.y)
        # A look sent replaces the recorded one; a kept look (the participant's)
        # leaves form_hash/look as they were, so later runs still hold it back.
        looked = (action.content and not action.kept_look) or action.style
        self.state.items[item.key] = StateEntry(
            item_id=old.item_id,
            type=item.type,
            # After a style-only update the template's text is deliberately not
            # sent (the participant's words stay), so this version counts as applied.
            hash=sent_hash(item) if looked or action.content else old.hash,
            x=x,
            y=y,
            parent_key=item.parent if action.position else old.parent_key,
            content_hash=text_hash(item_text(item)) if action.content else old.content_hash,
            form_hash=form_hash(item) if looked else old.form_hash,
            look=plan_look(item) if looked else old.look,
        )
        self.store.record(self.state, [item.key])
        self.updated += 1
        self.advance(1)

    # -- pruning ---------------------------------------------------------------

    async def prune(self, retire: Retire) -> bool:
        """Delete one prunable retired item and forget it; False when it was already gone."""
        entry = retire.entry
        gone = False
        try:
            await self.io.delete_item(self.state.board_id, entry.type, entry.item_id)
        except NotFoundError:
            gone = True
        self.state.items.pop(retire.key, None)
        self.store.record(self.state, [retire.key])
        return not gone


def chunks_by_parent(items: Sequence[PlanItem], size: int = CHUNK_SIZE) -> list[list[PlanItem]]:
    """Bulk chunks of at most ``size`` items, grouped by parent.

    Items are ordered by parent (first appearance) and packed densely, so
    there are exactly ``ceil(len(items) / size)`` chunks; a chunk spans at
    most a couple of parents, which keeps reconciliation reads small.
    """
    order: dict[str | None, int] = {}
    for item in items:
        order.setdefault(item.parent, len(order))
    ordered = sorted(items, key=lambda i: order[i.parent])
    return [ordered[n : n + size] for n in range(0, len(ordered), size)]


@dataclass
class Adoption:
    """Plan items found on the board without their ids, and those that could not be told apart."""

    #: Plan key -> board item, matched exactly (type, text, size, parent, position).
    exact: dict[str, BoardItem] = field(default_factory=dict)
    #: Plan key -> board item a participant moved: the only unclaimed board
    #: item of that type and text (by the template items' creator when known).
    moved: dict[str, BoardItem] = field(default_factory=dict)
    #: Plan key -> board item whose text a participant edited where it stands:
    #: the only unclaimed item of its kind in its place (:func:`match_edited`).
    edited: dict[str, BoardItem] = field(default_factory=dict)
    #: Plan items board items could be, none of them surely: created anew, said so.
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def found(self) -> dict[str, BoardItem]:
        """Every adopted item."""
        return {**self.exact, **self.moved, **self.edited}

    @property
    def ambiguous(self) -> list[str]:
        """Keys of :attr:`unmatched`."""
        return [u.key for u in self.unmatched]


def adopt(
    plan: Plan,
    state: BoardState,
    board: Mapping[str, BoardItem],
) -> dict[str, BoardItem]:
    """Plan items not in ``state`` that are already on the board (see :func:`adopt_items`)."""
    return adopt_items(plan, state, board, moved=False).found


def _owner(found: Iterable[BoardItem]) -> str | None:
    # Whoever made most of the template items found is the token boardsmith writes with.
    creators = Counter(b.created_by for b in found if b.created_by)
    return creators.most_common(1)[0][0] if creators else None


def _find(
    plan: Plan,
    state: BoardState,
    board: Mapping[str, BoardItem],
    wanted: Sequence[PlanItem],
    *,
    loose: bool,
) -> Adoption:
    """Match ``wanted`` to board items no recorded key has (see :func:`adopt_items`)."""
    result = Adoption()
    if not wanted:
        return result
    recorded = {k: e.item_id for k, e in state.items.items() if e.item_id in board}
    placement = Placement(state.offset_x, state.offset_y)
    taken = set(recorded.values())

    def known() -> dict[str, str]:
        return {**recorded, **{k: b.id for k, b in result.found.items()}}

    def claimed() -> set[str]:
        return taken | {b.id for b in result.found.values()}

    def left() -> list[PlanItem]:
        return [item for item in wanted if item.key not in result.found]

    def exact(items: Sequence[PlanItem]) -> dict[str, BoardItem]:
        return match_items(
            items, board.values(), placement=placement, plan=plan.by_key, ids=known(),
            taken=claimed(),
        )  # fmt: skip

    result.exact = exact(wanted)
    if not loose:
        return result
    owner = _owner([*result.exact.values(), *(board[i] for i in recorded.values())])
    result.moved, _ = match_moved(left(), board.values(), taken=claimed(), creator=owner)
    # Each find can anchor more: a frame found lets its children match, two
    # items found let the connector between them match. Every round claims at
    # least one board item, so this ends.
    while True:
        again = exact(left())
        result.exact.update(again)
        edited = match_edited(
            left(), board.values(), placement=placement, plan=plan, ids=known(),
            taken=claimed(), creator=owner,
        )  # fmt: skip
        result.edited.update(edited)
        if not again and not edited:
            break
    result.unmatched = unmatched(
        left(), board.values(), placement=placement, plan=plan, ids=known(),
        taken=claimed(), creator=owner,
    )  # fmt: skip
    return result


def adopt_items(
    plan: Plan,
    state: BoardState,
    board: Mapping[str, BoardItem],
    *,
    moved: bool = True,
) -> Adoption:
    """Plan items not in ``state`` that are already on the board.

    First matched exactly where boardsmith puts them. With ``moved`` (the
    state file was lost), items still unmatched are then matched by type and
    text alone when exactly one unclaimed board item qualifies (a participant
    moved it), and by kind and place when exactly one unclaimed item of their
    kind sits where they go (a participant edited its text); each item found
    lets its children and connectors match in turn. Plan items left that
    board items could still be are listed in :attr:`Adoption.unmatched`.
    Only board items not recorded for another key are considered; recorded
    keys whose item is still on the board anchor their children and connectors.
    """
    unmapped = [item for item in plan.items if item.key not in state.items]
    return _find(plan, state, board, unmapped, loose=moved)


@dataclass(frozen=True)
class Repointed:
    """A recorded key whose item was not on the board under its recorded id, found under another."""

    key: str
    old_id: str
    new_id: str


def repoint(plan: Plan, state: BoardState, board: Mapping[str, BoardItem]) -> list[Repointed]:
    """Find the items of recorded plan keys whose recorded ids are not on the board.

    A stale or hand-edited state file may name an id the board does not have
    while the item is there under another one; ``--restore`` would then make
    a second. Such keys are matched like adoption without state (exact, moved,
    edited) against unrecorded board items, and their entries re-pointed in
    ``state``: everything else recorded (what was sent, where, the text) stays,
    so a moved or edited item is left as the participant has it.
    """
    stale = [
        item
        for item in plan.items
        if item.key in state.items and state.items[item.key].item_id not in board
    ]
    if not stale:
        return []
    found = _find(plan, state, board, stale, loose=True).found
    out: list[Repointed] = []
    for item in stale:
        if item.key not in found:
            continue
        old = state.items[item.key]
        state.items[item.key] = old.model_copy(update={"item_id": found[item.key].id})
        out.append(Repointed(item.key, old.item_id, found[item.key].id))
    return out


async def apply_plan(
    io: BoardIO,
    store: StateStore,
    *,
    backend: str,
    board_id: str,
    plan: Plan,
    fresh_board: bool = False,
    restore: bool = False,
    dry_run: bool = False,
    prune: bool = False,
    prune_only: Set[str] | None = None,
    dedupe: bool = False,
    progress: Progress | None = None,
    concurrency: int = APPLY_CONCURRENCY,
) -> ApplyResult:
    """Bring ``board_id`` up to date with ``plan``; see the module docstring.

    ``fresh_board`` says boardsmith has just created the (empty) board, so it
    need not be read. A dry run reads but changes neither board nor state.
    ``prune`` deletes the retired items that are unchanged since boardsmith
    wrote them (:attr:`~boardsmith.boards.diff.Retire.prunable`); ``dedupe``
    deletes boardsmith's own untouched copies of template items that the
    closing verification read finds; without them nothing is ever deleted.
    ``prune_only`` limits ``prune`` to these keys: those the user was shown and
    agreed to delete, so nothing that became prunable since is taken unasked.
    """
    state = _load_state(store, backend=backend, board_id=board_id, plan=plan)
    if fresh_board and state is None:
        survey = _Survey(plan, new_state(backend=backend, board_id=board_id, plan=plan))
    else:
        survey = await _survey(io, plan, state, backend=backend, board_id=board_id)
    plan, state = survey.plan, survey.state
    placement = Placement(state.offset_x, state.offset_y)
    _record_adopted(state, plan, survey.adoption.found, placement)
    if not dry_run:
        state.template_version = str(plan.version)
        state.params = dict(plan.params)
    changes = diff(plan, state, survey.board, placement=placement, restore=restore)
    result = _result(survey, changes, placement, prune=prune)
    if dry_run:
        return result
    store.save(state)
    total = len(changes.creates) + len(changes.updates)
    run = _Run(io, store, state, plan, progress=progress, total=total, concurrency=concurrency)
    if progress is not None:
        progress(0, total)
    await _execute(run, changes)
    result.created = run.created
    result.updated = run.updated
    result.reconciled = run.reconciled
    if prune:
        result.pruned = await _prune(run, changes.retired, only=prune_only)
    # No lock reaches another machine: look at what is really on the board. The read
    # is sent first, and the run's journal (durable already: one fsync per call) is
    # folded into the state file while it is on its way.
    reading = asyncio.ensure_future(io.read_board(board_id))
    try:
        await asyncio.sleep(0)  # lets the read send its first request
        store.save(state)
    except BaseException:
        reading.cancel()
        raise
    result.duplicates = find_duplicates(plan, state, await reading)
    if dedupe:
        result.deduped = await _dedupe(run, result.duplicates)
    return result


def _load_state(store: StateStore, *, backend: str, board_id: str, plan: Plan) -> BoardState | None:
    """The board's recorded state, refused when it was built from another template."""
    state = store.load(backend=backend, board_id=board_id)
    if state is not None and state.template != plan.template:
        raise UsageError(
            f"--board {board_id}: this board was built from template "
            f"'{state.template}', not '{plan.template}'"
        )
    return state


@dataclass
class _Survey:
    """What reading the board told apply before the diff."""

    #: The plan with its lanes arranged around what participants put in them.
    plan: Plan
    state: BoardState
    #: Every item on the board; ``None`` for a board boardsmith just created.
    board: dict[str, BoardItem] | None = None
    adoption: Adoption = field(default_factory=Adoption)
    repointed: list[Repointed] = field(default_factory=list)
    lanes: list[LaneSpot] = field(default_factory=list)


async def _survey(
    io: BoardIO, plan: Plan, state: BoardState | None, *, backend: str, board_id: str
) -> _Survey:
    """Read the board; place the template, arrange its lanes, find its items already there."""
    board = await io.read_board(board_id)
    # Only a lost state file calls for matching moved items: after a killed
    # run the unrecorded items sit exactly where they were sent.
    lost = state is None
    if state is None:
        placement = infer_placement(plan, board.values()) or beside(plan, board.values())
        state = new_state(backend=backend, board_id=board_id, plan=plan, placement=placement)
    # Lanes that hold participants' items stay where they are; everything
    # after this (adoption, diff, requests, state) uses the arranged plan.
    arranged = arrange_lanes(plan, state, board)
    plan = arranged.plan
    adoption = adopt_items(plan, state, board, moved=lost)
    # Before the diff, so --restore does not recreate an item still on the board.
    repointed = repoint(plan, state, board)
    return _Survey(plan, state, board, adoption, repointed, list(arranged.spots))


def _record_adopted(
    state: BoardState, plan: Plan, adopted: Mapping[str, BoardItem], placement: Placement
) -> None:
    """Record the adopted board items as if this run had created them."""
    for key, board_item in adopted.items():
        item = plan.by_key[key]
        x, y = placement.absolute(item)
        state.items[key] = StateEntry(
            item_id=board_item.id,
            type=item.type,
            hash=sent_hash(item),
            x=x,
            y=y,
            parent_key=item.parent,
            # The template's text, not the board's: an item adopted with a
            # participant's edit then reads as edited, and their words stay.
            content_hash=text_hash(item_text(item)),
            form_hash=form_hash(item),
            # Only a look that is the template's is known to be boardsmith's.
            look=(
                plan_look(item)
                if board_item.look is not None
                and not look_changed(plan_look(item), board_item.look)
                else None
            ),
        )


def _result(survey: _Survey, changes: Diff, placement: Placement, *, prune: bool) -> ApplyResult:
    """The result of a run before anything is sent: what a dry run reports."""
    adopted = survey.adoption.found
    unmatched = [u for u in survey.adoption.unmatched if u.key not in adopted]
    return ApplyResult(
        board_id=survey.state.board_id,
        diff=changes,
        placement=placement,
        adopted=len(adopted),
        leaves=list(changes.leaves),
        ambiguous=[u.key for u in unmatched],
        unmatched=unmatched,
        repointed=survey.repointed,
        prune=prune,
        lanes=survey.lanes,
    )


async def _dedupe(run: _Run, duplicates: Sequence[Duplicate]) -> list[Duplicate]:
    """Delete the removable copies (connectors, items, frames); those gone count too."""
    deleted: list[Duplicate] = []
    for batch in removal_order(duplicates):

        async def one(dup: Duplicate) -> None:
            # Gone already (someone removed it meanwhile): the board is as wanted.
            with contextlib.suppress(NotFoundError):
                await run.io.delete_item(run.state.board_id, dup.item.type, dup.item.id)
            deleted.append(dup)

        await run.run_all([_bind(one, d) for d in batch])
    return deleted


async def _prune(
    run: _Run, retired: Sequence[Retire], *, only: Set[str] | None = None
) -> list[Retire]:
    """Delete the prunable retired items: connectors, then items, then frames."""
    doomed = [r for r in retired if r.prunable and (only is None or r.key in only)]
    order = {"connector": 0, "frame": 2}
    deleted: list[Retire] = []
    for rank in (0, 1, 2):
        batch = [r for r in doomed if order.get(r.entry.type, 1) == rank]
        done: list[Retire] = []

        async def one(retire: Retire, done: list[Retire] = done) -> None:
            if await run.prune(retire):
                done.append(retire)

        await run.run_all([_bind(one, r) for r in batch])
        deleted += done
    gone = {r.key for r in retired if r.reason == "deleted"}
    if gone:
        # Deleted by participants and no longer in the template: nothing left to track.
        for key in gone:
            run.state.items.pop(key, None)
        run.store.record(run.state, gone)
    done_keys = {r.key for r in deleted}
    return [r for r in retired if r.key in done_keys]


async def _execute(run: _Run, changes: Diff) -> None:
    creates = [c.item for c in changes.creates]
    frames = [i for i in creates if i.type == "frame"]
    bulk = [i for i in creates if i.type in BULK_TYPES]
    connectors = [i for i in creates if i.type == "connector"]
    other = [i for i in creates if i.type not in BULK_TYPES | {"frame", "connector"}]
    if other:
        raise UsageError(f"template item {other[0].key}: type {other[0].type} cannot be created")
    # The bulk items' entries are worked out while the frames are being made.
    await run.run_all(
        [_bind(run.create_frame, f) for f in frames], meanwhile=lambda: run.derive(bulk)
    )
    await run.run_all([_bind(run.create_chunk, c) for c in chunks_by_parent(bulk)])
    await run.run_all([_bind(run.create_connector, c) for c in connectors])
    await run.run_all([_bind(run.update, u) for u in changes.updates])


async def _after_sending(work: Callable[[], None]) -> None:
    # gather starts its awaitables in order: the jobs before this one have each run to
    # their first wait (their call sent) by the time it runs.
    await asyncio.sleep(0)
    work()


def _bind(fn: Callable[[_T], Awaitable[None]], arg: _T) -> Callable[[], Awaitable[None]]:
    async def job() -> None:
        await fn(arg)

    return job


__all__ = [
    "CHUNK_SIZE",
    "Adoption",
    "ApplyResult",
    "BoardIO",
    "Create",
    "Duplicate",
    "Progress",
    "Repointed",
    "Unmatched",
    "adopt",
    "adopt_items",
    "apply_plan",
    "chunks_by_parent",
    "new_state",
    "repoint",
]
