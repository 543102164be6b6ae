"""``{name}`` placeholders in template strings (``{{`` and ``}}`` are literal braces)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PlaceholderError(ValueError):
    """A placeholder is malformed or names nothing in scope."""


def placeholders(text: str) -> list[str]:
    """The names used in ``text``; raises :class:`PlaceholderError` on bad syntax."""
    names: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None or not _NAME.match(name):
            raise PlaceholderError(
                f"bad placeholder {token!r}; write {{name}}, or {{{{ and }}}} for braces"
            )
        names.append(name)
    return names


def name_problem(text: str, scope: Collection[str], *, known_as: str) -> str | None:
    """Why ``text`` cannot be filled from ``scope`` (bad syntax, an unknown name), or
    ``None``. ``known_as`` says what a name may be ("parameter or loop variable")."""
    try:
        used = placeholders(text)
    except PlaceholderError as exc:
        return str(exc)
    for name in used:
        if name not in scope:
            known = ", ".join(sorted(scope)) or "none"
            return f"'{{{name}}}' is not a {known_as} (known: {known})"
    return None


def interpolate(text: str, values: Mapping[str, str]) -> str:
    """Replace every ``{name}`` with ``values[name]`` (plain text, not escaped here)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name is None or name not in values:
            raise PlaceholderError(f"'{token}' names no parameter or loop variable")
        return values[name]

    return _TOKEN.sub(replace, text)
