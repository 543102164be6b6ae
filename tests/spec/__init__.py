"""Miro's OpenAPI spec, repaired once, for conformance tests (`import spec` in tests).

The vendored ``miro-openapi.json`` has defects (see ``SOURCE.md``) that would make
jsonschema reject valid payloads or crash on dangling refs. :func:`spec` returns
a repaired copy:

* dangling ``#/components/responses/*`` refs point at a generated response whose
  body is the generic ``ErrorResponse`` schema;
* path keys are kept as in the spec (``{board_id_PlatformTags}`` etc.) except
  that a trailing ``?`` is dropped; :func:`normalize` maps an aliased key to the
  plain ``{board_id}`` template;
* OpenAPI 3.0 ``nullable: true`` becomes a JSON-Schema ``"null"`` alternative;
* numeric query parameters typed as ``string`` also accept integers;
* ``oneOf`` without a ``discriminator`` becomes ``anyOf``: Miro's item unions
  (``ItemStyle``, ``ItemData``...) have overlapping all-optional branches, so a
  real payload matches several of them and ``oneOf`` would reject it;
* every ``$ref`` is made absolute (``urn:miro-openapi#/...``) so any sub-schema
  handed out by :func:`request_schema` / :func:`response_schema` validates on
  its own through :func:`validate`.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

__all__ = [
    "SPEC_PATH",
    "SPEC_URI",
    "find_operation",
    "normalize",
    "operation",
    "request_schema",
    "response_schema",
    "spec",
    "validate",
    "validation_errors",
]

SPEC_PATH = Path(__file__).with_name("miro-openapi.json")
SPEC_URI = "urn:miro-openapi"

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ALIAS = re.compile(r"\{(board_id)_[A-Za-z0-9]+\}")
_PARAM = re.compile(r"\{[^/}]+\}")

JSON = dict[str, Any]


def normalize(path_template: str) -> str:
    """``/v2/boards/{board_id_PlatformTags}/items`` -> ``/v2/boards/{board_id}/items``."""
    return _ALIAS.sub(r"{\1}", path_template.rstrip("?"))


def _fix(node: Any) -> Any:
    """Recursively apply the schema-level repairs (refs, nullable, oneOf)."""
    if isinstance(node, list):
        return [_fix(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: JSON = {k: _fix(v) for k, v in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        out["$ref"] = SPEC_URI + ref
    if "oneOf" in out and "discriminator" not in out:
        out["anyOf"] = out.pop("oneOf")
    if out.pop("nullable", False) is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            rest = {k: v for k, v in out.items() if k not in ("description", "example")}
            return {"anyOf": [rest, {"type": "null"}], "description": out.get("description", "")}
    return out


def _fix_query_numbers(doc: JSON) -> None:
    for item in doc["paths"].values():
        for key in ("parameters", *_METHODS):
            target = item.get(key)
            params = target if key == "parameters" else (target or {}).get("parameters")
            for param in params or []:
                schema = param.get("schema") if isinstance(param, dict) else None
                if (
                    isinstance(schema, dict)
                    and schema.get("type") == "string"
                    and ("minimum" in schema or "maximum" in schema)
                ):
                    schema["type"] = ["integer", "string"]


@functools.cache
def _raw() -> JSON:
    data: JSON = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return data


@functools.cache
def spec() -> JSON:
    """The repaired spec (cached; treat it as read-only)."""
    doc: JSON = copy.deepcopy(_raw())
    doc["paths"] = {key.rstrip("?"): value for key, value in doc["paths"].items()}
    text = json.dumps(doc)
    dangling = set(re.findall(r'"#/components/responses/([^"]+)"', text))
    responses = doc["components"].setdefault("responses", {})
    for name in dangling:
        responses.setdefault(
            name,
            {
                "description": f"error {name} (repaired dangling ref)",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}
                },
            },
        )
    _fix_query_numbers(doc)
    fixed: JSON = _fix(doc)
    return fixed


@functools.cache
def _registry() -> Registry[Any]:
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec(), DRAFT4)
    )
    return registry


def _deref(node: Any) -> Any:
    """Follow a local ``$ref`` chain (for responses/requestBodies, not schemas)."""
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"].split("#", 1)[1]
        node = _registry().resolver(SPEC_URI).lookup("#" + pointer).contents
    return node


def _path_key(method: str, path_template: str) -> str:
    """The spec key for ``path_template`` (plain or aliased) that has ``method``."""
    paths: dict[str, JSON] = spec()["paths"]
    m = method.lower()
    key = path_template.rstrip("?")
    if key in paths and m in paths[key]:
        return key
    wanted = normalize(key)
    candidates = [k for k, v in paths.items() if normalize(k) == wanted and m in v]
    if not candidates:
        raise KeyError(f"{method.upper()} {path_template} is not in Miro's spec")
    # The un-aliased key is the operation a plain template means.
    candidates.sort(key=lambda k: (k != wanted, k))
    best: str = candidates[0]
    return best


def operation(method: str, path_template: str) -> JSON:
    """The spec's operation object for ``method`` + ``path_template``."""
    op: JSON = spec()["paths"][_path_key(method, path_template)][method.lower()]
    return op


