"""Boards: create, list, get, update, delete (copy is in :mod:`.copy`)."""

from __future__ import annotations

from boardsmith.emulator import enums
from boardsmith.emulator.access import RANK, effective_role, forbidden, visible_in_list
from boardsmith.emulator.errors import ApiError, invalid
from boardsmith.emulator.fields import BOARD_CREATE, BOARD_UPDATE
from boardsmith.emulator.ids import new_board_id
from boardsmith.emulator.pagination import offset_page, offset_params
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.storage import JSON
from boardsmith.emulator.validate import obj, string
from boardsmith.emulator.views import board_view

TEAM = {"id": "3458764500000000001", "name": "Emulator team", "type": "team"}

_PERMISSIONS = {
    "collaborationToolsStartAccess": {"all_editors", "board_owners_and_coowners"},
    "copyAccess": {"anyone", "team_members", "team_editors", "board_owner"},
    "sharingAccess": {"team_members_with_editing_rights", "owner_and_coowners"},
}
_SHARING = {
    "access": {"private", "view", "edit", "comment"},
    "inviteToAccountAndBoardLinkAccess": {"viewer", "commenter", "editor", "no_access"},
    "organizationAccess": {"private", "view", "comment", "edit"},
    "teamAccess": {"private", "view", "comment", "edit"},
}
DEFAULT_POLICY: JSON = {
    "permissionsPolicy": {
        "collaborationToolsStartAccess": "all_editors",
        "copyAccess": "anyone",
        "sharingAccess": "team_members_with_editing_rights",
    },
    "sharingPolicy": {
        "access": "private",
        "inviteToAccountAndBoardLinkAccess": "no_access",
        "organizationAccess": "private",
        # The spec: "By default, edit for the free plan and private for other plans".
        # The emulator's team is on the free plan, so team members edit new boards.
        "teamAccess": "edit",
    },
}


def _policy(value: object, old: JSON) -> JSON:
    policy = obj(value, "policy")
    out = {k: dict(v) for k, v in old.items()}
    for key, allowed in (("permissionsPolicy", _PERMISSIONS), ("sharingPolicy", _SHARING)):
        part = obj(policy.get(key), f"policy.{key}")
        for name, enum in allowed.items():
            chosen = string(part, name, f"policy.{key}", enum=enum)
            if chosen is not None:
                out[key][name] = chosen
    return out


def apply_changes(ctx: Ctx, board: JSON, body: JSON, role: str = "owner") -> None:
    """Apply ``BoardChanges`` to ``board`` as a caller with ``role`` on it.

    Editors may rename, describe and move a board to a project; the policy needs a
    co-owner, and moving the board to a team needs its owner (the spec's rule for
    non-Enterprise plans).
    """
    name = string(body, "name", "", min_len=1, max_len=60)
    if name is not None:
        board["name"] = name
    description = string(body, "description", "", max_len=300)
    if description is not None:
        board["description"] = description
    if "policy" in body:
        _need(ctx, role, "coowner", "changing the policy")
        board["policy"] = _policy(body["policy"], board["policy"])
    team_id = string(body, "teamId", "", max_len=64)
    if team_id is not None:
        _need(ctx, role, "owner", "moving the board to a team")
        if team_id != TEAM["id"]:
            # create-board documents 404 (no path id to miss): the team is not found.
            raise ApiError(
                404,
                "notFound",
                f"teamId: team {team_id} not found (the emulator has one team, {TEAM['id']})",
                {"fields": [{"field": "teamId", "message": "no such team"}]},
            )
    project_id = string(body, "projectId", "", max_len=64)
    if project_id:
        board["project"] = {"id": project_id}
    board["modifiedAt"] = ctx.now
    board["modifiedBy"] = ctx.user.info()


def _need(ctx: Ctx, role: str, needed: str, doing: str) -> None:
    if RANK[role] < RANK[needed]:
        board_id = ctx.params.get("board_id", "")
        raise forbidden(f"Your role on board {board_id} is {role}; {doing} needs {needed}")


def create_board(ctx: Ctx) -> Reply:
    body = obj(ctx.body, "body")
    while True:
        board_id = new_board_id(ctx.rng)
        if ctx.store.get_board(board_id) is None:
            break
    board: JSON = {
        "id": board_id,
        "name": "Untitled",
        "description": "",
        "team": dict(TEAM),
        "policy": DEFAULT_POLICY,
        "viewLink": f"https://miro.com/app/board/{board_id}/",
        "owner": ctx.user.info(),
        "createdAt": ctx.now,
        "createdBy": ctx.user.info(),
    }
    apply_changes(ctx, board, body)
    ctx.store.put_board(board_id, board)
    ctx.store.add_member(board_id, ctx.user.id, ctx.user.name, "owner")
    return Reply(201, board_view(ctx, board))


def list_boards(ctx: Ctx) -> Reply:
    q = ctx.query
    limit, offset = offset_params(q)
    sort = q.get("sort") or "default"
    if sort not in enums.BOARD_SORTS:
        raise invalid("sort", f"must be one of {', '.join(sorted(enums.BOARD_SORTS))}")
    text = q.get("query", "")
    if len(text) > 500:
        raise invalid("query", "must be at most 500 characters")
    mine = ctx.store.member_boards(ctx.user.id)
    boards = [b for b in ctx.store.list_boards() if visible_in_list(b, mine)]
    if q.get("team_id"):
        boards = [b for b in boards if b["team"]["id"] == q["team_id"]]
    elif q.get("project_id"):
        boards = [b for b in boards if b.get("project", {}).get("id") == q["project_id"]]
    else:
        if q.get("owner"):
            boards = [b for b in boards if b["owner"]["id"] == q["owner"]]
        if text:
            needle = text.casefold()
            boards = [
                b
                for b in boards
                if needle in b["name"].casefold() or needle in b["description"].casefold()
            ]
    if sort == "alphabetically":
        boards.sort(key=lambda b: b["name"].casefold())
    elif sort == "last_modified":
        boards.sort(key=lambda b: b["modifiedAt"], reverse=True)
    else:
        boards.reverse()  # newest first, like Miro's last_created/last_opened
    query = {k: v for k, v in q.items() if k not in ("limit", "offset")}
    return Reply(
        200,
        offset_page(boards, lambda b: board_view(ctx, b), limit, offset, ctx.url("boards"), query),
    )


def get_board(ctx: Ctx) -> Reply:
    return Reply(200, board_view(ctx, ctx.board()))


def update_board(ctx: Ctx) -> Reply:
    board = ctx.board()
    role = effective_role(ctx.store, board, ctx.user) or "viewer"
    apply_changes(ctx, board, obj(ctx.body, "body"), role)
    ctx.store.put_board(board["id"], board)
    return Reply(200, board_view(ctx, board))


def delete_board(ctx: Ctx) -> Reply:
    board = ctx.board()
    # Miro does not say whether co-owners may delete; only the owner may (stricter).
    _need(ctx, effective_role(ctx.store, board, ctx.user) or "viewer", "owner", "deleting it")
    ctx.store.delete_board(ctx.params["board_id"])
    return Reply(204)


ROUTES = [
    Route("POST", "/v2/boards", 3, create_board, fields=BOARD_CREATE),
    Route("GET", "/v2/boards", 1, list_boards),
    Route("GET", "/v2/boards/{board_id}", 1, get_board),
    Route("PATCH", "/v2/boards/{board_id}", 2, update_board, fields=BOARD_UPDATE),
    Route("DELETE", "/v2/boards/{board_id}", 3, delete_board, needs="viewer"),
]
