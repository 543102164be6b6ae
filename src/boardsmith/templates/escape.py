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


_PARAGRAPH = re.compile(r"</p>\s*<p>|<br\s*/?>")
_TAGS = re.compile(r"</?p>")


def unescape_text(content: str) -> str:
    """Plain text of compiled content: paragraphs become lines, entities are undone.

    Inverts :func:`escape_text` and the ``<p>`` wrapping the compiler gives
    multi-line text (for frame titles, previews and comparisons).
    """
    return html.unescape(_TAGS.sub("", _PARAGRAPH.sub("\n", content)))


def slugify(text: str) -> str:
    """A lowercase ASCII key segment for ``text`` (``"Ana María"`` -> ``"ana-mar-a"``).

    Never empty: text without any letter or digit becomes ``"x"``.
    """
    slug = _SLUG_DROP.sub("-", text.lower()).strip("-")
    return slug or "x"
