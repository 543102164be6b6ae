"""boardsmith.miro.json_text.loads gives what json.loads gives, value and type."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardsmith.miro.json_text import loads


def _same(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down, keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


@pytest.mark.parametrize(
    "text",
    [
        b'{"id":"3458764013038009304","position":{"x":-12.5,"y":3e2,"relativeTo":"x"}}',
        b'{"a":1,"a":2}',  # the last one wins in both
        b"[18446744073709551615, -9223372036854775808, 9999999999999999999]",
        b"[123456789012345678901234567890, -123456789012345678901234567890]",
        b"[0.1234567890123456789012345, 1e400, -1e400, NaN, Infinity, -Infinity]",
        b'["\\ud800", "\\udc00x", "\\ud83d\\ude00"]',
        '["é", {"ü": "日本"}]'.encode("utf-16"),
        '["é", {"ü": "日本"}]'.encode("utf-32"),
        '["é", {"ü": "日本"}]'.encode(),
        b"\xef\xbb\xbf[1]",
        b'  {"deep": [[[[{}]]]], "t": true, "f": false, "n": null}  ',
    ],
)
def test_the_same_value_as_json_loads(text: bytes) -> None:
    try:
        expected = json.loads(text)
    except ValueError as error:
        with pytest.raises(type(error)):
            loads(text)
        return
    assert _same(loads(text), expected)
    if text.isascii():  # as a str too (as a board history's lines are read)
        assert _same(loads(text.decode()), json.loads(text.decode()))


@pytest.mark.parametrize("text", [b"", b"{", b"[1,]", b'{"a" 1}', b"[1] x", "[1,\u00e9".encode()])
def test_invalid_json_raises_json_decode_error(text: bytes) -> None:
    with pytest.raises(json.JSONDecodeError):
        loads(text)
    with pytest.raises(json.JSONDecodeError):
        loads(text.decode())


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.booleans())
def test_any_document_json_writes_reads_back_as_json_reads_it(value: Any, ascii: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii)
    assert _same(loads(text), json.loads(text))
    raw = text.encode("utf-8", "surrogatepass")
    assert _same(loads(raw), json.loads(raw))
