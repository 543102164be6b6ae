"""Per-board state: which plan key became which Miro item, and what was sent.

One JSON file per board under ``<data dir>/state/``. It makes ``apply``
idempotent and resumable and lets harvest find a template's regions exactly.

Every successful API call is recorded before the next one is made, and a run
killed at any moment loses nothing it was told. Rewriting the whole file per
call made a large create quadratic (5,000 items: 250 rewrites of a growing
1 MB file), so each call *appends* its entries to a journal beside the file
(``<file>.journal``, one JSON line per entry, fsynced) and a run compacts it
into the file at the end. The file itself is only ever replaced atomically
(temp file + ``os.replace``); loading replays the journal over it, ignoring a
torn last line (the item it named is adopted from the board by the next run).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from boardsmith.errors import StateError
from boardsmith.private_files import append_private, write_private

STATE_FORMAT = 1


class StateEntry(BaseModel):
    """What boardsmith created for one plan key.

    ``x``/``y`` are the absolute board coordinates (item centre, canvas
    centre origin) boardsmith last sent for the item, so a later run can tell
    whether a participant moved it. ``hash`` covers everything sent except
    the position (content, style, shape, geometry); ``content_hash`` covers
    only the normalised text, to tell whether a participant edited it;
    ``form_hash`` covers the look (style, shape, geometry) without the text,
    so a template style change can be applied to an item whose text a
    participant edited (``None`` in files written before it existed).
    ``look`` is the look boardsmith last sent, normalised
    (:func:`boardsmith.boards.requests.plan_look`), to tell whether a
    participant restyled the item on the board (``None`` in older files and
    for adopted items: then a template look change is not applied).
    """

    model_config = ConfigDict(extra="ignore")

    item_id: str
    type: str
    hash: str
    x: float = 0.0
    y: float = 0.0
    parent_key: str | None = None
    content_hash: str | None = None
    form_hash: str | None = None
    look: dict[str, str] | None = None


class BoardState(BaseModel):
    """Everything boardsmith knows about one board it applied a template to.

    ``offset_x``/``offset_y`` is the translation applied to the plan's
    absolute coordinates (non-zero when the template was placed beside
    existing content); every later run reuses it so the template stays put.
    """

    model_config = ConfigDict(extra="ignore")

    format: int = STATE_FORMAT
    backend: str
    board_id: str
    template: str
    template_version: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    offset_x: float = 0.0
    offset_y: float = 0.0
    items: dict[str, StateEntry] = Field(default_factory=dict)

    def item_ids(self) -> dict[str, str]:
        """Plan key -> Miro item id, for everything recorded."""
        return {key: entry.item_id for key, entry in self.items.items()}


class StateStore:
    """Reads and writes board state files under ``<data_dir>/state/``."""

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.directory = self.data_dir / "state"
        # Appends to a journal come one at a time, whichever thread makes them.
        self._journal_lock = threading.Lock()

    def path_for(self, *, backend: str, board_id: str) -> Path:
        """The state file of a board: ``<backend>-<board id>.json``.

        Board ids are base64-like and may hold ``=``, ``/`` or ``+``; both parts are
        percent-encoded so the name is safe on every file system, and the backend's
        own ``-`` too (``emulator-server`` becomes ``emulator%2Dserver``), so the
        first ``-`` always ends the backend and :meth:`board_id_from_path` is the
        exact inverse. The id is also stored inside the file.
        """
        return self.directory / f"{_encode_backend(backend)}-{quote(board_id, safe='')}.json"

    @staticmethod
    def board_id_from_path(path: Path) -> tuple[str, str]:
        """(backend, board id) encoded in a state file name (see :meth:`path_for`)."""
        backend, _, board = path.stem.partition("-")
        return unquote(backend), unquote(board)

    def _legacy_path_for(self, *, backend: str, board_id: str) -> Path:
        """The name used before a backend's ``-`` was encoded (``emulator-server-<id>``)."""
        return self.directory / f"{quote(backend, safe='')}-{quote(board_id, safe='')}.json"

    def _move_legacy_file(self, *, backend: str, board_id: str) -> None:
        """Give a state file saved under the legacy name its current one, with its journal.

        Only a file that says it is this board's is moved: under the legacy scheme
        ``emulator-server-X`` is also the current name of emulator board ``server-X``.
        """
        path = self.path_for(backend=backend, board_id=board_id)
        legacy = self._legacy_path_for(backend=backend, board_id=board_id)
        if legacy == path or path.exists() or not legacy.is_file():
            return
        try:
            owner = json.loads(legacy.read_bytes())
        except (OSError, ValueError):
            return
        if not isinstance(owner, dict) or (owner.get("backend"), owner.get("board_id")) != (
            backend,
            board_id,
        ):
            return
        try:
            # The journal first: a run killed between the two leaves the file to move again.
            if _journal_path(legacy).exists():
                os.replace(_journal_path(legacy), _journal_path(path))
            os.replace(legacy, path)
        except OSError as exc:
            raise StateError(f"{legacy}: cannot rename board state: {exc.strerror}") from exc

    def check_usable(self) -> None:
        """Raise :class:`StateError` when state files cannot be kept in the directory.

        Called before anything is made on a board: a state directory that turns out
        to be a file after the board exists leaves an empty board behind.
        """
        directory = self.directory
        if directory.exists() and not directory.is_dir():
            raise StateError(
                f"{directory}: is a file, not a directory; boardsmith keeps board state "
                "there, so move the file away"
            )
        # Not created here: a run refused later must leave no trace in the data directory.
        if directory.is_dir() and not os.access(directory, os.W_OK | os.X_OK):
            raise StateError(f"{directory}: cannot write board state: permission denied")

    def load(self, *, backend: str, board_id: str) -> BoardState | None:
        """The board's state, or ``None`` when boardsmith never applied anything to it.

        Raises :class:`StateError` naming the file when it exists but cannot be read.
        """
        self._move_legacy_file(backend=backend, board_id=board_id)
        path = self.path_for(backend=backend, board_id=board_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(f"{path}: cannot read board state: {exc.strerror}") from exc
        try:
            state = BoardState.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as exc:
            raise _unreadable(path, exc) from exc
        if state.board_id != board_id or state.backend != backend:
            raise StateError(
                f"{path}: board state belongs to {state.backend} board {state.board_id!r}"
            )
        self._replay(state, _journal_path(path))
        return state

    def record(self, state: BoardState, keys: Iterable[str]) -> None:
        """Append the current entries of ``keys`` (or their removal) to the journal.

        Cheap and durable: one fsynced append per call, whatever the board's size.
        The state file must exist (:meth:`save` writes it at the start of a run).
        Safe to call from a worker thread while other keys' entries change.
        """
        lines = []
        for key in keys:
            entry = state.items.get(key)
            record = {"key": key, "entry": None if entry is None else entry.model_dump(mode="json")}
            lines.append(json.dumps(record, separators=(",", ":")) + "\n")
        if not lines:
            return
        journal = _journal_path(self.path_for(backend=state.backend, board_id=state.board_id))
        try:
            # Who wrote what on a board is private: 0600 like the state file itself.
            with self._journal_lock:
                append_private(journal, "".join(lines))
        except OSError as exc:
            raise StateError(f"{journal}: cannot write board state: {exc.strerror}") from exc

    @staticmethod
    def _replay(state: BoardState, journal: Path) -> None:
        try:
            text = journal.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StateError(f"{journal}: cannot read board state: {exc.strerror}") from exc
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            try:
                record = json.loads(line)
                key = record["key"]
                raw_entry = record["entry"]
                entry = None if raw_entry is None else StateEntry.model_validate(raw_entry)
            except (ValueError, KeyError, TypeError, ValidationError) as exc:
                if number == len(lines):
                    # A run killed mid-append; that item is adopted from the board.
                    break
                raise _unreadable(journal, exc, line=number) from exc
            if entry is None:
                state.items.pop(key, None)
            else:
                state.items[key] = entry

    def save(self, state: BoardState) -> Path:
        """Write the whole state atomically, fold in the journal, and return its path."""
        path = self.path_for(backend=state.backend, board_id=state.board_id)
        try:
            # No indent: it keeps json.dumps on its pure-Python encoder (4x slower at
            # 5,000 items), and the file is read by programs, not people.
            data = json.dumps(state.model_dump(mode="json"), sort_keys=True)
            # Atomic replace of a 0600 file in a 0700 directory, whatever the umask.
            write_private(path, data + "\n")
            # Everything the journal held is in the file now.
            _journal_path(path).unlink(missing_ok=True)
        except OSError as exc:
            raise StateError(f"{path}: cannot write board state: {exc.strerror}") from exc
        return path

    def list_states(self) -> list[tuple[str, str]]:
        """(backend, board id) of every board with a state file."""
        if not self.directory.is_dir():
            return []
        return sorted(self.board_id_from_path(p) for p in self.directory.glob("*.json"))


def _encode_backend(backend: str) -> str:
    # quote() leaves "-" alone; encoded, it can only be the separator.
    return quote(backend, safe="").replace("-", "%2D")


def _journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _unreadable(path: Path, exc: Exception, *, line: int | None = None) -> StateError:
    first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
    what = first.splitlines()[0] if first else type(exc).__name__
    where = f"{path}:{line}" if line is not None else str(path)
    return StateError(
        f"{where}: board state is unreadable: {what}",
        hint="move the file away to let boardsmith rebuild it from the board",
    )
