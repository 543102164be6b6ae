"""Every resource method sends the documented request and returns typed models."""

from __future__ import annotations

import inspect
import json
import re

import pytest
import respx

from boardsmith.miro import MiroClient, resources
from boardsmith.miro.models import (
    BoardCreate,
    BoardUpdate,
    Card,
    CardCreate,
    CardUpdate,
    Connector,
    ConnectorCreate,
    ConnectorUpdate,
    Frame,
    FrameCreate,
    FrameUpdate,
    Item,
    MiroRequest,
    Shape,
    ShapeCreate,
    ShapeUpdate,
    StickyNote,
    StickyNoteCreate,
    StickyNoteUpdate,
    Tag,
    TagUpdate,
    Text,
    TextCreate,
    TextUpdate,
)
from boardsmith.miro.ratelimit import OPERATION_LEVELS

from .conftest import BOARD, BOARD_PATH, CheckedRouter, item_json

BOARD_JSON = {"id": BOARD, "name": "Vision", "description": "", "type": "board"}


async def test_board_ids_are_percent_encoded(client: MiroClient, router: respx.MockRouter) -> None:
    route = router.get(BOARD_PATH).respond(200, json=BOARD_JSON)
    board = await client.boards.get(BOARD)
    assert board.id == BOARD
    assert route.calls.last.request.url.raw_path == b"/v2/boards/uXjVOD6LSME%3D"


async def test_boards_create_get_update_delete(
    client: MiroClient, router: respx.MockRouter, checked: CheckedRouter
) -> None:
    create = router.post("/v2/boards").respond(201, json=BOARD_JSON)
    board = await client.boards.create(name="Vision", description="workshop")
    assert board.name == "Vision"
    assert json.loads(create.calls.last.request.content) == {
        "name": "Vision",
        "description": "workshop",
    }
    await client.boards.create(BoardCreate(name="Other", team_id="3074457350000000000"))
    assert checked.bodies[-1][2] == {"name": "Other", "teamId": "3074457350000000000"}

    router.patch(BOARD_PATH).respond(200, json={**BOARD_JSON, "name": "Renamed"})
    assert (await client.boards.update(BOARD, BoardUpdate(name="Renamed"))).name == "Renamed"

    delete = router.delete(BOARD_PATH).respond(204)
    await client.boards.delete(BOARD)
    assert delete.called


async def test_board_update_accepted_later_reads_the_board(
    client: MiroClient, router: respx.MockRouter
) -> None:
    router.patch(BOARD_PATH).respond(202)
    router.get(BOARD_PATH).respond(200, json={**BOARD_JSON, "name": "Later"})
    assert (await client.boards.update(BOARD, BoardUpdate(name="Later"))).name == "Later"


async def test_members_list_and_get(client: MiroClient, router: respx.MockRouter) -> None:
    member = {"id": "3458764517517852417", "name": "Ana", "role": "owner", "type": "board_member"}
    router.get(BOARD_PATH + "/members").respond(
        200, json={"data": [member], "total": 1, "size": 1, "offset": 0, "limit": 50}
    )
    router.get(BOARD_PATH + "/members/3458764517517852417").respond(
        200, json={**member, "role": "guest_of_honour"}
    )
    members = [m async for m in client.members.list(BOARD)]
    assert [m.name for m in members] == ["Ana"]
    # A role Miro adds later is kept as a string, not a validation failure.
    assert (await client.members.get(BOARD, "3458764517517852417")).role == "guest_of_honour"


async def test_items_get_update_delete(
    client: MiroClient, router: respx.MockRouter, checked: CheckedRouter
) -> None:
    path = BOARD_PATH + "/items/42"
    router.get(path).respond(200, json=item_json("42", "frame", data={"title": "F"}))
    got = await client.items.get(BOARD, "42")
    assert isinstance(got, Frame)
    assert got.data.title == "F"

    router.patch(path).respond(200, json=item_json("42", parent={"id": "7"}))
    moved = await client.items.update(BOARD, "42", x=10, y=20, parent_id="7")
    assert isinstance(moved, StickyNote)
    assert moved.parent is not None
    assert moved.parent.id == "7"
    assert checked.bodies[-1][2] == {"position": {"x": 10.0, "y": 20.0}, "parent": {"id": "7"}}

    delete = router.delete(path).respond(204)
    await client.items.delete(BOARD, "42")
    assert "tag_id" not in delete.calls.last.request.url.params


