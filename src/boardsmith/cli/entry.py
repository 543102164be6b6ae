"""The console script's entry point, kept free of heavy imports.

``boardsmith --version`` is answered here without importing typer or any
command module (scripts and CI call it often); everything else goes to
:func:`boardsmith.cli.app.main`.
"""

from __future__ import annotations

import gc
import os
import sys


def skip_httpx_cli() -> None:
    """Keep httpx from importing its own command-line client in this process.

    ``import httpx`` imports ``httpx._main`` whenever click and rich are installed (as
    they are beside typer), and with it rich's console, click and pygments: a third of
    httpx's import time, for a command boardsmith never runs. A ``None`` in
    ``sys.modules`` makes that import fail, which httpx expects: its ``httpx.main``
    becomes a stub. Done only before httpx is imported, and only in the CLI's process.
    """
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


#: Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_COLLECTION_THRESHOLD = 50_000


def fewer_collections() -> None:
    """Collect the youngest generation every 50,000 allocations instead of every 700.

    Nearly everything a command allocates while it starts (modules, classes, pydantic
    schemas: ~50,000 objects for ``create``) lives until the process ends, and the
    default threshold has the collector walk those survivors 160 times on the way
    (60-120 ms of a ``create`` on this machine, 35-60 ms with this threshold).
    Garbage cycles are still collected, in fewer, larger batches.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_COLLECTION_THRESHOLD), middle, old)


def exit_code(exc: SystemExit) -> int:
    """The status ``raise exc`` would end the process with (a message is printed)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def exit_now(code: int) -> None:
    """End the process with ``code`` without tearing the interpreter down.

    Python's own exit then frees every module, class and schema a command built
    (tens of thousands of objects, a full garbage collection): 100-200 ms on a busy
    machine, more than some commands take. What an exit must still do is done here:
    the ``atexit`` handlers run (log handlers flush, temporary directories go) and
    stdout and stderr are flushed. When something else still runs (a non-daemon
    thread) or stdout cannot be flushed (a closed pipe), this returns and the caller
    exits the usual way, which handles those as it always has.
    """
    import atexit
    import contextlib
    import threading

    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon for t in threading.enumerate()):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    # From here on the process ends here: returning would run the handlers twice.
    atexit._run_exitfuncs()
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def main() -> None:
    """Entry point of the ``boardsmith`` console script."""
    skip_httpx_cli()
    fewer_collections()
    if sys.argv[1:] == ["--version"]:
        from boardsmith import __version__

        print(f"boardsmith {__version__}")
        return
    from boardsmith.cli.app import main as app_main

    try:
        app_main()
    except SystemExit as exc:
        code = exit_code(exc)
    else:
        code = 0
    exit_now(code)
    sys.exit(code)
