"""Shared pieces of the benchmarks: an emulator with injected latency (in this process,
or served by a process of its own), clocks, timing, peak memory, lower bounds and
Markdown tables.

Most benchmarks talk to the embedded emulator in-process through
:class:`~boardsmith.emulator.EmulatorTransport` with the same
:class:`~boardsmith.miro.MiroClient` the product uses, configured like the CLI
configures it (``boardsmith.config`` defaults for concurrency and credits). Those
that compare with a server's floor use :func:`served`, a ``boardsmith emulator
serve`` process, so the server's CPU is not on the benchmark's core, as Miro's is not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx

from boardsmith.emulator import EmulatorTransport, Faults, create_app
from boardsmith.emulator.app import EmulatorApp
from boardsmith.miro import MiroClient
from boardsmith.miro.constants import DEFAULT_CONCURRENCY, DEFAULT_CREDITS_PER_MINUTE

T = TypeVar("T")

#: The checkout the benchmarks run in (processes they start run there too).
ROOT = Path(__file__).resolve().parent.parent

#: Miro's per-call credits (API-NOTES section 7).
BOARD_CREATE_CREDITS = 500
LEVEL2_CREDITS = 100
BULK_SIZE = 20
PAGE_SIZE = 50
#: Emulator rate-limit window (Miro's budget is per minute).
WINDOW_SECONDS = 60.0


# -- clocks ----------------------------------------------------------------------------


class ScaledClock:
    """UNIX-like time that runs ``scale`` times faster than the wall clock.

    Passed to the emulator (its rate-limit windows and ``X-RateLimit-Reset``) and to
    the client (credit budget and retry waits), it lets a run that would take ten
    minutes against Miro's per-minute budget finish in seconds while every party
    still agrees on the time. ``scale=1`` is real time. The virtual clock starts
    at a whole minute so the emulator's first budget window is a full one.
    """

    def __init__(self, scale: float = 1.0) -> None:
        if scale <= 0:
            raise ValueError(f"scale must be positive, got {scale}")
        self.scale = scale
        self._origin = math.floor(time.time() / WINDOW_SECONDS) * WINDOW_SECONDS
        self._start = time.perf_counter()

    def now(self) -> float:
        """Virtual UNIX seconds."""
        return self._origin + (time.perf_counter() - self._start) * self.scale

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of virtual time."""
        await asyncio.sleep(max(0.0, seconds) / self.scale)

    def elapsed(self) -> float:
        """Virtual seconds since this clock was made."""
        return (time.perf_counter() - self._start) * self.scale


# -- transport that counts answers -----------------------------------------------------


class CountingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport and counts the status codes it answered with (429s included)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.statuses: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.statuses[response.status_code] += 1
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


# -- emulator + client -----------------------------------------------------------------


@dataclass
class Env:
    """One emulator and the clock shared by it and its clients."""

    app: EmulatorApp
    clock: ScaledClock
    latency_ms: float
    transports: list[CountingTransport] = field(default_factory=list)

    def set_latency(self, latency_ms: float) -> None:
        """Per-request latency in virtual milliseconds (the emulator sleeps real time)."""
        self.latency_ms = latency_ms
        self.app.faults.latency_ms = latency_ms / self.clock.scale

    def statuses(self) -> Counter[int]:
        """Status codes answered to every client of this environment."""
        total: Counter[int] = Counter()
        for transport in self.transports:
            total.update(transport.statuses)
        return total

    @asynccontextmanager
    async def client(
        self,
        user: str = "Bench:1",
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE,
    ) -> AsyncIterator[MiroClient]:
        """A MiroClient configured like the CLI's, on this emulator's clock."""
        transport = CountingTransport(EmulatorTransport(self.app))
        self.transports.append(transport)
        async with MiroClient(
            token=user,
            base_url="http://emulator.local",
            transport=transport,
            concurrency=concurrency,
            credits_per_minute=credits_per_minute,
            clock=self.clock.now,
            sleep=self.clock.sleep,
        ) as client:
            yield client


@asynccontextmanager
async def emulator(
    *,
    latency_ms: float = 0.0,
    credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE,
    scale: float = 1.0,
    db: Path | None = None,
) -> AsyncIterator[Env]:
    """A fresh emulator with ``latency_ms`` (virtual) per request, in memory or on
    ``db`` (a file :func:`served` can serve afterwards)."""
    clock = ScaledClock(scale)
    app = create_app(
        db if db is not None else ":memory:",
        credits_per_minute=credits_per_minute,
        faults=Faults(),
        clock=clock.now,
    )
    env = Env(app=app, clock=clock, latency_ms=0.0)
    env.set_latency(latency_ms)
    try:
        yield env
    finally:
        app.close()


# -- a served emulator -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def served(db: Path, *, latency_ms: float, credits: int) -> Iterator[str]:
    """A ``boardsmith emulator serve`` on ``db``; yields its URL.

    The server is always this checkout's emulator (its ``src`` first on the path),
    whatever ``PYTHONPATH`` the benchmark runs with: it plays Miro, so it stays the
    same when a benchmark runs another commit's client against it.
    """
    port = _free_port()
    command = [
        sys.executable, "-m", "boardsmith", "emulator", "serve", "--port", str(port),
        "--db", str(db), "--latency-ms", str(latency_ms), "--credits-per-minute", str(credits),
    ]  # fmt: skip
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=process_env(PYTHONPATH=str(ROOT / "src")),
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the emulator server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


