"""The live view of a board during the workshop (``boardsmith watch``), as data.

``watch`` is a loop over the same read -> regions -> tally path as ``harvest``. This
module holds what that loop decides, free of I/O and of real time so it can be
tested exactly:

* :class:`WatchState` -- each participant's progress against the protocol (picks
  within the template's range, a "why" written, notes per prompt), the live tally
  with any tie at the cut-off, the top slots filled and the prompts still empty,
  built from one :class:`~boardsmith.harvest.model.BoardHarvest`;
* :func:`diff_states` -- what changed between two refreshes, as :class:`WatchEvent`
  values (the NDJSON events of ``watch --json``, schema in :data:`EVENT_TYPES`);
* :func:`refresh_cost`, :func:`choose_interval` -- the refresh interval from the
  board's size and the credit budget;
* :func:`retry_delay` -- the backoff after a failed refresh;
* :func:`watch_loop` -- the loop itself, with the read, the clock and the sleep
  injected, and a stop event or a maximum number of refreshes.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from boardsmith.harvest.model import BoardHarvest, TallyRecord
from boardsmith.harvest.result import spellings
from boardsmith.miro.constants import DEFAULT_PAGE_SIZE
from boardsmith.miro.errors import MiroError, RateLimitError, ServerError, TransportError
from boardsmith.miro.ratelimit import LEVEL_CREDITS, OPERATION_LEVELS

__all__ = [
    "DEFAULT_SHARE",
    "EVENT_SCHEMA",
    "EVENT_TYPES",
    "MAX_BACKOFF",
    "MIN_INTERVAL",
    "IntervalChoice",
    "ParticipantProgress",
    "PromptProgress",
    "Refreshed",
    "SlotProgress",
    "Status",
    "TermCount",
    "WatchEvent",
    "WatchState",
    "WatchSummary",
    "WatchView",
    "choose_interval",
    "diff_states",
    "is_transient",
    "refresh_cost",
    "retry_delay",
    "watch_loop",
]

#: The ``schema`` field of every ``watch --json`` event.
EVENT_SCHEMA = "boardsmith.watch/1"
#: Share of the credit budget ``watch`` uses by default: the rest stays for the
#: facilitator's other commands and the participants' own Miro clients are not ours.
DEFAULT_SHARE = 0.25
#: Fastest refresh: a room does not read faster, and a tiny board should not spin.
MIN_INTERVAL = 2.0
#: Longest wait between retries of a failing refresh.
MAX_BACKOFF = 60.0
#: Items per ``GET /items`` page (the most Miro allows).
PAGE_SIZE = DEFAULT_PAGE_SIZE
#: Item types one refresh reads, one cursor stream each (as ``harvest``).
READ_TYPES: tuple[str, ...] = ("frame", "sticky_note", "shape", "text", "card")

#: Every event type and the fields it carries beside the common ones
#: (``schema``, ``event``, ``refresh``, ``at``, ``board_id``).
EVENT_TYPES: Mapping[str, tuple[str, ...]] = {
    "watch-started": ("interval", "interval_reason", "participants", "terms", "ties", "filled"),
    "participant-done": ("participant", "picks", "why"),
    "participant-not-done": ("participant", "picks", "status"),
    "new-term": ("term", "picks", "dots"),
    "tie-changed": ("ties", "previous", "cutoff"),
    "slot-filled": ("slot", "texts"),
    "prompt-first-note": ("prompt", "participant"),
    "interval-changed": ("interval", "interval_reason"),
    "refresh-failed": ("error", "retry_in", "stale_for"),
    "refresh-recovered": ("stale_for",),
    "watch-ended": ("refreshes", "failed", "elapsed", "credits", "done", "participants"),
}

Status = Literal["not-started", "picking", "done", "too-many"]


@dataclass(frozen=True)
class ParticipantProgress:
    """One participant against the protocol: their picks, the why, notes per prompt."""

    name: str
    picks: tuple[str, ...]
    status: Status
    why: bool
    #: Notes this participant wrote under each prompt (prompts with none left out).
    notes: Mapping[str, int] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        """Picks within the template's range."""
        return self.status == "done"


@dataclass(frozen=True)
class TermCount:
    """One term of the live tally."""

    term: str
    picks: int
    dots: int


@dataclass(frozen=True)
class SlotProgress:
    """One of the group's top slots and what it holds."""

    rank: int
    texts: tuple[str, ...]


