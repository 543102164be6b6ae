"""``boardsmith watch BOARD``: the board as data, live, for the facilitator.

Each refresh is the read -> regions -> tally path of ``harvest`` (and is recorded in
the board history like every read). What the loop decides lives in
:mod:`boardsmith.harvest.watch`; this module reads the board, draws the view (rich
on a terminal, plain text elsewhere: never cursor control outside a terminal) and
writes ``--json`` events, one NDJSON object per line.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from boardsmith.cli.app import app
from boardsmith.cli.options import (
    BoardId,
    EventsJsonOpt,
    FormatOpt,
    IntervalOpt,
    RefreshesOpt,
    WatchAnonymiseOpt,
    WatchTemplateOpt,
    WatchTopOpt,
    WebOpt,
    WebPortOpt,
    wants_json,
)
from boardsmith.cli.output import note
from boardsmith.errors import UsageError

if TYPE_CHECKING:
    import asyncio

    from rich.console import Console, JustifyMethod, RenderableType

    from boardsmith.harvest.api import BoardSource, HarvestResult
    from boardsmith.harvest.history import BoardHistory, HistoryStore
    from boardsmith.harvest.memo import HarvestMemo
    from boardsmith.harvest.snapshot import Snapshot
    from boardsmith.harvest.watch import (
        Refreshed,
        WatchEvent,
        WatchState,
        WatchSummary,
        WatchView,
    )
    from boardsmith.miro import MiroClient
    from boardsmith.render.watch_page import WatchHub

__all__ = ["BoardReader", "WatchOutput", "render_view", "run_watch", "watch_command"]


def _new_memo() -> HarvestMemo:
    # Imported on first use, like the rest of harvest: the CLI starts without it.
    from boardsmith.harvest.memo import HarvestMemo

    return HarvestMemo()


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class BoardReader:
    """One refresh: read the board, harvest it, record the read in the board history.

    A board that has not changed since the previous refresh (the same items, members
    and name) is not harvested again: its last result stands, and the read is still
    recorded in the history.
    """

    client: MiroClient
    source: BoardSource
    store: HistoryStore | None
    backend: str
    template: str | None = None
    top: int | None = None
    memory: BoardHistory | None = None
    last: HarvestResult | None = field(default=None, repr=False)
    last_state: WatchState | None = field(default=None, repr=False)
    #: Said once per problem (an unreadable history).
    on_note: Callable[[str], None] = note
    #: Process CPU seconds of the last refresh after its pages arrived (the compare,
    #: the harvest and the history record): what ``bench/bench_watch.py`` reports.
    cpu: float = 0.0
    #: Per-sticky work kept from one refresh's harvest for the next (this board only).
    memo: HarvestMemo = field(default_factory=_new_memo, repr=False)

    async def __call__(self) -> Refreshed:
        """Read once; the state and the credits the read cost."""
        from boardsmith.harvest.api import harvest_snapshot
        from boardsmith.harvest.snapshot import read_snapshot
        from boardsmith.harvest.watch import Refreshed, WatchState

        if self.store is not None and self.memory is None:
            self.memory = self.store.load(backend=self.backend, board_id=self.source.board_id)
            if self.memory.problem:
                self.on_note(f"warning: {self.memory.problem}")
        spent = self.client.stats.credits
        snapshot = await read_snapshot(self.client, self.source.board_id, memo=self.memo.read)
        cpu = time.process_time()
        read_at = _now_iso()
        last, last_state = self.last, self.last_state
        unchanged = False
        if last is not None and last_state is not None and _same_board(last.snapshot, snapshot):
            # The history then holds what this read would add, so a harvest would
            # give the same result: the last one stands.
            result, state, unchanged = last, last_state, True
        else:
            result = harvest_snapshot(
                snapshot,
                plan=self.source.plan,
                item_ids=self.source.item_ids,
                template=self.template,
                top=self.top,
                history=self.memory,
                memo=self.memo,
            )
            state = WatchState.from_harvest(
                result.harvest, counts=Counter(i.type for i in snapshot.items)
            )
        if self.store is not None and self.memory is not None:
            self.memory = self.store.record(self.memory, result.sightings, read_at=read_at)
        self.last, self.last_state = result, state
        self.cpu = time.process_time() - cpu
        return Refreshed(
            state=state, credits=self.client.stats.credits - spent, unchanged=unchanged
        )


def _same_board(old: Snapshot, new: Snapshot) -> bool:
    # SnapItem equality covers id, type, geometry, text, parent, colours and authors.
    return (
        old.board_name == new.board_name and old.members == new.members and old.items == new.items
    )


# -- the view ------------------------------------------------------------------------------

_STATUS_WORDS = {
    "not-started": "not started",
    "picking": "still picking",
    "done": "done",
    "too-many": "too many",
}


def _clock(seconds: float) -> str:
    whole = int(seconds)
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def render_view(view: WatchView, *, terms: int = 12, width: int = 120) -> RenderableType:
    """The facilitator's view as one rich renderable (tables and a few lines), for a
    screen ``width`` columns wide: each person's picks are cut to fit it."""
    from rich.console import Group
    from rich.text import Text

    state = view.state
    parts: list[RenderableType] = []
    name = state.board_name or state.board_id
    head = Text(f"{name}", style="bold")
    head.append(
        f"  refresh {view.refresh} · {_clock(view.elapsed)} elapsed · "
        f"every {view.interval.seconds:g} s · {view.spend_rate:,.0f} credits/min "
        f"of {view.interval.budget:,}",
        style="",
    )
    parts.append(head)
    if view.stale:
        parts.append(
            Text(
                f"STALE: this view is {view.stale_for or 0:.0f} s old; the last refresh "
                f"failed ({view.error}); retrying in {view.retry_in or 0:.0f} s",
                style="bold red",
            )
        )
    parts.append(_people_table(state, width))
    tally = _tally_table(state, terms)
    if state.terms:
        parts.append(tally)
        if len(state.terms) > terms:
            parts.append(Text(f"... and {len(state.terms) - terms} more terms"))
    else:
        parts.append(Text("no adjectives picked yet"))
    for line in _lines(state):
        parts.append(Text(line))
    return Group(*parts)


