"""Board access: roles, team access, sharing, member changes, and Miro's 403/404."""

from __future__ import annotations

from typing import Any

import httpx

from boardsmith.emulator.ids import user_id_for
from boardsmith.emulator.users import email_for_token
from tests.emulator.conftest import Http
from tests.emulator.helpers import create, new_board

STICKY = {"data": {"content": "idea"}}


async def private_board(http: httpx.AsyncClient, name: str = "Private") -> str:
    """A board whose team cannot see it: only its members can."""
    response = await http.post(
        "/v2/boards", json={"name": name, "policy": {"sharingPolicy": {"teamAccess": "private"}}}
    )
    assert response.status_code == 201, response.text
    board_id: str = response.json()["id"]
    return board_id


async def share(
    http: httpx.AsyncClient, board_id: str, token: str, role: str = "editor"
) -> httpx.Response:
    return await http.post(
        f"/v2/boards/{board_id}/members", json={"emails": [email_for_token(token)], "role": role}
    )


def test_an_email_address_names_the_user_never_the_token() -> None:
    email = email_for_token("Ana Maria:s3cret-token")
    assert email == f"ana-maria.{user_id_for('Ana Maria:s3cret-token')}@emulator.invalid"
    assert "s3cret" not in email


def listed(response: httpx.Response) -> list[str]:
    body: dict[str, Any] = response.json()
    assert body["total"] == len(body["data"])
    return [b["id"] for b in body["data"]]


async def test_team_members_edit_a_new_board_and_become_members(
    http: httpx.AsyncClient, as_user: Http
) -> None:
    board = await new_board(http)
    created = await http.get(f"/v2/boards/{board}")
    assert created.json()["policy"]["sharingPolicy"]["teamAccess"] == "edit"
    ben = await as_user("Ben:1")
    assert board in listed(await ben.get("/v2/boards"))
    await create(ben, board, "sticky_notes", STICKY)
    members = (await http.get(f"/v2/boards/{board}/members")).json()["data"]
    assert [(m["name"], m["role"]) for m in members] == [("Ana", "owner"), ("Ben", "editor")]


async def test_a_stranger_to_a_private_board_gets_403_and_does_not_see_it(
    http: httpx.AsyncClient, as_user: Http
) -> None:
    board = await private_board(http)
    mine = await new_board(http, "Team board")
    ben = await as_user("Ben:1")
    for response in (
        await ben.get(f"/v2/boards/{board}"),
        await ben.get(f"/v2/boards/{board}/items"),
        await ben.get(f"/v2/boards/{board}/members"),
        await ben.post(f"/v2/boards/{board}/sticky_notes", json=STICKY),
        await ben.delete(f"/v2/boards/{board}"),
    ):
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "forbiddenAccess"
        assert f"not a member of board {board}" in response.json()["message"]
    assert listed(await ben.get("/v2/boards")) == [mine]
    assert set(listed(await http.get("/v2/boards"))) == {board, mine}
    # A board that does not exist is still a 404, for members and strangers alike.
    assert (await ben.get("/v2/boards/uXjVKnoSuch=")).status_code == 404


async def test_access_is_checked_before_the_body(http: httpx.AsyncClient, as_user: Http) -> None:
    board = await private_board(http)
    ben = await as_user("Ben:1")
    response = await ben.post(f"/v2/boards/{board}/sticky_notes", json={"nope": 1})
    assert response.status_code == 403


async def test_sharing_lets_the_member_in_with_their_role(
    http: httpx.AsyncClient, as_user: Http
) -> None:
    board = await private_board(http)
    shared = await share(http, board, "Ben:1", "editor")
    assert shared.status_code == 201
    assert shared.json() == {"successful": [int(user_id_for("Ben:1"))], "failed": []}
    await share(http, board, "Cara:1", "viewer")
    await share(http, board, "Dan:1", "commenter")
    ben, cara, dan = await as_user("Ben:1"), await as_user("Cara:1"), await as_user("Dan:1")
    await create(ben, board, "sticky_notes", STICKY)
    assert board in listed(await cara.get("/v2/boards"))
    assert (await cara.get(f"/v2/boards/{board}/items")).status_code == 200
    for reader, role in ((cara, "viewer"), (dan, "commenter")):
        denied = await reader.post(f"/v2/boards/{board}/sticky_notes", json=STICKY)
        assert denied.status_code == 403
        assert f"is {role}" in denied.json()["message"]
    me = (await ben.get(f"/v2/boards/{board}")).json()["currentUserMembership"]
    assert (me["name"], me["role"]) == ("Ben", "editor")