def request_schema(method: str, path_template: str) -> JSON:
    """The JSON request-body schema of an operation (``KeyError`` if it has none)."""
    body = _deref(operation(method, path_template).get("requestBody"))
    if not body:
        raise KeyError(f"{method.upper()} {path_template} takes no request body")
    content = body["content"]
    media = content.get("application/json") or next(iter(content.values()))
    schema: JSON = media["schema"]
    return schema


def response_schema(method: str, path_template: str, status: int | str) -> JSON | None:
    """The JSON body schema for ``status`` (or ``default``); ``None`` when no body."""
    responses = operation(method, path_template).get("responses", {})
    resp = responses.get(str(status)) or responses.get("default")
    if resp is None:
        raise KeyError(f"{method.upper()} {path_template} documents no {status} response")
    resp = _deref(resp)
    content = resp.get("content")
    if not content:
        return None
    media = content.get("application/json") or next(iter(content.values()))
    schema: JSON | None = media.get("schema")
    return schema


def _pattern(key: str) -> re.Pattern[str]:
    parts = _PARAM.split(key)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str], int], ...]:
    # More literal characters first, so /items/bulk beats /items/{item_id}.
    out = [(k, _pattern(k), len(_PARAM.sub("", k))) for k in spec()["paths"]]
    out.sort(key=lambda t: -t[2])
    return tuple(out)


# Keys that share a method + normalised path; the query string decides.
_CLASH_QUERY = {
    "board_id_PlatformTags": "tag_id",
    "board_id_PlatformContainers": "parent_item_id",
}


def find_operation(
    method: str, concrete_path: str, query: Mapping[str, Any] | None = None
) -> tuple[str, JSON]:
    """Map a real request (``/v2/boards/uXj%3D/items``, ``{"tag_id": ...}``) to its operation.

    Returns ``(spec path key, operation)``; the key may be aliased and can be
    passed to :func:`request_schema` / :func:`response_schema` as is.
    """
    m = method.lower()
    path = unquote(concrete_path.split("?", 1)[0])
    query = query or {}
    matches = [
        key for key, pattern, _ in _patterns() if m in spec()["paths"][key] and pattern.match(path)
    ]
    if not matches:
        raise KeyError(f"no operation in Miro's spec for {method.upper()} {concrete_path}")
    best = [k for k in matches if len(_PARAM.sub("", k)) == len(_PARAM.sub("", matches[0]))]

    def score(key: str) -> int:
        alias = re.search(r"\{(board_id_[A-Za-z0-9]+)\}", key)
        if alias is None:
            # The plain key loses to an alias whose query discriminator is present.
            return 1
        needed = _CLASH_QUERY.get(alias.group(1))
        if needed is None:
            return 0
        return 2 if needed in query else -1

    best.sort(key=score, reverse=True)
    return best[0], spec()["paths"][best[0]][m]


def _validator(schema: Mapping[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(dict(schema), default=jsonschema.Draft4Validator)
    validator: jsonschema.protocols.Validator = cls(schema, registry=_registry())
    return validator


def validation_errors(schema: Mapping[str, Any], instance: Any) -> list[str]:
    """Every violation of ``schema`` by ``instance``, one readable line each."""
    errors = sorted(_validator(schema).iter_errors(instance), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def validate(schema: Mapping[str, Any], instance: Any) -> None:
    """Raise ``jsonschema.ValidationError`` if ``instance`` violates ``schema``.

    Refs resolve against the whole repaired spec, so any schema returned by
    :func:`request_schema` / :func:`response_schema` (or a spec component) works.
    """
    _validator(schema).validate(instance)
