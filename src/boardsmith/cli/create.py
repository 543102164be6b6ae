"""``boardsmith create | plan | apply``: build a board from a template and keep it current.

``create`` makes a new board (or adds the template beside what an existing
board holds), ``plan`` shows what ``create``/``apply`` would do to a board, and
``apply`` brings a board built from an older template version up to date.
Every run is idempotent and resumable: the per-board state file says what
exists, so running again after a crash completes the board exactly once.

Heavy imports happen inside the commands so ``boardsmith --version`` stays fast.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from boardsmith.cli.app import app
from boardsmith.cli.board_access import build_progress, no_such_board, run_settings
from boardsmith.cli.options import (
    ApplyBoardOpt,
    BoardOpt,
    DedupeOpt,
    DryRunOpt,
    FormatOpt,
    FromOpt,
    NewBoardOpt,
    NoWaitOpt,
    ParamOpt,
    ParticipantsOpt,
    PruneOpt,
    RestoreOpt,
    SummaryJsonOpt,
    TeamOpt,
    TemplateArg,
    TitleOpt,
    YesOpt,
    wants_json,
)
from boardsmith.cli.output import counted, is_verbose, note
from boardsmith.errors import (
    BoardsmithError,
    InterruptedRunError,
    PartialResultError,
    UsageError,
)

if TYPE_CHECKING:
    from boardsmith.boards.apply import ApplyResult, BoardIO
    from boardsmith.boards.reconcile import Unmatched
    from boardsmith.boards.state import BoardState, StateStore
    from boardsmith.boards.summary import Estimate
    from boardsmith.cli.backend import Backend
    from boardsmith.cli.headstart import HeadStart
    from boardsmith.config import Settings
    from boardsmith.templates import Plan, Template

#: The longest board name Miro accepts.
MAX_TITLE = 60


@dataclass
class _Request:
    """What the user asked for, checked before anything touches a board."""

    given: dict[str, Any]
    explicit: set[str]
    #: The template as the user named it (to repeat it in advice, and to find it).
    name: str
    #: The plan of ``given`` alone, compiled when the request was checked.
    plan: Plan | None = field(default=None, repr=False, compare=False)
    #: The template, once loaded (see :attr:`template`).
    loaded: Template | None = field(default=None, repr=False, compare=False)

    @property
    def template(self) -> Template:
        """The template, loaded on first use: a request without values may hold only
        the built-in's compiled default plan (see :func:`_request`)."""
        if self.loaded is None:
            from boardsmith.templates import find_template

            self.loaded = find_template(self.name)
        return self.loaded


def _request(
    name: str,
    params: list[str] | None,
    team: str | None,
    participants: str | None,
    *,
    from_board: str | None = None,
) -> _Request:
    from boardsmith.templates import default_plan

    if not params and team is None and participants is None and from_board is None:
        # No values to check: a built-in's default plan, compiled when it was shipped,
        # is the plan compiling would give, without loading the template language
        # (imported below, on the other path only).
        ready = default_plan(name)
        if ready is not None:
            return _Request(given={}, explicit=set(), name=name, plan=ready)
    from boardsmith.templates import compile_plan, find_template, parse_params
    from boardsmith.templates.params import check_value

    template = find_template(name)
    given: dict[str, Any] = dict(parse_params(template, params or []))
    declared = template.spec.parameters
    if team is not None:
        if "team" not in declared:
            raise UsageError(f"--team: template '{template.name}' has no team parameter")
        given["team"] = team
    if participants is not None:
        if "participants" not in declared:
            raise UsageError(f"--participants: template '{template.name}' has no participant lanes")
        names = [n.strip() for n in participants.split(",") if n.strip()]
        if not names:
            raise UsageError("--participants: expected names separated by commas")
        # Checked here so an error names the flag the user typed (e.g. a duplicate name).
        given["participants"] = check_value(
            "participants", declared["participants"], names, flag="--participants"
        )
    if from_board is not None:
        from boardsmith.cli.carry import carried

        given.update(carried(name, from_board, given))
    # Compiling now reports bad values before any network call; a new board is built
    # from this very plan (see _compile), so it is compiled once.
    plan = compile_plan(template, given)
    return _Request(given=given, explicit=set(given), name=name, plan=plan, loaded=template)


def _retired_labels(request: _Request, state: BoardState | None) -> dict[str, str]:
    """Names of the board areas as the board was built (to name what is retired).

    A lane dropped from --participants is in the plan compiled with the values the
    board was built with; an item a newer template dropped is in neither, and is
    named from its key. Values that no longer compile name nothing.
    """
    from boardsmith.boards.summary import group_keys
    from boardsmith.templates import compile_plan

    if state is None:
        return {}
    declared = request.template.spec.parameters
    try:
        built = compile_plan(
            request.template, {k: v for k, v in state.params.items() if k in declared}
        )
    except BoardsmithError:
        return {}
    return group_keys(built)


def _compile(request: _Request, state: BoardState | None) -> Plan:
    """The plan: explicit values, then what the board was built with, then defaults."""
    values: dict[str, Any] = {}
    if state is not None:
        declared = request.template.spec.parameters
        values.update({k: v for k, v in state.params.items() if k in declared})
    values.update(request.given)
    # Compiling is deterministic: the same values give the plan _request made.
    if request.plan is not None and values == request.given:
        return request.plan
    from boardsmith.templates import compile_plan

    return compile_plan(request.template, values)


