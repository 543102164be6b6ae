"""Generic items: list (by type, parent or tag), get, move/re-parent, delete, bulk create,
and the tag links that share the ``/items/{item_id}`` path."""

from __future__ import annotations

from typing import Any

from boardsmith.emulator import enums
from boardsmith.emulator.errors import ApiError, invalid, not_found
from boardsmith.emulator.fields import ITEM_MOVE, check_bulk_item
from boardsmith.emulator.item_rules import absolute, build_item, place
from boardsmith.emulator.pagination import cursor_page, decode_cursor, offset_page, offset_params
from boardsmith.emulator.ratelimit import LEVEL_CREDITS
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.storage import ItemRow
from boardsmith.emulator.validate import obj, query_int
from boardsmith.emulator.views import item_view, tag_view

MAX_TAGS_PER_ITEM = 8
MAX_BULK = 20


def get_item_row(ctx: Ctx, item_id: str | None = None) -> ItemRow:
    """A non-connector item on the path's board; 404 otherwise."""
    board_id = ctx.board()["id"]
    wanted = item_id if item_id is not None else ctx.params["item_id"]
    row = ctx.store.get_item(board_id, wanted)
    if row is None or row.type == "connector":
        raise not_found(f"Item {wanted}")
    return row


def list_items(ctx: Ctx) -> Reply:
    if "tag_id" in ctx.query:
        return _items_by_tag(ctx)
    board_id = ctx.board()["id"]
    q = ctx.query
    limit = query_int(q, "limit", 10, 10, 50)
    after = decode_cursor(q.get("cursor"))
    item_type = q.get("type") or None
    if item_type is not None and item_type not in enums.ITEM_TYPES:
        raise invalid("type", f"must be one of {', '.join(sorted(enums.ITEM_TYPES))}")
    parent = q.get("parent_item_id") or None
    if parent is not None:
        frame = ctx.store.get_item(board_id, parent)
        if frame is None or frame.type == "connector":
            raise not_found(f"Item {parent}")
    rows, total = ctx.store.query_items(
        board_id, type_=item_type, parent_id=parent, after_seq=after, limit=limit + 1
    )
    next_seq = rows[limit - 1].seq if len(rows) > limit else None
    data = [item_view(ctx, r) for r in rows[:limit]]
    query = {k: v for k, v in q.items() if k in ("type", "parent_item_id")}
    return Reply(
        200, cursor_page(data, total, limit, next_seq, ctx.url("boards", board_id, "items"), query)
    )


def _items_by_tag(ctx: Ctx) -> Reply:
    board_id = ctx.board()["id"]
    limit, offset = offset_params(ctx.query)
    tag_id = ctx.query["tag_id"]
    if ctx.store.get_tag(board_id, tag_id) is None:
        raise not_found(f"Tag {tag_id}")
    rows = ctx.store.items_with_tag(board_id, tag_id)
    url = ctx.url("boards", board_id, "items")
    return Reply(
        200,
        offset_page(rows, lambda r: item_view(ctx, r), limit, offset, url, {"tag_id": tag_id}),
    )


def _list_cost(ctx: Ctx) -> int:
    return LEVEL_CREDITS[1 if "tag_id" in ctx.query else 2]


def get_item(ctx: Ctx) -> Reply:
    return Reply(200, item_view(ctx, get_item_row(ctx)))


def update_item(ctx: Ctx) -> Reply:
    row = get_item_row(ctx)
    body = obj(ctx.body, "body")
    place(ctx, row, body, "", new=False)
    row.body.update(modifiedAt=ctx.now, modifiedBy=ctx.user.short())
    ctx.store.update_item(row)
    return Reply(200, item_view(ctx, row))


def delete_item_row(ctx: Ctx, row: ItemRow) -> None:
    """Delete an item with its tag links and connectors; a frame's children stay on the
    canvas where they were."""
    for connector in ctx.store.connectors_touching(row.board_id, row.id):
        ctx.store.delete_item(row.board_id, connector.id)
    if row.type == "frame":
        for child in ctx.store.children(row.board_id, row.id):
            child.body["x"], child.body["y"] = absolute(ctx, child)
            child.parent_id = None
            ctx.store.update_item(child)
    ctx.store.delete_item(row.board_id, row.id)


