"""Validation and defaults for each item type, shared by typed, generic and bulk endpoints.

:func:`build_item` turns a request body into a stored :class:`ItemRow` (new or
updated) or raises a Miro 400 whose field names start with ``prefix`` (``"3."``
in bulk create, so errors point at the failing index).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boardsmith.emulator import enums
from boardsmith.emulator.errors import invalid
from boardsmith.emulator.geometry import sticky_size, text_height
from boardsmith.emulator.ids import is_numeric_id, new_item_id
from boardsmith.emulator.routing import Ctx
from boardsmith.emulator.storage import JSON, ItemRow
from boardsmith.emulator.validate import (
    MAX_COORD,
    MAX_SIZE,
    boolean,
    number,
    numeric_string,
    obj,
    string,
)

MIN_FRAME = 100.0
_UNSET = object()


def fresh_id(ctx: Ctx) -> str:
    """A 19-digit id not used anywhere in the store."""
    while True:
        candidate = new_item_id(ctx.rng)
        if not ctx.store.item_exists(candidate):
            return candidate


def _merge(base: JSON, updates: dict[str, Any]) -> JSON:
    return {**base, **{k: v for k, v in updates.items() if v is not None}}


def _size(g: JSON, key: str, field: str, minimum: float = 0.0) -> float | None:
    return number(g, key, field, minimum=minimum, maximum=MAX_SIZE, exclusive_min=minimum == 0)


def _rotation(g: JSON, field: str, old: JSON) -> float:
    value = number(g, "rotation", field, minimum=-360, maximum=360)
    return value if value is not None else float(old.get("rotation", 0.0))


def _sticky(ctx: Ctx, p: JSON, f: str, old: JSON | None) -> tuple[JSON, JSON, JSON]:
    data = obj(p.get("data"), f + "data")
    style = obj(p.get("style"), f + "style")
    geo = obj(p.get("geometry"), f + "geometry")
    base_data = old["data"] if old else {"content": "", "shape": "square"}
    new_data = _merge(
        base_data,
        {
            "content": string(data, "content", f + "data"),
            "shape": string(data, "shape", f + "data", enum=enums.STICKY_SHAPES),
        },
    )
    base_style = (
        old["style"]
        if old
        else {"fillColor": "light_yellow", "textAlign": "center", "textAlignVertical": "top"}
    )
    new_style = _merge(
        base_style,
        {
            "fillColor": string(style, "fillColor", f + "style", enum=enums.STICKY_COLORS),
            "textAlign": string(style, "textAlign", f + "style", enum=enums.TEXT_ALIGN),
            "textAlignVertical": string(
                style, "textAlignVertical", f + "style", enum=enums.TEXT_ALIGN_VERTICAL
            ),
        },
    )
    width = _size(geo, "width", f + "geometry")
    height = _size(geo, "height", f + "geometry")
    if width is not None and height is not None:
        raise invalid(f + "geometry", "set either width or height for a sticky note, not both")
    if width is None and height is None and old is not None:
        width = float(old["geometry"]["width"])
    w, h = sticky_size(new_data["shape"], width, height)
    return new_data, new_style, {"width": w, "height": h, "rotation": 0.0}


def _shape(ctx: Ctx, p: JSON, f: str, old: JSON | None) -> tuple[JSON, JSON, JSON]:
    data = obj(p.get("data"), f + "data")
    style = obj(p.get("style"), f + "style")
    geo = obj(p.get("geometry"), f + "geometry")
    s = f + "style"
    new_data = _merge(
        old["data"] if old else {"content": "", "shape": "rectangle"},
        {
            "content": string(data, "content", f + "data"),
            "shape": string(data, "shape", f + "data", enum=enums.SHAPES),
        },
    )
    new_style = _merge(
        old["style"]
        if old
        else {
            "fillColor": "#ffffff",
            "fillOpacity": "1.0",
            "borderColor": "#1a1a1a",
            "borderOpacity": "1.0",
            "borderStyle": "normal",
            "borderWidth": "2.0",
            "color": "#1a1a1a",
            "fontFamily": "arial",
            "fontSize": "14",
            "textAlign": "center",
            "textAlignVertical": "top",
        },
        {
            "fillColor": string(style, "fillColor", s, max_len=64),
            "fillOpacity": numeric_string(style, "fillOpacity", s, minimum=0, maximum=1),
            "borderColor": string(style, "borderColor", s, max_len=64),
            "borderOpacity": numeric_string(style, "borderOpacity", s, minimum=0, maximum=1),
            "borderStyle": string(style, "borderStyle", s, enum=enums.BORDER_STYLES),
            "borderWidth": numeric_string(style, "borderWidth", s, minimum=1, maximum=24),
            "color": string(style, "color", s, max_len=64),
            "fontFamily": string(style, "fontFamily", s, enum=enums.FONT_FAMILIES),
            "fontSize": numeric_string(style, "fontSize", s, minimum=10, maximum=288),
            "textAlign": string(style, "textAlign", s, enum=enums.TEXT_ALIGN),
            "textAlignVertical": string(
                style, "textAlignVertical", s, enum=enums.TEXT_ALIGN_VERTICAL
            ),
        },
    )
    old_geo = old["geometry"] if old else {"width": 100.0, "height": 100.0, "rotation": 0.0}
    new_geo = _merge(
        old_geo,
        {
            "width": _size(geo, "width", f + "geometry"),
            "height": _size(geo, "height", f + "geometry"),
            "rotation": _rotation(geo, f + "geometry", old_geo),
        },
    )
    return new_data, new_style, new_geo


def _text(ctx: Ctx, p: JSON, f: str, old: JSON | None) -> tuple[JSON, JSON, JSON]:
    data = obj(p.get("data"), f + "data", required=old is None)
    style = obj(p.get("style"), f + "style")
    geo = obj(p.get("geometry"), f + "geometry")
    s = f + "style"
    new_data = _merge(
        old["data"] if old else {},
        {"content": string(data, "content", f + "data", required=old is None)},
    )
    new_style = _merge(
        old["style"]
        if old
        else {
            "color": "#1a1a1a",
            "fillColor": "transparent",
            "fillOpacity": "1.0",
            "fontFamily": "arial",
            "fontSize": "14",
            "textAlign": "left",
        },
        {
            "color": string(style, "color", s, max_len=64),
            "fillColor": string(style, "fillColor", s, max_len=64),
            "fillOpacity": numeric_string(style, "fillOpacity", s, minimum=0, maximum=1),
            "fontFamily": string(style, "fontFamily", s, enum=enums.FONT_FAMILIES),
            "fontSize": numeric_string(style, "fontSize", s, minimum=1, maximum=288),
            "textAlign": string(style, "textAlign", s, enum=enums.TEXT_ALIGN),
        },
    )
    if geo.get("height") is not None:
        raise invalid(f + "geometry.height", "text height follows its content; set width only")
    font_size = float(new_style["fontSize"])
    old_geo = old["geometry"] if old else {"width": 320.0, "rotation": 0.0}
    width = _size(geo, "width", f + "geometry")
    if width is None:
        width = (
            max(float(old_geo["width"]), 1.7 * font_size)
            if old is None
            else float(old_geo["width"])
        )
    if width < 1.7 * font_size:
        raise invalid(
            f + "geometry.width", f"must be at least 1.7 × fontSize ({1.7 * font_size:g})"
        )
    new_geo = {
        "width": width,
        "height": text_height(new_data["content"], width, font_size),
        "rotation": _rotation(geo, f + "geometry", old_geo),
    }
    return new_data, new_style, new_geo


def _frame(ctx: Ctx, p: JSON, f: str, old: JSON | None) -> tuple[JSON, JSON, JSON]:
    # FrameCreateRequest requires data (an empty object will do).
    data = obj(p.get("data"), f + "data", required=old is None)
    style = obj(p.get("style"), f + "style")
    geo = obj(p.get("geometry"), f + "geometry")
    new_data = _merge(
        old["data"]
        if old
        else {"title": "", "format": "custom", "type": "freeform", "showContent": True},
        {
            "title": string(data, "title", f + "data", max_len=6000),
            "format": string(data, "format", f + "data", enum={"custom"}),
            "type": string(data, "type", f + "data", enum={"freeform"}),
            "showContent": boolean(data, "showContent", f + "data"),
        },
    )
    new_style = _merge(
        old["style"] if old else {"fillColor": "#ffffffff"},
        {"fillColor": string(style, "fillColor", f + "style", max_len=64)},
    )
    old_geo = old["geometry"] if old else {"width": MIN_FRAME, "height": MIN_FRAME, "rotation": 0.0}
    new_geo = _merge(
        old_geo,
        {
            "width": _size(geo, "width", f + "geometry", MIN_FRAME),
            "height": _size(geo, "height", f + "geometry", MIN_FRAME),
        },
    )
    return new_data, new_style, new_geo


def _card(ctx: Ctx, p: JSON, f: str, old: JSON | None) -> tuple[JSON, JSON, JSON]:
    data = obj(p.get("data"), f + "data")
    style = obj(p.get("style"), f + "style")
    geo = obj(p.get("geometry"), f + "geometry")
    assignee = string(data, "assigneeId", f + "data")
    if assignee is not None and not is_numeric_id(assignee):
        raise invalid(f + "data.assigneeId", "must be a user id (digits)")
    due = string(data, "dueDate", f + "data")
    if due is not None:
        try:
            datetime.fromisoformat(due.replace("Z", "+00:00"))
        except ValueError:
            raise invalid(f + "data.dueDate", "must be an ISO-8601 date-time") from None
    new_data = _merge(
        old["data"] if old else {"title": "", "description": ""},
        {
            "title": string(data, "title", f + "data", max_len=6000),
            "description": string(data, "description", f + "data", max_len=6000),
            "assigneeId": assignee,
            "dueDate": due,
        },
    )
    new_style = _merge(
        old["style"] if old else {"cardTheme": "#2d9bf0"},
        {"cardTheme": string(style, "cardTheme", f + "style", max_len=64)},
    )
    old_geo = old["geometry"] if old else {"width": 320.0, "height": 94.0, "rotation": 0.0}
    new_geo = _merge(
        old_geo,
        {
            "width": _size(geo, "width", f + "geometry"),
            "height": _size(geo, "height", f + "geometry"),
            "rotation": _rotation(geo, f + "geometry", old_geo),
        },
    )
    return new_data, new_style, new_geo


_BUILDERS = {
    "sticky_note": _sticky,
    "shape": _shape,
    "text": _text,
    "frame": _frame,
    "card": _card,
}


def frame_top_left(ctx: Ctx, board_id: str, frame_id: str) -> tuple[float, float]:
    """Absolute canvas coordinates of a frame's top-left corner (frames are top-level)."""
    frame = ctx.store.get_item(board_id, frame_id)
    if frame is None:
        return 0.0, 0.0
    g = frame.body["geometry"]
    return frame.body["x"] - g["width"] / 2, frame.body["y"] - g["height"] / 2