async def test_items_list_filters_by_type_and_parent(
    client: MiroClient, router: respx.MockRouter
) -> None:
    route = router.get(BOARD_PATH + "/items").respond(
        200, json={"data": [item_json("1", "mind_map_node")], "cursor": None}
    )
    items = [i async for i in client.items.list(BOARD, type="frame", parent_item_id="9")]
    assert isinstance(items[0], Item)  # unknown type: generic, not rejected
    params = route.calls.last.request.url.params
    assert (params["type"], params["parent_item_id"], params["limit"]) == ("frame", "9", "50")


async def _typed_roundtrip(
    client: MiroClient,
    router: respx.MockRouter,
    kind: str,
    type_: str,
    create: object,
    update: object,
    model: type,
) -> None:
    resource = getattr(client, kind)
    router.post(f"{BOARD_PATH}/{kind}").respond(201, json=item_json("5", type_))
    router.get(f"{BOARD_PATH}/{kind}/5").respond(200, json=item_json("5", type_))
    router.patch(f"{BOARD_PATH}/{kind}/5").respond(200, json=item_json("5", type_))
    delete = router.delete(f"{BOARD_PATH}/{kind}/5").respond(204)
    assert isinstance(await resource.create(BOARD, create), model)
    assert isinstance(await resource.get(BOARD, "5"), model)
    assert isinstance(await resource.update(BOARD, "5", update), model)
    await resource.delete(BOARD, "5")
    assert delete.called


async def test_typed_item_resources(client: MiroClient, router: respx.MockRouter) -> None:
    cases: list[tuple[str, str, MiroRequest, MiroRequest, type]] = [
        (
            "sticky_notes",
            "sticky_note",
            StickyNoteCreate.model_validate(
                {"data": {"content": "hi", "shape": "square"}, "geometry": {"width": 199}}
            ),
            StickyNoteUpdate.model_validate({"style": {"fill_color": "light_blue"}}),
            StickyNote,
        ),
        (
            "shapes",
            "shape",
            ShapeCreate.model_validate(
                {"data": {"content": "lane", "shape": "round_rectangle"}, "style": {"fontSize": 14}}
            ),
            ShapeUpdate.model_validate({"geometry": {"width": 300, "height": 100}}),
            Shape,
        ),
        (
            "texts",
            "text",
            TextCreate.model_validate(
                {"data": {"content": "<p>Title</p>"}, "geometry": {"width": 400}}
            ),
            TextUpdate.model_validate({"data": {"content": "new"}}),
            Text,
        ),
        (
            "frames",
            "frame",
            FrameCreate.model_validate(
                {"data": {"title": "Vision", "format": "custom", "type": "freeform"}}
            ),
            FrameUpdate.model_validate({"geometry": {"width": 800, "height": 600}}),
            Frame,
        ),
        (
            "cards",
            "card",
            CardCreate.model_validate(
                {"data": {"title": "Owner", "assignee_id": 3458764517517852417}}
            ),
            CardUpdate.model_validate({"style": {"card_theme": "#2d9bf0"}}),
            Card,
        ),
    ]
    for kind, type_, create, update, model in cases:
        await _typed_roundtrip(client, router, kind, type_, create, update, model)


async def test_connectors(client: MiroClient, router: respx.MockRouter) -> None:
    connector = {
        "id": "3458764517517819999",
        "type": "connector",
        "shape": "curved",
        "startItem": {"id": "1", "position": {"x": "50%", "y": "0%"}},
        "endItem": {"id": "2"},
        "isSupported": True,
    }
    router.post(BOARD_PATH + "/connectors").respond(200, json=connector)
    router.get(BOARD_PATH + "/connectors/3458764517517819999").respond(200, json=connector)
    router.patch(BOARD_PATH + "/connectors/3458764517517819999").respond(
        200, json={**connector, "shape": "hyperbolic"}
    )
    delete = router.delete(BOARD_PATH + "/connectors/3458764517517819999").respond(204)
    router.get(BOARD_PATH + "/connectors").respond(
        200, json={"data": [connector], "total": 1, "size": 1, "limit": 50}
    )
    created = await client.connectors.create(
        BOARD,
        ConnectorCreate.model_validate(
            {
                "start_item": {"id": "1", "position": {"x": "50%", "y": "0%"}},
                "end_item": {"id": "2", "snap_to": "auto"},
                "captions": [{"content": "leads to"}],
            }
        ),
    )
    assert isinstance(created, Connector)
    assert created.start_item is not None
    assert created.start_item.position is not None
    assert created.start_item.position.x == "50%"
    assert (await client.connectors.get(BOARD, created.id)).is_supported is True
    updated = await client.connectors.update(BOARD, created.id, ConnectorUpdate(shape="straight"))
    assert updated.shape == "hyperbolic"  # unknown enum value survives
    assert [c.id async for c in client.connectors.list(BOARD)] == [created.id]
    await client.connectors.delete(BOARD, created.id)
    assert delete.called


