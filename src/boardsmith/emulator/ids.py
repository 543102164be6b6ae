"""Miro-style identifiers: 19-digit decimal strings and base64-looking board ids."""

from __future__ import annotations

import hashlib
import random
import string

_BOARD_ALPHABET = string.ascii_letters + string.digits
# Real Miro item ids start with this prefix (e.g. 3458764517517819000).
_ITEM_PREFIX = 3458764
_USER_PREFIX = 3074457


def new_item_id(rng: random.Random) -> str:
    """A fresh 19-digit item/tag/connector id."""
    return f"{_ITEM_PREFIX}{rng.randrange(10**12):012d}"


def new_board_id(rng: random.Random) -> str:
    """A board id shaped like Miro's, e.g. ``uXjVKab12Cd=``."""
    return "uXjVK" + "".join(rng.choice(_BOARD_ALPHABET) for _ in range(6)) + "="


def user_id_for(token: str) -> str:
    """A stable 19-digit user id derived from a bearer token (a hash, never the token)."""
    digest = hashlib.sha256(token.encode("utf-8")).digest()
    return f"{_USER_PREFIX}{int.from_bytes(digest[:8], 'big') % 10**12:012d}"


def is_numeric_id(value: str) -> bool:
    """True for ids made of 1-19 decimal digits (items, tags, users)."""
    return value.isascii() and value.isdigit() and 0 < len(value) <= 19
