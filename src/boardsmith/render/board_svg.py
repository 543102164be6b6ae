"""A picture of a board as it is now: participants' stickies, dots and filled slots.

The board's items (a harvest :class:`~boardsmith.harvest.snapshot.Snapshot`, absolute
geometry) are drawn with the same painter as template previews
(:func:`~boardsmith.render.plan_svg.render_plan`), in the order a viewer sees them on
Miro: frames, then large shapes, texts, cards and stickies, and small shapes (dots)
last, so a dot is drawn on the sticky it votes for. Same board, same bytes.
"""

from __future__ import annotations

from boardsmith.harvest.constants import DOT_MAX_SIZE
from boardsmith.harvest.snapshot import SnapItem, Snapshot
from boardsmith.render.plan_svg import render_plan
from boardsmith.templates import Plan, PlanItem

__all__ = ["render_board"]

_DRAWN = ("frame", "shape", "text", "card", "sticky_note")


def _layer(item: SnapItem) -> int:
    if item.type == "frame":
        return 0
    if item.type == "shape" and (item.width > DOT_MAX_SIZE or item.height > DOT_MAX_SIZE):
        return 1
    if item.type == "shape":
        return 4  # dots and markers sit on top of what they mark
    return 2 if item.type in ("text", "card") else 3


def _plan_item(item: SnapItem) -> PlanItem:
    style = dict(item.text_style)
    if item.fill_color:
        style["fillColor"] = item.fill_color
    if item.border_color:
        style["borderColor"] = item.border_color
    return PlanItem(
        key=item.id,
        type=item.type,  # type: ignore[arg-type]  # filtered to plan item types
        x=item.x,
        y=item.y,
        width=max(item.width, 1.0),
        height=max(item.height, 1.0),
        content=item.content,
        shape=item.shape if item.type == "shape" else None,
        style=style,
    )


def render_board(snapshot: Snapshot, *, pixel_width: float = 1600) -> str:
    """The SVG text of the board in ``snapshot``, as it is now."""
    items = sorted(
        (i for i in snapshot.items if i.type in _DRAWN),
        # Within a layer the larger item goes first: a lane behind its "why" box.
        key=lambda i: (_layer(i), -i.width * i.height, i.created_at or "", i.id),
    )
    plan = Plan(
        template="",
        title=snapshot.board_name or snapshot.board_id,
        version=0,
        source_hash="",
        params={},
        items=tuple(_plan_item(i) for i in items),
    )
    return render_plan(plan, pixel_width=pixel_width)
