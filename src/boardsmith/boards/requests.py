"""PlanItem -> Miro request bodies, and the hashes that say what was sent.

A :class:`~boardsmith.templates.PlanItem` carries absolute centre
coordinates. Miro wants children of a frame positioned relative to the
frame's top-left corner, so everything that builds a request goes through
:class:`Placement`, which also applies the template's offset on the board.
Bodies are plain JSON-ready dicts in Miro's wire format (``type``, ``data``,
``style``, ``position``, ``geometry``, ``parent``); the client's models are
built from them in :mod:`boardsmith.boards.client_io`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from boardsmith.templates.escape import html_to_text
from boardsmith.templates.plan import PlanItem

#: Item types created through bulk create (everything but frames and connectors).
BULK_TYPES: frozenset[str] = frozenset({"sticky_note", "shape", "text", "card"})

_SPACE = re.compile(r"\s+")


def normalise_text(content: str | None) -> str:
    """Plain, whitespace-collapsed text of Miro HTML content, for comparisons.

    Miro may wrap content in ``<p>`` or re-encode entities; two items whose
    normalised texts are equal show the same words. The value feeds
    :func:`text_hash`, which states of existing boards hold: see
    :func:`~boardsmith.templates.escape.html_to_text` before changing it.
    """
    return html_to_text(content, spacing="flat")


def item_text(item: PlanItem) -> str:
    """The normalised text a board item made from ``item`` shows."""
    if item.type == "frame":
        return plain_title(item.plain_text)
    return normalise_text(item.content)


def plain_title(title: str | None) -> str:
    """A frame title (plain text, not HTML) with whitespace collapsed."""
    return _SPACE.sub(" ", title or "").strip()


def _digest(value: object) -> str:
    raw = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def sent_hash(item: PlanItem) -> str:
    """Hash of everything boardsmith sends for ``item`` except where it goes.

    A template change that alters this hash is applied by ``apply``; moving
    an item in the template is tracked separately through positions.
    """
    return _digest(
        {
            "type": item.type,
            "content": item.content,
            "shape": item.shape,
            "style": dict(sorted(item.style.items())),
            "width": round(item.width, 2),
            "height": round(item.height, 2),
            "start": item.start,
            "end": item.end,
        }
    )


def form_hash(item: PlanItem) -> str:
    """Hash of the item's look without its text: style, shape and geometry."""
    return _digest(
        {
            "type": item.type,
            "shape": item.shape,
            "style": dict(sorted(item.style.items())),
            "width": round(item.width, 2),
            "height": round(item.height, 2),
        }
    )


def _look_value(value: object) -> str:
    # Miro answers numbers as strings ("14", "1.0") and colours in either case.
    text = str(value).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:g}"


def normalise_look(style: Mapping[str, object] | None, shape: str | None) -> dict[str, str]:
    """An item's look (style keys in Miro's camelCase, plus its shape) in comparable form.

    Used for what boardsmith sent and for what the board shows, so an item
    nobody touched compares equal whatever format Miro answers in.
    """
    look = {k: _look_value(v) for k, v in (style or {}).items() if v is not None}
    if shape:
        look["shape"] = _look_value(shape)
    return look


def plan_look(item: PlanItem) -> dict[str, str]:
    """The look boardsmith sends for ``item`` (see :func:`normalise_look`)."""
    if item.type == "sticky_note":
        shape: str | None = item.shape or "square"
    elif item.type == "shape":
        shape = item.shape or "rectangle"
    elif item.type == "connector":
        shape = item.shape or "curved"
    else:
        shape = None
    return normalise_look(item.style, shape)


def look_changed(sent: Mapping[str, str], board: Mapping[str, str]) -> bool:
    """Whether the board shows another look than boardsmith sent.

    Only what boardsmith sent is compared: Miro adds defaults for the rest.
    """
    return any(board.get(key) != value for key, value in sent.items())


def text_hash(text: str) -> str:
    """Hash of a normalised text (see :func:`normalise_text`)."""
    return _digest(text)


@dataclass(frozen=True)
class Placement:
    """Where a plan lands on a board: a translation of all its absolute coordinates."""

    dx: float = 0.0
    dy: float = 0.0

    def absolute(self, item: PlanItem) -> tuple[float, float]:
        """The item's centre on the board, relative to the canvas centre."""
        return item.x + self.dx, item.y + self.dy

    def relative(self, item: PlanItem, parent: PlanItem | None) -> tuple[float, float]:
        """The position Miro expects in a request: frame-relative for children.

        Child positions depend only on the plan (the frame's planned top-left),
        so they stay right even if a participant moved the frame.
        """
        if parent is None:
            return self.absolute(item)
        return _r(item.x - parent.left), _r(item.y - parent.top)


