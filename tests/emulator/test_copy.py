"""Board copy: ``PUT /v2/boards?copy_from=``."""

from __future__ import annotations

import httpx

from boardsmith.emulator import EmulatorApp
from tests.emulator.conftest import Http
from tests.emulator.helpers import create, new_board


async def _items(http: httpx.AsyncClient, board: str) -> list[dict[str, object]]:
    body = (await http.get(f"/v2/boards/{board}/items", params={"limit": 50})).json()
    data: list[dict[str, object]] = body["data"]
    return data


async def test_copy_has_every_item_frame_parent_connector_and_tag_under_new_ids(
    http: httpx.AsyncClient, as_user: Http, emulator_app: EmulatorApp
) -> None:
    source = await new_board(http, "Workshop")
    frame = await create(
        http,
        source,
        "frames",
        {"data": {"title": "Lane"}, "geometry": {"width": 400, "height": 400}},
    )
    ben = await as_user("Ben:1")
    child = await create(
        ben,
        source,
        "sticky_notes",
        {
            "data": {"content": "calm"},
            "parent": {"id": frame["id"]},
            "position": {"x": 50, "y": 60},
        },
    )
    loose = await create(http, source, "shapes", {"data": {"content": "box"}})
    await http.post(
        f"/v2/boards/{source}/connectors",
        json={"startItem": {"id": child["id"]}, "endItem": {"id": loose["id"]}},
    )
    tag = (await http.post(f"/v2/boards/{source}/tags", json={"title": "top"})).json()
    await http.post(f"/v2/boards/{source}/items/{child['id']}", params={"tag_id": tag["id"]})

    cara = await as_user("Cara:1")
    response = await cara.put("/v2/boards", params={"copy_from": source}, json={"name": "Copy"})
    assert response.status_code == 201, response.text
    copied = response.json()
    assert copied["id"] != source
    assert copied["name"] == "Copy"
    assert copied["owner"]["name"] == "Cara"
    assert copied["description"] == ""
    assert "project" not in copied
    board = copied["id"]

    items = await _items(cara, board)
    assert len(items) == 3
    assert {i["id"] for i in items}.isdisjoint({frame["id"], child["id"], loose["id"]})
    by_type = {i["type"]: i for i in items}
    new_frame, new_child = by_type["frame"], by_type["sticky_note"]
    quoted = board.replace("=", "%3D")
    frame_url = f"https://api.miro.com/v2/boards/{quoted}/items/{new_frame['id']}"
    assert new_child["parent"] == {"id": new_frame["id"], "links": {"self": frame_url}}
    assert new_child["position"] == child["position"]
    assert new_child["data"] == child["data"]
    assert new_child["createdBy"] == child["createdBy"]  # the content is still Ben's
    connectors = (await cara.get(f"/v2/boards/{board}/connectors")).json()["data"]
    assert [(c["startItem"]["id"], c["endItem"]["id"]) for c in connectors] == [
        (new_child["id"], by_type["shape"]["id"])
    ]
    tags = (await cara.get(f"/v2/boards/{board}/items/{new_child['id']}/tags")).json()["tags"]
    assert [t["title"] for t in tags] == ["top"]
    assert tags[0]["id"] != tag["id"]
    members = (await cara.get(f"/v2/boards/{board}/members")).json()["data"]
    assert [(m["name"], m["role"]) for m in members] == [("Cara", "owner")]
    # The source is untouched.
    assert len(await _items(http, source)) == 3
    assert emulator_app.stats()["requests"]["PUT /v2/boards"] == 1


async def test_copy_keeps_the_source_fields_the_request_leaves_out(http: httpx.AsyncClient) -> None:
    response = await http.post("/v2/boards", json={"name": "Src", "description": "about"})
    source = response.json()["id"]
    copied = (await http.put("/v2/boards", params={"copy_from": source})).json()
    assert (copied["name"], copied["description"]) == ("Src", "about")
    assert copied["policy"] == response.json()["policy"]


async def test_copy_needs_access_and_copy_rights(http: httpx.AsyncClient, as_user: Http) -> None:
    ben = await as_user("Ben:1")
    assert (await ben.put("/v2/boards")).status_code == 400
    assert (await ben.put("/v2/boards", params={"copy_from": "uXjVKnoSuch="})).status_code == 404
    private = await http.post(
        "/v2/boards", json={"policy": {"sharingPolicy": {"teamAccess": "private"}}}
    )
    denied = await ben.put("/v2/boards", params={"copy_from": private.json()["id"]})
    assert denied.status_code == 403
    owner_only = await http.post(
        "/v2/boards",
        json={"policy": {"permissionsPolicy": {"copyAccess": "board_owner"}}},
    )
    source = owner_only.json()["id"]
    assert (await ben.put("/v2/boards", params={"copy_from": source})).status_code == 403
    assert (await http.put("/v2/boards", params={"copy_from": source})).status_code == 201
    bad = await http.put("/v2/boards", params={"copy_from": source}, json={"projectId": "1"})
    assert bad.status_code == 400
    assert bad.json()["context"]["fields"][0]["field"] == "projectId"
