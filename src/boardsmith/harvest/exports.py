"""Exports of a harvest as data: JSON (the schema) and CSV (one row per sticky).

The reports (Markdown, HTML) are written by :mod:`boardsmith.render.report`.

CSV cells are written for spreadsheets, which run a cell starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return as a formula; such text cells get a leading
``'`` so a sticky reading ``=HYPERLINK(...)`` stays text. Numbers are left as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from boardsmith.harvest.model import BoardHarvest, HarvestDocument

__all__ = ["CSV_COLUMNS", "neutralise_cell", "to_csv", "to_json"]

CSV_COLUMNS: tuple[str, ...] = (
    "board_id",
    "sticky_id",
    "region",
    "role",
    "participant",
    "raw_text",
    "term",
    "colour",
    "x",
    "y",
    "created_by",
    "created_at",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to text a spreadsheet would evaluate as a formula."""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_json(document: HarvestDocument) -> str:
    """The harvest document as JSON (see docs/schemas/harvest.schema.json)."""
    return document.to_json()


def _rows(board: BoardHarvest) -> Iterable[list[str | float]]:
    for sticky in board.stickies:
        creator = sticky.created_by
        yield [
            board.board_id,
            sticky.id,
            sticky.region or "",
            sticky.role or "",
            sticky.participant or "",
            sticky.text,
            "; ".join(sticky.terms),
            sticky.colour or "",
            round(sticky.bounds.x, 2),
            round(sticky.bounds.y, 2),
            (creator.name or creator.id) if creator else "",
            sticky.created_at or "",
        ]


def to_csv(document: HarvestDocument) -> str:
    """One row per sticky of every board, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for board in document.boards:
        for row in _rows(board):
            writer.writerow([neutralise_cell(c) if isinstance(c, str) else c for c in row])
    return out.getvalue()
