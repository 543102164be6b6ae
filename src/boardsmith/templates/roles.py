"""A participant's role, written after their name: ``Ana (principal)``.

Protocols compare perceptions by role (administrators and teachers rating the same
condition), so a list parameter declared ``with_roles: true`` reads each value as a
name with an optional role in parentheses. Inside a repeat over it, ``{person}`` is the
name and ``{person_role}`` the role ("" when none is given).
"""

from __future__ import annotations

import re

__all__ = ["name_of", "split_role"]

_WITH_ROLE = re.compile(r"^(?P<name>.*?\S)\s*\((?P<role>[^()]*\S[^()]*)\)\s*$")


def split_role(value: str) -> tuple[str, str]:
    """``"Ana (principal)"`` → ``("Ana", "principal")``; ``"Ana"`` → ``("Ana", "")``."""
    found = _WITH_ROLE.match(value.strip())
    if found is None:
        return value.strip(), ""
    return found["name"].strip(), found["role"].strip()


def name_of(value: str) -> str:
    """The name part of a value, without its role."""
    return split_role(value)[0]
