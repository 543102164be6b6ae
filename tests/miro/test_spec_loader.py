"""The spec loader repairs Miro's spec defects and routes clashing paths by query."""

from __future__ import annotations

import jsonschema
import pytest

from tests import spec as S


@pytest.mark.parametrize(
    ("method", "path", "query", "key"),
    [
        ("GET", "/v2/boards/uXj%3D/items", {}, "/v2/boards/{board_id}/items"),
        (
            "GET",
            "/v2/boards/uXj=/items",
            {"tag_id": "1"},
            "/v2/boards/{board_id_PlatformTags}/items",
        ),
        (
            "GET",
            "/v2/boards/uXj%3D/items",
            {"parent_item_id": "9"},
            "/v2/boards/{board_id_PlatformContainers}/items",
        ),
        ("POST", "/v2/boards/b/items/bulk", {}, "/v2/boards/{board_id}/items/bulk"),
        ("DELETE", "/v2/boards/b/items/7", {}, "/v2/boards/{board_id}/items/{item_id}"),
        (
            "DELETE",
            "/v2/boards/b/items/7",
            {"tag_id": "3"},
            "/v2/boards/{board_id_PlatformTags}/items/{item_id}",
        ),
        (
            "POST",
            "/v2/boards/b/items/7",
            {"tag_id": "3"},
            "/v2/boards/{board_id_PlatformTags}/items/{item_id}",
        ),
        ("DELETE", "/v2/boards/b/groups/5", {}, "/v2/boards/{board_id}/groups/{group_id}"),
    ],
)
def test_find_operation_resolves_clashes(
    method: str, path: str, query: dict[str, str], key: str
) -> None:
    found, op = S.find_operation(method, path, query)
    assert found == key
    assert "responses" in op


def test_unknown_operation_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        S.find_operation("GET", "/v2/nothing/here", {})


def test_dangling_error_refs_become_error_response() -> None:
    schema = S.response_schema("GET", "/v2/boards/{board_id}/items", 429)
    assert schema is not None
    S.validate(schema, {"status": 429, "code": "tooManyRequests", "message": "m", "type": "error"})
    with pytest.raises(jsonschema.ValidationError):
        S.validate(schema, {"status": "four hundred", "message": "m"})


def test_request_schema_rejects_wrong_types() -> None:
    schema = S.request_schema("POST", "/v2/boards/{board_id}/sticky_notes")
    S.validate(schema, {"data": {"content": "hi"}, "geometry": {"width": 200}})
    assert S.validation_errors(schema, {"data": {"content": 1}}) != []


def test_item_unions_without_discriminator_accept_overlapping_branches() -> None:
    schema = S.response_schema("POST", "/v2/boards/{board_id}/items/bulk", 201)
    assert schema is not None
    item = {
        "id": "3458764517517819000",
        "type": "sticky_note",
        "links": {"self": "https://api.miro.com/v2/boards/b/items/1"},
        "style": {"fillColor": "yellow", "textAlign": "center"},
        "data": {"content": "x"},
    }
    S.validate(schema, {"type": "bulk-list", "data": [item]})
    with pytest.raises(jsonschema.ValidationError):
        S.validate(schema, {"type": "bulk-list", "data": [{"type": "sticky_note"}]})


def test_aliased_and_plain_templates_reach_the_same_operation() -> None:
    plain = S.operation("POST", "/v2/boards/{board_id}/items/{item_id}")
    aliased = S.operation("POST", "/v2/boards/{board_id_PlatformTags}/items/{item_id}")
    assert plain is aliased
    assert S.normalize("/v2/boards/{board_id_PlatformTags}/items") == "/v2/boards/{board_id}/items"


def test_openapi_nullable_becomes_a_null_alternative() -> None:
    fixed = S._fix(
        {
            "properties": {
                "a": {"type": "string", "nullable": True, "enum": ["x"]},
                "b": {"$ref": "#/components/schemas/Tag", "nullable": True},
            }
        }
    )
    assert fixed["properties"]["a"] == {"type": ["string", "null"], "enum": ["x", None]}
    b = fixed["properties"]["b"]
    assert b["anyOf"][0] == {"$ref": "urn:miro-openapi#/components/schemas/Tag"}
    assert b["anyOf"][1] == {"type": "null"}


def test_numeric_query_parameters_accept_integers() -> None:
    op = S.operation("GET", "/v2/boards/{board_id}/items")
    limit = next(p for p in op["parameters"] if p.get("name") == "limit")
    S.validate(limit["schema"], 50)
    S.validate(limit["schema"], "50")
    with pytest.raises(jsonschema.ValidationError):
        S.validate(limit["schema"], 51)


def test_no_path_key_keeps_a_trailing_question_mark() -> None:
    assert not [k for k in S.spec()["paths"] if k.endswith("?")]
    assert "/v2/boards/{board_id}/groups/{group_id}" in S.spec()["paths"]