@dataclass(frozen=True)
class PromptProgress:
    """One prompt and how many notes are under it."""

    prompt: str
    notes: int
    first_by: str | None = None


@dataclass(frozen=True)
class WatchState:
    """What one refresh saw, as the facilitator needs it."""

    board_id: str
    board_name: str | None
    template: str | None
    picks_min: int | None
    picks_max: int | None
    participants: tuple[ParticipantProgress, ...]
    terms: tuple[TermCount, ...]
    top: tuple[str, ...]
    ties_at_cutoff: tuple[str, ...]
    cutoff: int
    slots: tuple[SlotProgress, ...]
    prompts: tuple[PromptProgress, ...]
    item_count: int
    #: Items per type, for the refresh's credit cost.
    counts: Mapping[str, int] = field(default_factory=dict, compare=False)
    #: Each term as the report spells it (:func:`~boardsmith.harvest.result.spellings`);
    #: not compared, so a new most common spelling is no change of the board.
    spelling: Mapping[str, str] = field(default_factory=dict, compare=False)
    #: The runoff's votes as they come in, once ``narrow --runoff`` has put one on the
    #: board (:func:`runoff_line`).
    runoff: str | None = None

    @classmethod
    def from_harvest(
        cls, board: BoardHarvest, counts: Mapping[str, int] | None = None
    ) -> WatchState:
        """The progress model of one harvested board."""
        low, high = board.rules.picks_min, board.rules.picks_max
        notes: dict[str, dict[str, int]] = {}
        prompts = []
        for prompt in board.notes:
            for n in prompt.notes:
                if n.participant:
                    per = notes.setdefault(n.participant, {})
                    per[prompt.prompt] = per.get(prompt.prompt, 0) + 1
            first = prompt.notes[0].participant if prompt.notes else None
            prompts.append(PromptProgress(prompt.prompt, len(prompt.notes), first))
        people = tuple(
            ParticipantProgress(
                name=p.name,
                picks=tuple(p.picks),
                status=status_of(len(p.picks), low, high),
                why=any(w.strip() for w in p.why),
                notes=notes.get(p.name, {}),
            )
            for p in board.participants
        )
        tally = board.tally
        spelling = spellings(tally)
        return cls(
            board_id=board.board_id,
            board_name=board.board_name,
            template=board.template,
            picks_min=low,
            picks_max=high,
            participants=people,
            terms=tuple(TermCount(t.term, t.picks, t.dots) for t in tally.terms),
            top=tuple(tally.top),
            ties_at_cutoff=tuple(tally.ties_at_cutoff),
            cutoff=tally.cutoff,
            slots=tuple(SlotProgress(s.rank, tuple(s.texts)) for s in board.top_slots),
            prompts=tuple(prompts),
            item_count=board.item_count,
            counts=dict(counts or {}),
            spelling=spelling,
            runoff=runoff_line(tally, spelling),
        )

    @property
    def filled(self) -> int:
        """Top slots holding something."""
        return sum(1 for s in self.slots if s.texts)

    @property
    def done(self) -> int:
        """Participants whose picks are within the range."""
        return sum(1 for p in self.participants if p.done)

    @property
    def empty_prompts(self) -> tuple[str, ...]:
        """Prompts nobody has written under yet."""
        return tuple(p.prompt for p in self.prompts if not p.notes)

    @property
    def picks_range(self) -> str | None:
        """The protocol's range as people say it: ``3-4``, ``3``, ``at least 3``."""
        low, high = self.picks_min, self.picks_max
        if low is None and high is None:
            return None
        if low is not None and high is not None:
            return str(low) if low == high else f"{low}-{high}"
        return f"at least {low}" if low is not None else f"at most {high}"

    def spelled(self) -> WatchState:
        """The same state for people to read: every term (and a slot text that is one)
        spelled as the report spells it, "Equitable" for the tally's "equitable"."""
        return self.renamed(lambda name: name, lambda text: self.spelling.get(text, text))

    def renamed(self, rename: Callable[[str], str], text: Callable[[str], str]) -> WatchState:
        """The same state with every participant's name passed through ``rename`` and
        every board text (picks, terms, slots) through ``text`` (``--anonymise``: the
        pseudonyms of :class:`~boardsmith.harvest.anonymise.Pseudonyms`)."""
        return replace(
            self,
            participants=tuple(
                replace(p, name=rename(p.name), picks=tuple(text(t) for t in p.picks))
                for p in self.participants
            ),
            terms=tuple(replace(t, term=text(t.term)) for t in self.terms),
            top=tuple(text(t) for t in self.top),
            ties_at_cutoff=tuple(text(t) for t in self.ties_at_cutoff),
            slots=tuple(replace(s, texts=tuple(text(t) for t in s.texts)) for s in self.slots),
            runoff=text(self.runoff) if self.runoff is not None else None,
            prompts=tuple(
                replace(p, first_by=rename(p.first_by) if p.first_by else None)
                for p in self.prompts
            ),
        )


