"""Bulk create, tags and connectors."""

from __future__ import annotations

import httpx

from tests.emulator.helpers import create, new_board


async def test_bulk_creates_all_or_nothing(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    frame = await create(
        http, board, "frames", {"data": {}, "geometry": {"width": 500, "height": 500}}
    )
    good = [
        {"type": "sticky_note", "data": {"content": f"n{i}"}, "parent": {"id": frame["id"]}}
        for i in range(3)
    ] + [{"type": "text", "data": {"content": "t"}}, {"type": "shape"}, {"type": "card"}]
    created = await http.post(f"/v2/boards/{board}/items/bulk", json=good)
    assert created.status_code == 201
    body = created.json()
    assert body["type"] == "bulk-list"
    assert [i["type"] for i in body["data"]] == [g["type"] for g in good]
    assert body["data"][0]["position"]["relativeTo"] == "parent_top_left"
    bad = [*good[:2], {"type": "sticky_note", "data": {"shape": "hexagon"}}]
    failed = await http.post(f"/v2/boards/{board}/items/bulk", json=bad)
    assert failed.status_code == 400
    error = failed.json()
    assert error["context"]["fields"][0]["field"] == "2.data.shape"
    total = (await http.get(f"/v2/boards/{board}/items", params={"limit": 50})).json()["total"]
    assert total == 1 + len(good)  # nothing from the failed batch


async def test_bulk_size_and_type_limits(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    url = f"/v2/boards/{board}/items/bulk"
    assert (await http.post(url, json=[])).status_code == 400
    assert (await http.post(url, json=[{"type": "shape"}] * 21)).status_code == 400
    assert (await http.post(url, json={"type": "shape"})).status_code == 400
    wrong = await http.post(url, json=[{"type": "shape"}, {"type": "nope"}])
    assert wrong.json()["context"]["fields"][0]["field"] == "1.type"
    frame_parent = await http.post(url, json=[{"type": "frame", "parent": {"id": "1"}}])
    assert frame_parent.json()["context"]["fields"][0]["field"] == "0.parent"


async def test_tags_attach_detach_and_list(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    note = await create(http, board, "sticky_notes", {"data": {"content": "x"}})
    shape = await create(http, board, "shapes", {})
    tag = (await http.post(f"/v2/boards/{board}/tags", json={"title": "Vote"})).json()
    assert tag["fillColor"] == "red"
    assert tag["type"] == "tag"
    dup = await http.post(f"/v2/boards/{board}/tags", json={"title": "Vote"})
    assert dup.status_code == 400
    case = await http.post(f"/v2/boards/{board}/tags", json={"title": "vote"})
    assert case.status_code == 201  # titles are case-sensitive
    item_url = f"/v2/boards/{board}/items/{note['id']}"
    attached = await http.post(item_url, params={"tag_id": tag["id"]})
    assert attached.status_code == 204
    assert attached.content == b""
    tags = (await http.get(f"{item_url}/tags")).json()["tags"]
    assert [t["title"] for t in tags] == ["Vote"]
    by_tag = (await http.get(f"/v2/boards/{board}/items", params={"tag_id": tag["id"]})).json()
    assert [i["id"] for i in by_tag["data"]] == [note["id"]]
    assert by_tag["offset"] == 0
    assert by_tag["total"] == 1
    not_taggable = await http.post(
        f"/v2/boards/{board}/items/{shape['id']}", params={"tag_id": tag["id"]}
    )
    assert not_taggable.status_code == 400
    assert (await http.delete(item_url, params={"tag_id": tag["id"]})).status_code == 204
    assert (await http.get(f"{item_url}/tags")).json()["tags"] == []
    # Detaching did not delete the item.
    assert (await http.get(item_url)).status_code == 200


async def test_at_most_eight_tags_per_item(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    note = await create(http, board, "cards", {"data": {"title": "c"}})
    url = f"/v2/boards/{board}/items/{note['id']}"
    ids = [
        (await http.post(f"/v2/boards/{board}/tags", json={"title": f"t{i}"})).json()["id"]
        for i in range(9)
    ]
    for tag_id in ids[:8]:
        assert (await http.post(url, params={"tag_id": tag_id})).status_code == 204
    ninth = await http.post(url, params={"tag_id": ids[8]})
    assert ninth.status_code == 400
    assert ninth.json()["context"]["fields"][0]["field"] == "tag_id"


async def test_deleting_a_tag_removes_it_from_items(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    note = await create(http, board, "sticky_notes", {})
    tag = (await http.post(f"/v2/boards/{board}/tags", json={"title": "x"})).json()
    await http.post(f"/v2/boards/{board}/items/{note['id']}", params={"tag_id": tag["id"]})
    renamed = await http.patch(f"/v2/boards/{board}/tags/{tag['id']}", json={"title": "y"})
    assert renamed.json()["title"] == "y"
    listed = (await http.get(f"/v2/boards/{board}/tags")).json()
    assert [t["title"] for t in listed["data"]] == ["y"]
    assert (await http.delete(f"/v2/boards/{board}/tags/{tag['id']}")).status_code == 204
    tags = (await http.get(f"/v2/boards/{board}/items/{note['id']}/tags")).json()
    assert tags["tags"] == []


async def test_connectors_live_outside_items(http: httpx.AsyncClient) -> None:
    board = await new_board(http)
    a = await create(http, board, "shapes", {})
    b = await create(http, board, "sticky_notes", {})
    frame = await create(http, board, "frames", {"data": {}})
    connector = await http.post(
        f"/v2/boards/{board}/connectors",
        json={
            "startItem": {"id": a["id"], "snapTo": "right"},
            "endItem": {"id": b["id"], "position": {"x": "50%", "y": "0%"}},
            "shape": "elbowed",
            "captions": [{"content": "leads to"}],
        },
    )
    assert connector.status_code == 200
    conn = connector.json()
    assert conn["startItem"]["id"] == a["id"]
    assert conn["endItem"]["position"] == {"x": "50%", "y": "0%"}
    items = (await http.get(f"/v2/boards/{board}/items", params={"limit": 50})).json()
    assert conn["id"] not in {i["id"] for i in items["data"]}
    assert (await http.get(f"/v2/boards/{board}/items/{conn['id']}")).status_code == 404
    listed = (await http.get(f"/v2/boards/{board}/connectors")).json()
    assert [c["id"] for c in listed["data"]] == [conn["id"]]
    to_frame = await http.post(
        f"/v2/boards/{board}/connectors",
        json={"startItem": {"id": a["id"]}, "endItem": {"id": frame["id"]}},
    )
    assert to_frame.status_code == 400
    both = await http.post(
        f"/v2/boards/{board}/connectors",
        json={
            "startItem": {"id": a["id"], "snapTo": "top", "position": {"x": "1%", "y": "1%"}},
            "endItem": {"id": b["id"]},
        },
    )
    assert both.status_code == 400
    # Deleting an endpoint removes its connectors.
    await http.delete(f"/v2/boards/{board}/items/{a['id']}")
    assert (await http.get(f"/v2/boards/{board}/connectors/{conn['id']}")).status_code == 404
