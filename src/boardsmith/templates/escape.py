"""Escaping text for Miro's HTML subset and turning names into key segments."""

from __future__ import annotations

import html
import re

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def escape_text(text: str) -> str:
    """Escape plain text so Miro shows it literally (``<b>Ana</b>`` stays visible markup).

    Miro renders a small HTML subset in item content, so ``&``, ``<`` and ``>``
    must be escaped; quotes are harmless inside content and are left alone so
    the stored text stays readable.
    """
    return html.escape(text, quote=False)


def unescape_text(content: str) -> str:
    """Invert :func:`escape_text` (for frame titles, previews and comparisons)."""
    return html.unescape(content)


def slugify(text: str) -> str:
    """A lowercase ASCII key segment for ``text`` (``"Ana María"`` -> ``"ana-mar-a"``).

    Never empty: text without any letter or digit becomes ``"x"``.
    """
    slug = _SLUG_DROP.sub("-", text.lower()).strip("-")
    return slug or "x"