def absolute(ctx: Ctx, row: ItemRow) -> tuple[float, float]:
    """An item's centre in canvas coordinates."""
    x, y = float(row.body["x"]), float(row.body["y"])
    if row.parent_id:
        fx, fy = frame_top_left(ctx, row.board_id, row.parent_id)
        return fx + x, fy + y
    return x, y


def read_parent(ctx: Ctx, p: JSON, f: str, item_type: str, item_id: str | None) -> Any:
    """The requested parent id, ``None`` for "move to canvas", or ``_UNSET`` if absent."""
    if "parent" not in p:
        return _UNSET
    if item_type == "frame":
        raise invalid(f + "parent", "frames cannot have a parent")
    if p["parent"] is None:
        return None
    parent = obj(p["parent"], f + "parent")
    pid = string(parent, "id", f + "parent", required=True)
    assert pid is not None
    target = ctx.store.get_item(ctx.params["board_id"], pid)
    if target is None or target.type != "frame" or pid == item_id:
        raise invalid(f + "parent.id", "must be the id of a frame on this board")
    return pid


def place(ctx: Ctx, row: ItemRow, p: JSON, f: str, *, new: bool) -> None:
    """Apply ``position`` and ``parent`` from a request to ``row``.

    A position in the request is relative to the (new) parent's top-left corner,
    or to the canvas centre without a parent. Re-parenting without a position
    keeps the item where it is on the canvas and converts its coordinates.
    """
    pos = obj(p.get("position"), f + "position")
    x = number(pos, "x", f + "position", minimum=-MAX_COORD, maximum=MAX_COORD)
    y = number(pos, "y", f + "position", minimum=-MAX_COORD, maximum=MAX_COORD)
    parent = read_parent(ctx, p, f, row.type, None if new else row.id)
    if parent is not _UNSET and parent != row.parent_id and not new:
        ax, ay = absolute(ctx, row)
        if parent is None:
            row.body["x"], row.body["y"] = ax, ay
        else:
            fx, fy = frame_top_left(ctx, row.board_id, parent)
            row.body["x"], row.body["y"] = ax - fx, ay - fy
    if parent is not _UNSET:
        row.parent_id = parent
    if new:
        row.body.setdefault("x", 0.0)
        row.body.setdefault("y", 0.0)
    if x is not None:
        row.body["x"] = x
    if y is not None:
        row.body["y"] = y


def build_item(
    ctx: Ctx, item_type: str, payload: Any, prefix: str = "", existing: ItemRow | None = None
) -> ItemRow:
    """A validated new or updated item row (not yet stored)."""
    p = obj(payload, prefix.rstrip(".") or "body", required=item_type == "text" and not existing)
    old = existing.body if existing else None
    data, style, geometry = _BUILDERS[item_type](ctx, p, prefix, old)
    if existing is None:
        row = ItemRow(
            id=fresh_id(ctx),
            board_id=ctx.params["board_id"],
            type=item_type,
            parent_id=None,
            body={"createdAt": ctx.now, "createdBy": ctx.user.short()},
        )
    else:
        row = ItemRow(
            id=existing.id,
            board_id=existing.board_id,
            type=existing.type,
            parent_id=existing.parent_id,
            body=dict(existing.body),
            seq=existing.seq,
        )
    row.body.update(data=data, style=style, geometry=geometry)
    place(ctx, row, p, prefix, new=existing is None)
    row.body.update(modifiedAt=ctx.now, modifiedBy=ctx.user.short())
    return row
