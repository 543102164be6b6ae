"""Connectors (lines between two items)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from boardsmith.miro.models.common import (
    CreatedBy,
    Id,
    Links,
    MiroRequest,
    MiroResponse,
    NumStr,
    Timestamp,
)

__all__ = [
    "Caption",
    "CaptionChange",
    "Connector",
    "ConnectorCreate",
    "ConnectorEnd",
    "ConnectorEndChange",
    "ConnectorStyle",
    "ConnectorStyleChange",
    "ConnectorUpdate",
    "RelativeOffset",
]

ConnectorShape = Literal["straight", "elbowed", "curved"]
SnapTo = Literal["auto", "top", "right", "bottom", "left"]
StrokeCap = Literal[
    "none", "stealth", "rounded_stealth", "diamond", "filled_diamond", "oval", "filled_oval",
    "arrow", "triangle", "filled_triangle", "erd_one", "erd_many", "erd_only_one",
    "erd_zero_or_one", "erd_one_or_many", "erd_zero_or_many",
]  # fmt: skip


class RelativeOffset(MiroResponse):
    """Where on an item a connector attaches, as percentages (``"50%"``)."""

    x: str | None = None
    y: str | None = None


class ConnectorEnd(MiroResponse):
    """One end of a connector: the item it is attached to and where on it."""

    id: Id | None = None
    position: RelativeOffset | None = None
    links: Links | None = None


class Caption(MiroResponse):
    """A text shown on a connector."""

    content: str | None = None
    position: str | None = None
    text_align_vertical: str | None = None


class ConnectorStyle(MiroResponse):
    """The ``style`` of a connector as Miro returns it."""

    color: str | None = None
    font_size: NumStr | None = None
    start_stroke_cap: StrokeCap | str | None = None
    end_stroke_cap: StrokeCap | str | None = None
    stroke_color: str | None = None
    stroke_style: Literal["normal", "dotted", "dashed"] | str | None = None
    stroke_width: NumStr | None = None
    text_orientation: Literal["horizontal", "aligned"] | str | None = None


class Connector(MiroResponse):
    """A connector (a line between two items) as Miro returns it."""

    id: Id
    type: str | None = None
    shape: ConnectorShape | str | None = None
    start_item: ConnectorEnd | None = None
    end_item: ConnectorEnd | None = None
    captions: list[Caption] = Field(default_factory=list)
    style: ConnectorStyle | None = None
    is_supported: bool | None = None
    created_at: Timestamp | None = None
    created_by: CreatedBy | None = None
    modified_at: Timestamp | None = None
    modified_by: CreatedBy | None = None
    links: Links | None = None


class OffsetChange(MiroRequest):
    """Where on an item a connector end attaches, as percentages (``"50%"``)."""

    x: str
    y: str


class ConnectorEndChange(MiroRequest):
    """An endpoint: the item id plus ``position`` or ``snap_to`` (not both)."""

    id: Id
    position: OffsetChange | None = None
    snap_to: SnapTo | None = None

    @model_validator(mode="after")
    def _position_or_snap(self) -> ConnectorEndChange:
        if self.position is not None and self.snap_to is not None:
            raise ValueError("a connector end takes position or snap_to, not both")
        return self


class CaptionChange(MiroRequest):
    """A text to show on a connector (at most 200 characters)."""

    content: str = Field(max_length=200)
    position: str | None = None
    text_align_vertical: Literal["top", "middle", "bottom"] | None = None


class ConnectorStyleChange(MiroRequest):
    """The ``style`` of a connector in a create or update request."""

    color: str | None = None
    font_size: NumStr | None = None
    start_stroke_cap: StrokeCap | None = None
    end_stroke_cap: StrokeCap | None = None
    stroke_color: str | None = None
    stroke_style: Literal["normal", "dotted", "dashed"] | None = None
    stroke_width: NumStr | None = None
    text_orientation: Literal["horizontal", "aligned"] | None = None


class ConnectorCreate(MiroRequest):
    """A connector to create between two items."""

    start_item: ConnectorEndChange
    end_item: ConnectorEndChange
    shape: ConnectorShape | None = None
    captions: list[CaptionChange] | None = Field(default=None, max_length=20)
    style: ConnectorStyleChange | None = None


class ConnectorUpdate(MiroRequest):
    """New ends for a connector; ends left ``None`` stay."""

    start_item: ConnectorEndChange | None = None
    end_item: ConnectorEndChange | None = None
    shape: ConnectorShape | None = None
    captions: list[CaptionChange] | None = Field(default=None, max_length=20)
    style: ConnectorStyleChange | None = None
