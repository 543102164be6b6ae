"""JSON shapes of Miro's responses, built from stored rows."""

from __future__ import annotations

from boardsmith.emulator.routing import Ctx
from boardsmith.emulator.storage import JSON, ItemRow, MemberRow, TagRow

#: The typed endpoint (``/sticky_notes``...) for each item type.
KIND_OF_TYPE = {
    "sticky_note": "sticky_notes",
    "shape": "shapes",
    "text": "texts",
    "frame": "frames",
    "card": "cards",
    "connector": "connectors",
}


def item_view(ctx: Ctx, row: ItemRow) -> JSON:
    """An item as Miro returns it from typed, generic and bulk endpoints."""
    if row.type == "connector":
        return connector_view(ctx, row)
    board_id = row.board_id
    body = row.body
    out: JSON = {
        "id": row.id,
        "type": row.type,
        "data": body["data"],
        "style": body["style"],
        "position": {
            "x": body["x"],
            "y": body["y"],
            "origin": "center",
            "relativeTo": "parent_top_left" if row.parent_id else "canvas_center",
        },
        "geometry": body["geometry"],
    }
    if row.parent_id:
        out["parent"] = {
            "id": row.parent_id,
            "links": {"self": ctx.url("boards", board_id, "items", row.parent_id)},
        }
    out.update(_audit(body))
    links = {"self": ctx.url("boards", board_id, KIND_OF_TYPE[row.type], row.id)}
    if row.type == "frame":
        links["related"] = (
            ctx.url("boards", board_id, "items") + f"?parent_item_id={row.id}&limit=10&cursor="
        )
    out["links"] = links
    return out


def connector_view(ctx: Ctx, row: ItemRow) -> JSON:
    """A connector (``ConnectorWithLinks``)."""
    body = row.body

    def end(key: str) -> JSON:
        spec: JSON = body[key]
        out: JSON = {
            "id": spec["id"],
            "links": {"self": ctx.url("boards", row.board_id, "items", spec["id"])},
        }
        if "position" in spec:
            out["position"] = spec["position"]
        return out

    out: JSON = {
        "id": row.id,
        "type": "connector",
        "shape": body["shape"],
        "startItem": end("startItem"),
        "endItem": end("endItem"),
        "style": body["style"],
        "captions": body["captions"],
        "isSupported": True,
    }
    out.update(_audit(body))
    out["links"] = {"self": ctx.url("boards", row.board_id, "connectors", row.id)}
    return out


def _audit(body: JSON) -> JSON:
    return {
        "createdAt": body["createdAt"],
        "createdBy": body["createdBy"],
        "modifiedAt": body["modifiedAt"],
        "modifiedBy": body["modifiedBy"],
    }


def tag_view(tag: TagRow) -> JSON:
    """A ``Tag`` (without links, as in lists and tags-of-item)."""
    return {"id": tag.id, "title": tag.title, "fillColor": tag.fill_color, "type": "tag"}


def tag_with_links(ctx: Ctx, tag: TagRow) -> JSON:
    """A ``TagWithLinks``."""
    return {**tag_view(tag), "links": {"self": ctx.url("boards", tag.board_id, "tags", tag.id)}}


def member_view(member: MemberRow) -> JSON:
    """A ``BoardMember``."""
    return {"id": member.user_id, "name": member.name, "role": member.role, "type": "board_member"}


def board_view(ctx: Ctx, board: JSON) -> JSON:
    """A board (``BoardWithLinks``) as seen by the caller."""
    out: JSON = {k: v for k, v in board.items() if not k.startswith("_")}
    member = ctx.store.get_member(board["id"], ctx.user.id)
    if member is not None:
        out["currentUserMembership"] = member_view(member)
    out["links"] = {
        "self": ctx.url("boards", board["id"]),
        "related": ctx.url("boards", board["id"], "members") + "?limit=20&offset=0",
    }
    out["type"] = "board"
    return out
