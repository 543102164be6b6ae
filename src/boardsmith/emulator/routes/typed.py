"""Typed item endpoints: sticky notes, shapes, texts, frames and cards."""

from __future__ import annotations

from boardsmith.emulator.errors import not_found
from boardsmith.emulator.fields import item_fields
from boardsmith.emulator.item_rules import build_item
from boardsmith.emulator.routes.items import delete_item_row
from boardsmith.emulator.routing import Ctx, Handler, Reply, Route
from boardsmith.emulator.storage import ItemRow
from boardsmith.emulator.views import item_view

KINDS = {
    "sticky_notes": "sticky_note",
    "shapes": "shape",
    "texts": "text",
    "frames": "frame",
    "cards": "card",
}


def _row(ctx: Ctx, item_type: str) -> ItemRow:
    board_id = ctx.board()["id"]
    row = ctx.store.get_item(board_id, ctx.params["item_id"])
    if row is None or row.type != item_type:
        raise not_found(f"{item_type.replace('_', ' ').capitalize()} {ctx.params['item_id']}")
    return row


def _handlers(item_type: str) -> tuple[Handler, Handler, Handler, Handler]:
    def create(ctx: Ctx) -> Reply:
        ctx.board()
        row = build_item(ctx, item_type, ctx.body)
        ctx.store.insert_item(row)
        return Reply(201, item_view(ctx, row))

    def get(ctx: Ctx) -> Reply:
        return Reply(200, item_view(ctx, _row(ctx, item_type)))

    def update(ctx: Ctx) -> Reply:
        row = build_item(ctx, item_type, ctx.body, existing=_row(ctx, item_type))
        ctx.store.update_item(row)
        return Reply(200, item_view(ctx, row))

    def delete(ctx: Ctx) -> Reply:
        delete_item_row(ctx, _row(ctx, item_type))
        return Reply(204)

    return create, get, update, delete


def _routes() -> list[Route]:
    routes: list[Route] = []
    for kind, item_type in KINDS.items():
        create, get, update, delete = _handlers(item_type)
        base = f"/v2/boards/{{board_id}}/{kind}"
        fields = item_fields(item_type)
        routes += [
            Route("POST", base, 2, create, fields=fields),
            Route("GET", base + "/{item_id}", 1, get),
            Route("PATCH", base + "/{item_id}", 2, update, fields=fields),
            Route("DELETE", base + "/{item_id}", 3, delete),
        ]
    return routes


ROUTES = _routes()
