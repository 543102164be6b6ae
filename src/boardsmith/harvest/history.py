"""Board history: what every read of a board saw, so attribution survives the workshop.

The Leadership Vision protocol ends with the group dragging its chosen stickies out of
the participants' lanes into the top slots. After that drag the board alone no longer
says who picked what, and dots left behind in a lane no longer sit on the sticky they
voted for. Every read (harvest, tally, narrow, watch) therefore records, per board,
where each item was: its type, text, parent, position, who created and last modified
it, when it was seen, the lane a sticky was last seen in, and the sticky a dot was
last seen on. Harvest consults that memory first and falls back to Miro's
``createdBy``/``modifiedBy`` only for what it never saw.

The file is ``<data dir>/history/<backend>-<board id>.jsonl``, mode 0600, in a 0700
directory. It holds data about the board, never a token. Its first line is a header
with :data:`HISTORY_FORMAT` and :data:`HISTORY_VERSION`; each later line is one read:
the items that changed since the previous read and the ids that disappeared. It is
append-only between compactions, and bounded: once it holds
:data:`COMPACT_AFTER_READS` reads, or more than :data:`COMPACT_RATIO` records per item
on the board, it is rewritten as one read holding only the items on the board now, so
it never holds more than ``COMPACT_RATIO + 1`` records per item on the board (plus
one line per read). Items deleted from the board are forgotten: nothing needs them.

A history that cannot be read (corrupt, truncated, written by a newer boardsmith) is
moved aside to ``<file>.unreadable``, reported in one line naming both files, and the
harvest runs without it.
"""

from __future__ import annotations

import json
import operator
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote

from boardsmith.harvest.shapes import ShapeAnswers
from boardsmith.miro.json_text import loads
from boardsmith.private_files import append_private, private_dir, write_private

__all__ = [
    "COMPACT_AFTER_READS",
    "COMPACT_RATIO",
    "HISTORY_FORMAT",
    "HISTORY_VERSION",
    "BoardHistory",
    "HistoryStore",
    "Sighting",
    "sighted",
]

HISTORY_FORMAT = "boardsmith.history"
HISTORY_VERSION = 1
#: Reads appended before the file is folded into one.
COMPACT_AFTER_READS = 40
#: Records per item on the board the appended reads may hold before the file is folded.
COMPACT_RATIO = 4


@dataclass(frozen=True)
class Sighting:
    """What the reads of a board remember about one item."""

    id: str
    type: str
    text: str = ""
    parent: str | None = None
    x: float = 0.0
    y: float = 0.0
    created_by: str | None = None
    modified_by: str | None = None
    modified_at: str | None = None
    #: When a read last saw the item (the read's own time, ISO 8601 UTC), as the file
    #: has it; ``""`` for what the latest read saw, since that read saw every item it kept.
    #: Not compared: two sightings of the same thing are equal, whenever they were made.
    seen: str = field(default="", compare=False)
    #: Stickies: the lane region key, and its participant then, where it was last seen in a lane.
    lane: str | None = None
    lane_name: str | None = None
    #: Dots: the sticky it was last seen on, and where the dot itself was then.
    on: str | None = None
    on_x: float | None = None
    on_y: float | None = None

    def same_place(self, x: float, y: float, tolerance: float) -> bool:
        """Whether (x, y) is where the dot was when it was seen on :attr:`on`."""
        if self.on_x is None or self.on_y is None:
            return False
        return abs(self.on_x - x) <= tolerance and abs(self.on_y - y) <= tolerance


_KEYS = tuple(f.name for f in fields(Sighting))
_FIELDS = set(_KEYS)
_NUMBERS = {"x", "y", "on_x", "on_y"}
_DEFAULTS = {k: getattr(Sighting(id="", type=""), k) for k in _KEYS}
_DEFAULTS["id"] = _DEFAULTS["type"] = object()  # always written
_CONTENT = tuple(k for k in _KEYS if k != "seen")


def _to_json(sighting: Sighting, seen: str) -> dict[str, Any]:
    # Defaults are left out so a line holds only what the read learned. (Plain getattr:
    # dataclasses.asdict deep-copies and costs seconds on a 10,000-item board.)
    line = {k: v for k in _KEYS if (v := getattr(sighting, k)) != _DEFAULTS[k]}
    line["seen"] = seen
    return line


