"""Render a :class:`~boardsmith.templates.Plan` as an SVG that looks like the board.

Frames are white panels with their title above, sticky notes use Miro's
sticky colours, shapes keep their fill, border and text alignment, and all
text is wrapped inside its box and escaped. Same plan, same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from boardsmith.render.svg import CHAR_WIDTH, LINE_HEIGHT, Svg, hyphen_pieces, wrap
from boardsmith.templates import Plan, PlanItem

#: How Miro paints each sticky note ``fillColor`` (approximate UI colours).
STICKY_FILL: dict[str, str] = {
    "gray": "#e6e6e6",
    "light_yellow": "#fff9b1",
    "yellow": "#f5d128",
    "orange": "#ff9d48",
    "light_green": "#d5f692",
    "green": "#c9df56",
    "dark_green": "#93d275",
    "cyan": "#67c6c0",
    "light_pink": "#ffcee0",
    "pink": "#ea94bb",
    "violet": "#c6a2d2",
    "red": "#f0939d",
    "light_blue": "#a6ccf5",
    "blue": "#6cd8fa",
    "dark_blue": "#9ea9ff",
    "black": "#000000",
}
_DASH = {"dotted": "2 6", "dashed": "12 8"}
_MARGIN = 120


def render_plan(plan: Plan, *, pixel_width: float = 1600) -> str:
    """The SVG text of ``plan`` (board coordinates, y down)."""
    left, top, right, bottom = _extent(plan)
    svg = Svg(left, top, right - left, bottom - top, pixel_width=pixel_width)
    # Frames first, as Miro draws them under everything; the rest in plan order.
    for item in plan.items:
        if item.type == "frame":
            _frame(svg, item)
    for item in plan.items:
        if item.type == "connector":
            _connector(svg, plan, item)
        elif item.type in _DRAW:
            _DRAW[item.type](svg, item)
    return svg.render()


def _extent(plan: Plan) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of what the plan draws, with a margin around it."""
    drawn = [item for item in plan.items if item.type != "connector"]
    if not drawn:
        return -500.0, -500.0, 500.0, 500.0
    return (
        min(item.left for item in drawn) - _MARGIN,
        min(item.top for item in drawn) - _MARGIN,
        max(item.right for item in drawn) + _MARGIN,
        max(item.bottom for item in drawn) + _MARGIN,
    )


def _connector(svg: Svg, plan: Plan, item: PlanItem) -> None:
    start, end = plan.by_key.get(item.start or ""), plan.by_key.get(item.end or "")
    if start is not None and end is not None:
        colour = item.style.get("strokeColor", "#1a1a1a")
        width = float(item.style.get("strokeWidth", "2"))
        svg.line(start.x, start.y, end.x, end.y, stroke=colour, width=width)


def _frame(svg: Svg, item: PlanItem) -> None:
    svg.rect(
        item.left,
        item.top,
        item.width,
        item.height,
        fill=item.style.get("fillColor", "#ffffff"),
        stroke="#c3c3c3",
        stroke_width=2,
    )
    title_size = 28.0
    svg.text(
        item.left,
        item.top - title_size * LINE_HEIGHT - 8,
        [item.plain_text],
        font_size=title_size,
        color="#555555",
    )


def _shape(svg: Svg, item: PlanItem) -> None:
    fill = item.style.get("fillColor", "#ffffff")
    stroke = item.style.get("borderColor", "#1a1a1a")
    stroke_width = float(item.style.get("borderWidth", "2"))
    dash = _DASH.get(item.style.get("borderStyle", "normal"))
    kind = item.shape or "rectangle"
    if kind == "circle":
        svg.ellipse(
            item.x,
            item.y,
            item.width / 2,
            item.height / 2,
            fill=fill,
            stroke=stroke,
            stroke_width=stroke_width,
            dash=dash,
        )
    elif kind == "rhombus":
        points = [
            (item.x, item.top),
            (item.right, item.y),
            (item.x, item.bottom),
            (item.left, item.y),
        ]
        svg.polygon(points, fill=fill, stroke=stroke, stroke_width=stroke_width)
    elif kind == "triangle":
        points = [(item.x, item.top), (item.right, item.bottom), (item.left, item.bottom)]
        svg.polygon(points, fill=fill, stroke=stroke, stroke_width=stroke_width)
    else:
        radius = min(item.width, item.height) * 0.08 if kind == "round_rectangle" else 0
        svg.rect(
            item.left,
            item.top,
            item.width,
            item.height,
            fill=fill,
            stroke=stroke,
            stroke_width=stroke_width,
            radius=radius,
            dash=dash,
        )
    font_size = float(item.style.get("fontSize", "14"))
    _boxed_text(svg, item, font_size, item.style.get("color", "#1a1a1a"), padding=12)