def _people_table(state: WatchState, width: int) -> RenderableType:
    """Each participant's progress, one line each, the picks cut to ``width``."""
    wanted = state.picks_range
    prompts = [p.prompt for p in state.prompts]
    columns: list[tuple[str, JustifyMethod]] = [
        ("participant", "left"),
        ("picks", "right"),
        ("status", "left"),
        ("why", "left"),
        *((prompt, "right") for prompt in prompts),
    ]
    rows = [
        [
            person.name,
            str(len(person.picks)),
            _STATUS_WORDS[person.status],
            "yes" if person.why else "-",
            *(str(person.notes.get(p, 0)) for p in prompts),
        ]
        for person in state.participants
    ]
    room = width - _table_width(columns, rows) - 3
    people = _table(
        f"Participants: {state.done} of {len(state.participants)} done"
        + (f" (picks {wanted})" if wanted else ""),
        [*columns, ("picked", "left")],
        [
            ([*cells, _picked(person.picks, room)], _STATUS_STYLES[person.status])
            for cells, person in zip(rows, state.participants, strict=True)
        ],
    )
    return people


def _tally_table(state: WatchState, terms: int) -> RenderableType:
    """The first ``terms`` terms of the live tally, the top and any tie marked."""
    ties = set(state.ties_at_cutoff)
    top = set(state.top)
    return _table(
        f"Tally (top {state.cutoff})",
        [("#", "right"), ("term", "left"), ("picks", "right"), ("dots", "right"), ("", "left")],
        [
            (
                [
                    str(rank),
                    term.term,
                    str(term.picks),
                    str(term.dots),
                    "tie" if term.term in ties else ("top" if term.term in top else ""),
                ],
                "bold" if term.term in top else None,
            )
            for rank, term in enumerate(state.terms[:terms], 1)
        ],
    )


_STATUS_STYLES: dict[str, str | None] = {
    "done": "green",
    "too-many": "yellow",
    "picking": None,
    "not-started": "dim",
}


def _widths(
    columns: Sequence[tuple[str, JustifyMethod]], rows: Sequence[Sequence[str]]
) -> list[int]:
    from rich.cells import cell_len

    return [
        max([cell_len(header), *(cell_len(cells[n]) for cells in rows)])
        for n, (header, _) in enumerate(columns)
    ]


def _table_width(
    columns: Sequence[tuple[str, JustifyMethod]], rows: Sequence[Sequence[str]]
) -> int:
    """How wide :func:`_table` draws these columns: each cell has a space either side
    and a rule after it, plus the rule on the left."""
    return sum(w + 3 for w in _widths(columns, rows)) + 1


