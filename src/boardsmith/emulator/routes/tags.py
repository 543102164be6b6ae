"""Board tags: create, list, get, update, delete (tag titles are unique per board)."""

from __future__ import annotations

from boardsmith.emulator import enums
from boardsmith.emulator.errors import invalid, not_found
from boardsmith.emulator.fields import TAG
from boardsmith.emulator.item_rules import fresh_id
from boardsmith.emulator.pagination import offset_page, offset_params
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.storage import TagRow
from boardsmith.emulator.validate import obj, string
from boardsmith.emulator.views import tag_view, tag_with_links


def _tag(ctx: Ctx) -> TagRow:
    board_id = ctx.board()["id"]
    tag = ctx.store.get_tag(board_id, ctx.params["tag_id"])
    if tag is None:
        raise not_found(f"Tag {ctx.params['tag_id']}")
    return tag


def _check_title(ctx: Ctx, title: str, tag_id: str | None) -> None:
    if not title.strip():
        raise invalid("title", "must not be blank")
    clash = ctx.store.tag_by_title(ctx.params["board_id"], title)
    if clash is not None and clash.id != tag_id:
        raise invalid("title", f"a tag titled {title!r} already exists on this board")


def create_tag(ctx: Ctx) -> Reply:
    board_id = ctx.board()["id"]
    body = obj(ctx.body, "body", required=True)
    title = string(body, "title", "", required=True, max_len=120)
    assert title is not None
    fill = string(body, "fillColor", "", enum=enums.TAG_COLORS) or "red"
    _check_title(ctx, title, None)
    tag = TagRow(id=fresh_id(ctx), board_id=board_id, title=title, fill_color=fill)
    ctx.store.put_tag(tag)
    return Reply(201, tag_with_links(ctx, tag))


def list_tags(ctx: Ctx) -> Reply:
    board_id = ctx.board()["id"]
    limit, offset = offset_params(ctx.query)
    tags = ctx.store.list_tags(board_id)
    url = ctx.url("boards", board_id, "tags")
    return Reply(200, offset_page(tags, tag_view, limit, offset, url, {}))


def get_tag(ctx: Ctx) -> Reply:
    return Reply(200, tag_with_links(ctx, _tag(ctx)))


def update_tag(ctx: Ctx) -> Reply:
    tag = _tag(ctx)
    body = obj(ctx.body, "body")
    title = string(body, "title", "", max_len=120)
    fill = string(body, "fillColor", "", enum=enums.TAG_COLORS)
    if title is not None:
        _check_title(ctx, title, tag.id)
    new = TagRow(
        id=tag.id,
        board_id=tag.board_id,
        title=title if title is not None else tag.title,
        fill_color=fill or tag.fill_color,
    )
    ctx.store.put_tag(new)
    return Reply(200, tag_with_links(ctx, new))


def delete_tag(ctx: Ctx) -> Reply:
    tag = _tag(ctx)
    ctx.store.delete_tag(tag.board_id, tag.id)
    return Reply(204)


ROUTES = [
    Route("POST", "/v2/boards/{board_id}/tags", 1, create_tag, fields=TAG),
    Route("GET", "/v2/boards/{board_id}/tags", 1, list_tags),
    Route("GET", "/v2/boards/{board_id}/tags/{tag_id}", 1, get_tag),
    Route("PATCH", "/v2/boards/{board_id}/tags/{tag_id}", 1, update_tag, fields=TAG),
    Route("DELETE", "/v2/boards/{board_id}/tags/{tag_id}", 1, delete_tag),
]
