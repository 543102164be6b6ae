"""``--boards-from FILE``: a district's boards, one per line, each with its label.

A line is a board id or URL, then optionally its label (a school's name), separated
by whitespace; blank lines and lines starting with ``#`` are skipped. The label is how
the board is named in every output.
"""

from __future__ import annotations

from pathlib import Path

from boardsmith.cli.options import board_ref
from boardsmith.errors import UsageError

__all__ = ["Collection", "boards_to_read", "read_collection", "with_earlier"]

#: Board ids in the order given, and each one's label (when the file gave one).
Collection = tuple[list[str], dict[str, str]]


def read_collection(path: Path, *, flag: str = "--boards-from") -> Collection:
    """The boards a collection file lists; a bad line is an error at its line number
    (``flag`` names the option that gave the file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{flag} {path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{flag} {path}: not a UTF-8 text file") from None
    ids: list[str] = []
    labels: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        ref, *rest = stripped.split(maxsplit=1)
        label = rest[0] if rest else ""
        board_id = board_ref(ref, flag=f"{flag} {path}:{number}:")
        if board_id in labels or board_id in ids:
            raise UsageError(f"{flag} {path}:{number}: board {board_id} is listed twice")
        ids.append(board_id)
        if label.strip():
            labels[board_id] = label.strip()
    if not ids:
        raise UsageError(f"{flag} {path}: lists no boards")
    return ids, labels


def boards_to_read(board_ids: list[str] | None, boards_from: Path | None) -> Collection:
    """The boards named on the command line, then those of the file."""
    ids = list(board_ids or [])
    labels: dict[str, str] = {}
    if boards_from is not None:
        listed, labels = read_collection(boards_from)
        ids += [b for b in listed if b not in ids]
    if not ids:
        raise UsageError("BOARD...: give a board id or URL, or --boards-from FILE")
    return ids, labels


def with_earlier(
    ids: list[str], labels: dict[str, str], since: Path
) -> tuple[list[str], dict[str, str]]:
    """Last time's boards (``--since FILE``): their ids, never one of this time's, and
    their labels added to ``labels``."""
    earlier, then_labels = read_collection(since, flag="--since")
    for board_id in earlier:
        if board_id in ids:
            raise UsageError(
                f"--since {since}: board {board_id} is also on this time's list; "
                "--since lists last time's boards"
            )
    return earlier, {**then_labels, **labels}