def _table(
    title: str,
    columns: Sequence[tuple[str, JustifyMethod]],
    rows: Sequence[tuple[Sequence[str], str | None]],
) -> RenderableType:
    """A table drawn as rich's default one looks, a line of :class:`~rich.text.Text`
    per row, each column as wide as its widest cell.

    Drawn here because rich's Table measures, pads and wraps every cell on every
    refresh: 15-20 ms of CPU for the two tables of a refresh, against under 2 ms
    for these lines. A line wider than the screen is cut, not wrapped, so rows stay
    rows (the picks, the widest cell, are last and are cut first).
    """
    from rich.cells import cell_len
    from rich.console import Group
    from rich.text import Text

    widths = _widths(columns, [cells for cells, _ in rows])

    def line(cells: Sequence[str], edge: str, inner: str) -> str:
        padded = []
        for cell, width, (_, justify) in zip(cells, widths, columns, strict=True):
            gap = " " * (width - cell_len(cell))
            padded.append(gap + cell if justify == "right" else cell + gap)
        return f"{edge} " + f" {inner} ".join(padded) + f" {edge}"

    def rule(left: str, middle: str, right: str, fill: str) -> str:
        return left + middle.join(fill * (w + 2) for w in widths) + right

    def text(plain: str, style: str | None = None) -> Text:
        # Board text goes in as plain Text: never read as rich markup.
        return Text(plain, style=style or "", no_wrap=True, overflow="crop")

    lines = [
        Text(title, style="italic"),
        text(rule("┏", "┳", "┓", "━")),
        text(line([h for h, _ in columns], "┃", "┃"), "bold"),
        text(rule("┡", "╇", "┩", "━")),
        *(text(line(cells, "│", "│"), style) for cells, style in rows),
        text(rule("└", "┴", "┘", "─")),
    ]
    return Group(*lines)


def _picked(picks: Sequence[str], room: int) -> str:
    """The picks, as many as fit ``room`` columns (at least one), then how many more:
    someone who picked far more than the protocol asks keeps to one line, and "picks"
    has the count."""
    from rich.cells import cell_len

    text = ""
    for n in range(len(picks)):
        rest = len(picks) - n - 1
        longer = ", ".join(picks[: n + 1]) + (f", +{rest} more" if rest else "")
        # Measured as the table measures its cells: a wide character takes two columns.
        if text and cell_len(longer) > room:
            break
        text = longer
    return text


def _lines(state: WatchState) -> list[str]:
    lines = []
    if state.ties_at_cutoff:
        lines.append(f"tie at the cut-off (top {state.cutoff}): " + ", ".join(state.ties_at_cutoff))
    elif state.terms:
        lines.append("no tie at the cut-off")
    if state.runoff:
        lines.append(state.runoff)
    if state.slots:
        filled = [f"{s.rank}. {', '.join(s.texts)}" for s in state.slots if s.texts]
        lines.append(
            f"top slots: {state.filled} of {len(state.slots)} filled"
            + (f" ({'; '.join(filled)})" if filled else "")
        )
    if state.prompts:
        empty = state.empty_prompts
        lines.append(
            "prompts still empty: " + ", ".join(empty) if empty else "every prompt has notes"
        )
    return lines


