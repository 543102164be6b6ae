"""Board members: list, get, share (invite by email), change a role, remove.

Who may do what (docs/emulator.md, "Access"; the spec documents the roles and
``permissionsPolicy.sharingAccess``, the rest is the stricter reading):

- sharing needs editing rights when ``sharingAccess`` is
  ``team_members_with_editing_rights`` (the default), a co-owner otherwise; nobody
  grants a role above their own, and ``owner`` is granted as ``coowner`` (the spec);
- sharing with a member leaves their role alone (``PATCH`` changes roles);
- changing a role or removing a member needs a co-owner, and only touches members
  ranked below the caller, giving them roles below the caller's; the owner stays.
"""

from __future__ import annotations

from typing import Any

from boardsmith.emulator.access import RANK, ROLES, effective_role, forbidden
from boardsmith.emulator.errors import invalid, not_found
from boardsmith.emulator.fields import MEMBER_UPDATE, MEMBERS_INVITE
from boardsmith.emulator.pagination import offset_page, offset_params
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.storage import JSON, MemberRow
from boardsmith.emulator.users import user_of_email
from boardsmith.emulator.validate import obj, string
from boardsmith.emulator.views import member_view

MAX_INVITES = 20


def list_members(ctx: Ctx) -> Reply:
    limit, offset = offset_params(ctx.query)
    board_id = ctx.board()["id"]
    members = ctx.store.list_members(board_id)
    url = ctx.url("boards", board_id, "members")
    return Reply(200, offset_page(members, member_view, limit, offset, url, {}))


def _member(ctx: Ctx) -> MemberRow:
    member = ctx.store.get_member(ctx.params["board_id"], ctx.params["board_member_id"])
    if member is None:
        raise not_found(f"Board member {ctx.params['board_member_id']}")
    return member


def _with_links(ctx: Ctx, member: MemberRow) -> JSON:
    body = member_view(member)
    body["links"] = {"self": ctx.url("boards", ctx.params["board_id"], "members", member.user_id)}
    return body


def get_member(ctx: Ctx) -> Reply:
    ctx.board()
    return Reply(200, _with_links(ctx, _member(ctx)))


def _my_role(ctx: Ctx) -> tuple[JSON, str]:
    board = ctx.board()
    # The dispatcher already answered 403 to callers without a role.
    return board, effective_role(ctx.store, board, ctx.user) or "viewer"


def _role(body: JSON, default: str | None) -> str:
    role = string(body, "role", "", enum=ROLES) or default
    if role is None:
        raise invalid("role", "is required")
    return role


def _emails(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise invalid("emails", "must be an array of email addresses")
    if not 1 <= len(value) <= MAX_INVITES:
        raise invalid("emails", f"must hold 1 to {MAX_INVITES} addresses")
    for index, email in enumerate(value):
        if not isinstance(email, str) or "@" not in email:
            raise invalid(f"emails.{index}", "must be an email address")
    return list(value)


def share_board(ctx: Ctx) -> Reply:
    board, mine = _my_role(ctx)
    body = obj(ctx.body, "body", required=True)
    emails = _emails(body.get("emails"))
    role = _role(body, "commenter")
    message = string(body, "message", "")
    sharing = board["policy"]["permissionsPolicy"].get("sharingAccess")
    needed = "coowner" if sharing == "owner_and_coowners" else "editor"
    if RANK[mine] < RANK[needed]:
        raise forbidden(
            f"Your role on board {board['id']} is {mine}; sharing it needs {needed} "
            f"(sharingAccess {sharing})"
        )
    granted = "coowner" if role == "owner" else role
    if RANK[granted] > RANK[mine]:
        raise forbidden(f"A {mine} cannot share board {board['id']} as {granted}")
    successful: list[int] = []
    failed: list[JSON] = []
    for email in emails:
        found = user_of_email(email)
        if found is None:
            # Miro would email an invitation; the emulator knows only its own users.
            failed.append({"email": email, "reason": "INVITATION_FAILED"})
            continue
        user_id, name = found
        ctx.store.add_member(
            board["id"], user_id, name, granted, invited_by=ctx.user.id, message=message
        )
        successful.append(int(user_id))
    return Reply(201, {"successful": successful, "failed": failed})


def _manageable(ctx: Ctx, mine: str, member: MemberRow, new_role: str | None) -> None:
    board_id = ctx.params["board_id"]
    if RANK[mine] < RANK["coowner"]:
        raise forbidden(f"Your role on board {board_id} is {mine}; managing members needs coowner")
    if member.role == "owner":
        raise forbidden(f"The owner of board {board_id} cannot be changed or removed")
    if RANK[member.role] >= RANK[mine]:
        raise forbidden(f"A {mine} cannot change a {member.role} of board {board_id}")
    if new_role is not None and RANK[new_role] >= RANK[mine]:
        raise forbidden(f"A {mine} cannot make a member {new_role} of board {board_id}")


def update_member(ctx: Ctx) -> Reply:
    _, mine = _my_role(ctx)
    body = obj(ctx.body, "body", required=True)
    member = _member(ctx)
    role = _role(body, None)
    _manageable(ctx, mine, member, role)
    ctx.store.set_member_role(ctx.params["board_id"], member.user_id, role)
    return Reply(200, _with_links(ctx, _member(ctx)))


def remove_member(ctx: Ctx) -> Reply:
    _, mine = _my_role(ctx)
    member = _member(ctx)
    _manageable(ctx, mine, member, None)
    ctx.store.remove_member(ctx.params["board_id"], member.user_id)
    return Reply(204)


_MEMBER = "/v2/boards/{board_id}/members/{board_member_id}"

ROUTES = [
    Route("GET", "/v2/boards/{board_id}/members", 1, list_members),
    Route("POST", "/v2/boards/{board_id}/members", 3, share_board, fields=MEMBERS_INVITE),
    Route("GET", _MEMBER, 1, get_member),
    Route("PATCH", _MEMBER, 2, update_member, needs="viewer", fields=MEMBER_UPDATE),
    Route("DELETE", _MEMBER, 2, remove_member, needs="viewer"),
]