async def test_share_rules(http: httpx.AsyncClient, as_user: Http) -> None:
    board = await private_board(http)
    await share(http, board, "Ben:1", "editor")
    ben = await as_user("Ben:1")
    assert (await share(ben, board, "Cara:1", "coowner")).status_code == 403
    assert (await share(ben, board, "Cara:1", "editor")).status_code == 201
    # Inviting as owner makes a co-owner (the spec).
    await share(http, board, "Dan:1", "owner")
    members = {
        m["name"]: m["role"] for m in (await ben.get(f"/v2/boards/{board}/members")).json()["data"]
    }
    assert members == {"Ana": "owner", "Ben": "editor", "cara": "editor", "dan": "coowner"}
    # Sharing a member again leaves the role alone.
    await share(http, board, "Ben:1", "viewer")
    assert (await ben.get(f"/v2/boards/{board}/members/{user_id_for('Ben:1')}")).json()[
        "role"
    ] == "editor"
    unknown = await http.post(
        f"/v2/boards/{board}/members", json={"emails": ["someone@example.com"]}
    )
    assert unknown.json() == {
        "successful": [],
        "failed": [{"email": "someone@example.com", "reason": "INVITATION_FAILED"}],
    }
    policy = {"permissionsPolicy": {"sharingAccess": "owner_and_coowners"}}
    assert (await ben.patch(f"/v2/boards/{board}", json={"policy": policy})).status_code == 403
    assert (await http.patch(f"/v2/boards/{board}", json={"policy": policy})).status_code == 200
    assert (await share(ben, board, "Eve:1", "viewer")).status_code == 403


async def test_changing_and_removing_members(http: httpx.AsyncClient, as_user: Http) -> None:
    board = await private_board(http)
    for token, role in (("Ben:1", "editor"), ("Cara:1", "coowner"), ("Dan:1", "coowner")):
        await share(http, board, token, role)
    ben, cara = await as_user("Ben:1"), await as_user("Cara:1")
    ben_url = f"/v2/boards/{board}/members/{user_id_for('Ben:1')}"
    owner_url = f"/v2/boards/{board}/members/{user_id_for('Ana:1')}"
    dan_url = f"/v2/boards/{board}/members/{user_id_for('Dan:1')}"
    # An editor manages nobody; a co-owner manages those below, to roles below theirs.
    assert (await ben.patch(ben_url, json={"role": "viewer"})).status_code == 403
    assert (await cara.patch(dan_url, json={"role": "viewer"})).status_code == 403
    assert (await cara.patch(ben_url, json={"role": "coowner"})).status_code == 403
    assert (await cara.patch(owner_url, json={"role": "viewer"})).status_code == 403
    assert (await http.patch(ben_url, json={"role": "owner"})).status_code == 403
    changed = await cara.patch(ben_url, json={"role": "viewer"})
    assert changed.status_code == 200
    assert changed.json()["role"] == "viewer"
    assert changed.json()["links"]["self"].endswith(user_id_for("Ben:1"))
    assert (await ben.post(f"/v2/boards/{board}/sticky_notes", json=STICKY)).status_code == 403
    assert (await http.patch(ben_url, json={})).status_code == 400
    assert (await http.delete(owner_url)).status_code == 403
    assert (await cara.delete(ben_url)).status_code == 204
    assert (await ben.get(f"/v2/boards/{board}")).status_code == 403
    assert (await http.delete(ben_url)).status_code == 404


async def test_only_the_owner_deletes_and_coowners_set_the_policy(
    http: httpx.AsyncClient, as_user: Http
) -> None:
    board = await new_board(http)
    ben = await as_user("Ben:1")
    assert (await ben.patch(f"/v2/boards/{board}", json={"name": "Renamed"})).status_code == 200
    private = {"policy": {"sharingPolicy": {"teamAccess": "private"}}}
    refused = await ben.patch(f"/v2/boards/{board}", json=private)
    assert refused.status_code == 403
    assert "policy needs coowner" in refused.json()["message"]
    assert (await ben.delete(f"/v2/boards/{board}")).status_code == 403
    assert (await http.delete(f"/v2/boards/{board}")).status_code == 204


async def test_public_access_reads_without_listing(http: httpx.AsyncClient, as_user: Http) -> None:
    response = await http.post(
        "/v2/boards",
        json={"policy": {"sharingPolicy": {"teamAccess": "private", "access": "view"}}},
    )
    board = response.json()["id"]
    ben = await as_user("Ben:1")
    assert (await ben.get(f"/v2/boards/{board}/items")).status_code == 200
    assert (await ben.post(f"/v2/boards/{board}/sticky_notes", json=STICKY)).status_code == 403
    assert board not in listed(await ben.get("/v2/boards"))
