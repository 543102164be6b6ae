"""The emulator's accepted request fields (``emulator/fields.py``) are exactly Miro's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from boardsmith.emulator.fields import ITEM_TREES, Fields, ListOf, Tree
from boardsmith.emulator.routes import all_routes
from tests import spec


def _tree_paths(tree: Tree, prefix: str = "") -> Iterator[str]:
    for key, sub in tree.items():
        yield prefix + key
        if isinstance(sub, ListOf):
            yield from _tree_paths(sub.tree, f"{prefix}{key}.")
        elif sub is not None:
            yield from _tree_paths(sub, f"{prefix}{key}.")


def _spec_paths(schema: Any, prefix: str = "", depth: int = 0) -> Iterator[str]:
    schema = spec._deref(schema)
    if depth > 8 or not isinstance(schema, dict):
        return
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            yield from _spec_paths(part, prefix, depth + 1)
    if "items" in schema:
        yield from _spec_paths(schema["items"], prefix, depth + 1)
    for name, sub in schema.get("properties", {}).items():
        yield prefix + name
        yield from _spec_paths(sub, f"{prefix}{name}.", depth + 1)


BODY_ROUTES = [r for r in all_routes() if r.fields is not None]


def test_every_operation_with_a_body_states_its_fields() -> None:
    with_body = {
        (r.method, r.template) for r in all_routes() if r.method in ("POST", "PATCH", "PUT")
    }
    no_body = {
        # Attaching a tag takes its id in the query; bulk checks each element's type.
        ("POST", "/v2/boards/{board_id}/items/{item_id}"),
        ("POST", "/v2/boards/{board_id}/items/bulk"),
    }
    assert with_body - no_body == {(r.method, r.template) for r in BODY_ROUTES}


@pytest.mark.parametrize("route", BODY_ROUTES, ids=lambda r: f"{r.method} {r.template}")
def test_fields_match_the_spec(route: Any) -> None:
    fields: Fields = route.fields
    wanted = set(_spec_paths(spec.request_schema(route.method, route.template)))
    accepted = set(_tree_paths(fields.tree))
    assert accepted <= wanted, f"fields the spec does not define: {sorted(accepted - wanted)}"
    assert wanted <= accepted, f"spec fields not stated: {sorted(wanted - accepted)}"
    body = spec._deref(spec.operation(route.method, route.template).get("requestBody")) or {}
    assert fields.required == bool(body.get("required"))


def test_bulk_refusals_are_fields_of_other_item_types() -> None:
    from boardsmith.emulator.fields import ITEM_REFUSED

    everything = {p for tree in ITEM_TREES.values() for p in _tree_paths(tree)}
    for item_type, refused in ITEM_REFUSED.items():
        assert set(refused) <= everything | {"parent"}
        assert set(refused).isdisjoint(_tree_paths(ITEM_TREES[item_type]))