#: Variables of the caller's shell that would make the runs unlike a user's: an
#: installed boardsmith has its bytecode, so PYTHONDONTWRITEBYTECODE (set in some
#: containers) would have every run compile ~100 modules of a source checkout.
_DROPPED = frozenset({"PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE"})


def process_env(**extra: str) -> dict[str, str]:
    """This process's environment for a child, without boardsmith's and Miro's
    variables (and those that would make it unlike a user's run), plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MIRO_", "BOARDSMITH_")) and k not in _DROPPED
    }
    env.update(extra)
    return env


async def cursor_items(
    http: httpx.AsyncClient,
    board_id: str,
    slots: asyncio.Semaphore | None = None,
    *,
    kind: str | None = None,
) -> tuple[int, int]:
    """A plain reader's ``/items`` of one board (of one ``kind`` only, if given) by
    cursor, page after page, each answer decoded, one of ``slots`` held per request;
    how many items and pages."""
    items, pages, cursor = 0, 0, ""
    only = {"type": kind} if kind is not None else {}
    while True:
        params = {**only, "limit": str(PAGE_SIZE), **({"cursor": cursor} if cursor else {})}
        async with slots or contextlib.nullcontext():
            response = await http.get(f"/v2/boards/{board_id}/items", params=params)
        response.raise_for_status()
        pages += 1
        body = response.json()
        items += len(body["data"])
        cursor = body.get("cursor") or ""
        if not cursor:
            return items, pages


# -- measuring -------------------------------------------------------------------------


async def timed(
    work: Callable[[], Awaitable[T]], clock: ScaledClock | None = None
) -> tuple[T, float]:
    """Run ``work``; its result and the (virtual, when ``clock`` is scaled) seconds it took."""
    if clock is None:
        start = time.perf_counter()
        value = await work()
        return value, time.perf_counter() - start
    start = clock.elapsed()
    value = await work()
    return value, clock.elapsed() - start


async def peak_memory(work: Callable[[], Awaitable[T]]) -> tuple[T, int]:
    """Run ``work`` under tracemalloc; its result and the peak traced bytes.

    Tracing slows allocation-heavy code several times, so benchmarks time a run
    without it and measure memory in a separate run.
    """
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        value = await work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, peak


# -- lower bounds ----------------------------------------------------------------------


def calls_time(calls: int, concurrency: int, latency_s: float) -> float:
    """Seconds ``calls`` independent calls need at ``concurrency`` in flight."""
    return math.ceil(calls / concurrency) * latency_s if calls else 0.0


def window_time(costs: Sequence[int], credits_per_minute: int) -> float:
    """Earliest start of the last call when ``costs`` are paid in order from fixed
    one-minute windows of ``credits_per_minute`` starting at a window boundary
    (the emulator's and Miro's rule)."""
    window, used = 0, 0
    for cost in costs:
        if used + cost > credits_per_minute:
            window, used = window + 1, 0
        used += cost
    return window * WINDOW_SECONDS


def sequential_time(costs: Sequence[int], per_call: float, credits_per_minute: int) -> float:
    """Seconds to send ``costs`` one after another, each taking ``per_call`` seconds,
    waiting for the next one-minute window whenever the current one is spent."""
    now, window, used = 0.0, 0, 0
    for cost in costs:
        current = int(now // WINDOW_SECONDS)
        if current != window:
            window, used = current, 0
        if used + cost > credits_per_minute:
            window, used = window + 1, 0
            now = window * WINDOW_SECONDS
        used += cost
        now += per_call
    return now


# -- output ----------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (right-aligned numbers) that reads well in a terminal too."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [
        max(len(h), *(len(r[n]) for r in cells)) if cells else len(h) for n, h in enumerate(headers)
    ]
    numeric = [bool(cells) and all(_is_number(r[n]) for r in cells) for n in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(parts) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if num else ("-" * (w + 2))
            for w, num in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return "\n".join([line(list(headers)), rule, *(line(r) for r in cells)])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _is_number(text: str) -> bool:
    stripped = text.replace(",", "").replace("~", "").rstrip("x*s").strip()
    try:
        float(stripped)
    except ValueError:
        return text in ("", "-")
    return True


def ratio(a: float, b: float) -> str:
    """``a / b`` as ``1.23x`` (``-`` when ``b`` is zero)."""
    return f"{a / b:.2f}x" if b > 0 else "-"


def mib(n: int) -> str:
    """Bytes as MiB with one decimal."""
    return f"{n / 2**20:.1f}"


def sizes(text: str) -> list[int]:
    """``"100,1000,5000"`` -> ``[100, 1000, 5000]`` (for argparse)."""
    try:
        values = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def add_latency_flag(parser: argparse.ArgumentParser, default: float = 100.0) -> None:
    """``--latency-ms``: injected per-request latency."""
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=default,
        help=f"latency the emulator adds to every request (default {default:g})",
    )