#: What a runoff's outcome means for the room, after its votes.
_RUNOFF_OUTCOMES = {
    "settled": "the tie is settled",
    "tied": "still tied",
    "no-votes": "no votes yet",
    "stale": "not used: the tie has changed since",
    "no-tie": "not needed: nothing is tied any more",
}


def runoff_line(tally: TallyRecord, spelling: Mapping[str, str]) -> str | None:
    """The runoff's votes for a live view, most first, each term as ``spelling`` (the
    tally's :func:`~boardsmith.harvest.result.spellings`) has it: "runoff votes: Caring
    4, Curious 2, Bold 0 (the tie is settled)"; ``None`` when the board has no runoff."""
    runoff = tally.runoff
    if runoff is None:
        return None
    ranked = sorted(runoff.terms, key=lambda t: -runoff.votes.get(t, 0))
    votes = ", ".join(f"{spelling.get(t, t)} {runoff.votes.get(t, 0)}" for t in ranked)
    return f"runoff votes: {votes} ({_RUNOFF_OUTCOMES[runoff.outcome]})"


def status_of(count: int, low: int | None, high: int | None) -> Status:
    """Where ``count`` picks stand against the range ``low``-``high`` (either may be open).

    Without a minimum one pick is enough to be done: the protocol asks for picks.
    """
    if count == 0:
        return "not-started"
    if high is not None and count > high:
        return "too-many"
    if low is not None and count < low:
        return "picking"
    return "done"


# -- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchEvent:
    """One change between two refreshes; :meth:`to_json` is its NDJSON line's object."""

    event: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self, *, refresh: int, at: str, board_id: str) -> dict[str, Any]:
        """The event with the common fields, in a stable key order."""
        return {
            "schema": EVENT_SCHEMA,
            "event": self.event,
            "refresh": refresh,
            "at": at,
            "board_id": board_id,
            **self.data,
        }


def diff_states(old: WatchState, new: WatchState) -> list[WatchEvent]:
    """What changed from ``old`` to ``new``, in a fixed order: participants (board
    order), new terms (tally order), the tie, slots (rank order), prompts (board order)."""
    return [
        *_participant_events(old, new),
        *_term_events(old, new),
        *_tie_events(old, new),
        *_slot_events(old, new),
        *_prompt_events(old, new),
    ]


def _participant_events(old: WatchState, new: WatchState) -> list[WatchEvent]:
    """Who got done, and who is no longer done (a pick taken back)."""
    events: list[WatchEvent] = []
    before = {p.name: p for p in old.participants}
    for person in new.participants:
        was = before.get(person.name)
        if person.done and (was is None or not was.done):
            events.append(
                WatchEvent(
                    "participant-done",
                    {"participant": person.name, "picks": list(person.picks), "why": person.why},
                )
            )
        elif was is not None and was.done and not person.done:
            events.append(
                WatchEvent(
                    "participant-not-done",
                    {
                        "participant": person.name,
                        "picks": list(person.picks),
                        "status": person.status,
                    },
                )
            )
    return events


def _term_events(old: WatchState, new: WatchState) -> list[WatchEvent]:
    known = {t.term for t in old.terms}
    return [
        WatchEvent("new-term", {"term": term.term, "picks": term.picks, "dots": term.dots})
        for term in new.terms
        if term.term not in known
    ]


def _tie_events(old: WatchState, new: WatchState) -> list[WatchEvent]:
    if new.ties_at_cutoff == old.ties_at_cutoff:
        return []
    return [
        WatchEvent(
            "tie-changed",
            {
                "ties": list(new.ties_at_cutoff),
                "previous": list(old.ties_at_cutoff),
                "cutoff": new.cutoff,
            },
        )
    ]


