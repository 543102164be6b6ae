"""The ids in the emulator's links are percent-encoded exactly as ``urllib.parse.quote`` does."""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest

from boardsmith.emulator.routing import _encoded

ALPHABET = "aZ09_.~-=+/ %?#&é\u00e9\u4e2d\n"


@pytest.mark.parametrize(
    "part", ["boards", "3458764612345678901", "uXjVKab12Cd=", "a+b/c", "", "~x.y-z_", "é", "a b"]
)
def test_a_part_is_encoded_as_quote_encodes_it(part: str) -> None:
    assert _encoded(part) == quote(part, safe="")
    # Twice: the second answer may come from the cache.
    assert _encoded(part) == quote(part, safe="")


def test_random_parts_are_encoded_as_quote_encodes_them() -> None:
    rng = random.Random(20)
    for _ in range(2000):
        part = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))
        assert _encoded(part) == quote(part, safe=""), part
