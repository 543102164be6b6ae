"""Board items: the generic item, typed items (sticky note, shape, text, frame,
card), their create/update requests, and the bulk-create union.

Each ``*Create`` model carries its item ``type`` so a list of them is a valid
bulk request (discriminated by ``type``); :meth:`ItemCreateBase.to_body` leaves
``type`` out for the typed endpoints, :meth:`ItemCreateBase.to_bulk_body` keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from boardsmith.miro.models.common import (
    CreatedBy,
    Geometry,
    Id,
    Links,
    MiroRequest,
    MiroResponse,
    NumStr,
    ParentChange,
    ParentRef,
    Position,
    PositionChange,
    Timestamp,
)

__all__ = [
    "AnyItem",
    "BulkItemCreate",
    "Card",
    "CardCreate",
    "CardData",
    "CardStyle",
    "CardUpdate",
    "Frame",
    "FrameCreate",
    "FrameData",
    "FrameStyle",
    "FrameUpdate",
    "Item",
    "ItemBase",
    "ItemCreateBase",
    "ItemUpdate",
    "Shape",
    "ShapeCreate",
    "ShapeData",
    "ShapeStyle",
    "ShapeUpdate",
    "StickyNote",
    "StickyNoteCreate",
    "StickyNoteData",
    "StickyNoteStyle",
    "StickyNoteUpdate",
    "Text",
    "TextCreate",
    "TextData",
    "TextStyle",
    "TextUpdate",
    "build_item_models",
    "parse_item",
]

StickyColor = Literal[
    "gray", "light_yellow", "yellow", "orange", "light_green", "green", "dark_green", "cyan",
    "light_pink", "pink", "violet", "red", "light_blue", "blue", "dark_blue", "black",
]  # fmt: skip
TextAlign = Literal["left", "right", "center"]
TextAlignVertical = Literal["top", "middle", "bottom"]
StickyShape = Literal["square", "rectangle"]
BorderStyle = Literal["normal", "dotted", "dashed"]


# ---- responses --------------------------------------------------------------


class ItemBase(MiroResponse):
    """What every item has; ``parent`` is ``None`` for top-level items."""

    id: Id
    type: str
    position: Position | None = None
    geometry: Geometry | None = None
    parent: ParentRef | None = None
    created_at: Timestamp | None = None
    created_by: CreatedBy | None = None
    modified_at: Timestamp | None = None
    modified_by: CreatedBy | None = None
    links: Links | None = None


class Item(ItemBase):
    """An item of a type this client has no model for (or a generic listing)."""

    data: dict[str, Any] | None = None
    style: dict[str, Any] | None = None


class StickyNoteData(MiroResponse):
    """The ``data`` of a sticky note as Miro returns it."""

    content: str | None = None
    shape: StickyShape | str | None = None


class StickyNoteStyle(MiroResponse):
    """The ``style`` of a sticky note as Miro returns it."""

    fill_color: StickyColor | str | None = None
    text_align: TextAlign | str | None = None
    text_align_vertical: TextAlignVertical | str | None = None


class StickyNote(ItemBase):
    """A sticky note as Miro returns it."""

    type: Literal["sticky_note"] = "sticky_note"
    data: StickyNoteData = Field(default_factory=StickyNoteData)
    style: StickyNoteStyle = Field(default_factory=StickyNoteStyle)


class ShapeData(MiroResponse):
    """The ``data`` of a shape as Miro returns it."""

    content: str | None = None
    shape: str | None = None


class ShapeStyle(MiroResponse):
    """The ``style`` of a shape as Miro returns it."""

    fill_color: str | None = None
    fill_opacity: NumStr | None = None
    border_color: str | None = None
    border_opacity: NumStr | None = None
    border_style: BorderStyle | str | None = None
    border_width: NumStr | None = None
    color: str | None = None
    font_family: str | None = None
    font_size: NumStr | None = None
    text_align: TextAlign | str | None = None
    text_align_vertical: TextAlignVertical | str | None = None


class Shape(ItemBase):
    """A shape as Miro returns it."""

    type: Literal["shape"] = "shape"
    data: ShapeData = Field(default_factory=ShapeData)
    style: ShapeStyle = Field(default_factory=ShapeStyle)


class TextData(MiroResponse):
    """The ``data`` of a text item as Miro returns it."""

    content: str | None = None


class TextStyle(MiroResponse):
    """The ``style`` of a text item as Miro returns it."""

    color: str | None = None
    fill_color: str | None = None
    fill_opacity: NumStr | None = None
    font_family: str | None = None
    font_size: NumStr | None = None
    text_align: TextAlign | str | None = None


class Text(ItemBase):
    """A text item as Miro returns it."""

    type: Literal["text"] = "text"
    data: TextData = Field(default_factory=TextData)
    style: TextStyle = Field(default_factory=TextStyle)


class FrameData(MiroResponse):
    """The ``data`` of a frame as Miro returns it."""

    title: str | None = None
    format: str | None = None
    type: str | None = None
    show_content: bool | None = None


class FrameStyle(MiroResponse):
    """The ``style`` of a frame as Miro returns it."""

    fill_color: str | None = None


class Frame(ItemBase):
    """A frame as Miro returns it."""

    type: Literal["frame"] = "frame"
    data: FrameData = Field(default_factory=FrameData)
    style: FrameStyle = Field(default_factory=FrameStyle)


class CardData(MiroResponse):
    """The ``data`` of a card as Miro returns it."""

    title: str | None = None
    description: str | None = None
    assignee_id: Id | None = None
    due_date: Timestamp | None = None


class CardStyle(MiroResponse):
    """The ``style`` of a card as Miro returns it."""

    card_theme: str | None = None


class Card(ItemBase):
    """A card as Miro returns it."""

    type: Literal["card"] = "card"
    data: CardData = Field(default_factory=CardData)
    style: CardStyle = Field(default_factory=CardStyle)


AnyItem = StickyNote | Shape | Text | Frame | Card | Item
"""What item endpoints return: a typed model when the type is known, else :class:`Item`."""

_TYPED: dict[str, type[ItemBase]] = {
    "sticky_note": StickyNote,
    "shape": Shape,
    "text": Text,
    "frame": Frame,
    "card": Card,
}


def parse_item(raw: Any) -> AnyItem:
    """Validate one item, picking the typed model by its ``type``.

    An item whose typed model rejects it (Miro changed a shape) falls back to
    :class:`Item` so a listing never fails on one odd item.
    """
    model = _TYPED.get(raw.get("type", "")) if isinstance(raw, dict) else None
    if model is not None:
        try:
            typed: AnyItem = model.model_validate(raw)  # type: ignore[assignment]
            return typed
        except ValidationError:
            pass
    return Item.model_validate(raw)


# ---- requests ---------------------------------------------------------------


class FixedRatioGeometry(MiroRequest):
    """Sticky note size: set ``width`` or ``height``, not both (fixed aspect ratio)."""

    width: float | None = Field(default=None, gt=0)
    height: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_side(self) -> FixedRatioGeometry:
        if self.width is not None and self.height is not None:
            raise ValueError("a sticky note takes width or height, not both")
        return self


class GeometryChange(MiroRequest):
    """Width, height and rotation in a create or update request."""

    width: float | None = Field(default=None, gt=0)
    height: float | None = Field(default=None, gt=0)
    rotation: float | None = None


class WidthGeometry(MiroRequest):
    """Text size: width (and rotation) only; height follows the content."""

    width: float | None = Field(default=None, gt=0)
    rotation: float | None = None


class SizeGeometry(MiroRequest):
    """Frame size: no rotation."""

    width: float | None = Field(default=None, gt=0)
    height: float | None = Field(default=None, gt=0)


class StickyNoteDataChange(MiroRequest):
    """The ``data`` of a sticky note in a create or update request."""

    content: str | None = None
    shape: StickyShape | None = None


class StickyNoteStyleChange(MiroRequest):
    """The ``style`` of a sticky note in a create or update request."""

    fill_color: StickyColor | None = None
    text_align: TextAlign | None = None
    text_align_vertical: TextAlignVertical | None = None


class ShapeDataChange(MiroRequest):
    """The ``data`` of a shape in a create or update request."""

    content: str | None = None
    shape: str | None = None


class ShapeStyleChange(MiroRequest):
    """The ``style`` of a shape in a create or update request."""

    fill_color: str | None = None
    fill_opacity: NumStr | None = None
    border_color: str | None = None
    border_opacity: NumStr | None = None
    border_style: BorderStyle | None = None
    border_width: NumStr | None = None
    color: str | None = None
    font_family: str | None = None
    font_size: NumStr | None = None
    text_align: TextAlign | None = None
    text_align_vertical: TextAlignVertical | None = None


class TextDataChange(MiroRequest):
    """The ``data`` of a text item in a create or update request."""

    content: str


class TextStyleChange(MiroRequest):
    """The ``style`` of a text item in a create or update request."""

    color: str | None = None
    fill_color: str | None = None
    fill_opacity: NumStr | None = None
    font_family: str | None = None
    font_size: NumStr | None = None
    text_align: TextAlign | None = None


class FrameDataChange(MiroRequest):
    """The ``data`` of a frame in a create or update request."""

    title: str | None = None
    format: Literal["custom"] | None = None
    type: Literal["freeform"] | None = None
    show_content: bool | None = None


class FrameStyleChange(MiroRequest):
    """The ``style`` of a frame in a create or update request."""

    fill_color: str | None = None


class CardDataChange(MiroRequest):
    """The ``data`` of a card in a create or update request."""

    title: str | None = None
    description: str | None = None
    assignee_id: Id | None = None
    due_date: Timestamp | None = None


class CardStyleChange(MiroRequest):
    """The ``style`` of a card in a create or update request."""

    card_theme: str | None = None


class ItemCreateBase(MiroRequest):
    """Common to every ``*Create`` model: the ``type`` tag used by bulk create."""

    type: str

    def to_body(self) -> dict[str, Any]:
        """Body for the typed endpoint (``POST /v2/boards/{id}/sticky_notes``...)."""
        body = super().to_body()
        body.pop("type", None)
        return body

    def to_bulk_body(self) -> dict[str, Any]:
        """One element of a ``POST /v2/boards/{id}/items/bulk`` array."""
        return super().to_body()


class StickyNoteCreate(ItemCreateBase):
    """A sticky note to create (typed endpoint, or one element of a bulk create)."""

    type: Literal["sticky_note"] = "sticky_note"
    data: StickyNoteDataChange | None = None
    style: StickyNoteStyleChange | None = None
    position: PositionChange | None = None
    geometry: FixedRatioGeometry | None = None
    parent: ParentChange | None = None


class ShapeCreate(ItemCreateBase):
    """A shape to create (typed endpoint, or one element of a bulk create)."""

    type: Literal["shape"] = "shape"
    data: ShapeDataChange | None = None
    style: ShapeStyleChange | None = None
    position: PositionChange | None = None
    geometry: GeometryChange | None = None
    parent: ParentChange | None = None


class TextCreate(ItemCreateBase):
    """A text item to create (typed endpoint, or one element of a bulk create)."""

    type: Literal["text"] = "text"
    data: TextDataChange
    style: TextStyleChange | None = None
    position: PositionChange | None = None
    geometry: WidthGeometry | None = None
    parent: ParentChange | None = None


class FrameCreate(ItemCreateBase):
    """A frame; frames cannot have a parent."""

    type: Literal["frame"] = "frame"
    data: FrameDataChange = Field(default_factory=FrameDataChange)
    style: FrameStyleChange | None = None
    position: PositionChange | None = None
    geometry: SizeGeometry | None = None


class CardCreate(ItemCreateBase):
    """A card to create (typed endpoint, or one element of a bulk create)."""

    type: Literal["card"] = "card"
    data: CardDataChange | None = None
    style: CardStyleChange | None = None
    position: PositionChange | None = None
    geometry: GeometryChange | None = None
    parent: ParentChange | None = None


BulkItemCreate = Annotated[
    StickyNoteCreate | ShapeCreate | TextCreate | FrameCreate | CardCreate,
    Field(discriminator="type"),
]
"""One element of a bulk create, discriminated by ``type``."""

# Built on first validation, like the models it holds.
BULK_ITEM_ADAPTER: TypeAdapter[BulkItemCreate] = TypeAdapter(
    BulkItemCreate, config=ConfigDict(defer_build=True)
)

_CREATES: dict[str, type[ItemCreateBase]] = {
    "sticky_note": StickyNoteCreate,
    "shape": ShapeCreate,
    "text": TextCreate,
    "frame": FrameCreate,
    "card": CardCreate,
}


def build_item_models(types: Iterable[str]) -> None:
    """Build now what creating and reading items of ``types`` validates with.

    The models build on first use (``defer_build``); a caller that knows which
    item types come next can have that done while it waits on the network. Types
    without a typed model are skipped. Call it before the models are first used:
    older pydantic versions do not lock a model's deferred build against threads.
    """
    for kind in sorted(set(types)):
        for model in (_CREATES.get(kind), _TYPED.get(kind)):
            if model is not None:
                model.model_rebuild()
    BULK_ITEM_ADAPTER.rebuild()


class _ItemUpdateFields(MiroRequest):
    def to_body(self) -> dict[str, Any]:
        """The PATCH body: the fields set, with Miro's names."""
        return super().to_body()