#: A sticky's text margin, as a share of the note's width.
_STICKY_PAD = 0.08
#: The largest sticky text, as a share of the note's width (a one-digit rating).
_STICKY_MAX_FONT = 0.25
_MIN_FONT = 6.0


def _sticky(svg: Svg, item: PlanItem) -> None:
    fill = STICKY_FILL.get(item.style.get("fillColor", "light_yellow"), "#fff9b1")
    svg.rect(item.left + 4, item.top + 6, item.width, item.height, fill="#000000", opacity=0.12)
    svg.rect(item.left, item.top, item.width, item.height, fill=fill)
    colour = "#ffffff" if item.style.get("fillColor") == "black" else "#1a1a1a"
    _boxed_text(svg, item, _sticky_font_size(item), colour, padding=item.width * _STICKY_PAD)


def _sticky_font_size(item: PlanItem) -> float:
    """The font size Miro's auto-sized sticky text roughly takes: as large as fits the
    note, so a "3" on a small note reads at a glance and a sentence shrinks until its
    longest word fits a line and all of its lines fit the note."""
    inner_w = item.width * (1 - 2 * _STICKY_PAD)
    inner_h = item.height * (1 - 2 * _STICKY_PAD)
    text = item.plain_text
    longest = max(
        (len(piece) for word in text.split() for piece in hyphen_pieces(word)),
        default=1,
    )
    # No larger than the note, its longest word, or its text packed without gaps (an
    # upper bound: wrapping leaves ends of lines empty), then shrunk in 10 % steps
    # until the wrapped lines fit: a wrap or two a note (a board picture draws
    # thousands).
    packed = math.sqrt(inner_w * inner_h / (CHAR_WIDTH * LINE_HEIGHT * max(len(text), 1)))
    size = min(item.width * _STICKY_MAX_FONT, inner_w / (CHAR_WIDTH * longest), packed)
    while size > _MIN_FONT and len(wrap(text, inner_w, size)) * LINE_HEIGHT * size > inner_h:
        size *= 0.9
    # Rounded down: a size rounded up could wrap the longest word onto two lines.
    return max(_MIN_FONT, math.floor(size * 10) / 10)


def _card(svg: Svg, item: PlanItem) -> None:
    svg.rect(
        item.left,
        item.top,
        item.width,
        item.height,
        fill="#ffffff",
        stroke=item.style.get("cardTheme", "#2d9bf0"),
        stroke_width=3,
        radius=6,
    )
    _boxed_text(svg, item, 14.0, "#1a1a1a", padding=12)


def _text(svg: Svg, item: PlanItem) -> None:
    font_size = float(item.style.get("fontSize", "14"))
    lines = wrap(item.plain_text, item.width, font_size)
    align = item.style.get("textAlign", "left")
    x, anchor = _anchor(item.left, item.width, align)
    svg.text(
        x,
        item.top,
        lines,
        font_size=font_size,
        color=item.style.get("color", "#1a1a1a"),
        anchor=anchor,
    )


def _boxed_text(svg: Svg, item: PlanItem, font_size: float, colour: str, *, padding: float) -> None:
    text = item.plain_text
    if not text:
        return
    inner_w = max(1.0, item.width - 2 * padding)
    lines = wrap(text, inner_w, font_size)
    height = len(lines) * LINE_HEIGHT * font_size
    valign = item.style.get("textAlignVertical", "middle")
    if valign == "top":
        y = item.top + padding
    elif valign == "bottom":
        y = item.bottom - padding - height
    else:
        y = item.y - height / 2
    x, anchor = _anchor(item.left + padding, inner_w, item.style.get("textAlign", "center"))
    svg.text(x, y, lines, font_size=font_size, color=colour, anchor=anchor)


def _anchor(left: float, width: float, align: str) -> tuple[float, str]:
    if align == "center":
        return left + width / 2, "middle"
    if align == "right":
        return left + width, "end"
    return left, "start"


#: How each item type is drawn after the frames (connectors need the plan: see above).
_DRAW: dict[str, Callable[[Svg, PlanItem], None]] = {
    "shape": _shape,
    "sticky_note": _sticky,
    "text": _text,
    "card": _card,
}