def _interactive(json_out: bool) -> bool:
    return not json_out and sys.stdout.isatty()


async def _check_board(backend: Backend, board_id: str) -> None:
    from boardsmith.miro.errors import BadRequestError, NotFoundError

    try:
        await backend.client.boards.get(board_id)
    except (NotFoundError, BadRequestError):
        raise no_such_board(backend, board_id, flag="--board") from None


def preview_name(backend: str, board_id: str) -> str:
    """The preview's file name: plain characters only, and one file per board.

    Board ids end in ``=`` (and may hold ``+``, ``_``, ``.``), which percent-encoding
    made ``%3D`` in the path people copy; those become ``_``. A short hash of the id
    is added whenever anything was replaced, so ids that differ only there (``a=``,
    ``a+``, ``a_``) still get files of their own; a name without the hash holds no
    ``_`` and so cannot be taken by a replaced one.
    """
    import hashlib
    import re

    safe = re.sub(r"[^A-Za-z0-9-]", "_", board_id)
    if safe != board_id:
        safe += "-" + hashlib.sha256(board_id.encode("utf-8")).hexdigest()[:10]
    return f"{backend}-{safe}.svg"


def _preview(
    settings: Settings, backend: Backend, board_id: str, plan: Plan, head_start: HeadStart | None
) -> Path | None:
    """Write the plan's SVG preview into the data directory (emulator runs only), the
    one ``head_start`` drew if it drew it."""
    if not backend.is_emulator:
        return None
    svg = head_start.svg_for(plan) if head_start is not None else None
    if svg is None:
        from boardsmith.render.plan_svg import render_plan

        svg = render_plan(plan)
    path = settings.home / "previews" / preview_name(backend.name, board_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")
    except OSError:
        # A preview is a convenience; the board itself is complete.
        return None
    return path


def _by_type(result: ApplyResult) -> dict[str, dict[str, int]]:
    """What a run does (or would do) per item type: create, update, leave as is."""
    from boardsmith.boards.diff import PRESENT_REASONS
    from boardsmith.boards.summary import SUMMARY_TYPES

    table = {t: {"create": 0, "update": 0, "leave": 0} for t in SUMMARY_TYPES}
    zero = {"create": 0, "update": 0, "leave": 0}
    for c in result.diff.creates:
        table.setdefault(c.item.type, dict(zero))["create"] += 1
    for u in result.diff.updates:
        table.setdefault(u.item.type, dict(zero))["update"] += 1
    for lv in result.leaves:
        if lv.reason in PRESENT_REASONS:
            table.setdefault(lv.item.type, dict(zero))["leave"] += 1
    return table


def _summary(
    *,
    backend: Backend,
    settings: Settings,
    board_id: str | None,
    result: ApplyResult,
    preview: Path | None,
    state_file: Path | None,
    estimate: Estimate | None = None,
) -> dict[str, Any]:
    """The run's summary; with ``estimate`` a dry run's, the same keys for what would happen."""
    url = backend.board_url(board_id) if board_id is not None else None
    dry = estimate is not None
    return {
        "board_id": board_id,
        "url": url,
        "backend": backend.name,
        "backend_description": backend.description,
        "dry_run": dry,
        "created": len(result.diff.creates) if dry else result.created,
        "updated": len(result.diff.updates) if dry else result.updated,
        "unchanged": result.unchanged,
        "adopted": result.adopted,
        "skipped": len(result.skipped),
        "retired": len(result.retired),
        **({"pruned": len(result.pruned)} if result.prune else {}),
        "by_type": _by_type(result),
        "retired_items": [
            {
                "key": r.key,
                "type": r.entry.type,
                "why": r.reason,
                "pruned": any(p.key == r.key for p in result.pruned),
                "holds": r.holding,
            }
            for r in result.retired
        ],
        "lanes": [{"key": s.key, "why": s.why, "holds": s.holding} for s in result.lanes],
        "ambiguous": list(result.ambiguous),
        "unmatched": _unmatched_rows(result.unmatched),
        "repointed": [
            {"key": r.key, "old_id": r.old_id, "new_id": r.new_id} for r in result.repointed
        ],
        "duplicates": [
            {
                "key": d.key,
                "type": d.item.type,
                "id": d.item.id,
                "removed": any(r.item.id == d.item.id for r in result.deduped),
                "why": d.why,
            }
            for d in result.duplicates
        ],
        "looks_kept": [
            {"key": item.key, "type": item.type, "why": why} for item, why in result.kept_looks
        ],
        # A dry run's are the estimate of what the run would take.
        "api_calls": estimate.calls if estimate is not None else backend.client.stats.requests,
        "credits": estimate.credits if estimate is not None else backend.client.stats.credits,
        "data_dir": str(settings.home) if backend.is_emulator else None,
        "preview": str(preview) if preview is not None else None,
        "state_file": str(state_file) if state_file is not None else None,
    }


def _print_summary(summary: dict[str, Any], *, verb: str, json_out: bool) -> None:
    if json_out:
        typer.echo(json.dumps(summary, indent=2))
        return
    typer.echo(summary["backend_description"])
    if summary["url"]:
        typer.echo(f"board: {summary['url']}")
    else:
        typer.echo(f"board id: {summary['board_id']}")
    if summary["data_dir"]:
        typer.echo(f"data:     {summary['data_dir']}")
    counts = (
        f"{summary['created']} created, {summary['updated']} updated, "
        f"{summary['unchanged']} unchanged"
    )
    if summary["adopted"]:
        counts += f", {summary['adopted']} adopted"
    if summary["skipped"]:
        counts += f", {summary['skipped']} deleted by participants (use --restore)"
    typer.echo(
        f"{verb}: {counts} ({summary['api_calls']} API calls, {summary['credits']:,} credits)"
    )
    for line in _unmatched_lines(summary["unmatched"], done=True):
        typer.echo(line)
    for line in _repointed_lines(summary["repointed"]):
        typer.echo(line)
    _print_duplicates(summary["duplicates"])
    for row in summary["looks_kept"]:
        typer.echo(
            f"  leave look of {row['key']}  ({row['type']}, {row['why']}; "
            "the template's new look was not applied)"
        )
    _print_lanes(summary["lanes"])
    _print_retired(summary)


def _next_steps(summary: dict[str, Any]) -> list[str]:
    """What to do after ``create``: look at the board, then harvest it after the workshop."""
    import shlex

    lines = ["next:"]
    if summary["url"]:
        lines.append(f"  open the board:      {summary['url']}")
    elif summary["preview"]:
        # The emulator has no browser view; the preview is its picture of the board.
        lines.append(f"  look at the board:   {summary['preview']}")
    else:
        lines.append(f"  the board's id:      {summary['board_id']}")
    lines.append(f"  after the workshop:  boardsmith harvest {shlex.quote(summary['board_id'])}")
    return lines


def _unmatched_rows(found: Sequence[Unmatched]) -> list[dict[str, Any]]:
    return [
        {
            "key": u.key,
            "type": u.type,
            "candidates": [{"id": i, "why": why} for i, why in u.candidates],
        }
        for u in found
    ]


def _unmatched_lines(
    rows: Sequence[dict[str, Any]], *, done: bool, name: Callable[[str], str] = str
) -> list[str]:
    """Template items adoption could not match although board items could be them."""
    verb, taken = ("created", "was") if done else ("create", "is")
    lines: list[str] = []
    for row in rows:
        candidates = row["candidates"]
        if len(candidates) > 1 and all(", its text," in c["why"] for c in candidates):
            why = "several items on the board have its type and text"
        else:
            why = "board items could be it, none surely"
        lines.append(f"  {verb} {name(row['key'])}: {why}, so none {taken} taken for it")
        lines += [f"    could be {c['id']}  ({c['why']})" for c in candidates]
    return lines


def _repointed_lines(rows: Sequence[dict[str, Any]], name: Callable[[str], str] = str) -> list[str]:
    return [
        f"  found  {name(row['key'])} on the board as {row['new_id']} "
        f"(state said {row['old_id']}, not on the board); state points at it now"
        for row in rows
    ]


def _holds(count: int) -> str:
    return f"holds {count} item{'s' if count != 1 else ''} participants put there"


def _lane_lines(
    rows: Sequence[dict[str, Any]], labels: Mapping[str, str] | None = None
) -> list[str]:
    """Why lanes are not where the template puts them (participants were added or removed).

    With ``labels`` (plan, without --verbose) a lane is named as people know it.
    """
    if labels is not None:
        return [
            f"  {labels.get(row['key'], row['key'])} stays where it is: {_holds(row['holds'])}"
            if row["why"] == "holds items"
            else f"  {labels.get(row['key'], row['key'])} goes to a free place "
            "(its place in the template is taken)"
            for row in rows
        ]
    return [
        f"  lane   {row['key']}  (stays where it is: {_holds(row['holds'])})"
        if row["why"] == "holds items"
        else f"  lane   {row['key']}  (its place in the template is taken; goes to a free one)"
        for row in rows
    ]


def _print_lanes(rows: Sequence[dict[str, Any]], labels: Mapping[str, str] | None = None) -> None:
    for line in _lane_lines(rows, labels):
        typer.echo(line)


def _print_duplicates(rows: Sequence[dict[str, Any]]) -> None:
    """Extra copies of template items the verification read found, and what became of them."""
    if not rows:
        return
    removed = sum(1 for r in rows if r["removed"])
    line = f"duplicates: {len(rows)} extra copies of template items on the board"
    if removed:
        line += f", {removed} deleted (--dedupe)"
    elif any(r["why"] is None for r in rows):
        line += " (apply --dedupe deletes boardsmith's own untouched copies)"
    typer.echo(line)
    for row in rows:
        if row["removed"]:
            what = "deleted"
        elif row["why"] is None:
            what = "boardsmith's own, untouched"
        else:
            what = f"kept: {row['why']}"
        typer.echo(f"  duplicate {row['key']}  ({row['type']} {row['id']}, {what})")


def _print_retired(summary: dict[str, Any]) -> None:
    """Retired items: what --prune deleted, what stays and why."""
    from boardsmith.boards.diff import RETIRE_WHY

    retired = summary["retired_items"]
    if not retired:
        return
    pruning = "pruned" in summary
    if pruning:
        typer.echo(
            f"retired: {counted(summary['retired'], 'item')} no longer in the template, "
            f"{summary['pruned']} deleted (--prune)"
        )
    else:
        typer.echo(
            f"retired: {counted(summary['retired'], 'item')} no longer in the template, "
            "left on the board (apply --prune deletes unchanged ones)"
        )
    for row in retired:
        if row["pruned"]:
            why = "deleted"
        elif row["why"] == "unchanged" and not pruning:
            why = "unchanged; --prune would delete it"
        elif row["why"] == "deleted":
            why = "already deleted from the board" + ("; forgotten" if pruning else "")
        else:
            why = RETIRE_WHY[row["why"]]
        if row.get("holds") and not row["pruned"]:
            why += f"; {_holds(row['holds'])}"
        typer.echo(f"  retired {row['key']}  ({row['type']}, {why})")


@dataclass(frozen=True)
class _Run:
    """How ``create`` / ``apply`` was asked to change a board."""

    restore: bool
    json_out: bool
    prune: bool = False
    confirm_prune: bool = False
    dedupe: bool = False
    no_wait: bool = False
    new: bool = False


async def _new_board(
    stack: contextlib.AsyncExitStack,
    backend: Backend,
    settings: Settings,
    request: _Request,
    run: _Run,
    title: str | None,
) -> tuple[str, bool, Plan]:
    """The board a create makes (or resumes, after a create that stopped), held for
    the rest of the run: its id, whether it is new, and its plan."""
    from boardsmith.boards.newboard import board_of_create
    from boardsmith.miro.models import BoardCreate

    plan = _compile(request, None)
    # --title is checked against the limit up front; the template's title is
    # already cut to it by the compiler.
    board_id, fresh = await stack.enter_async_context(
        board_of_create(
            backend.client,
            settings.home,
            backend=backend.name,
            request=BoardCreate(
                name=title or plan.title,
                description=f"Built by boardsmith from template {plan.template} v{plan.version}",
                team_id=settings.team_id,
            ),
            template=plan.template,
            params=plan.params,
            new=run.new,
            wait=not run.no_wait,
            on_wait=_say,
        )
    )
    if not fresh:
        # Said even with --json (on stderr): the user expected a new board.
        _say(f"resuming board {board_id}: an earlier same create stopped; finishing it")
    elif not run.json_out:
        note(f"created board {board_id}; building it")
    return board_id, fresh, plan


async def _build(
    backend: Backend,
    settings: Settings,
    store: StateStore,
    request: _Request,
    run: _Run,
    *,
    board_id: str,
    plan: Plan | None,
    creating: bool,
    prune_only: set[str] | None,
) -> tuple[Plan, ApplyResult]:
    """Apply the plan (``plan`` for a fresh board, else compiled against its state);
    a run that stops says how to finish the board."""
    import asyncio

    from boardsmith.boards.apply import apply_plan
    from boardsmith.boards.client_io import ClientBoardIO

    fresh = plan is not None
    try:
        if plan is None:
            plan = _compile(request, store.load(backend=backend.name, board_id=board_id))
        with build_progress(_interactive(run.json_out), "building board") as progress:
            result = await apply_plan(
                ClientBoardIO(backend.client),
                store,
                backend=backend.name,
                board_id=board_id,
                plan=plan,
                fresh_board=fresh,
                restore=run.restore,
                prune=run.prune,
                prune_only=prune_only,
                dedupe=run.dedupe,
                progress=progress,
                concurrency=settings.concurrency,
            )
    except (KeyboardInterrupt, asyncio.CancelledError):
        # Ctrl-C reaches here as a cancellation (or, from a child task, only during
        # asyncio.run's clean-up), where a raised error would be lost: leave the
        # sentence for _run_apply, which turns the KeyboardInterrupt into one line.
        _INTERRUPTED.append(_unfinished(request, board_id, rerun=creating))
        raise
    except BoardsmithError as exc:
        # Never leave an unnamed board; a usage error on an existing board changed
        # nothing and stays a usage error.
        if not creating and isinstance(exc, UsageError):
            raise
        unfinished = _unfinished(request, board_id, rerun=creating)
        raise PartialResultError(f"{exc}; {unfinished}") from None
    except BaseException:
        _say(_unfinished(request, board_id, rerun=creating))
        raise
    return plan, result


def _head_start(
    stack: contextlib.AsyncExitStack, backend: Backend, request: _Request
) -> HeadStart | None:
    """Prepare the build during the first call's wait on the network (see
    :mod:`boardsmith.cli.headstart`); joined before the build, and on the way out
    should the first call fail."""
    from boardsmith.cli.headstart import HeadStart

    if request.plan is None:
        return None
    head_start = HeadStart(request.plan, preview=backend.is_emulator)
    stack.callback(head_start.join)
    return head_start


@contextlib.contextmanager
def _startup_left_alone() -> Iterator[None]:
    """Keep the cyclic garbage collector off what start-up made, for the build.

    Everything imported and built until now (modules, classes, pydantic schemas: tens
    of thousands of objects) lives until the process ends, yet each collection of the
    youngest generation walked it again: 20-55 ms, once or twice in the middle of the
    bulk calls. Frozen (:func:`gc.freeze`), the collector sees only what the build
    allocates; the objects go back to the collector when the run ends (tests run many
    commands in one process). Left as is when something else froze objects already.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def _apply(
    request: _Request,
    *,
    board_id: str | None,
    title: str | None,
    restore: bool,
    json_out: bool,
    verb: str,
    prune: bool = False,
    confirm_prune: bool = False,
    dedupe: bool = False,
    no_wait: bool = False,
    new: bool = False,
) -> None:
    from boardsmith.boards.client_io import ClientBoardIO
    from boardsmith.boards.lock import async_board_lock
    from boardsmith.boards.state import StateStore
    from boardsmith.cli.backend import open_backend

    run = _Run(restore, json_out, prune, confirm_prune, dedupe, no_wait, new)
    settings = run_settings()
    store = StateStore(settings.home)
    # Before the backend opens: nothing may be made that the state cannot record.
    store.check_usable()
    async with open_backend(settings) as backend, contextlib.AsyncExitStack() as stack:
        head_start = _head_start(stack, backend, request)
        fresh_plan: Plan | None = None
        # A board this run creates (or resumes) is finished by running the same create.
        creating = board_id is None
        if board_id is None:
            board_id, fresh, plan = await _new_board(stack, backend, settings, request, run, title)
            fresh_plan = plan if fresh else None
        else:
            await _check_board(backend, board_id)
            # One writer per board: state is read and written under the lock.
            await stack.enter_async_context(
                async_board_lock(
                    settings.home, backend.name, board_id, wait=not no_wait, on_wait=_say
                )
            )
        if head_start is not None:
            head_start.join()
        stack.enter_context(_startup_left_alone())
        prune_only: set[str] | None = None
        if prune and confirm_prune:
            # Asked before the build: saying no leaves the board as it was, not unfinished.
            state = store.load(backend=backend.name, board_id=board_id)
            prune_only = await _confirm_prune(
                ClientBoardIO(backend.client),
                store,
                backend.name,
                board_id,
                _compile(request, state),
                _retired_labels(request, state),
            )
        plan, result = await _build(
            backend,
            settings,
            store,
            request,
            run,
            board_id=board_id,
            plan=fresh_plan,
            creating=creating,
            prune_only=prune_only,
        )
        preview = _preview(settings, backend, board_id, plan, head_start)
        summary = _summary(
            backend=backend,
            settings=settings,
            board_id=board_id,
            result=result,
            preview=preview,
            state_file=store.path_for(backend=backend.name, board_id=board_id),
        )
    _print_summary(summary, verb=verb, json_out=json_out)
    if verb == "create":
        for line in _next_steps(summary):
            note(line)


async def _confirm_prune(
    io: BoardIO,
    store: StateStore,
    backend: str,
    board_id: str,
    plan: Plan,
    labels: dict[str, str],
) -> set[str]:
    """Show what ``--prune`` would delete and ask; the keys the user agreed to delete.

    A "no" ends the run before anything changed (exit 1). The answer covers only
    the items shown: the run deletes no others even if more became prunable meanwhile.
    """
    from boardsmith.boards.apply import apply_plan
    from boardsmith.boards.summary import group_items

    would = await apply_plan(
        io, store, backend=backend, board_id=board_id, plan=plan, dry_run=True, prune=True
    )
    doomed = [r for r in would.retired if r.prunable]
    if not doomed:
        return set()
    _say(
        f"--prune would delete {counted(len(doomed), 'item')} from board {board_id}: no longer in "
        "the template and unchanged since boardsmith made them"
    )
    rows = [(r.key, r.entry.type, "") for r in doomed]
    for group in group_items(labels, rows):
        _say(f"  {group.line}")
        if is_verbose():
            for key, kind in group.keys:
                _say(f"    {key}  ({kind})")
    if not _ask("Delete them?"):
        raise BoardsmithError(
            "apply --prune: not confirmed; nothing was changed "
            "(run apply without --prune to update the board and keep them)"
        )
    return {r.key for r in doomed}


def _ask(question: str) -> bool:
    """A yes/no question on stderr, "no" unless the user types yes.

    Not ``typer.confirm``: click's prompt writes a space to stdout, and stdout is
    kept for data (``--json``).
    """
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    # End of input (Ctrl-D) is a no.
    return sys.stdin.readline().strip().lower() in ("y", "yes")


#: What an interrupted run left behind, said once by :func:`_run_apply`.
_INTERRUPTED: list[str] = []


def _run_apply(run: Coroutine[Any, Any, None]) -> None:
    """Run create/apply; Ctrl-C ends it with one line naming the board (exit 130)."""
    import asyncio

    _INTERRUPTED.clear()
    try:
        asyncio.run(run)
    except KeyboardInterrupt:
        if not _INTERRUPTED:
            raise
        raise InterruptedRunError(f"interrupted: {_INTERRUPTED[0]}") from None


def _unfinished(request: _Request, board_id: str, *, rerun: bool) -> str:
    """What to tell the user when a run stops with its board incomplete."""
    import shlex

    finish = f"boardsmith apply {shlex.quote(request.name)} --board {shlex.quote(board_id)}"
    if rerun:
        return (
            f"board {board_id} is not finished: run the same `boardsmith create` again "
            f"(or `{finish}`) to finish it"
        )
    return f"board {board_id} is not finished: run `{finish}` to finish it"


def _say(message: str) -> None:
    """A note for the user on stderr (never mixed into --json output)."""
    typer.echo(message, err=True)


async def _dry_run(
    backend: Backend, store: StateStore, request: _Request, board_id: str, *, restore: bool
) -> tuple[Plan, ApplyResult, Estimate, dict[str, str]]:
    """What apply would do to an existing board: the plan, the result, its cost and
    the names of the retired areas."""
    from boardsmith.boards.apply import apply_plan
    from boardsmith.boards.client_io import ClientBoardIO
    from boardsmith.boards.summary import estimate

    class MeasuredIO(ClientBoardIO):
        """Remembers how much the board held, to price the closing read."""

        items = 0
        connectors = 0

        async def read_board(self, board_id: str) -> dict[str, Any]:
            board = await super().read_board(board_id)
            self.connectors = sum(1 for b in board.values() if b.type == "connector")
            self.items = len(board) - self.connectors
            return board

    await _check_board(backend, board_id)
    state = store.load(backend=backend.name, board_id=board_id)
    plan = _compile(request, state)
    io = MeasuredIO(backend.client)
    result = await apply_plan(
        io, store, backend=backend.name, board_id=board_id, plan=plan, restore=restore, dry_run=True
    )
    cost = estimate(
        creates=[c.item for c in result.diff.creates],
        updates=[u.item.type for u in result.diff.updates],
        new_board=False,
        board_items=io.items,
        board_connectors=io.connectors,
    )
    return plan, result, cost, _retired_labels(request, state)


async def _plan(
    request: _Request,
    *,
    board_id: str | None,
    restore: bool,
    json_out: bool,
    as_create: bool = False,
) -> None:
    """What create/apply would do; ``as_create`` prints ``create --json``'s keys for --json."""
    from boardsmith.boards.apply import ApplyResult
    from boardsmith.boards.diff import Create, Diff
    from boardsmith.boards.requests import Placement
    from boardsmith.boards.state import StateStore
    from boardsmith.boards.summary import estimate
    from boardsmith.cli.backend import open_backend

    settings = run_settings()
    store = StateStore(settings.home)
    retired_labels: dict[str, str] = {}
    async with open_backend(settings) as backend:
        if board_id is None:
            plan = _compile(request, None)
            result = ApplyResult(
                board_id="",
                diff=Diff(creates=[Create(item) for item in plan.items]),
                placement=Placement(),
            )
            cost = estimate(creates=plan.items, new_board=True)
        else:
            plan, result, cost, retired_labels = await _dry_run(
                backend, store, request, board_id, restore=restore
            )
        if as_create and json_out:
            summary = _summary(
                backend=backend,
                settings=settings,
                board_id=board_id,
                result=result,
                preview=None,
                state_file=None,
                estimate=cost,
            )
            typer.echo(json.dumps(summary, indent=2))
            return
    _print_plan(
        _plan_rows(result),
        board_id=board_id,
        plan=plan,
        json_out=json_out,
        result=result,
        cost=cost,
        retired_labels=retired_labels,
    )


def _plan_rows(result: ApplyResult) -> list[tuple[str, str, str, str]]:
    """(action, key, type, why) of everything a run would do, in the plan's order."""
    from boardsmith.boards.diff import RETIRE_WHY

    changes = result.diff
    rows: list[tuple[str, str, str, str]] = [
        ("create", c.item.key, c.item.type, "restore" if c.restore else "") for c in changes.creates
    ]
    rows += [
        (
            "update",
            u.item.key,
            u.item.type,
            ", ".join(
                w
                for w, on in (
                    ("content", u.content and not u.kept_look),
                    (f"text only, {u.look_why}, look left as is", u.kept_look),
                    ("style only, text edited by a participant", u.style),
                    ("position", u.position),
                )
                if on
            ),
        )
        for u in changes.updates
    ]
    rows += [("leave", lv.item.key, lv.item.type, lv.reason) for lv in result.leaves]
    rows += [
        (
            "retire",
            r.key,
            r.entry.type,
            "unchanged, apply --prune deletes it"
            if r.prunable
            else RETIRE_WHY[r.reason] + (f"; {_holds(r.holding)}" if r.holding else ""),
        )
        for r in changes.retired
    ]
    return rows


_HEADINGS = {
    "create": "would create",
    "update": "would update",
    "leave": "would leave as they are",
    "retire": "no longer in the template (never deleted without apply --prune)",
}


@dataclass(frozen=True)
class _PlanView:
    """What ``plan`` shows, in the shape both its outputs (text, JSON) read."""

    rows: Sequence[tuple[str, str, str, str]]
    counts: dict[str, int]
    retired: int
    by_type: dict[str, dict[str, int]]
    #: Per action, the groups of items people see (unchanged items only counted).
    sections: dict[str, list[Any]]
    labels: dict[str, str]
    unmatched: list[dict[str, Any]]
    repointed: list[dict[str, str]]
    lanes: list[dict[str, Any]]


def _plan_view(
    rows: Sequence[tuple[str, str, str, str]],
    plan: Plan,
    result: ApplyResult,
    retired_labels: dict[str, str],
) -> _PlanView:
    from boardsmith.boards.summary import group_items, group_keys

    counts = {
        action: sum(1 for r in rows if r[0] == action) for action in ("create", "update", "leave")
    }
    # Unchanged items are the bulk of a current board; the counts cover them.
    shown = [r for r in rows if not (r[0] == "leave" and r[3] == "unchanged")]
    labels = group_keys(plan)
    sections: dict[str, list[Any]] = {}
    for action in ("create", "update", "leave", "retire"):
        picked = [(k, t, w) for a, k, t, w in shown if a == action]
        if picked:
            sections[action] = group_items(retired_labels if action == "retire" else labels, picked)
    return _PlanView(
        rows=rows,
        counts=counts,
        retired=sum(1 for r in rows if r[0] == "retire"),
        by_type=_by_type(result),
        sections=sections,
        labels=labels,
        unmatched=_unmatched_rows(result.unmatched),
        repointed=[
            {"key": r.key, "old_id": r.old_id, "new_id": r.new_id} for r in result.repointed
        ],
        lanes=[{"key": s.key, "why": s.why, "holds": s.holding} for s in result.lanes],
    )


def _plan_json(
    view: _PlanView, *, board_id: str | None, plan: Plan, result: ApplyResult, cost: Estimate
) -> dict[str, Any]:
    """``plan --json``."""
    return {
        "board_id": board_id,
        "template": plan.template,
        "version": plan.version,
        **view.counts,
        "retired": view.retired,
        "adopted": result.adopted,
        "by_type": view.by_type,
        "estimate": {"api_calls": cost.calls, "credits": cost.credits},
        "groups": [
            {
                "action": action,
                "label": g.label,
                "why": g.why,
                "count": sum(g.types.values()),
                "types": dict(g.types),
                "keys": [k for k, _ in g.keys],
            }
            for action, groups in view.sections.items()
            for g in groups
        ],
        "ambiguous": [row["key"] for row in view.unmatched],
        "unmatched": view.unmatched,
        "repointed": view.repointed,
        "lanes": view.lanes,
        "items": [{"action": a, "key": k, "type": t, "why": w} for a, k, t, w in view.rows],
    }


def _plan_head(
    view: _PlanView, *, board_id: str | None, plan: Plan, result: ApplyResult, cost: Estimate
) -> list[str]:
    """The plan's first lines: what, how many, per type, the estimate."""
    from boardsmith.boards.summary import type_name
    from boardsmith.miro.ratelimit import DEFAULT_CREDITS_PER_MINUTE

    counts = view.counts
    target = f"board {board_id}" if board_id else "a new board"
    line = f"{counts['create']} to create, {counts['update']} to update, {counts['leave']} to leave"
    if view.retired:
        line += (
            f", {view.retired} retired (no longer in the template; never deleted without --prune)"
        )
    if result.adopted:
        line += f" ({result.adopted} existing template items adopted)"
    lines = [f"plan for {target}: template {plan.template} v{plan.version}", line]
    lines.append(f"  {'by type':<14}{'create':>8}{'update':>8}{'leave':>8}")
    for kind, row in view.by_type.items():
        lines.append(
            f"  {type_name(kind):<14}{row['create']:>8}{row['update']:>8}{row['leave']:>8}"
        )
    lines.append(
        f"estimated: {cost.calls} API calls, {cost.credits:,} credits "
        f"(Miro allows {DEFAULT_CREDITS_PER_MINUTE:,} credits a minute)"
    )
    return lines


def _print_sections(view: _PlanView, *, verbose: bool) -> None:
    """Each action's groups of items (with ``--verbose``, every item's key)."""
    for action, groups in view.sections.items():
        typer.echo(f"{_HEADINGS[action]}:")
        for group in groups:
            typer.echo(f"  {group.line}")
            if verbose:
                for key, kind in group.keys:
                    why = f", {group.why}" if group.why else ""
                    typer.echo(f"    {action:<6} {key}  ({kind}{why})")


def _print_plan(
    rows: Sequence[tuple[str, str, str, str]],
    *,
    board_id: str | None,
    plan: Plan,
    json_out: bool,
    result: ApplyResult,
    cost: Estimate,
    retired_labels: dict[str, str],
) -> None:
    view = _plan_view(rows, plan, result, retired_labels)
    if json_out:
        data = _plan_json(view, board_id=board_id, plan=plan, result=result, cost=cost)
        typer.echo(json.dumps(data, indent=2))
        return
    for line in _plan_head(view, board_id=board_id, plan=plan, result=result, cost=cost):
        typer.echo(line)
    verbose = is_verbose()
    _print_sections(view, verbose=verbose)
    if verbose:
        _print_lanes(view.lanes)
        name: Callable[[str], str] = str
    else:
        _print_lanes(view.lanes, view.labels)

        def name(key: str) -> str:
            return _item_words(plan, view.labels, key)

    for text in _unmatched_lines(view.unmatched, done=False, name=name):
        typer.echo(text)
    for text in _repointed_lines(view.repointed, name=name):
        typer.echo(text)


def _item_words(plan: Plan, labels: Mapping[str, str], key: str) -> str:
    """One template item as people see it: ``sticky note "Bold" in word bank``."""
    from boardsmith.boards.summary import type_name

    item = plan.by_key.get(key)
    if item is None:
        return key
    what = type_name(item.type, 1)
    text = " ".join(item.plain_text.split())
    if text and item.type != "frame":
        what += f' "{text if len(text) <= 40 else text[:39] + "…"}"'
    label = labels.get(key)
    return f"{what} in {label}" if label and label != what else what


@app.command(
    "create",
    epilog=(
        "\b\nExamples:\n"
        '  boardsmith create vision-board --participants "Ana,Ben,Chris"\n'
        '  boardsmith create purpose-map --team "Grade 5" --title "Purpose map, May"\n'
        "  boardsmith create vision-board --dry-run\n"
        "  boardsmith create vision-board --board https://miro.com/app/board/uXjVKab12Cd=/\n"
        "  boardsmith create living-vision --from LAST_YEARS_BOARD\n"
        "\n\nAfterwards open the board (on the emulator: the preview file), run the "
        "workshop, then `boardsmith harvest BOARD`."
    ),
)
def create(
    template: TemplateArg,
    board: BoardOpt = None,
    title: TitleOpt = None,
    team: TeamOpt = None,
    participants: ParticipantsOpt = None,
    param: ParamOpt = None,
    dry_run: DryRunOpt = False,
    no_wait: NoWaitOpt = False,
    new: NewBoardOpt = False,
    from_board: FromOpt = None,
    json_out: SummaryJsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Build a board from a template (a new board, or beside what --board holds)."""
    import asyncio

    json_out = wants_json(json_out, fmt)
    request = _request(template, param, team, participants, from_board=from_board)
    if title is not None and not title.strip():
        raise UsageError("--title: must not be empty")
    if title is not None and len(title) > MAX_TITLE:
        # Miro refuses longer board names; cutting one silently would rename the board.
        raise UsageError(
            f"--title: at most {MAX_TITLE} characters (Miro's limit for a board name), "
            f"got {len(title)}"
        )
    if title is not None and board is not None:
        raise UsageError("--title: names a new board; it cannot be used with --board")
    if new and board is not None:
        raise UsageError("--new: makes a new board; it cannot be used with --board")
    if dry_run:
        asyncio.run(
            _plan(request, board_id=board, restore=False, json_out=json_out, as_create=True)
        )
        return
    _run_apply(
        _apply(
            request,
            board_id=board,
            title=title,
            restore=False,
            json_out=json_out,
            verb="create",
            no_wait=no_wait,
            new=new,
        )
    )


@app.command(
    "plan",
    epilog=(
        "\b\nExamples:\n"
        '  boardsmith plan vision-board --participants "Ana,Ben"\n'
        "  boardsmith plan vision-board --board uXjVKab12Cd= --restore\n"
        "  boardsmith --verbose plan vision-board --board uXjVKab12Cd=   (with item keys)\n"
        "  boardsmith plan vision-board --board uXjVKab12Cd= --format json"
    ),
)
def plan_command(
    template: TemplateArg,
    board: BoardOpt = None,
    team: TeamOpt = None,
    participants: ParticipantsOpt = None,
    param: ParamOpt = None,
    restore: RestoreOpt = False,
    json_out: SummaryJsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Show what create/apply would create, update or leave on a board, and what it costs."""
    import asyncio

    json_out = wants_json(json_out, fmt)
    request = _request(template, param, team, participants)
    asyncio.run(_plan(request, board_id=board, restore=restore, json_out=json_out))


@app.command(
    "apply",
    epilog=(
        "\b\nExamples:\n"
        "  boardsmith apply vision-board --board uXjVKab12Cd=\n"
        '  boardsmith apply vision-board --board uXjVKab12Cd= --participants "Ana,Ben,Cy"\n'
        "  boardsmith apply vision-board --board uXjVKab12Cd= --restore\n"
        "  boardsmith apply vision-board --board uXjVKab12Cd= --prune --yes   (no questions)"
    ),
)
def apply_command(
    template: TemplateArg,
    board: ApplyBoardOpt,
    team: TeamOpt = None,
    participants: ParticipantsOpt = None,
    param: ParamOpt = None,
    restore: RestoreOpt = False,
    prune: PruneOpt = False,
    yes: YesOpt = False,
    dedupe: DedupeOpt = False,
    no_wait: NoWaitOpt = False,
    json_out: SummaryJsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Bring a board up to date with the template (participants' work is left alone)."""
    json_out = wants_json(json_out, fmt)
    if prune and not yes and not sys.stdin.isatty():
        # Nobody can be asked: deleting from a workshop board needs an explicit yes.
        raise UsageError("--prune deletes items from the board: add --yes to confirm it here")
    request = _request(template, param, team, participants)
    _run_apply(
        _apply(
            request,
            board_id=board,
            title=None,
            restore=restore,
            json_out=json_out,
            verb="apply",
            prune=prune,
            confirm_prune=prune and not yes,
            dedupe=dedupe,
            no_wait=no_wait,
        )
    )
