"""Harvesting boards end to end: read, locate the template, harvest, aggregate.

The library entry point is :func:`harvest_boards` (read and harvest boards through a
``MiroClient``); :func:`harvest_snapshot` harvests a board already read with
:func:`read_snapshot`. The document they return is a :class:`HarvestDocument`
(models in :mod:`boardsmith.harvest.model`, schema ``docs/schemas/harvest.schema.json``).

The CLI passes, per board, what the board's state knows (the recompiled ``plan`` and
the plan key → item id map); without state the template is recognised from the
board's frame titles (or named with ``template``) and located by geometry.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from boardsmith.errors import BoardsmithError
from boardsmith.harvest.collector import collector_paused
from boardsmith.harvest.history import BoardHistory, HistoryStore, Sighting
from boardsmith.harvest.preload import harvest_modules, preload_harvest, release_preload
from boardsmith.harvest.snapshot import Progress, Snapshot, read_snapshot
from boardsmith.harvest.warm import TextWarmer
from boardsmith.miro.errors import NotFoundError
from boardsmith.templates import Plan
from boardsmith.threads import in_thread

if TYPE_CHECKING:
    from boardsmith.harvest.memo import HarvestMemo
    from boardsmith.harvest.model import (
        BoardFailure,
        BoardHarvest,
        HarvestDocument,
        HarvestWarning,
        RollupRecord,
        TallyRecord,
    )
    from boardsmith.harvest.regions import Location
    from boardsmith.miro import MiroClient
    from boardsmith.templates import Template

__all__ = [
    "BoardHarvest",
    "BoardSource",
    "HarvestDocument",
    "HarvestResult",
    "HarvestWarning",
    "HistoryStore",
    "Progress",
    "Snapshot",
    "TallyRecord",
    "aggregate",
    "detect_template",
    "harvest_boards",
    "harvest_snapshot",
    "read_snapshot",
]

#: The document's models, importable from here too; their module (~30 pydantic models,
#: 40-60 ms to build) loads with the harvest's other modules during the read
#: (harvest.preload), not before the first request.
_MODELS = ("BoardHarvest", "HarvestDocument", "HarvestWarning", "TallyRecord")


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from boardsmith.harvest import model

        value = getattr(model, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_NO_PLAN = Plan(template="", title="", version=0, source_hash="", params={}, items=())


@dataclass(frozen=True)
class BoardSource:
    """One board to harvest, with what its local state knows (if anything)."""

    board_id: str
    plan: Plan | None = None
    item_ids: Mapping[str, str] | None = None
    #: The board's name in a collection (a school's), shown in every output.
    label: str | None = None


@dataclass(repr=False)
class HarvestResult:
    """A harvested board plus what write-back needs (the snapshot and the location)."""

    harvest: BoardHarvest
    snapshot: Snapshot
    location: Location
    plan: Plan
    #: What this read saw, for the board history.
    sightings: list[Sighting] = field(default_factory=list)

    def __repr__(self) -> str:
        # Kept short on purpose: asyncio (CPython 3.11, 3.12) builds the repr of the
        # finished task, result included, when ``asyncio.run`` restores the Ctrl-C
        # handler, and the full form of a 10,000-sticky board is many megabytes.
        return (
            f"HarvestResult(board_id={self.snapshot.board_id!r}, "
            f"items={len(self.snapshot.items)}, stickies={len(self.harvest.stickies)})"
        )


def detect_template(snapshot: Snapshot, candidates: Sequence[Template]) -> Template | None:
    """The template whose frame titles the board carries (most frames matched wins)."""
    titles = [f.content for f in snapshot.of_type("frame")]
    best: tuple[int, Template] | None = None
    harvest_modules()
    from boardsmith.harvest.regions import frame_title_patterns
    from boardsmith.harvest.text import clean

    cleaned = [clean(t).casefold() for t in titles]
    for template in candidates:
        patterns = frame_title_patterns(template)
        hits = sum(1 for p in patterns.values() if any(p.match(t) for t in cleaned))
        if hits and (best is None or hits > best[0]):
            best = (hits, template)
    return best[1] if best else None


def harvest_snapshot(
    snapshot: Snapshot,
    *,
    plan: Plan | None = None,
    item_ids: Mapping[str, str] | None = None,
    template: str | None = None,
    top: int | None = None,
    history: BoardHistory | None = None,
    memo: HarvestMemo | None = None,
) -> HarvestResult:
    """Harvest an already-read board (pure: no I/O beyond template files).

    ``top`` overrides the board's own number of top slots; ``history`` is what earlier
    reads of this board saw (see :class:`HistoryStore`). ``memo``, one per board, lets
    repeated harvests of the board (``watch``) reuse per-sticky work; the result is the
    same with or without it (:mod:`boardsmith.harvest.memo`).
    """
    harvest_modules()
    from boardsmith.harvest.board import harvest_board
    from boardsmith.harvest.regions import frame_title_patterns, locate
    from boardsmith.templates import builtin_templates, compile_plan, find_template

    patterns = None
    if plan is None:
        chosen = (
            find_template(template) if template else detect_template(snapshot, builtin_templates())
        )
        if chosen is not None:
            plan = compile_plan(chosen, {})
            patterns = frame_title_patterns(chosen)
        item_ids = None
    elif not item_ids:
        patterns = frame_title_patterns(find_template(plan.template))
    used = plan or _NO_PLAN
    location = locate(used, snapshot, item_ids, title_patterns=patterns)
    board, seen = harvest_board(snapshot, used, location, top=top, history=history, memo=memo)
    if plan is None:
        from boardsmith.harvest.model import HarvestWarning

        warning = HarvestWarning(
            code="template-unknown",
            message="no built-in template recognised on this board (no local state and no "
            "known frame title): every sticky is unplaced; name it with --template",
        )
        board = board.model_copy(
            update={
                "template": None,
                "template_version": None,
                "warnings": [warning, *board.warnings],
            }
        )
    return HarvestResult(
        harvest=board, snapshot=snapshot, location=location, plan=used, sightings=seen
    )


async def harvest_boards(
    client: MiroClient,
    sources: Sequence[BoardSource],
    *,
    template: str | None = None,
    top: int | None = None,
    progress: Progress | None = None,
    history: HistoryStore | None = None,
    backend: str = "miro",
    partial: bool = False,
    on_board: Callable[[int, int], None] | None = None,
) -> tuple[HarvestDocument, list[HarvestResult]]:
    """Read and harvest every board (concurrently); several boards get a roll-up (each
    group's choice first) and an aggregate (pooled picks).

    With a ``history`` store, each board's earlier reads inform attribution and this
    read is recorded (under ``backend``, which keeps emulator and Miro boards apart).
    With ``partial``, a board that fails with a :class:`BoardsmithError` (deleted, no
    access, not a board) is listed in ``document.failed`` and the others still report.
    ``on_board(done, total)`` is called as each board finishes.
    """
    # The harvest's modules, the lemmatizer and the English dictionary load while the
    # pages arrive (harvest.preload): held until the first requests are written.
    preload_harvest(held=True)
    finished = 0
    # Many boards: one unfiltered stream a board (fewest calls), and a bounded number of
    # boards read at once, so boards finish one after another, not all in the last
    # waves: each board's harvest then runs while the next boards' requests are in
    # flight, instead of 50 harvests after the last page with nothing in flight.
    one_stream = 2 * len(sources) > client.concurrency
    reading = asyncio.Semaphore(_boards_at_once(client.concurrency))

    async def one(source: BoardSource) -> HarvestResult:
        # One board: paused for the read as for the harvest, since what a read allocates
        # (the listing, the placed items) lives until the harvest ends and a collection
        # between two pages only holds up the next (~0.2 s over a 10,000-sticky read).
        # Many boards' reads overlap, so the collector would be off for the whole
        # roll-up and hold every request's cycles (+20 % peak memory at 50 boards).
        with collector_paused() if len(sources) == 1 else contextlib.nullcontext():
            return await _read_and_harvest(source)

    async def _read_and_harvest(source: BoardSource) -> HarvestResult:
        async with reading:
            snapshot, read_at, memory = await _read_one(
                client, source, history, backend, progress=progress, one_stream=one_stream
            )
        # On the loop, not in a thread: the harvest holds the GIL, and a loop waiting for
        # it at every wake-up (the switch interval) read more slowly than one that
        # harvests between its waits (measured in docs/benchmarks.md).
        result = _harvest_one(
            snapshot,
            source,
            read_at=read_at,
            template=template,
            top=top,
            history=history,
            memory=memory,
        )
        nonlocal finished
        finished += 1
        if on_board is not None:
            on_board(finished, len(sources))
        return result

    outcomes = await _all_of([asyncio.ensure_future(one(s)) for s in sources], partial)
    results, failed = _sorted_outcomes(sources, outcomes)
    boards = [r.harvest for r in results]
    rolled, pooled = across_boards(boards, top=top)
    from boardsmith.harvest.model import HarvestDocument

    document = HarvestDocument(boards=boards, aggregate=pooled, rollup=rolled, failed=failed)
    return document, results


async def _all_of(
    tasks: list[asyncio.Future[HarvestResult]], partial: bool
) -> list[HarvestResult | BaseException]:
    """The boards' outcomes (failures too, with ``partial``), once the preload held at
    the start is let go after their first requests."""
    try:
        # A dictionary's load held up the other boards' first requests; after them, it
        # fills the first round trip.
        for _ in range(_TURNS_TO_WRITE):
            await asyncio.sleep(0)
        release_preload()
        return await asyncio.gather(*tasks, return_exceptions=partial)
    finally:
        # On a failure the other boards stop too.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _read_one(
    client: MiroClient,
    source: BoardSource,
    history: HistoryStore | None,
    backend: str,
    *,
    progress: Progress | None,
    one_stream: bool,
) -> tuple[Snapshot, str, BoardHistory | None]:
    """Read one board, with the time the read ended; its history (if kept) loads on a
    thread while the pages are on their way."""
    loading = (
        asyncio.ensure_future(in_thread(history.load, backend=backend, board_id=source.board_id))
        if history is not None
        else None
    )
    try:
        snapshot = await read_snapshot(
            client,
            source.board_id,
            progress=progress,
            one_stream=one_stream,
            # A board or a few (a stream per type): the loop mostly waits on the
            # network and has time for the texts. A collection's is busy with the
            # boards read already.
            on_read=None if one_stream else TextWarmer(),
        )
    except BaseException:
        if loading is not None:
            loading.cancel()
        raise
    read_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return snapshot, read_at, await loading if loading is not None else None


def across_boards(
    boards: Sequence[BoardHarvest], *, top: int | None = None
) -> tuple[RollupRecord | None, TallyRecord | None]:
    """A document's roll-up and pooled picks for ``boards`` (both ``None`` for one board);
    the pooled picks are cut at ``top``, else at the first board's own top slots."""
    if len(boards) < 2:
        return None, None
    harvest_modules()
    from boardsmith.harvest.rollup import rollup

    cutoff = top if top is not None else boards[0].rules.top_n
    return rollup(boards), aggregate(boards, top=cutoff)


#: Turns of the loop a read takes to write its first request (its slot, the budget, a
#: connection): a few, with room to spare.
_TURNS_TO_WRITE = 10


def _boards_at_once(concurrency: int) -> int:
    # A board's pages are a chain (one request in flight at a time) plus its members and
    # name: half as many boards again as slots keeps every slot busy while a board
    # starts or is harvested, and no more, so boards finish one by one.
    return concurrency + (concurrency + 1) // 2


def _harvest_one(
    snapshot: Snapshot,
    source: BoardSource,
    *,
    read_at: str,
    template: str | None,
    top: int | None,
    history: HistoryStore | None,
    memory: BoardHistory | None,
) -> HarvestResult:
    """Harvest one read board with its loaded history ``memory``, and record this read
    in ``history``."""
    result = harvest_snapshot(
        snapshot,
        plan=source.plan,
        item_ids=source.item_ids,
        template=template,
        top=top,
        history=memory,
    )
    if history is not None and memory is not None:
        history.record(memory, result.sightings, read_at=read_at)
    if source.label:
        labelled = result.harvest.model_copy(update={"label": source.label})
        result = replace(result, harvest=labelled)
    return result


def _sorted_outcomes(
    sources: Sequence[BoardSource], outcomes: Sequence[HarvestResult | BaseException]
) -> tuple[list[HarvestResult], list[BoardFailure]]:
    """The harvested boards and the failed ones (a failure that is not a
    :class:`BoardsmithError` is raised)."""
    from boardsmith.harvest.model import BoardFailure

    results: list[HarvestResult] = []
    failed: list[BoardFailure] = []
    for source, outcome in zip(sources, outcomes, strict=True):
        if isinstance(outcome, HarvestResult):
            results.append(outcome)
        elif isinstance(outcome, BoardsmithError):
            reason = "no such board" if isinstance(outcome, NotFoundError) else str(outcome)
            failed.append(
                BoardFailure(
                    board_id=source.board_id, label=source.label or source.board_id, reason=reason
                )
            )
        else:
            raise outcome
    return results, failed


def aggregate(boards: Sequence[BoardHarvest], *, top: int = 5) -> TallyRecord:
    """One tally across boards: a participant is a (board, name) pair, terms merge
    across boards, the word bank order is the first board's then the others'.

    A board's runoff settles ties in that board's tally only: it is applied here when
    there is one board, never to a tie across several boards.
    """
    harvest_modules()
    from boardsmith.harvest.rollup import board_labels
    from boardsmith.harvest.tally import DotVote, Pick, RunoffBallot, tally
    from boardsmith.harvest.text import TermMerger

    many = len(boards) > 1
    participants: list[str] = []
    picks: list[Pick] = []
    votes: list[DotVote] = []
    bank: list[str] = []
    for board, label in zip(boards, board_labels(boards), strict=True):

        def _qualified(name: str, label: str = label) -> str:
            return f"{name} ({label})" if many else name

        participants += [_qualified(p.name) for p in board.participants]
        bank += [w for w in board.word_bank if w not in bank]
        for sticky in board.stickies:
            if sticky.pick and sticky.participant:
                who = _qualified(sticky.participant)
                picks += [Pick(who, item) for item in sticky.items]
        by_id = {s.id: s for s in board.stickies}
        for dot in board.dots:
            if not dot.counted or dot.sticky not in by_id:
                continue
            owner = _qualified(dot.owner) if dot.owner else None
            votes += [DotVote(owner, item) for item in by_id[dot.sticky].items]
    runoff = boards[0].tally.runoff if len(boards) == 1 else None
    ballot = RunoffBallot(runoff.region, runoff.votes) if runoff is not None else None
    merger = TermMerger.for_board(bank, [*(p.item for p in picks), *(v.item for v in votes)])
    return tally(
        picks,
        votes,
        participants=participants,
        word_bank=bank,
        top=top,
        runoff=ballot,
        merger=merger,
    )
