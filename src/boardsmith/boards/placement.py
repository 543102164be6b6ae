"""Where a template goes on a board that already has content.

A template is placed to the right of the bounding box of everything on the
board (plus a margin), top-aligned with it, so it never covers anyone's work.
Connectors have no geometry and do not count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from boardsmith.boards.diff import BoardItem
from boardsmith.boards.requests import Placement
from boardsmith.templates.plan import Plan

#: Gap between existing content and a template placed beside it.
MARGIN = 400.0


def bounding_box(items: Iterable[BoardItem]) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of the items that have a geometry, or ``None``."""
    boxes = [
        (i.left, i.top, i.right, i.bottom)
        for i in items
        if i.type != "connector" and i.width is not None and i.height is not None
    ]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def plan_box(plan: Plan) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of the plan's items with a geometry."""
    items = [i for i in plan.items if i.type != "connector"]
    if not items:
        return None
    return (
        min(i.left for i in items),
        min(i.top for i in items),
        max(i.right for i in items),
        max(i.bottom for i in items),
    )


def beside(plan: Plan, existing: Iterable[BoardItem], margin: float = MARGIN) -> Placement:
    """The placement that puts ``plan`` right of ``existing`` content, top-aligned.

    An empty board keeps the plan's own coordinates.
    """
    taken = bounding_box(existing)
    own = plan_box(plan)
    if taken is None or own is None:
        return Placement()
    # Whole numbers keep the coordinates sent (and stored) readable; rounding
    # dx up never eats into the margin.
    dx = math.ceil(taken[2] + margin - own[0])
    dy = round(taken[1] - own[1])
    return Placement(float(dx), float(dy))
