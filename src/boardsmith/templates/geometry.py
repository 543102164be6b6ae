"""Box geometry of board items: edges from a centre and a size, and point containment.

Miro places every item by its centre; the plan (:mod:`boardsmith.templates.plan`), the
board as ``boards/`` reads it and the harvest's snapshot and records all need the same
edges. This module is that one definition: :class:`CentredBox` for classes that carry
``x``, ``y``, ``width`` and ``height``, and the functions under it for the rest (an
item whose size may be unknown, a region stored by its edges). It sits in
``templates/``, the lowest layer ``boards/`` and ``harvest/`` may both import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["CentredBox", "bottom_edge", "inside", "left_edge", "right_edge", "top_edge"]


def left_edge(x: float, width: float) -> float:
    """The left edge of a box centred on ``x``."""
    return x - width / 2


def right_edge(x: float, width: float) -> float:
    """The right edge of a box centred on ``x``."""
    return x + width / 2


def top_edge(y: float, height: float) -> float:
    """The top edge of a box centred on ``y`` (y grows downward)."""
    return y - height / 2


def bottom_edge(y: float, height: float) -> float:
    """The bottom edge of a box centred on ``y`` (y grows downward)."""
    return y + height / 2


def inside(left: float, top: float, right: float, bottom: float, x: float, y: float) -> bool:
    """Whether the point lies in the box with these edges (edges included)."""
    return left <= x <= right and top <= y <= bottom


class CentredBox:
    """Edges and containment for a class with centre ``x``, ``y`` and a size.

    A mixin: it holds no data (pydantic models and dataclasses alike can use it) and
    declares the four attributes only for the type checker, so pydantic never takes
    them for fields of its own.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        x: float
        y: float
        width: float
        height: float

    @property
    def left(self) -> float:
        return left_edge(self.x, self.width)

    @property
    def top(self) -> float:
        return top_edge(self.y, self.height)

    @property
    def right(self) -> float:
        return right_edge(self.x, self.width)

    @property
    def bottom(self) -> float:
        return bottom_edge(self.y, self.height)

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies inside (edges included)."""
        return inside(self.left, self.top, self.right, self.bottom, x, y)