class WatchOutput:
    """Where the refreshes go: a live rich view on a terminal, plain text views on
    anything else (no cursor control, no colour), or NDJSON events with ``--json``."""

    def __init__(
        self,
        *,
        json_events: bool,
        out: TextIO | None = None,
        terminal: bool | None = None,
        page: WatchHub | None = None,
    ) -> None:
        from rich.console import Console

        self.out = out if out is not None else sys.stdout
        self.json_events = json_events
        self.terminal = self.out.isatty() if terminal is None else terminal
        self.console: Console = (
            # Forced, so a caller that says "terminal" (tests) gets the live view too.
            Console(file=self.out, force_terminal=True)
            if self.terminal
            else Console(
                file=self.out, force_terminal=False, color_system=None, width=120, soft_wrap=True
            )
        )
        self._live: Any = None
        #: ``--web``: every view also goes to the page.
        self.page = page
        self._said_interval: str | None = None

    def __enter__(self) -> WatchOutput:
        if self.terminal and not self.json_events:
            from rich.live import Live

            self._live = Live(console=self.console, auto_refresh=False, transient=False)
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None

    def update(self, view: WatchView, events: Sequence[WatchEvent]) -> None:
        """Show one refresh (the loop's ``on_update``)."""
        if self.page is not None:
            self.page.publish(view)
        if view.interval.reason != self._said_interval:
            # Said on stderr, once per choice: stdout stays the view or the events.
            self._said_interval = view.interval.reason
            note(f"refresh interval: {view.interval.reason}")
        if self.json_events:
            at = _now_iso()
            for event in events:
                line = event.to_json(refresh=view.refresh, at=at, board_id=view.state.board_id)
                self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.out.flush()
            return
        if self._live is not None:
            self._live.update(render_view(view, width=self.console.width), refresh=True)
            return
        if view.refresh == 1 or any(e.event != "refresh-failed" for e in events) or view.stale:
            if view.refresh > 1:
                self.console.print()
            if not view.stale or view.refresh == 1:
                self.console.print(render_view(view, width=self.console.width))
            else:
                self.console.print(
                    f"refresh {view.refresh}: STALE, the view above is {view.stale_for or 0:.0f} "
                    f"s old; the refresh failed ({view.error}); retrying in "
                    f"{view.retry_in or 0:.0f} s",
                    markup=False,
                    highlight=False,
                )
            self.out.flush()

    def ended(self, summary: WatchSummary) -> None:
        """The last event (``--json``); the summary line goes to stderr in every mode."""
        self.__exit__()
        if self.json_events:
            at = _now_iso()
            board = summary.last.board_id if summary.last else ""
            line = summary.ended_event().to_json(refresh=summary.refreshes, at=at, board_id=board)
            self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.out.flush()


# -- the command ---------------------------------------------------------------------------


class _Pseudonymiser:
    """``--anonymise``: names become Participant A, B, ... in the view and the events.

    Built from every name seen so far, so a participant who joins mid-workshop gets a
    pseudonym too (and never appears under their name)."""

    def __init__(self) -> None:
        from boardsmith.harvest.anonymise import Pseudonyms

        self._names: set[str] = set()
        self._pseudonyms = Pseudonyms([])

    def _grow(self, names: Sequence[str]) -> None:
        from boardsmith.harvest.anonymise import Pseudonyms

        fresh = set(names) - self._names
        if fresh:
            self._names |= fresh
            self._pseudonyms = Pseudonyms(sorted(self._names))

    def state(self, state: WatchState) -> WatchState:
        self._grow([p.name for p in state.participants])
        return state.renamed(self._pseudonyms.of, self._pseudonyms.text)

    def event(self, event: WatchEvent) -> WatchEvent:
        from boardsmith.harvest.watch import WatchEvent

        data = dict(event.data)
        for key in ("participant",):
            if isinstance(data.get(key), str):
                data[key] = self._pseudonyms.of(data[key])
        for key in ("term",):
            if isinstance(data.get(key), str):
                data[key] = self._pseudonyms.text(data[key])
        for key in ("picks", "ties", "previous", "texts"):
            if isinstance(data.get(key), list):
                data[key] = [self._pseudonyms.text(t) for t in data[key]]
        if isinstance(data.get("participants"), list):
            data["participants"] = [
                {**p, "participant": self._pseudonyms.of(p["participant"])}
                for p in data["participants"]
            ]
        return WatchEvent(event.event, data)


async def run_watch(
    client: MiroClient,
    source: BoardSource,
    *,
    budget: int,
    output: WatchOutput,
    store: HistoryStore | None,
    backend: str,
    template: str | None = None,
    top: int | None = None,
    interval: float | None = None,
    max_refreshes: int | None = None,
    stop: asyncio.Event | None = None,
    summary: WatchSummary | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], Any] | None = None,
    anonymise: bool = False,
) -> WatchSummary:
    """Watch one board until ``stop``, ``max_refreshes`` or Ctrl-C; the summary.

    ``sleep`` waits between refreshes (default :func:`asyncio.sleep`; tests pass a fake).
    """
    import asyncio

    from boardsmith.harvest.watch import watch_loop

    reader = BoardReader(
        client=client, source=source, store=store, backend=backend, template=template, top=top
    )
    names = _Pseudonymiser() if anonymise else None

    def on_update(view: WatchView, events: Sequence[WatchEvent]) -> None:
        from dataclasses import replace

        # People read the view with the report's spellings; events keep the terms.
        state = view.state.spelled()
        if names is not None:
            state = names.state(state)
            events = [names.event(e) for e in events]
        output.update(replace(view, state=state), events)

    return await watch_loop(
        reader,
        budget=budget,
        on_update=on_update,
        clock=clock,
        sleep=asyncio.sleep if sleep is None else sleep,
        interval=interval,
        max_refreshes=max_refreshes,
        stop=stop,
        summary=summary,
    )


