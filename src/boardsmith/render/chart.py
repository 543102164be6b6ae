"""An SVG bar chart of a tally: one row per term, picks and dots side by side.

The output is deterministic (same tally, same bytes) and self-contained, so it can
be committed, attached to an email or opened in any browser. Terms in the top
``cutoff`` are drawn in a strong colour; terms tied across the cut-off are marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from boardsmith.harvest.model import TallyRecord
from boardsmith.harvest.result import display

__all__ = ["tally_chart_svg"]

_ROW = 28
_BAR = 18
_LABEL_W = 200
_PLOT_W = 420
_PAD = 16
_TOP_COLOUR = "#2d6cdf"
_OTHER_COLOUR = "#9db7e8"
_DOT_COLOUR = "#f2a33a"
_TIE_COLOUR = "#c0392b"


def _num(value: float) -> str:
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def tally_chart_svg(
    tally: TallyRecord,
    *,
    title: str = "Adjectives",
    max_terms: int = 30,
    top: Sequence[str] | None = None,
) -> str:
    """Render the ranked terms as horizontal bars (picks, then dots) in SVG."""
    terms = tally.terms[:max_terms]
    scale_max = max([t.picks + t.dots for t in terms] + [1])
    unit = _PLOT_W / scale_max
    height = _PAD * 3 + 24 + _ROW * max(len(terms), 1) + 20
    width = _PAD * 2 + _LABEL_W + _PLOT_W + 60
    # The board's one result (the group's slots when filled) is what stands out.
    chosen = set(tally.top if top is None else top)
    tied = set(tally.ties_at_cutoff)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Arial, Helvetica, sans-serif" '
        'font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_PAD}" y="{_PAD + 14}" font-size="16" font-weight="bold">'
        f"{escape(title)}</text>",
    ]
    y0 = _PAD * 2 + 24
    if not terms:
        parts.append(f'<text x="{_PAD}" y="{y0 + 14}">No adjectives picked yet.</text>')
    for i, term in enumerate(terms):
        y = y0 + i * _ROW
        label = f"{i + 1}. {display(term)}"
        weight = ' font-weight="bold"' if term.term in chosen else ""
        colour = _TOP_COLOUR if term.term in chosen else _OTHER_COLOUR
        parts.append(
            f'<text x="{_PAD + _LABEL_W - 8}" y="{_num(y + _BAR - 4)}" text-anchor="end"{weight}>'
            f"{escape(label)}</text>"
        )
        x = _PAD + _LABEL_W
        pick_w = term.picks * unit
        dot_w = term.dots * unit
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(pick_w)}" height="{_BAR}" '
            f'fill="{colour}"><title>{escape(term.term)}: {term.picks} picks</title></rect>'
        )
        if term.dots:
            parts.append(
                f'<rect x="{_num(x + pick_w)}" y="{_num(y)}" width="{_num(dot_w)}" '
                f'height="{_BAR}" fill="{_DOT_COLOUR}">'
                f"<title>{escape(term.term)}: {term.dots} dots</title></rect>"
            )
        value = f"{term.picks}" + (f" + {term.dots} dots" if term.dots else "")
        parts.append(
            f'<text x="{_num(x + pick_w + dot_w + 6)}" y="{_num(y + _BAR - 4)}">'
            f"{escape(value)}</text>"
        )
        if term.term in tied:
            parts.append(
                f'<text x="{_PAD + 2}" y="{_num(y + _BAR - 4)}" fill="{_TIE_COLOUR}" '
                f'font-weight="bold">{escape("tie")}</text>'
            )
    legend_y = height - _PAD
    parts.append(
        f'<text x="{_PAD}" y="{legend_y}" fill="#555555">'
        f"{escape('bars: participants who picked (blue) + dot votes (orange)')}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
