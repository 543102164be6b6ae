"""Board members: list and get (everyone who wrote to a board is a member)."""

from __future__ import annotations

from boardsmith.emulator.errors import not_found
from boardsmith.emulator.pagination import offset_page, offset_params
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.views import member_view


def list_members(ctx: Ctx) -> Reply:
    limit, offset = offset_params(ctx.query)
    board_id = ctx.board()["id"]
    members = ctx.store.list_members(board_id)
    url = ctx.url("boards", board_id, "members")
    return Reply(200, offset_page(members, member_view, limit, offset, url, {}))


def get_member(ctx: Ctx) -> Reply:
    board_id = ctx.board()["id"]
    member = ctx.store.get_member(board_id, ctx.params["board_member_id"])
    if member is None:
        raise not_found(f"Board member {ctx.params['board_member_id']}")
    body = member_view(member)
    body["links"] = {"self": ctx.url("boards", board_id, "members", member.user_id)}
    return Reply(200, body)


ROUTES = [
    Route("GET", "/v2/boards/{board_id}/members", 1, list_members),
    Route("GET", "/v2/boards/{board_id}/members/{board_member_id}", 1, get_member),
]