#: Port of the ``--web`` page unless ``--port`` says otherwise.
DEFAULT_PORT = 8750
#: How often the page asks for the view: well within the fastest refresh.
PAGE_POLL_MS = 500


@asynccontextmanager
async def _page(output: WatchOutput, port: int | None) -> AsyncIterator[None]:
    """With ``--web``, the page on loopback for as long as the watch runs."""
    if port is None:
        yield
        return
    from boardsmith.render.watch_page import WatchHub, serve_page

    hub = WatchHub()
    try:
        server = await serve_page(hub, port=port, poll_ms=PAGE_POLL_MS)
    except OSError as exc:
        raise UsageError(f"--port {port}: cannot serve the page there: {exc.strerror}") from None
    output.page = hub
    note(f"page for the room: {server.url} (this machine only; read-only)")
    try:
        yield
    finally:
        await server.stop()


@app.command("watch")
def watch_command(
    board_id: BoardId,
    interval: IntervalOpt = None,
    json_out: EventsJsonOpt = False,
    fmt: FormatOpt = None,
    template: WatchTemplateOpt = None,
    top: WatchTopOpt = None,
    anonymise: WatchAnonymiseOpt = False,
    web: WebOpt = False,
    port: WebPortOpt = None,
    refreshes: RefreshesOpt = None,
) -> None:
    """Watch a board live during the workshop: who has picked, the tally, ties, slots.

    Every refresh is recorded in the board history. Ctrl-C (or SIGTERM) ends it (exit 0) with a
    one-line summary. A refresh that fails (429, 5xx, network) leaves the last view
    on screen marked stale, and is retried with backoff.

    \b
    Examples:
      boardsmith watch BOARD                   the live view
      boardsmith watch BOARD --interval 10     refresh every 10 s
      boardsmith watch BOARD --json | jq .     one JSON event per change
      boardsmith watch BOARD --web --anonymise a page to project, names hidden
    """
    import asyncio

    from boardsmith.harvest.watch import WatchSummary

    json_out = wants_json(json_out, fmt)
    if port is not None and not web:
        raise UsageError("--port: it is the port of the --web page; add --web")
    if template is not None:
        from boardsmith.templates import find_template

        find_template(template)  # an unknown name fails before anything is read
    summary = WatchSummary()
    output = WatchOutput(json_events=json_out)
    try:
        asyncio.run(
            _watch(
                board_id,
                output=output,
                summary=summary,
                template=template,
                top=top,
                interval=interval,
                refreshes=refreshes,
                anonymise=anonymise,
                port=(DEFAULT_PORT if port is None else port) if web else None,
            )
        )
    except KeyboardInterrupt:
        # Ctrl-C is how a watch normally ends: clean exit, the summary below.
        pass
    finally:
        output.__exit__()
    if summary.refreshes:
        output.ended(summary)
        note(summary.line())


@contextmanager
def _stopped_by_sigterm() -> Iterator[asyncio.Event]:
    """A stop event set by SIGTERM, so ``kill`` or ``timeout`` ends a watch as Ctrl-C
    does: the last refresh finished, the summary printed, exit 0."""
    import asyncio
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
        yield stop
        return
    try:
        yield stop
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


async def _watch(
    board_id: str,
    *,
    output: WatchOutput,
    summary: WatchSummary,
    template: str | None,
    top: int | None,
    interval: float | None,
    refreshes: int | None,
    anonymise: bool,
    port: int | None = None,
) -> None:
    from boardsmith.cli.backend import open_backend
    from boardsmith.cli.board_access import board_sources, no_such_board, run_settings
    from boardsmith.harvest.history import HistoryStore
    from boardsmith.miro.errors import BadRequestError, NotFoundError

    settings = run_settings()
    async with open_backend(settings) as backend, _page(output, port):
        source = board_sources(settings, backend, [board_id])[0]
        with output, _stopped_by_sigterm() as stop:
            try:
                await run_watch(
                    backend.client,
                    source,
                    budget=settings.credits_per_minute,
                    output=output,
                    store=HistoryStore(settings.home),
                    backend=backend.name,
                    template=template,
                    top=top,
                    interval=interval,
                    max_refreshes=refreshes,
                    summary=summary,
                    anonymise=anonymise,
                    stop=stop,
                )
            except (NotFoundError, BadRequestError):
                if summary.refreshes > 1:
                    raise
                raise no_such_board(backend, board_id) from None
