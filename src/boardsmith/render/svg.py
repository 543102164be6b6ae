"""Small, dependency-free SVG building blocks with escaping and fixed number formatting.

Used by the plan preview and reusable by charts. Output is deterministic: the
same calls give the same bytes (no ids, no timestamps, numbers rounded to 0.01).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Average glyph width as a share of the font size (the emulator's text rule uses it too).
CHAR_WIDTH = 0.55
LINE_HEIGHT = 1.4


def escape_xml(text: str) -> str:
    """Escape text for SVG element content and attribute values."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def num(value: float) -> str:
    """A coordinate as short, stable text: ``12``, ``12.5``, ``-0.25``."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def wrap(text: str, width: float, font_size: float) -> list[str]:
    """Greedy word wrap of ``text`` (newlines kept) into lines that fit ``width``.

    A word too long for a line breaks after its hyphens first, as Miro does
    ("Learning-" / "oriented"); only a piece that still does not fit is cut.
    """
    per_line = max(1, int(width / (CHAR_WIDTH * font_size)))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            pieces = hyphen_pieces(word) if len(word) > per_line else [word]
            for index, piece in enumerate(pieces):
                # Pieces of one word join without a space.
                sep = "" if index > 0 else " "
                while len(piece) > per_line:  # a piece longer than the line is cut
                    if current:
                        lines.append(current)
                        current = ""
                    lines.append(piece[:per_line])
                    piece = piece[per_line:]
                candidate = f"{current}{sep}{piece}" if current else piece
                if len(candidate) <= per_line:
                    current = candidate
                else:
                    lines.append(current)
                    current = piece
        lines.append(current)
    return lines


def hyphen_pieces(word: str) -> list[str]:
    """``"Learning-oriented"`` -> ``["Learning-", "oriented"]`` (each piece keeps its hyphen)."""
    pieces = [piece + "-" for piece in word.split("-")]
    pieces[-1] = pieces[-1][:-1]
    return [piece for piece in pieces if piece]


@dataclass
class Svg:
    """An SVG document in user units; add shapes, then :meth:`render`."""

    min_x: float
    min_y: float
    width: float
    height: float
    pixel_width: float = 1600
    background: str = "#f2f2f2"
    parts: list[str] = field(default_factory=list)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str = "#ffffff",
        stroke: str | None = None,
        stroke_width: float = 1,
        radius: float = 0,
        dash: str | None = None,
        opacity: float | None = None,
    ) -> None:
        """A rectangle with top-left corner ``(x, y)``."""
        attrs = [f'x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"']
        if radius:
            attrs.append(f'rx="{num(radius)}"')
        attrs.append(_paint(fill, stroke, stroke_width, dash, opacity))
        self.parts.append(f"<rect {' '.join(attrs)}/>")

    def ellipse(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float,
        *,
        fill: str = "#ffffff",
        stroke: str | None = None,
        stroke_width: float = 1,
        dash: str | None = None,
    ) -> None:
        """An ellipse centred on ``(cx, cy)``."""
        self.parts.append(
            f'<ellipse cx="{num(cx)}" cy="{num(cy)}" rx="{num(rx)}" ry="{num(ry)}" '
            f"{_paint(fill, stroke, stroke_width, dash, None)}/>"
        )

    def polygon(
        self,
        points: Sequence[tuple[float, float]],
        *,
        fill: str = "#ffffff",
        stroke: str | None = None,
        stroke_width: float = 1,
    ) -> None:
        """A closed polygon through ``points``."""
        pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self.parts.append(
            f'<polygon points="{pts}" {_paint(fill, stroke, stroke_width, None, None)}/>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, *, stroke: str, width: float = 2
    ) -> None:
        """A straight line."""
        self.parts.append(
            f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
            f'stroke="{escape_xml(stroke)}" stroke-width="{num(width)}"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        lines: Sequence[str],
        *,
        font_size: float,
        color: str = "#1a1a1a",
        anchor: str = "start",
        weight: str | None = None,
    ) -> None:
        """Lines of text; ``y`` is the top of the first line."""
        if not lines:
            return
        step = LINE_HEIGHT * font_size
        bold = f' font-weight="{weight}"' if weight else ""
        spans = "".join(
            f'<tspan x="{num(x)}" y="{num(y + step * i + font_size)}">{escape_xml(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.parts.append(
            f'<text font-family="Arial, Helvetica, sans-serif" font-size="{num(font_size)}" '
            f'fill="{escape_xml(color)}" text-anchor="{anchor}"{bold}>{spans}</text>'
        )

    def render(self) -> str:
        """The document as text, ending with a newline."""
        pixel_height = self.pixel_width * self.height / self.width if self.width else 0
        head = (
            '<svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="{num(self.min_x)} {num(self.min_y)} {num(self.width)} {num(self.height)}" '
            f'width="{num(self.pixel_width)}" height="{num(pixel_height)}">'
        )
        background = (
            f'<rect x="{num(self.min_x)}" y="{num(self.min_y)}" width="{num(self.width)}" '
            f'height="{num(self.height)}" fill="{escape_xml(self.background)}"/>'
        )
        return "\n".join([head, background, *self.parts, "</svg>"]) + "\n"


def _paint(
    fill: str, stroke: str | None, stroke_width: float, dash: str | None, opacity: float | None
) -> str:
    out = f'fill="{escape_xml(fill)}"'
    if stroke:
        out += f' stroke="{escape_xml(stroke)}" stroke-width="{num(stroke_width)}"'
    if dash:
        out += f' stroke-dasharray="{escape_xml(dash)}"'
    if opacity is not None:
        out += f' fill-opacity="{num(opacity)}"'
    return out