async def test_tags(client: MiroClient, router: respx.MockRouter) -> None:
    tag = {"id": "3458764517517819123", "title": "Ana", "fillColor": "red", "type": "tag"}
    tag_path = BOARD_PATH + "/tags/3458764517517819123"
    router.post(BOARD_PATH + "/tags").respond(201, json=tag)
    router.get(tag_path).respond(200, json=tag)
    router.patch(tag_path).respond(200, json={**tag, "fillColor": "ultraviolet"})
    delete = router.delete(tag_path).respond(204)
    router.get(BOARD_PATH + "/tags").respond(
        200, json={"data": [tag], "total": 1, "size": 1, "offset": 0, "limit": 50}
    )
    item_path = BOARD_PATH + "/items/77"
    attach = router.post(item_path, params={"tag_id": tag["id"]}).respond(204)
    detach = router.delete(item_path, params={"tag_id": tag["id"]}).respond(204)
    router.get(item_path + "/tags").respond(200, json={"tags": [tag]})
    by_tag = router.get(BOARD_PATH + "/items", params={"tag_id": tag["id"]}).respond(
        200, json={"data": [item_json("77")], "total": 1, "size": 1, "offset": 0, "limit": 50}
    )

    created = await client.tags.create(BOARD, title="Ana", fill_color="red")
    assert isinstance(created, Tag)
    assert (await client.tags.get(BOARD, created.id)).title == "Ana"
    assert (
        await client.tags.update(BOARD, created.id, TagUpdate(fill_color="blue"))
    ).fill_color == ("ultraviolet")
    assert [t.id async for t in client.tags.list(BOARD)] == [created.id]
    await client.tags.attach(BOARD, "77", created.id)
    assert attach.called
    assert [t.title for t in await client.tags.of_item(BOARD, "77")] == ["Ana"]
    assert [i.id async for i in client.tags.items_with_tag(BOARD, created.id)] == ["77"]
    assert by_tag.calls.last.request.url.params["offset"] == "0"
    await client.tags.detach(BOARD, "77", created.id)
    assert detach.called
    await client.tags.delete(BOARD, created.id)
    assert delete.called


async def test_unexpected_request_fails_the_test(client: MiroClient) -> None:
    with pytest.raises(AssertionError, match="not mocked"):  # respx: no route matched
        await client.boards.get("nope")


def test_every_operation_a_resource_sends_has_a_price() -> None:
    # A new endpoint needs its rate-limit level in ratelimit.OPERATION_LEVELS:
    # without it the call fails with a KeyError before anything is sent.
    named = set(re.findall(r'operation="([\w.]+)"', inspect.getsource(resources)))
    typed = {
        f"{cls.kind}.{op}"
        for cls in resources._TypedItems.__subclasses__()
        for op in ("create", "get", "update", "delete")
    }
    assert named, "no operation names found: has resources.py changed how it names them?"
    assert sorted((named | typed) - set(OPERATION_LEVELS)) == []


async def test_every_resource_class_is_on_the_client(client: MiroClient) -> None:
    # Each is made on first use (the models load with the first resource).
    names = [n for n, v in vars(MiroClient).items() if not n.startswith("_") and not callable(v)]
    attached = {type(getattr(client, name)) for name in names}
    assert all(getattr(client, name) is getattr(client, name) for name in names)  # kept
    classes = {getattr(resources, name) for name in resources.__all__}
    assert sorted(cls.__name__ for cls in classes - attached) == []