def _slot_events(old: WatchState, new: WatchState) -> list[WatchEvent]:
    """Top slots that got their first sticky."""
    filled = {s.rank: bool(s.texts) for s in old.slots}
    return [
        WatchEvent("slot-filled", {"slot": slot.rank, "texts": list(slot.texts)})
        for slot in new.slots
        if slot.texts and not filled.get(slot.rank, False)
    ]


def _prompt_events(old: WatchState, new: WatchState) -> list[WatchEvent]:
    """Prompts that got their first note."""
    noted = {p.prompt: bool(p.notes) for p in old.prompts}
    return [
        WatchEvent("prompt-first-note", {"prompt": prompt.prompt, "participant": prompt.first_by})
        for prompt in new.prompts
        if prompt.notes and not noted.get(prompt.prompt, False)
    ]


def started_event(state: WatchState, interval: IntervalChoice) -> WatchEvent:
    """The first event: the interval and where the board stands when watching starts."""
    return WatchEvent(
        "watch-started",
        {
            "interval": interval.seconds,
            "interval_reason": interval.reason,
            "participants": [
                {"participant": p.name, "picks": len(p.picks), "status": p.status}
                for p in state.participants
            ],
            "terms": len(state.terms),
            "ties": list(state.ties_at_cutoff),
            "filled": state.filled,
        },
    )


# -- interval ----------------------------------------------------------------------------


