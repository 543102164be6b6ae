"""Board copy: ``PUT /v2/boards?copy_from={board_id}``.

The copy holds every item (frames, their children with their parents, connectors
with their ends) and every tag with its links, all under new ids, and the caller as
its only member (owner). It leaves out what the emulator has no place for and Miro
does not copy either: votes, comments, the source's members and its sharing invitations.
Items keep their ``createdBy``/``createdAt`` (the copied content is still theirs; Miro
does not say). Fields the request leaves out are the source board's.
"""

from __future__ import annotations

import copy

from boardsmith.emulator.access import RANK, READ, effective_role, forbidden, require
from boardsmith.emulator.errors import invalid
from boardsmith.emulator.fields import BOARD_COPY
from boardsmith.emulator.ids import new_board_id
from boardsmith.emulator.item_rules import fresh_id
from boardsmith.emulator.routes.boards import apply_changes
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.storage import JSON, ItemRow, TagRow
from boardsmith.emulator.validate import obj
from boardsmith.emulator.views import board_view

#: Who ``permissionsPolicy.copyAccess`` lets copy (the caller is always in the team).
_COPY_ROLE = {"anyone": "viewer", "team_members": "viewer", "team_editors": "editor"}


def _check_copy_access(ctx: Ctx, source: JSON) -> None:
    role = effective_role(ctx.store, source, ctx.user) or "viewer"
    policy = source["policy"]["permissionsPolicy"].get("copyAccess", "anyone")
    if policy == "board_owner":
        if role != "owner":
            raise forbidden(
                f"Only the owner may copy board {source['id']} (copyAccess board_owner)"
            )
        return
    needed = _COPY_ROLE.get(policy, "viewer")
    if RANK[role] < RANK[needed]:
        raise forbidden(
            f"Your role on board {source['id']} is {role}; copying it needs {needed} "
            f"(copyAccess {policy})"
        )


def copy_board(ctx: Ctx) -> Reply:
    source_id = ctx.query.get("copy_from")
    if not source_id:
        raise invalid("copy_from", "is required")
    source, _ = require(ctx.store, source_id, ctx.user, READ, "copying it")
    _check_copy_access(ctx, source)
    body = obj(ctx.body, "body")
    while True:
        board_id = new_board_id(ctx.rng)
        if ctx.store.get_board(board_id) is None:
            break
    board = copy.deepcopy(source)
    board.pop("project", None)  # the copy's answer has no project (BoardWithLinksAndWithoutProject)
    board.update(
        id=board_id,
        viewLink=f"https://miro.com/app/board/{board_id}/",
        owner=ctx.user.info(),
        createdAt=ctx.now,
        createdBy=ctx.user.info(),
    )
    apply_changes(ctx, board, body)
    ctx.store.put_board(board_id, board)
    ctx.store.add_member(board_id, ctx.user.id, ctx.user.name, "owner")
    _copy_content(ctx, source_id, board_id)
    return Reply(201, board_view(ctx, board))


def _copy_content(ctx: Ctx, source_id: str, board_id: str) -> None:
    items, _ = ctx.store.query_items(source_id)
    connectors, _ = ctx.store.query_items(source_id, connectors=True)
    new_ids: dict[str, str] = {}
    taken: set[str] = set()
    for row in [*items, *connectors]:
        # fresh_id checks the store only; the copy's ids are not stored yet.
        candidate = fresh_id(ctx)
        while candidate in taken:
            candidate = fresh_id(ctx)
        taken.add(candidate)
        new_ids[row.id] = candidate
    for row in [*items, *connectors]:
        body = copy.deepcopy(row.body)
        if row.type == "connector":
            for end in ("startItem", "endItem"):
                body[end]["id"] = new_ids[body[end]["id"]]
        ctx.store.insert_item(
            ItemRow(
                id=new_ids[row.id],
                board_id=board_id,
                type=row.type,
                parent_id=new_ids.get(row.parent_id) if row.parent_id else None,
                body=body,
            )
        )
    for tag in ctx.store.list_tags(source_id):
        new_tag = TagRow(fresh_id(ctx), board_id, tag.title, tag.fill_color)
        ctx.store.put_tag(new_tag)
        for item in ctx.store.items_with_tag(source_id, tag.id):
            ctx.store.attach(board_id, new_ids[item.id], new_tag.id)


ROUTES = [Route("PUT", "/v2/boards", 4, copy_board, fields=BOARD_COPY)]
