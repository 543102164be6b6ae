"""What every command that opens a board shares.

The settings, the boards' local state as harvest sources, the progress shown on a
terminal while boards are read or built, and the one "no such board" error. Commands
import these instead of writing their own, so they read and fail the same way.
Nothing heavy is imported at module level.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from boardsmith.errors import StateError, UsageError

if TYPE_CHECKING:
    from boardsmith.cli.backend import Backend
    from boardsmith.config import Settings
    from boardsmith.harvest.api import BoardSource
    from boardsmith.templates import Plan

__all__ = [
    "Progress",
    "board_sources",
    "build_progress",
    "no_such_board",
    "read_progress",
    "run_settings",
]

#: ``(done, total)`` callbacks the core calls as it goes.
Progress = Callable[[int, int], None]


def run_settings() -> Settings:
    """The settings of this run: flags' environment, config file, defaults."""
    from boardsmith.config import load_settings

    return load_settings()


def no_such_board(backend: Backend, board_id: str, *, flag: str = "BOARD_ID") -> UsageError:
    """The error for a board the backend does not have, naming the flag that gave it."""
    return UsageError(f"{flag} {board_id}: no such board on {backend.where}")


def board_sources(
    settings: Settings,
    backend: Backend,
    board_ids: Sequence[str],
    labels: Mapping[str, str] | None = None,
) -> list[BoardSource]:
    """Per board (each once), the plan and item ids its local state knows (if any)."""
    from boardsmith.boards.state import StateStore
    from boardsmith.harvest.api import BoardSource

    store = StateStore(settings.home)
    sources = []
    for board_id in dict.fromkeys(board_ids):
        state = store.load(backend=backend.name, board_id=board_id)
        label = (labels or {}).get(board_id)
        if state is None:
            sources.append(BoardSource(board_id, label=label))
            continue
        plan = _plan_of(board_id, state.template, state.params)
        sources.append(BoardSource(board_id, plan=plan, item_ids=state.item_ids(), label=label))
    return sources


def _plan_of(board_id: str, name: str, params: Mapping[str, Any]) -> Plan:
    """The plan a board's state was built from, recompiled (a built-in with its default
    values: its shipped default plan, the same plan without loading the template)."""
    from boardsmith.templates.registry import default_plan

    ready = default_plan(name)
    if ready is not None and ready.params == params:
        return ready
    # Only now: the compiler imports the template language, its schema and PyYAML
    # (~40 ms before a harvest's first request).
    from boardsmith.templates import compile_plan, find_template

    try:
        template = find_template(name)
    except UsageError:
        raise StateError(
            f"board {board_id}: its state names template '{name}', which is not installed"
        ) from None
    return compile_plan(template, params)


@contextmanager
def read_progress(boards: int = 1) -> Iterator[tuple[Progress | None, Progress | None]]:
    """A live "items read" line (and boards done, for several) on a terminal's stderr;
    nothing when piped. Yields the items callback and the boards callback."""
    if not sys.stderr.isatty():
        yield None, None
        return
    from rich.console import Console

    read = 0
    finished = 0
    with Console(stderr=True).status("reading the board...") as status:

        def show() -> None:
            of = f", {finished} of {boards} boards" if boards > 1 else ""
            status.update(f"reading: {read} items{of}")

        def update(done: int, total: int) -> None:
            nonlocal read
            read += 1 if total == 0 else 0
            show()

        def board_done(done: int, total: int) -> None:
            nonlocal finished
            finished = done
            show()

        yield update, board_done


@contextmanager
def build_progress(enabled: bool, what: str) -> Iterator[Progress | None]:
    """A progress bar (``what``, n of total) on stderr while a board is built; nothing
    when not ``enabled`` (quiet, JSON, not a terminal)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