def delete_item_or_detach(ctx: Ctx) -> Reply:
    if "tag_id" in ctx.query:
        row = get_item_row(ctx)
        tag = _tag(ctx)
        ctx.store.detach(row.board_id, row.id, tag)
        return Reply(204)
    delete_item_row(ctx, get_item_row(ctx))
    return Reply(204)


def _delete_cost(ctx: Ctx) -> int:
    return LEVEL_CREDITS[1 if "tag_id" in ctx.query else 3]


def _tag(ctx: Ctx) -> str:
    tag_id = ctx.query.get("tag_id")
    if not tag_id:
        raise invalid("tag_id", "is required")
    if ctx.store.get_tag(ctx.params["board_id"], tag_id) is None:
        raise not_found(f"Tag {tag_id}")
    return tag_id


def attach_tag(ctx: Ctx) -> Reply:
    row = get_item_row(ctx)
    tag_id = _tag(ctx)
    if row.type not in ("sticky_note", "card"):
        raise invalid("item_id", "tags can only be attached to sticky notes and cards")
    current = {t.id for t in ctx.store.tags_of(row.board_id, row.id)}
    if tag_id not in current and len(current) >= MAX_TAGS_PER_ITEM:
        raise invalid("tag_id", f"an item can have at most {MAX_TAGS_PER_ITEM} tags")
    ctx.store.attach(row.board_id, row.id, tag_id)
    return Reply(204)


def tags_of_item(ctx: Ctx) -> Reply:
    row = get_item_row(ctx)
    return Reply(200, {"tags": [tag_view(t) for t in ctx.store.tags_of(row.board_id, row.id)]})


def _bulk_cost(ctx: Ctx) -> int:
    count = len(ctx.body) if isinstance(ctx.body, list) and ctx.body else 1
    return LEVEL_CREDITS[2] * min(count, MAX_BULK)


def _bulk_error(field: str, message: str) -> ApiError:
    return ApiError(
        400,
        "invalidParameters",
        f"Bulk operation failed: {field}: {message}",
        {"fields": [{"field": field, "message": message}]},
    )


def bulk_create(ctx: Ctx) -> Reply:
    ctx.board()
    items: Any = ctx.body
    if not isinstance(items, list):
        raise _bulk_error("body", "must be an array of items")
    if not 1 <= len(items) <= MAX_BULK:
        raise _bulk_error("body", f"must contain 1 to {MAX_BULK} items")
    rows: list[ItemRow] = []
    # Validate and store inside one transaction: any failure rolls every item back.
    for index, payload in enumerate(items):
        prefix = f"{index}."
        if not isinstance(payload, dict):
            raise _bulk_error(str(index), "must be an object")
        item_type = payload.get("type")
        if not isinstance(item_type, str) or item_type not in enums.BULK_TYPES:
            raise _bulk_error(
                f"{prefix}type", f"must be one of {', '.join(sorted(enums.BULK_TYPES))}"
            )
        if item_type not in enums.SUPPORTED_TYPES:
            raise _bulk_error(f"{prefix}type", f"{item_type} is not supported by the emulator")
        try:
            check_bulk_item(payload, prefix)
            row = build_item(ctx, item_type, payload, prefix)
        except ApiError as exc:
            raise _bulk_error(*_first_field(exc)) from exc
        ctx.store.insert_item(row)
        rows.append(row)
    return Reply(201, {"type": "bulk-list", "data": [item_view(ctx, r) for r in rows]})


def _first_field(exc: ApiError) -> tuple[str, str]:
    fields = (exc.context or {}).get("fields") or [{"field": "body", "message": exc.message}]
    return str(fields[0]["field"]), str(fields[0]["message"])


ROUTES = [
    Route("GET", "/v2/boards/{board_id}/items", 2, list_items, cost=_list_cost),
    Route("POST", "/v2/boards/{board_id}/items/bulk", 2, bulk_create, cost=_bulk_cost),
    Route("GET", "/v2/boards/{board_id}/items/{item_id}", 1, get_item),
    Route("PATCH", "/v2/boards/{board_id}/items/{item_id}", 2, update_item, fields=ITEM_MOVE),
    Route(
        "DELETE",
        "/v2/boards/{board_id}/items/{item_id}",
        3,
        delete_item_or_detach,
        cost=_delete_cost,
    ),
    Route("POST", "/v2/boards/{board_id}/items/{item_id}", 1, attach_tag),
    Route("GET", "/v2/boards/{board_id}/items/{item_id}/tags", 1, tags_of_item),
]
