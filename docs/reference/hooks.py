"""mkdocs hook: boardsmith's docstrings use Sphinx roles (:class:`X`, :meth:`~a.b`), which
mkdocstrings shows literally. Turn each into a cross-reference that autorefs resolves
when the target is on the site and leaves as plain code otherwise (``optional``)."""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:class|meth|func|mod|attr|data|exc|obj):<code>(~?)([\w.]+)(\(\))?</code>")


def _autoref(match: re.Match[str]) -> str:
    short, target, call = match.group(1), match.group(2), match.group(3) or ""
    shown = target.rsplit(".", 1)[-1] if short else target
    return f'<autoref identifier="{target}" optional><code>{shown}{call}</code></autoref>'


def on_page_content(html: str, **kwargs: Any) -> str:
    return _ROLE.sub(_autoref, html)