def _r(value: float) -> float:
    return round(value, 2)


def _geometry(item: PlanItem) -> dict[str, float]:
    # Sticky notes and texts take only a width (Miro derives the height).
    if item.type in ("sticky_note", "text"):
        return {"width": _r(item.width)}
    return {"width": _r(item.width), "height": _r(item.height)}


def _data(item: PlanItem) -> dict[str, Any]:
    if item.type == "frame":
        return {"title": item.plain_text, "format": "custom", "type": "freeform"}
    if item.type == "card":
        return {"title": item.content}
    data: dict[str, Any] = {"content": item.content}
    if item.type == "sticky_note":
        data["shape"] = item.shape or "square"
    elif item.type == "shape":
        data["shape"] = item.shape or "rectangle"
    return data


def _style(item: PlanItem) -> dict[str, str]:
    return dict(item.style)


def create_body(
    item: PlanItem,
    *,
    placement: Placement,
    parent: PlanItem | None = None,
    parent_id: str | None = None,
) -> dict[str, Any]:
    """The create request for a frame or a bulk-created item.

    ``parent``/``parent_id`` are the plan item and Miro id of the item's frame.
    """
    if item.type == "connector":
        raise ValueError("connectors are built with connector_body()")
    x, y = placement.relative(item, parent)
    body: dict[str, Any] = {
        "type": item.type,
        "data": _data(item),
        "position": {"x": _r(x), "y": _r(y)},
        "geometry": _geometry(item),
    }
    style = _style(item)
    if style:
        body["style"] = style
    if parent is not None:
        if parent_id is None:
            raise ValueError(f"{item.key}: parent {parent.key} has no board id yet")
        body["parent"] = {"id": parent_id}
    return body


def connector_body(item: PlanItem, ids: Mapping[str, str]) -> dict[str, Any]:
    """The create request for a connector whose endpoints already exist (``ids``: key -> id)."""
    if item.start is None or item.end is None:
        raise ValueError(f"{item.key}: a connector needs start and end")
    body: dict[str, Any] = {
        "startItem": {"id": ids[item.start], "snapTo": "auto"},
        "endItem": {"id": ids[item.end], "snapTo": "auto"},
        "shape": item.shape or "curved",
    }
    if item.content:
        body["captions"] = [{"content": item.content}]
    style = _style(item)
    if style:
        body["style"] = style
    return body


def update_body(
    item: PlanItem,
    *,
    placement: Placement,
    parent: PlanItem | None,
    parent_id: str | None,
    content: bool,
    position: bool,
    style: bool = False,
    look: bool = True,
) -> dict[str, Any]:
    """A PATCH body for the typed endpoint: content/style/geometry and/or position.

    ``style`` (without ``content``) sends the look only (style, shape,
    geometry) and leaves the item's text as it is on the board. ``look``
    False with ``content`` sends the text only: a participant changed the
    item's look on the board and keeps it.
    """
    body: dict[str, Any] = {}
    if content:
        body.update(_text_and_look(item) if look else _text_only(item))
    elif style:
        body.update(_look_only(item))
    if position and item.type != "connector":
        x, y = placement.relative(item, parent)
        body["position"] = {"x": _r(x), "y": _r(y)}
        if parent is not None and parent_id is not None:
            body["parent"] = {"id": parent_id}
    return body


def _text_and_look(item: PlanItem) -> dict[str, Any]:
    """Everything the template says about the item but where it stands."""
    if item.type == "connector":
        return {**_captions(item), "shape": item.shape or "curved", **_looks(item)}
    return {"data": _data(item), "geometry": _geometry(item), **_looks(item)}


def _text_only(item: PlanItem) -> dict[str, Any]:
    """The template's text alone: the look a participant gave the item stays."""
    if item.type == "connector":
        return _captions(item)
    return {"data": {k: v for k, v in _data(item).items() if k in ("content", "title")}}


def _look_only(item: PlanItem) -> dict[str, Any]:
    """Style, shape and geometry alone: the item's text stays as it is on the board."""
    if item.type == "connector":
        return {"shape": item.shape or "curved", **_looks(item)}
    shape = {k: v for k, v in _data(item).items() if k == "shape"}
    return {**({"data": shape} if shape else {}), "geometry": _geometry(item), **_looks(item)}


def _captions(item: PlanItem) -> dict[str, Any]:
    return {"captions": [{"content": item.content}]} if item.content else {}


def _looks(item: PlanItem) -> dict[str, Any]:
    style = _style(item)
    return {"style": style} if style else {}
