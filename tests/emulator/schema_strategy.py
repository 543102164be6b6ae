"""A small JSON-Schema -> hypothesis strategy for the subset Miro's request schemas use.

(hypothesis-jsonschema 0.23 relies on hypothesis internals that no longer exist.)
Supports type, enum, properties/required, items/minItems/maxItems, string and
number bounds, and anyOf/oneOf/allOf by picking a branch or merging.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

JSON = dict[str, Any]
_SCALARS = ("string", "number", "integer", "boolean")


def from_schema(schema: JSON, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that (mostly) satisfy ``schema``; unknown constraints are ignored."""
    if "enum" in schema:
        return st.sampled_from([v for v in schema["enum"] if v is not None] or [None])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([from_schema(_merge(schema, b, key), depth) for b in schema[key]])
    if "allOf" in schema:
        merged: JSON = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            merged = _merge(merged, part, None)
        return from_schema(merged, depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}, depth) for k in kind])
    if kind is None:
        kind = "object" if "properties" in schema else None
    make = _TYPED.get(kind)
    if make is None:
        return st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4))
    return make(schema, depth)


def _array(schema: JSON, depth: int) -> st.SearchStrategy[Any]:
    items = schema.get("items", {})
    lo = int(schema.get("minItems", 0))
    hi = int(schema.get("maxItems", lo + 3))
    return st.lists(from_schema(items, depth + 1), min_size=lo, max_size=min(hi, lo + 4))


def _string(schema: JSON, depth: int) -> st.SearchStrategy[Any]:
    lo = int(schema.get("minLength", 0))
    hi = int(schema.get("maxLength", lo + 12))
    numeric = st.floats(-1e3, 1e3, allow_nan=False).map(lambda f: f"{f:g}")
    return st.one_of(st.text(min_size=lo, max_size=min(hi, lo + 12)), numeric)


def _integer(schema: JSON, depth: int) -> st.SearchStrategy[Any]:
    return st.integers(int(schema.get("minimum", -1e7)), int(schema.get("maximum", 1e7)))


def _number(schema: JSON, depth: int) -> st.SearchStrategy[Any]:
    lo, hi = schema.get("minimum", -1e7), schema.get("maximum", 1e7)
    return st.one_of(
        st.integers(int(lo), int(hi)), st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    )


def _boolean(schema: JSON, depth: int) -> st.SearchStrategy[Any]:
    return st.booleans()


def _merge(base: JSON, branch: JSON, drop: str | None) -> JSON:
    out = {k: v for k, v in base.items() if k != drop}
    props = {**out.get("properties", {}), **branch.get("properties", {})}
    out.update({k: v for k, v in branch.items() if k != "properties"})
    if props:
        out["properties"] = props
    return out


def _object(schema: JSON, depth: int) -> st.SearchStrategy[JSON]:
    props: JSON = schema.get("properties", {})
    if depth > 6:
        return st.just({})
    required = {
        k: from_schema(v, depth + 1) for k, v in props.items() if k in schema.get("required", [])
    }
    optional = {k: from_schema(v, depth + 1) for k, v in props.items() if k not in required}
    return st.fixed_dictionaries(required, optional=optional)


_TYPED: dict[str | None, Callable[[JSON, int], st.SearchStrategy[Any]]] = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
}
