"""Connectors: their own list endpoint, and never part of ``/items``."""

from __future__ import annotations

import re
from typing import Any

from boardsmith.emulator import enums
from boardsmith.emulator.errors import ApiError, invalid, not_found
from boardsmith.emulator.fields import CONNECTOR
from boardsmith.emulator.item_rules import fresh_id
from boardsmith.emulator.pagination import cursor_page, decode_cursor
from boardsmith.emulator.routes.items import get_item_row
from boardsmith.emulator.routing import Ctx, Reply, Route
from boardsmith.emulator.storage import JSON, ItemRow
from boardsmith.emulator.validate import numeric_string, obj, query_int, string
from boardsmith.emulator.views import connector_view

_PERCENT = re.compile(r"^\d{1,3}(\.\d+)?%$")
DEFAULT_STYLE: JSON = {
    "color": "#1a1a1a",
    "endStrokeCap": "stealth",
    "fontSize": "14",
    "startStrokeCap": "none",
    "strokeColor": "#000000",
    "strokeStyle": "normal",
    "strokeWidth": "1.0",
    "textOrientation": "aligned",
}


def _end(ctx: Ctx, value: Any, field: str, old: JSON | None) -> JSON:
    spec = obj(value, field, required=old is None)
    item_id = string(spec, "id", field, required=old is None)
    out: JSON = dict(old or {})
    if item_id is not None:
        try:
            target = get_item_row(ctx, item_id)
        except ApiError:
            raise invalid(f"{field}.id", "must be the id of an item on this board") from None
        if target.type == "frame":
            raise invalid(f"{field}.id", "frames cannot be connector endpoints")
        out = {"id": item_id}
    position = spec.get("position")
    snap = string(spec, "snapTo", field, enum=enums.SNAP_TO)
    if position is not None and snap is not None:
        raise invalid(field, "set either position or snapTo, not both")
    if position is not None:
        pos = obj(position, f"{field}.position")
        rel = {}
        for axis in ("x", "y"):
            value = string(pos, axis, f"{field}.position", required=True)
            assert value is not None
            if not _PERCENT.match(value) or float(value[:-1]) > 100:
                raise invalid(f"{field}.position.{axis}", "must be a percentage like 50%")
            rel[axis] = value
        out["position"] = rel
    elif snap is not None:
        out.pop("position", None)
    return out


def _captions(value: Any) -> list[JSON]:
    if not isinstance(value, list):
        raise invalid("captions", "must be an array")
    if len(value) > 20:
        raise invalid("captions", "must have at most 20 captions")
    out = []
    for i, raw in enumerate(value):
        cap = obj(raw, f"captions.{i}", required=True)
        content = string(cap, "content", f"captions.{i}", required=True, max_len=200)
        item: JSON = {"content": content}
        position = string(cap, "position", f"captions.{i}")
        if position is not None:
            if not _PERCENT.match(position) or float(position[:-1]) > 100:
                raise invalid(f"captions.{i}.position", "must be a percentage like 50%")
            item["position"] = position
        valign = string(cap, "textAlignVertical", f"captions.{i}", enum=enums.TEXT_ALIGN_VERTICAL)
        if valign is not None:
            item["textAlignVertical"] = valign
        out.append(item)
    return out


def _style(value: Any, old: JSON) -> JSON:
    s = obj(value, "style")
    updates = {
        "color": string(s, "color", "style", max_len=64),
        "endStrokeCap": string(s, "endStrokeCap", "style", enum=enums.STROKE_CAPS),
        "fontSize": numeric_string(s, "fontSize", "style", minimum=10, maximum=288),
        "startStrokeCap": string(s, "startStrokeCap", "style", enum=enums.STROKE_CAPS),
        "strokeColor": string(s, "strokeColor", "style", max_len=64),
        "strokeStyle": string(s, "strokeStyle", "style", enum=enums.BORDER_STYLES),
        "strokeWidth": numeric_string(s, "strokeWidth", "style", minimum=1, maximum=24),
        "textOrientation": string(s, "textOrientation", "style", enum=enums.TEXT_ORIENTATION),
    }
    return {**old, **{k: v for k, v in updates.items() if v is not None}}


def _build(ctx: Ctx, existing: ItemRow | None) -> ItemRow:
    body = obj(ctx.body, "body", required=existing is None)
    old = existing.body if existing else None
    start = _end(ctx, body.get("startItem"), "startItem", old["startItem"] if old else None)
    end = _end(ctx, body.get("endItem"), "endItem", old["endItem"] if old else None)
    shape = string(body, "shape", "", enum=enums.CONNECTOR_SHAPES)
    captions = _captions(body["captions"]) if body.get("captions") is not None else None
    style = _style(body.get("style"), old["style"] if old else DEFAULT_STYLE)
    if existing is None:
        row = ItemRow(
            id=fresh_id(ctx),
            board_id=ctx.params["board_id"],
            type="connector",
            parent_id=None,
            body={
                "createdAt": ctx.now,
                "createdBy": ctx.user.short(),
                "shape": "curved",
                "captions": [],
            },
        )
    else:
        row = existing
    row.body.update(startItem=start, endItem=end, style=style)
    if shape is not None:
        row.body["shape"] = shape
    if captions is not None:
        row.body["captions"] = captions
    row.body.update(modifiedAt=ctx.now, modifiedBy=ctx.user.short())
    return row


def _connector(ctx: Ctx) -> ItemRow:
    board_id = ctx.board()["id"]
    row = ctx.store.get_item(board_id, ctx.params["connector_id"])
    if row is None or row.type != "connector":
        raise not_found(f"Connector {ctx.params['connector_id']}")
    return row


def create_connector(ctx: Ctx) -> Reply:
    ctx.board()
    row = _build(ctx, None)
    ctx.store.insert_item(row)
    # Miro's spec documents 200 (not 201) for connector creation.
    return Reply(200, connector_view(ctx, row))


def list_connectors(ctx: Ctx) -> Reply:
    board_id = ctx.board()["id"]
    limit = query_int(ctx.query, "limit", 10, 10, 50)
    after = decode_cursor(ctx.query.get("cursor"))
    rows, total = ctx.store.query_items(board_id, connectors=True, after_seq=after, limit=limit + 1)
    next_seq = rows[limit - 1].seq if len(rows) > limit else None
    data = [connector_view(ctx, r) for r in rows[:limit]]
    url = ctx.url("boards", board_id, "connectors")
    return Reply(200, cursor_page(data, total, limit, next_seq, url, {}))


def get_connector(ctx: Ctx) -> Reply:
    return Reply(200, connector_view(ctx, _connector(ctx)))


def update_connector(ctx: Ctx) -> Reply:
    row = _build(ctx, _connector(ctx))
    ctx.store.update_item(row)
    return Reply(200, connector_view(ctx, row))


def delete_connector(ctx: Ctx) -> Reply:
    row = _connector(ctx)
    ctx.store.delete_item(row.board_id, row.id)
    return Reply(204)


ROUTES = [
    Route("POST", "/v2/boards/{board_id}/connectors", 2, create_connector, fields=CONNECTOR),
    Route("GET", "/v2/boards/{board_id}/connectors", 2, list_connectors),
    Route("GET", "/v2/boards/{board_id}/connectors/{connector_id}", 1, get_connector),
    Route(
        "PATCH",
        "/v2/boards/{board_id}/connectors/{connector_id}",
        2,
        update_connector,
        fields=CONNECTOR,
    ),
    Route("DELETE", "/v2/boards/{board_id}/connectors/{connector_id}", 3, delete_connector),
]