class StickyNoteUpdate(_ItemUpdateFields):
    """Changes to a sticky note; fields left ``None`` are not sent."""

    data: StickyNoteDataChange | None = None
    style: StickyNoteStyleChange | None = None
    position: PositionChange | None = None
    geometry: FixedRatioGeometry | None = None
    parent: ParentChange | None = None


class ShapeUpdate(_ItemUpdateFields):
    """Changes to a shape; fields left ``None`` are not sent."""

    data: ShapeDataChange | None = None
    style: ShapeStyleChange | None = None
    position: PositionChange | None = None
    geometry: GeometryChange | None = None
    parent: ParentChange | None = None


class TextUpdate(_ItemUpdateFields):
    """Changes to a text item; fields left ``None`` are not sent."""

    data: TextDataChange | None = None
    style: TextStyleChange | None = None
    position: PositionChange | None = None
    geometry: WidthGeometry | None = None
    parent: ParentChange | None = None


class FrameUpdate(_ItemUpdateFields):
    """Changes to a frame; fields left ``None`` are not sent."""

    data: FrameDataChange | None = None
    style: FrameStyleChange | None = None
    position: PositionChange | None = None
    geometry: SizeGeometry | None = None


class CardUpdate(_ItemUpdateFields):
    """Changes to a card; fields left ``None`` are not sent."""

    data: CardDataChange | None = None
    style: CardStyleChange | None = None
    position: PositionChange | None = None
    geometry: GeometryChange | None = None
    parent: ParentChange | None = None


class ItemUpdate(_ItemUpdateFields):
    """``PATCH /v2/boards/{id}/items/{item_id}``: move and/or re-parent any item."""

    position: PositionChange | None = None
    parent: ParentChange | None = None
