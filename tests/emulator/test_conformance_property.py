"""Property-based conformance: request bodies and query strings generated from Miro's spec.

For every implemented operation that takes input, hypothesis draws values
from the spec's request schemas (valid and, through a mutation step, wrong-typed
ones). The emulator must never answer 5xx and every response must match the
operation's response schema (checked here per example, and again by the session
recorder in ``tests/conftest.py``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boardsmith.emulator import EmulatorApp, EmulatorTransport, create_app
from tests import spec
from tests.emulator.schema_strategy import from_schema

_DROP = {"description", "example", "format", "default", "readOnly", "writeOnly", "title"}
JSON = dict[str, Any]


def _inline(node: Any, depth: int = 0, names: bool = False) -> Any:
    """Resolve ``$ref``s into one self-contained schema the generator can use.

    ``names`` is True for a ``properties`` mapping, whose keys are field names
    (``title``...), not schema keywords to drop.
    """
    if isinstance(node, list):
        return [_inline(x, depth) for x in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {k: _inline(v, depth) for k, v in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if depth > 12:
            return {}
        return _inline(spec.spec()["components"]["schemas"][name], depth + 1)
    return {
        k: _inline(v, depth, names=k == "properties")
        for k, v in node.items()
        if k not in _DROP and not k.startswith("x-")
    }


def _body_strategy(method: str, template: str) -> st.SearchStrategy[Any]:
    schema = _inline(spec.request_schema(method, template))
    valid = from_schema(schema)
    # Wrong types in otherwise valid bodies: the emulator must answer 400, not 500.
    junk = st.one_of(
        st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.lists(st.integers())
    )

    def corrupt(body: Any, data: st.DataObject) -> Any:
        if isinstance(body, dict) and body:
            key = data.draw(st.sampled_from(sorted(body)))
            return {**body, key: data.draw(junk)}
        return data.draw(junk)

    return st.one_of(
        valid,
        st.tuples(valid, st.data()).map(lambda pair: corrupt(*pair)),
        junk,
    )


def _query_strategy(method: str, template: str) -> st.SearchStrategy[dict[str, str]]:
    params = [
        p
        for p in spec.operation(method, template).get("parameters", [])
        if isinstance(p, dict) and p.get("in") == "query"
    ]
    fields: dict[str, st.SearchStrategy[str]] = {}
    for param in params:
        schema = _inline(param.get("schema", {}))
        schema["type"] = "string" if schema.get("type") != "integer" else "integer"
        for bound in ("minimum", "maximum"):
            schema.pop(bound, None)
        values = (
            from_schema(schema).map(str)
            if "enum" in schema
            else st.one_of(st.integers(-5, 80).map(str), st.text(max_size=8))
        )
        fields[param["name"]] = values
    return st.fixed_dictionaries({}, optional=fields)


class World:
    """One emulator with a board and one of everything, shared by the examples."""

    def __init__(self) -> None:
        self.app: EmulatorApp = create_app(":memory:", credits_per_minute=10**9)
        self.ids: dict[str, str] = {}
        asyncio.run(self._setup())

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=EmulatorTransport(self.app),
            base_url="https://api.miro.com",
            headers={"Authorization": "Bearer Prop:1"},
        )

    async def _setup(self) -> None:
        async with self.client() as c:
            board = (await c.post("/v2/boards", json={"name": "props"})).json()["id"]
            b = f"/v2/boards/{board}"
            self.ids["board_id"] = board
            frame = (await c.post(f"{b}/frames", json={"data": {}})).json()["id"]
            sticky = (await c.post(f"{b}/sticky_notes", json={})).json()["id"]
            shape = (await c.post(f"{b}/shapes", json={})).json()["id"]
            text = (await c.post(f"{b}/texts", json={"data": {"content": "t"}})).json()["id"]
            card = (await c.post(f"{b}/cards", json={})).json()["id"]
            tag = (await c.post(f"{b}/tags", json={"title": "seed"})).json()["id"]
            conn = (
                await c.post(
                    f"{b}/connectors", json={"startItem": {"id": sticky}, "endItem": {"id": shape}}
                )
            ).json()["id"]
            self.ids.update(
                frame=frame,
                sticky_note=sticky,
                shape=shape,
                text=text,
                card=card,
                tag=tag,
                connector=conn,
            )

    def path(self, template: str, kind: str | None) -> str:
        values = {
            "board_id": self.ids["board_id"],
            "item_id": self.ids.get(kind or "", self.ids["sticky_note"]),
            "tag_id": self.ids["tag"],
            "connector_id": self.ids["connector"],
        }
        out = template
        for key, value in values.items():
            out = out.replace("{" + key + "}", value)
        return out

    def fix_references(self, body: Any) -> Any:
        """Point generated ids at real items (random ids only ever reach the 400 path)."""
        if isinstance(body, list):
            return [self.fix_references(x) for x in body]
        if not isinstance(body, dict):
            return body
        out = dict(body)
        for end, kind in (("startItem", "sticky_note"), ("endItem", "shape")):
            if end in out:
                old = out[end] if isinstance(out[end], dict) else {}
                fixed = {**old, "id": self.ids[kind]}
                fixed.pop("position", None)
                out[end] = fixed
        if isinstance(out.get("parent"), dict):
            out["parent"] = {"id": self.ids["frame"]}
        if out.get("type") in ("image", "document", "embed", "app_card"):
            out["type"] = "sticky_note"
        if out.get("type") == "frame":
            out.pop("parent", None)
        return out

    def send(
        self, method: str, path: str, body: Any = None, query: JSON | None = None
    ) -> httpx.Response:
        async def go() -> httpx.Response:
            async with self.client() as c:
                content = None if body is None else json.dumps(body).encode()
                return await c.request(
                    method,
                    path,
                    content=content,
                    params=query,
                    headers={"Content-Type": "application/json"},
                )

        return asyncio.run(go())


@pytest.fixture(scope="module")
def world() -> World:
    return World()


# (method, template, which existing item fills {item_id})
BODY_OPERATIONS = [
    ("POST", "/v2/boards", None),
    ("PATCH", "/v2/boards/{board_id}", None),
    ("POST", "/v2/boards/{board_id}/sticky_notes", None),
    ("PATCH", "/v2/boards/{board_id}/sticky_notes/{item_id}", "sticky_note"),
    ("POST", "/v2/boards/{board_id}/shapes", None),
    ("PATCH", "/v2/boards/{board_id}/shapes/{item_id}", "shape"),
    ("POST", "/v2/boards/{board_id}/texts", None),
    ("PATCH", "/v2/boards/{board_id}/texts/{item_id}", "text"),
    ("POST", "/v2/boards/{board_id}/frames", None),
    ("PATCH", "/v2/boards/{board_id}/frames/{item_id}", "frame"),
    ("POST", "/v2/boards/{board_id}/cards", None),
    ("PATCH", "/v2/boards/{board_id}/cards/{item_id}", "card"),
    ("POST", "/v2/boards/{board_id}/connectors", None),
    ("PATCH", "/v2/boards/{board_id}/connectors/{connector_id}", None),
    ("PATCH", "/v2/boards/{board_id}/items/{item_id}", "sticky_note"),
    ("POST", "/v2/boards/{board_id}/items/bulk", None),
    ("POST", "/v2/boards/{board_id}/tags", None),
    ("PATCH", "/v2/boards/{board_id}/tags/{tag_id}", None),
]
QUERY_OPERATIONS = [
    ("GET", "/v2/boards"),
    ("GET", "/v2/boards/{board_id}/items"),
    ("GET", "/v2/boards/{board_id_PlatformContainers}/items"),
    ("GET", "/v2/boards/{board_id_PlatformTags}/items"),
    ("GET", "/v2/boards/{board_id}/connectors"),
    ("GET", "/v2/boards/{board_id}/tags"),
    ("GET", "/v2/boards/{board_id}/members"),
]
SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def _check(response: httpx.Response, method: str, template: str) -> None:
    assert response.status_code < 500, response.text
    schema = spec.response_schema(method, template, response.status_code)
    if response.status_code == 204 or schema is None:
        assert response.content == b""
        return
    body = response.json()
    if response.status_code == 429:
        body.pop("context", None)
    problems = spec.validation_errors(schema, body)
    assert not problems, problems


@pytest.mark.slow
@pytest.mark.parametrize(("method", "template", "kind"), BODY_OPERATIONS)
def test_generated_bodies_never_5xx_and_match_the_spec(
    world: World, method: str, template: str, kind: str | None
) -> None:
    strategy = _body_strategy(method, template)

    statuses: list[int] = []

    @SETTINGS
    @given(body=strategy, fix=st.booleans())
    def run(body: Any, fix: bool) -> None:
        if fix:
            body = world.fix_references(body)
        response = world.send(method, world.path(template, kind), body)
        statuses.append(response.status_code)
        _check(response, method, template)

    run()
    # The generator must reach the success path too, not only validation errors.
    assert any(s < 300 for s in statuses), sorted(set(statuses))
    assert any(s == 400 for s in statuses), sorted(set(statuses))


@pytest.mark.slow
@pytest.mark.parametrize(("method", "template"), QUERY_OPERATIONS)
def test_generated_queries_never_5xx_and_match_the_spec(
    world: World, method: str, template: str
) -> None:
    strategy = _query_strategy(method, template)
    plain = spec.normalize(template)

    statuses: list[int] = []

    @SETTINGS
    @given(query=strategy)
    def run(query: dict[str, str]) -> None:
        if "PlatformContainers" in template:
            query = {**query, "parent_item_id": world.ids["frame"]}
        if "PlatformTags" in template:
            query = {**query, "tag_id": world.ids["tag"]}
        response = world.send(method, world.path(plain, None), query=query)
        statuses.append(response.status_code)
        _check(response, method, template)

    run()
    assert any(s == 200 for s in statuses), sorted(set(statuses))
