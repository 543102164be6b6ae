"""Text into and out of Miro's HTML subset, and names into key segments."""

from __future__ import annotations

import html
import re
from typing import Literal

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def escape_text(text: str) -> str:
    """Escape plain text so Miro shows it literally (``<b>Ana</b>`` stays visible markup).

    Miro renders a small HTML subset in item content, so ``&``, ``<`` and ``>``
    must be escaped; quotes are harmless inside content and are left alone so
    the stored text stays readable.
    """
    return html.escape(text, quote=False)


#: How :func:`html_to_text` treats whitespace (see there).
Spacing = Literal["exact", "lines", "flat"]

# A block boundary (a closing block, then maybe inline tags such as </ul>, then an
# opening block) is one line break; any other block tag or <br> is one too. Case,
# inner spaces and attributes do not matter.
_BLOCK = r"(?:p|div|li)\b[^>]*"
_INLINE = r"(?:\s|<(?!\s*/?\s*(?:p|div|li|br)\b)[^>]*>)*"
_BREAK = re.compile(
    rf"<\s*/\s*{_BLOCK}>{_INLINE}<\s*{_BLOCK}>|<\s*/?\s*(?:{_BLOCK}|br\b[^>]*)>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
# Every whitespace character but the line break, plus the zero-width space
# (people paste it between words; a reader sees words, not a glyph).
_SPACES = re.compile(r"(?:[^\S\n]|\u200b)+")


def html_to_text(content: str | None, *, spacing: Spacing = "lines") -> str:
    """The text of Miro HTML content: block tags and ``<br>`` become line breaks.

    Other tags are dropped and entities undone after that, so an escaped
    ``&lt;b&gt;`` stays visible text. ``spacing`` says what happens to
    whitespace:

    * ``"lines"``: what a person sees: each line's whitespace collapsed to
      single spaces and stripped, empty lines dropped (harvest reads stickies so);
    * ``"flat"``: the same lines joined by single spaces, for comparing and
      hashing what a board shows with what was sent;
    * ``"exact"``: whitespace and empty lines kept as written, which inverts
      :func:`escape_text` and the compiler's ``<p>`` wrapping of multi-line text
      (for frame titles and previews).
    """
    if not content:
        return ""
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", content)))
    if spacing == "exact":
        # The <p> opening the first line and the </p> closing the last break none.
        return text.strip("\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return (" " if spacing == "flat" else "\n").join(line for line in lines if line)


def unescape_text(content: str) -> str:
    """Plain text of compiled content: paragraphs become lines, entities are undone.

    Inverts :func:`escape_text` and the ``<p>`` wrapping the compiler gives
    multi-line text (for frame titles, previews and comparisons); this is
    :func:`html_to_text` with ``spacing="exact"``.
    """
    return html_to_text(content, spacing="exact")


def slugify(text: str) -> str:
    """A lowercase ASCII key segment for ``text`` (``"Ana María"`` -> ``"ana-mar-a"``).

    Never empty: text without any letter or digit becomes ``"x"``.
    """
    slug = _SLUG_DROP.sub("-", text.lower()).strip("-")
    return slug or "x"
