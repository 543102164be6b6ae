"""Creating a board exactly once, even when the create call fails ambiguously.

``POST /v2/boards`` that times out, drops the connection or answers 500 may
have made the board. Retrying blindly leaves an empty orphan board behind; so
does running ``create`` again after a kill or Ctrl-C. So a new board is
reconciled like any ambiguous write:

* before the call, a *pending create* record is written under
  ``<data dir>/pending/``, keyed by what identifies "the same create"
  (backend, template, resolved parameters, title, team), holding a unique
  marker; the marker goes into the board's description;
* after an ambiguous failure (or in a later run whose record has no board
  id yet), the user's boards are listed, newest first, and the one carrying
  the marker is taken;
* the record gets the board id as soon as it is known, and is dropped only
  when the board is complete, so running the same ``create`` again finishes
  that board instead of making another one (``create --new`` starts afresh).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError

from boardsmith.boards.constants import CLOCK_SKEW_SECONDS, MAX_BOARD_ATTEMPTS, PAGE_SIZE
from boardsmith.boards.lock import async_board_lock
from boardsmith.errors import StateError
from boardsmith.miro import MiroClient
from boardsmith.miro.errors import AmbiguousWriteError, BadRequestError, NotFoundError
from boardsmith.miro.models import BoardCreate
from boardsmith.private_files import write_private

__all__ = [
    "MARKER_PREFIX",
    "PendingCreate",
    "PendingStore",
    "board_of_create",
    "create_key",
    "find_marked_board",
    "open_board",
]

#: Marks a board boardsmith is creating, in its description.
MARKER_PREFIX = "boardsmith-create:"


class PendingCreate(BaseModel):
    """A ``create`` that has not finished: its marker and, once known, its board."""

    model_config = ConfigDict(extra="ignore")

    backend: str
    key: str
    marker: str
    started: float
    board_id: str | None = None


def create_key(
    *, backend: str, template: str, params: Mapping[str, Any], title: str, team_id: str | None
) -> str:
    """What makes two ``create`` runs "the same create" (a short digest)."""
    what: dict[str, Any] = {
        "backend": backend,
        "template": template,
        "params": dict(params),
        "title": title,
        "team": team_id,
    }
    raw = json.dumps(what, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


class PendingStore:
    """Pending create records under ``<data dir>/pending/`` (0600 files, 0700 directory)."""

    def __init__(self, data_dir: Path | str) -> None:
        self.directory = Path(data_dir) / "pending"

    def path_for(self, backend: str, key: str) -> Path:
        """The record file of one pending create."""
        return self.directory / f"{quote(backend, safe='')}-{key}.json"

    def load(self, backend: str, key: str) -> PendingCreate | None:
        """The unfinished create with this key, if any."""
        path = self.path_for(backend, key)
        try:
            return PendingCreate.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ValueError) as exc:
            raise StateError(
                f"{path}: unfinished create record is unreadable: {type(exc).__name__}",
                hint="move the file away to start a new board",
            ) from None

    def start(self, backend: str, key: str) -> PendingCreate:
        """A new record with a fresh marker, written before the board is created."""
        pending = PendingCreate(
            backend=backend, key=key, marker=secrets.token_hex(12), started=time.time()
        )
        self.save(pending)
        return pending

    def save(self, pending: PendingCreate) -> None:
        """Write the record atomically."""
        path = self.path_for(pending.backend, pending.key)
        try:
            write_private(path, pending.model_dump_json(indent=1) + "\n")
        except OSError as exc:
            raise StateError(f"{path}: cannot write create record: {exc.strerror}") from exc

    def drop(self, backend: str, key: str) -> None:
        """Forget the record: its board is complete."""
        self.path_for(backend, key).unlink(missing_ok=True)


def marked(description: str, marker: str) -> str:
    """``description`` with the create marker appended."""
    return f"{description} ({MARKER_PREFIX}{marker})"


async def find_marked_board(client: MiroClient, marker: str, *, since: float) -> str | None:
    """The id of the user's board whose description carries ``marker``, if any.

    Boards are listed newest first and the search stops at boards created well
    before ``since`` (the record's start), so it costs a page or two.
    """
    needle = f"{MARKER_PREFIX}{marker}"
    async for board in client.boards.list(sort="last_created", page_size=PAGE_SIZE):
        if needle in (board.description or ""):
            return board.id
        created = board.created_at.timestamp() if board.created_at is not None else None
        if created is not None and created < since - CLOCK_SKEW_SECONDS:
            return None
    return None


async def _exists(client: MiroClient, board_id: str) -> bool:
    try:
        await client.boards.get(board_id)
    except (NotFoundError, BadRequestError):
        return False
    return True


async def open_board(
    client: MiroClient,
    store: PendingStore,
    *,
    backend: str,
    key: str,
    request: BoardCreate,
    new: bool = False,
) -> tuple[str, bool]:
    """The board of the create ``key``: (board id, whether it was just made empty).

    Resumes the unfinished create with this key unless ``new``; otherwise (or
    when its board was deleted) creates a board carrying a fresh marker. The
    record holds the board id before this returns.
    """
    pending = None if new else store.load(backend, key)
    if pending is not None:
        await _recover_board_id(client, store, pending)
        if pending.board_id is not None:
            if await _exists(client, pending.board_id):
                return pending.board_id, False
            pending = None  # deleted meanwhile: start over
    if pending is None:
        pending = store.start(backend, key)
    pending.board_id = await _create_marked(client, request, pending)
    store.save(pending)
    return pending.board_id, True


async def _recover_board_id(
    client: MiroClient, store: PendingStore, pending: PendingCreate
) -> None:
    """Fill in the board a killed create made before recording it, found by its marker."""
    if pending.board_id is not None:
        return
    found = await find_marked_board(client, pending.marker, since=pending.started)
    if found is not None:
        pending.board_id = found
        store.save(pending)


async def _create_marked(client: MiroClient, request: BoardCreate, pending: PendingCreate) -> str:
    """Create the board carrying ``pending``'s marker; its id, even after an ambiguous failure."""
    body = request.model_copy(
        update={"description": marked(request.description or "", pending.marker)}
    )
    attempt = 1
    while True:
        try:
            board = await client.boards.create(body)
        except AmbiguousWriteError:
            found = await find_marked_board(client, pending.marker, since=pending.started)
            if found is not None:
                return found
            if attempt == MAX_BOARD_ATTEMPTS:
                raise
            attempt += 1  # certainly not made: sending again cannot duplicate it
        else:
            return board.id


@contextlib.asynccontextmanager
async def board_of_create(
    client: MiroClient,
    home: Path,
    *,
    backend: str,
    request: BoardCreate,
    template: str,
    params: Mapping[str, Any],
    new: bool = False,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> AsyncIterator[tuple[str, bool]]:
    """The board of a ``create`` (board id, whether it was just made empty), held under
    the create's lock and then the board's own for the block.

    The same create (template, parameters, title, team) finds its unfinished board
    again instead of making another (see :func:`open_board`); the pending record is
    dropped only when the block ends without an error, so a failed or interrupted
    build is finished by running the same create again.
    """
    key = create_key(
        backend=backend,
        template=template,
        params=params,
        title=request.name or "",
        team_id=request.team_id,
    )
    store = PendingStore(home)
    # Two identical creates at once would make two boards: one at a time.
    async with async_board_lock(home, backend, f"create-{key}", wait=wait, on_wait=on_wait):
        board_id, fresh = await open_board(
            client, store, backend=backend, key=key, request=request, new=new
        )
        async with async_board_lock(home, backend, board_id, wait=wait, on_wait=on_wait):
            yield board_id, fresh
            store.drop(backend, key)