_CONTENT_OF = operator.attrgetter(*_CONTENT)


def _content(sighting: Sighting) -> tuple[Any, ...]:
    """What a read saw, without when: two reads that saw the same thing are equal."""
    # attrgetter builds the tuple in C: a watch compares every item every refresh.
    content: tuple[Any, ...] = _CONTENT_OF(sighting)
    return content


def sighted(before: Sighting | None, content: tuple[Any, ...]) -> Sighting:
    """What a read saw of one item, from its ``content`` (the fields of
    :class:`Sighting` but ``seen``, in order): ``before`` itself when an earlier read saw
    just that, so recording an unchanged item is an identity check, else a new one."""
    if before is not None and _content(before) == content:
        return before
    return Sighting(**dict(zip(_CONTENT, content, strict=True)))


def _from_json(raw: Any) -> Sighting:
    if not isinstance(raw, Mapping):
        raise ValueError("an item without an id")
    shape = (type(raw), tuple(raw), tuple(map(type, raw.values())))
    problem = _PROBLEMS.get(shape, _problem, raw)
    if problem is not None:
        raise ValueError(problem)
    if "type" not in raw:
        return Sighting(**raw)  # raises the TypeError that names the missing field
    # Every field is given (the defaults under what the line holds), so the frozen
    # dataclass's __dict__ is filled at once, as its __init__ would fill it field by
    # field: a third of loading a 10,000-item history.
    sighting: Sighting = _new_sighting(Sighting)
    sighting.__dict__.update(_ALL_DEFAULTS, **raw)
    return sighting


def _problem(raw: Mapping[str, Any]) -> str | None:
    """Why a line's item is not a sighting (``None``: it is one). It depends only on
    the item's keys and the types of its values, so it is asked once per shape."""
    if not isinstance(raw.get("id"), str):
        return "an item without an id"
    unknown = set(raw) - _FIELDS
    if unknown:
        return f"unknown field {sorted(unknown)[0]!r}"
    for name, value in raw.items():
        ok = (
            isinstance(value, int | float) and not isinstance(value, bool)
            if name in _NUMBERS
            else isinstance(value, str)
        )
        if value is not None and not ok:
            return f"field {name!r} has the wrong type"
    return None


_PROBLEMS: ShapeAnswers[str | None] = ShapeAnswers()
_new_sighting = object.__new__
#: Every field's default, in the order of the fields (``id`` and ``type`` are always
#: in a line).
_ALL_DEFAULTS = {k: getattr(Sighting(id="", type=""), k) for k in _KEYS}


@dataclass
class BoardHistory:
    """One board's memory, as loaded; ``problem`` says why an unreadable one was set aside."""

    backend: str
    board_id: str
    path: Path
    items: dict[str, Sighting] = field(default_factory=dict)
    reads: int = 0
    records: int = 0
    problem: str | None = None

    @property
    def empty(self) -> bool:
        """True when no earlier read was recorded (attribution falls back to authors)."""
        return not self.items

    def get(self, item_id: str) -> Sighting | None:
        """What earlier reads remember of this item."""
        return self.items.get(item_id)