def refresh_cost(counts: Mapping[str, int], *, members: int = 0) -> int:
    """Credits one refresh costs: per item type one cursor stream of
    ``ceil(items / 50)`` list pages (at least one, and one more when the last page is
    full, since only an empty cursor ends the stream), plus the board and its members.

    ``members`` beyond 100 cost one more members page each 100 (Miro's page size).
    """
    page = LEVEL_CREDITS[OPERATION_LEVELS["items.list"]]
    pages = sum(counts.get(kind, 0) // PAGE_SIZE + 1 for kind in READ_TYPES)
    member_pages = members // 100 + 1
    return (
        pages * page
        + member_pages * LEVEL_CREDITS[OPERATION_LEVELS["members.list"]]
        + LEVEL_CREDITS[OPERATION_LEVELS["boards.get"]]
    )


@dataclass(frozen=True)
class IntervalChoice:
    """The refresh interval and, in words, why (said to the user at start)."""

    seconds: float
    reason: str
    #: Credits a minute this interval spends, and the budget they come out of.
    credits_per_minute: float
    budget: int
    #: ``--interval`` was raised to stay within the budget.
    clamped: bool = False


def choose_interval(
    cost: int,
    budget: int,
    *,
    requested: float | None = None,
    share: float = DEFAULT_SHARE,
    minimum: float = MIN_INTERVAL,
) -> IntervalChoice:
    """The refresh interval for a refresh costing ``cost`` credits under a budget of
    ``budget`` credits a minute.

    By default the fastest interval (at least ``minimum``) that spends at most
    ``share`` of the budget. A ``requested`` interval is kept unless it would spend
    more than the whole budget; then it is raised to the interval that fits.
    """

    def per_minute(seconds: float) -> float:
        return cost * 60.0 / seconds

    if requested is not None:
        floor = cost * 60.0 / budget
        if requested + 1e-9 < floor:
            seconds = _round_up(floor)
            return IntervalChoice(
                seconds,
                f"--interval {_fmt(requested)} would spend {per_minute(requested):,.0f} "
                f"credits a minute, more than the budget of {budget:,}; using {_fmt(seconds)} s",
                per_minute(seconds),
                budget,
                clamped=True,
            )
        return IntervalChoice(
            requested,
            f"every {_fmt(requested)} s (--interval): {per_minute(requested):,.0f} credits a "
            f"minute of {budget:,}",
            per_minute(requested),
            budget,
        )
    fit = cost * 60.0 / (budget * share)
    seconds = max(minimum, _round_up(fit))
    why = (
        f"{share:.0%} of the budget of {budget:,} credits a minute"
        if seconds > minimum
        else f"the fastest refresh; {per_minute(seconds):,.0f} credits a minute of {budget:,}"
    )
    return IntervalChoice(
        seconds,
        f"every {_fmt(seconds)} s: a refresh costs {cost:,} credits, {why}",
        per_minute(seconds),
        budget,
    )


def _round_up(seconds: float) -> float:
    # Tenths of a second: precise enough, and the interval reads well.
    return math.ceil(seconds * 10 - 1e-9) / 10


def _fmt(seconds: float) -> str:
    return f"{seconds:g}"


def retry_delay(
    failures: int, interval: float, *, retry_at: float | None = None, now: float = 0.0
) -> float:
    """Seconds before retrying after ``failures`` failed refreshes in a row: one
    interval, then doubling up to :data:`MAX_BACKOFF`; never before a 429's
    ``retry_at`` (UNIX seconds)."""
    delay = min(MAX_BACKOFF, max(interval, MIN_INTERVAL) * 2.0 ** max(0, failures - 1))
    if retry_at is not None:
        delay = max(delay, retry_at - now)
    return delay


def is_transient(exc: BaseException) -> bool:
    """A refresh failure worth retrying: a 429, a 5xx or the network."""
    return isinstance(exc, RateLimitError | ServerError | TransportError)


# -- the loop ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refreshed:
    """What one successful refresh returns to the loop."""

    state: WatchState
    #: Credits the refresh cost (as the client charged them).
    credits: int
    #: True when the board had not changed since the previous refresh.
    unchanged: bool = False


@dataclass(frozen=True)
class WatchView:
    """What the screen shows after a refresh (good or failed)."""

    state: WatchState
    refresh: int
    elapsed: float
    interval: IntervalChoice
    #: Credits a minute spent since watching started.
    spend_rate: float
    #: Set while the last refresh failed: why, since when (seconds) and the next try.
    error: str | None = None
    stale_for: float | None = None
    retry_in: float | None = None

    @property
    def stale(self) -> bool:
        """The state shown is older than the last refresh attempt."""
        return self.error is not None


@dataclass
class WatchSummary:
    """How the watch went, kept up to date as it runs (so Ctrl-C can still report)."""

    refreshes: int = 0
    failed: int = 0
    credits: int = 0
    elapsed: float = 0.0
    last: WatchState | None = None
    events: int = 0
    #: When the first refresh ended and the credits spent by then: the spend rate is
    #: measured from there, so the first read does not count as a minute's worth.
    rate_from: float = 0.0
    rate_base: int = 0

    def line(self) -> str:
        """The one-line summary printed when watching ends."""
        done = ""
        if self.last is not None:
            people = len(self.last.participants)
            done = (
                f"; {self.last.done} of {people} participants done, "
                f"{len(self.last.terms)} terms, {self.last.filled} of "
                f"{len(self.last.slots)} top slots filled"
            )
        failed = f" ({self.failed} failed)" if self.failed else ""
        return (
            f"watched {_duration(self.elapsed)}: {self.refreshes} refreshes{failed}, "
            f"{self.credits:,} credits{done}"
        )

    def ended_event(self) -> WatchEvent:
        """The last NDJSON event."""
        last = self.last
        return WatchEvent(
            "watch-ended",
            {
                "refreshes": self.refreshes,
                "failed": self.failed,
                "elapsed": round(self.elapsed, 3),
                "credits": self.credits,
                "done": last.done if last else 0,
                "participants": len(last.participants) if last else 0,
            },
        )


def _duration(seconds: float) -> str:
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


#: Called after every refresh with the view to show and the events of the change.
OnUpdate = Callable[[WatchView, Sequence[WatchEvent]], None]


@dataclass
class _Pace:
    """What the loop carries from one refresh to the next."""

    state: WatchState
    choice: IntervalChoice
    #: When the last good refresh ended.
    good_at: float
    #: Failed refreshes in a row, and the wait before the next attempt.
    failures: int = 0
    wait: float = 0.0


async def watch_loop(
    refresh: Callable[[], Awaitable[Refreshed]],
    *,
    budget: int,
    on_update: OnUpdate,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
    interval: float | None = None,
    max_refreshes: int | None = None,
    stop: asyncio.Event | None = None,
    summary: WatchSummary | None = None,
) -> WatchSummary:
    """Refresh until ``stop`` is set or ``max_refreshes`` attempts were made.

    The first refresh must succeed (a board that cannot be read is an error, raised);
    afterwards a transient failure (:func:`is_transient`) keeps the last good state on
    screen, marked stale with its age, and is retried after :func:`retry_delay`. Any
    other error is raised. ``clock`` is UNIX seconds (a 429 says when to retry in
    them). The interval is chosen after every good refresh from its
    cost (the board may grow); a change is reported as an ``interval-changed`` event.
    """
    summary = summary if summary is not None else WatchSummary()
    start = clock()
    first = await refresh()
    summary.refreshes = 1
    summary.credits += first.credits
    summary.last = first.state
    choice = choose_interval(max(first.credits, 1), budget, requested=interval)
    summary.elapsed = clock() - start
    summary.rate_from, summary.rate_base = summary.elapsed, summary.credits
    summary.events += 1
    on_update(_view(first.state, 1, summary, choice), [started_event(first.state, choice)])
    pace = _Pace(state=first.state, choice=choice, good_at=clock(), wait=choice.seconds)
    while (max_refreshes is None or summary.refreshes < max_refreshes) and not (
        stop is not None and stop.is_set()
    ):
        if await _sleep_or_stop(sleep, pace.wait, stop):
            break
        summary.refreshes += 1
        try:
            got = await refresh()
        except MiroError as exc:
            if not is_transient(exc):
                raise
            view, events = _failed(exc, pace, summary, now=clock(), start=start)
        else:
            view, events = _refreshed(
                got, pace, summary, budget, interval, now=clock(), start=start
            )
        summary.events += len(events)
        on_update(view, events)
    summary.elapsed = clock() - start
    return summary


def _failed(
    exc: MiroError, pace: _Pace, summary: WatchSummary, *, now: float, start: float
) -> tuple[WatchView, list[WatchEvent]]:
    """A transient failure: the last good state, marked stale, and when to retry."""
    pace.failures += 1
    summary.failed += 1
    retry_at = exc.retry_at if isinstance(exc, RateLimitError) else None
    pace.wait = retry_delay(pace.failures, pace.choice.seconds, retry_at=retry_at, now=now)
    summary.elapsed = now - start
    age = now - pace.good_at
    failed = WatchEvent(
        "refresh-failed",
        {"error": _one_line(exc), "retry_in": round(pace.wait, 1), "stale_for": round(age, 1)},
    )
    view = replace(
        _view(pace.state, summary.refreshes, summary, pace.choice),
        error=_one_line(exc),
        stale_for=age,
        retry_in=pace.wait,
    )
    return view, [failed]


def _refreshed(
    got: Refreshed,
    pace: _Pace,
    summary: WatchSummary,
    budget: int,
    interval: float | None,
    *,
    now: float,
    start: float,
) -> tuple[WatchView, list[WatchEvent]]:
    """A good refresh: the recovery, what changed and the interval for its cost."""
    summary.credits += got.credits
    events: list[WatchEvent] = []
    if pace.failures:
        events.append(WatchEvent("refresh-recovered", {"stale_for": round(now - pace.good_at, 1)}))
        pace.failures = 0
    if not got.unchanged:
        events += diff_states(pace.state, got.state)
        pace.state = got.state
        summary.last = got.state
    again = choose_interval(max(got.credits, 1), budget, requested=interval)
    if again.seconds != pace.choice.seconds:
        events.append(
            WatchEvent(
                "interval-changed", {"interval": again.seconds, "interval_reason": again.reason}
            )
        )
    pace.choice, pace.wait, pace.good_at = again, again.seconds, now
    summary.elapsed = now - start
    return _view(pace.state, summary.refreshes, summary, again), events


def _view(
    state: WatchState, refresh: int, summary: WatchSummary, choice: IntervalChoice
) -> WatchView:
    minutes = (summary.elapsed - summary.rate_from) / 60.0
    spent = summary.credits - summary.rate_base
    # Before a second refresh the rate is the refresh's cost at the chosen pace.
    rate = spent / minutes if minutes > 0 and spent > 0 else choice.credits_per_minute
    return WatchView(
        state=state, refresh=refresh, elapsed=summary.elapsed, interval=choice, spend_rate=rate
    )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


async def _sleep_or_stop(
    sleep: Callable[[float], Awaitable[None]], seconds: float, stop: asyncio.Event | None
) -> bool:
    """Sleep ``seconds``; True when ``stop`` was set before or during the sleep."""
    if stop is None:
        await sleep(seconds)
        return False
    if stop.is_set():
        return True
    sleeper = asyncio.ensure_future(sleep(seconds))
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        sleeper.cancel()
        stopper.cancel()
    return stop.is_set()
