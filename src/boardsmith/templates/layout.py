"""Box layout: measure sizes bottom-up, then place top-left corners top-down.

The compiler expands a template into a tree of :class:`Box`; layout gives each
box a size and an absolute top-left corner. Containers (row, column, grid)
are invisible; frames and shapes with children stack them in a padded column.
Layout is pure and raises :class:`LayoutError` with the source path of the
box that does not fit; the compiler turns that into a ``file:line`` error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from boardsmith.templates.escape import escape_text
from boardsmith.templates.plan import sticky_height

SourcePath = tuple[str | int, ...]


class LayoutError(Exception):
    """A box cannot be laid out; ``path`` locates its source element."""

    def __init__(self, path: SourcePath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass
class Box:
    """One node of the expanded tree. ``w``/``h``/``left``/``top`` are computed."""

    kind: str
    path: SourcePath
    key: str | None = None
    children: list[Box] = field(default_factory=list)
    width: float | None = None
    height: float | None = None
    padding: float = 0
    gap: float = 0
    align: str = "start"
    columns: int = 1
    #: Shapes: place the last child at the bottom of the padded area.
    last_at_bottom: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    w: float = 0
    h: float = 0
    left: float = 0
    top: float = 0

    @property
    def in_flow(self) -> bool:
        # Connectors take no room: they join items placed elsewhere.
        return self.kind != "connector"


def text_height(lines: list[str], font_size: float, width: float) -> float:
    """Rendered height of plain-text ``lines`` (the emulator's rule, line by line).

    Counting each line on its own and with its HTML escaping never gives fewer
    lines than the emulator's whole-text count, so containment checked here
    still holds for the height Miro or the emulator reports.
    """
    per_line = 0.55 * font_size / width
    count = sum(max(1, math.ceil(len(escape_text(line)) * per_line)) for line in lines) or 1
    return count * 1.4 * font_size


def measure(box: Box) -> None:
    """Compute ``w`` and ``h`` of ``box`` and everything under it."""
    for child in box.children:
        measure(child)
    flow = [c for c in box.children if c.in_flow]
    if box.kind == "text":
        box.w = float(box.width or 0)
        box.h = text_height(box.data["lines"], box.data["font_size"], box.w)
    elif box.kind == "sticky":
        box.w = float(box.width or 0)
        box.h = sticky_height(box.w, box.data["sticky_shape"])
    elif box.kind == "card":
        box.w, box.h = float(box.width or 0), float(box.height or 0)
    elif box.kind == "connector":
        box.w = box.h = 0
    elif box.kind in ("row", "column", "grid"):
        box.w, box.h = _stack_size(box.kind, flow, box.gap, box.columns)
    elif box.kind in ("shape", "frame"):
        inner_w, inner_h = _stack_size("column", flow, box.gap, 1)
        need_w = inner_w + 2 * box.padding if flow else 0
        need_h = inner_h + 2 * box.padding if flow else 0
        floor = 100.0 if box.kind == "frame" else 40.0
        box.w = _fit(box, "width", box.width, need_w, floor)
        box.h = _fit(box, "height", box.height, need_h, floor)
    else:  # pragma: no cover - the compiler only builds the kinds above
        raise AssertionError(box.kind)


def _fit(box: Box, name: str, fixed: float | None, need: float, floor: float) -> float:
    if fixed is None:
        return max(need, floor)
    if need > fixed + 0.01:
        raise LayoutError(
            box.path,
            f"the children need a {name} of {need:g} but the {box.kind} is {fixed:g}; "
            f"raise {name} or shrink the children (no child may lie outside its {box.kind})",
        )
    return float(fixed)


def _stack_size(kind: str, flow: list[Box], gap: float, columns: int) -> tuple[float, float]:
    if not flow:
        return 0.0, 0.0
    gaps = gap * (len(flow) - 1)
    if kind == "row":
        return sum(c.w for c in flow) + gaps, max(c.h for c in flow)
    if kind == "column":
        return max(c.w for c in flow), sum(c.h for c in flow) + gaps
    cols = min(columns, len(flow))
    rows = math.ceil(len(flow) / columns)
    cell_w = max(c.w for c in flow)
    cell_h = max(c.h for c in flow)
    return cols * cell_w + (cols - 1) * gap, rows * cell_h + (rows - 1) * gap


def place(box: Box, left: float, top: float) -> None:
    """Give ``box`` (already measured) and its subtree absolute top-left corners."""
    box.left, box.top = left, top
    flow = [c for c in box.children if c.in_flow]
    if box.kind in ("shape", "frame"):
        _place_stack("column", flow, left + box.padding, top + box.padding, box)
    elif box.kind in ("row", "column", "grid"):
        _place_stack(box.kind, flow, left, top, box)


def _offset(align: str, room: float, size: float) -> float:
    if align == "center":
        return (room - size) / 2
    if align == "end":
        return room - size
    return 0.0


def _place_stack(kind: str, flow: list[Box], left: float, top: float, box: Box) -> None:
    if not flow:
        return
    if box.kind in ("shape", "frame"):
        room_w, room_h = box.w - 2 * box.padding, box.h - 2 * box.padding
        align = "start"
    else:
        room_w, room_h = box.w, box.h
        align = box.align
    if kind == "grid":
        cell_w = max(c.w for c in flow)
        cell_h = max(c.h for c in flow)
        for index, child in enumerate(flow):
            col, row = index % box.columns, index // box.columns
            x = left + col * (cell_w + box.gap) + (cell_w - child.w) / 2
            y = top + row * (cell_h + box.gap) + (cell_h - child.h) / 2
            place(child, x, y)
        return
    cursor = left if kind == "row" else top
    for index, child in enumerate(flow):
        if kind == "row":
            place(child, cursor, top + _offset(align, room_h, child.h))
            cursor += child.w + box.gap
        elif box.last_at_bottom and index == len(flow) - 1 and index > 0:
            # Measuring made room for it (height >= need), so it stays below the others.
            place(child, left + _offset(align, room_w, child.w), top + room_h - child.h)
        else:
            place(child, left + _offset(align, room_w, child.w), cursor)
            cursor += child.h + box.gap
