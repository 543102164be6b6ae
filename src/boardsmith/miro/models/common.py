"""Building blocks shared by Miro's request and response models.

Response models (:class:`MiroResponse`) accept whatever Miro adds later: extra
fields are kept, open enums (:data:`OpenEnum`-style ``Literal[...] | str``) keep
unknown values as strings, and ids are always ``str``. Request models
(:class:`MiroRequest`) forbid unknown fields and serialise with camelCase aliases
and without ``None`` values (:meth:`MiroRequest.to_body`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "CreatedBy",
    "CursorPage",
    "Geometry",
    "Id",
    "Links",
    "MiroRequest",
    "MiroResponse",
    "NumStr",
    "OffsetPage",
    "PageLinks",
    "ParentChange",
    "ParentRef",
    "Position",
    "PositionChange",
    "Timestamp",
]

_MAX_SAFE_FLOAT_INT = 2**53


def _to_id(value: Any) -> Any:
    """Ids are strings; a JSON integer becomes its exact decimal text.

    Ints arrive exact (json and pydantic parse big JSON integers as ``int``); a
    float can only be trusted below 2**53, beyond that its digits are already lost.
    """
    if isinstance(value, bool):
        raise ValueError("an id cannot be a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _MAX_SAFE_FLOAT_INT:
            return str(int(value))
        raise ValueError("an id arrived as a float and has lost precision")
    return value


Id = Annotated[str, BeforeValidator(_to_id)]
"""An item/board/user/tag id: always a string, never a number."""


def _to_num_str(value: Any) -> Any:
    # Miro types style numbers (fontSize, borderWidth, opacities) as strings.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return value


NumStr = Annotated[str, BeforeValidator(_to_num_str)]
"""A number Miro transports as a string (``"14"``); ints and floats are accepted."""

Timestamp = datetime


class MiroResponse(BaseModel):
    """Base of response models: lenient, extra fields kept, camelCase aliases.

    ``defer_build``: each of the ~100 client models builds its validator on first
    use, not at import, so a command pays only for the models it touches.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        frozen=False,
        defer_build=True,
    )


class MiroRequest(BaseModel):
    """Base of request models: strict about field names, camelCase on the wire.

    Built on first use, as :class:`MiroResponse` is.
    """

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, alias_generator=to_camel, defer_build=True
    )

    def to_body(self) -> dict[str, Any]:
        """The JSON body Miro expects (aliases, no ``None`` fields)."""
        body: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return body


# ---- response parts ---------------------------------------------------------


class Links(MiroResponse):
    """``links`` of an object: ``self`` and, for frames, ``related``."""

    self_: str | None = Field(default=None, alias="self")
    related: str | None = None


class PageLinks(MiroResponse):
    """``links`` of a page."""

    self_: str | None = Field(default=None, alias="self")
    next: str | None = None
    prev: str | None = None
    first: str | None = None
    last: str | None = None


class Position(MiroResponse):
    """An item's centre; ``relative_to`` is ``canvas_center`` or ``parent_top_left``."""

    x: float = 0.0
    y: float = 0.0
    origin: Literal["center"] | str | None = None
    relative_to: Literal["canvas_center", "parent_top_left"] | str | None = None


class Geometry(MiroResponse):
    """Size and rotation (degrees, clockwise) as Miro reports them."""

    width: float | None = None
    height: float | None = None
    rotation: float | None = None


class ParentRef(MiroResponse):
    """The frame an item sits in."""

    id: Id
    links: Links | None = None


class CreatedBy(MiroResponse):
    """Who created or last modified something."""

    id: Id
    type: str | None = None


T = TypeVar("T")


class CursorPage(MiroResponse, Generic[T]):
    """A cursor-paged list (items, frame children, connectors)."""

    data: list[T] = Field(default_factory=list)
    total: int | None = None
    size: int | None = None
    cursor: str | None = None
    limit: int | None = None
    links: PageLinks | None = None


class OffsetPage(MiroResponse, Generic[T]):
    """An offset-paged list (boards, members, tags, items by tag)."""

    data: list[T] = Field(default_factory=list)
    total: int | None = None
    size: int | None = None
    offset: int | None = None
    limit: int | None = None
    links: PageLinks | None = None
    type: str | None = None


# ---- request parts ----------------------------------------------------------


class PositionChange(MiroRequest):
    """A requested centre position (relative to the parent frame's top-left if any)."""

    x: float | None = None
    y: float | None = None


class ParentChange(MiroRequest):
    """The frame to put an item into."""

    id: Id
