"""One ``boardsmith create`` as a timeline: ``python -m bench.create_timeline [TEMPLATE]``.

Runs ``boardsmith create TEMPLATE --json`` (default ``vision-board``) in this fresh
process on the embedded emulator (a temporary data directory, latency from
``--latency-ms``, default 100) and prints, in milliseconds since the process started
and in CPU seconds used by then: when the module imports end, when the request was
checked, when each call leaves and its answer returns (``>`` and ``<``; the emulator's
handler with its own CPU), each young-generation collection, and the end. The gaps
between the lines are what runs between phases. Nothing of boardsmith is imported
before the clock starts, so start-up is in the timeline as a user's run has it.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()
C0 = time.process_time()

import argparse  # noqa: E402  (after the clock starts, on purpose)
import contextlib  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

EVENTS: list[tuple[float, float, str]] = []


def mark(what: str) -> None:
    """Note ``what`` happened now."""
    EVENTS.append((time.perf_counter() - T0, time.process_time() - C0, what))


def _collections() -> None:
    started: list[float] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            took = (time.perf_counter() - started[0]) * 1000
            mark(f"  collection of generation {info['generation']}: {took:.1f} ms")

    gc.callbacks.append(seen)


def _instrument() -> None:
    import boardsmith.emulator.app as emulator_app
    from boardsmith.cli import create

    dispatch = emulator_app.EmulatorApp._dispatch
    run = emulator_app.EmulatorApp._run
    request = create._request

    async def timed_dispatch(self: Any, req: Any, target: Any) -> Any:
        name = f"{req.method} {req.url.path}"
        mark(f"> {name}")
        answer = await dispatch(self, req, target)
        mark(f"< {name}")
        return answer

    def timed_run(self: Any, route: Any, ctx: Any, body_error: Any, operation: str) -> Any:
        cpu = time.process_time()
        try:
            return run(self, route, ctx, body_error, operation)
        finally:
            mark(f"    handler {operation}: {(time.process_time() - cpu) * 1000:.1f} ms CPU")

    def timed_request(*args: Any, **kwargs: Any) -> Any:
        mark("request: checking the template and values")
        checked = request(*args, **kwargs)
        mark("request: checked")
        return checked

    emulator_app.EmulatorApp._dispatch = timed_dispatch  # type: ignore[method-assign,assignment]
    emulator_app.EmulatorApp._run = timed_run  # type: ignore[method-assign]
    create._request = timed_request


def main(argv: Sequence[str] | None = None) -> int:
    """Run one create and print its timeline on stdout."""
    parser = argparse.ArgumentParser(prog="python -m bench.create_timeline", description=__doc__)
    parser.add_argument("template", nargs="?", default="vision-board")
    parser.add_argument("--latency-ms", type=float, default=100.0)
    args = parser.parse_args(argv)
    _collections()
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as home:
        os.environ["BOARDSMITH_HOME"] = home
        os.environ["BOARDSMITH_EMULATOR_LATENCY_MS"] = f"{args.latency_ms:g}"
        from boardsmith.cli import entry

        # As the console script starts (cli/entry.py), before anything heavy.
        entry.skip_httpx_cli()
        entry.fewer_collections()
        from boardsmith.cli.app import main as cli_main

        mark("imports of the command line done")
        _instrument()
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            try:
                cli_main(["create", args.template, "--json"])
            except SystemExit as exc:
                if exc.code:
                    raise
        mark("end")
    previous = 0.0
    for at, cpu, what in EVENTS:
        print(f"{at * 1000:8.1f} ms  (+{(at - previous) * 1000:6.1f})  cpu {cpu:6.3f} s  {what}")
        previous = at
    return 0


if __name__ == "__main__":
    sys.exit(main())
