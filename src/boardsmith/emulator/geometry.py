"""Sizes the emulator reports, pinned in docs/architecture.md so layouts agree with it."""

from __future__ import annotations

import html
import math
import re

STICKY_HEIGHT = 228.0
STICKY_WIDTH = {"square": 199.0, "rectangle": 350.0}
_TAG = re.compile(r"<[^>]*>")


def sticky_size(shape: str, width: float | None, height: float | None) -> tuple[float, float]:
    """(width, height) of a sticky note given only its width or only its height."""
    ratio = STICKY_HEIGHT / STICKY_WIDTH[shape]
    if width is not None:
        return width, width * ratio
    if height is not None:
        return height / ratio, height
    return STICKY_WIDTH[shape], STICKY_HEIGHT


def plain_text(content: str) -> str:
    """Miro's HTML subset reduced to the characters a reader sees."""
    return html.unescape(_TAG.sub("", content))


def text_height(content: str, width: float, font_size: float) -> float:
    """Height of a text item: wrapped lines (at least one) times 1.4 × font size."""
    chars = len(plain_text(content))
    lines = max(1, math.ceil(chars * 0.55 * font_size / width))
    return lines * 1.4 * font_size