class HistoryStore:
    """Board histories under ``<data dir>/history/``."""

    def __init__(self, home: Path) -> None:
        self.directory = home / "history"

    def path(self, *, backend: str, board_id: str) -> Path:
        """Where the history of this board lives."""
        return self.directory / f"{quote(backend, safe='')}-{quote(board_id, safe='')}.jsonl"

    def load(self, *, backend: str, board_id: str) -> BoardHistory:
        """The board's history; empty when there is none or it could not be read."""
        path = self.path(backend=backend, board_id=board_id)
        history = BoardHistory(backend=backend, board_id=board_id, path=path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return history
        except OSError as exc:
            history.problem = f"board history {path} cannot be read ({exc.strerror}); "
            history.problem += "harvesting without it"
            return history
        try:
            _replay(history, text)
        except ValueError as exc:
            aside = path.with_name(path.name + ".unreadable")
            try:
                os.replace(path, aside)
                kept = f"moved to {aside}"
            except OSError:
                kept = "left in place"
            history.items.clear()
            history.reads = history.records = 0
            history.problem = (
                f"board history {path} is unreadable ({exc}); {kept}, harvesting without it"
            )
        return history

    def record(
        self, history: BoardHistory, seen: Iterable[Sighting], *, read_at: str
    ) -> BoardHistory:
        """Append what one read saw; the returned history is the memory after it.

        ``seen`` is every item the read found; items it did not find are forgotten.
        """
        # Every item in the memory after this read was seen by it: ``seen`` is written
        # into the file as the read's time, never stamped onto (a copy of) each item.
        now = {s.id: s for s in seen}
        changed = [
            s
            for ident, s in now.items()
            if (old := history.items.get(ident)) is not s
            and (old is None or _content(old) != _content(s))
        ]
        gone = sorted(set(history.items) - set(now))
        after = BoardHistory(
            backend=history.backend,
            board_id=history.board_id,
            path=history.path,
            items=now,
            reads=history.reads + 1,
            records=history.records + len(changed),
        )
        private_dir(self.directory)
        fresh = history.reads == 0 or not history.path.exists()
        if (
            fresh
            or after.reads > COMPACT_AFTER_READS
            or after.records > COMPACT_RATIO * max(len(now), 1)
        ):
            self._compact(after, read_at)
            return after
        line = {"read": read_at, "items": [_to_json(s, read_at) for s in changed], "gone": gone}
        append_private(history.path, json.dumps(line, separators=(",", ":")) + "\n", fsync=False)
        return after

    def _compact(self, history: BoardHistory, read_at: str) -> None:
        header = {
            "format": HISTORY_FORMAT,
            "version": HISTORY_VERSION,
            "backend": history.backend,
            "board_id": history.board_id,
        }
        body = {"read": read_at, "items": [_to_json(s, read_at) for s in history.items.values()]}
        write_private(
            history.path,
            json.dumps(header, separators=(",", ":"))
            + "\n"
            + json.dumps(body, separators=(",", ":"))
            + "\n",
        )
        history.reads = 1
        history.records = len(history.items)


def _replay(history: BoardHistory, text: str) -> None:
    """Fold every read of a history file into ``history`` (raises ValueError, saying
    which line, on a file this boardsmith cannot read)."""
    if not text.strip():
        raise ValueError("the file is empty")
    lines = text.split("\n")
    complete = text.endswith("\n")
    if complete:
        lines.pop()
    for number, line in enumerate(lines, 1):
        data = _record(line, number, last=number == len(lines) and not complete)
        if number == 1:
            _check_header(data)
        else:
            _apply_read(history, data, number)


def _record(line: str, number: int, *, last: bool) -> dict[str, Any]:
    """One line of the file as a JSON object."""
    try:
        data = loads(line)
    except ValueError:
        # A last line without its newline is a write that was cut off.
        raise ValueError(f"line {number} is {'truncated' if last else 'not JSON'}") from None
    if not isinstance(data, dict):
        raise ValueError(f"line {number} is not a record")
    return data


def _check_header(data: Mapping[str, Any]) -> None:
    if data.get("format") != HISTORY_FORMAT:
        raise ValueError("line 1 is not a boardsmith history header")
    version = data.get("version")
    if not isinstance(version, int) or version > HISTORY_VERSION:
        raise ValueError(f"format version {version!r} is newer than this boardsmith reads")


def _apply_read(history: BoardHistory, data: Mapping[str, Any], number: int) -> None:
    """One read: its sightings replace what earlier reads saw; ``gone`` ids are dropped."""
    items, gone = data.get("items", []), data.get("gone", [])
    if not isinstance(items, list) or not isinstance(gone, list):
        raise ValueError(f"line {number} is not a read")
    try:
        for raw in items:
            sighting = _from_json(raw)
            history.items[sighting.id] = sighting
    except (TypeError, ValueError) as exc:
        raise ValueError(f"line {number}: {exc}") from None
    for ident in gone:
        history.items.pop(str(ident), None)
    history.reads += 1
    history.records += len(items)
