"""Tags (labels on sticky notes and cards)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from boardsmith.miro.models.common import Id, Links, MiroRequest, MiroResponse

__all__ = ["Tag", "TagColor", "TagCreate", "TagUpdate"]

TagColor = Literal[
    "red", "light_green", "cyan", "yellow", "magenta", "green", "blue", "gray", "violet",
    "dark_green", "dark_blue", "black",
]  # fmt: skip


class Tag(MiroResponse):
    """A board tag as Miro returns it."""

    id: Id
    title: str = ""
    fill_color: TagColor | str | None = None
    type: str | None = None
    links: Links | None = None


class TagCreate(MiroRequest):
    """A tag to create (title of at most 120 characters)."""

    title: str = Field(max_length=120)
    fill_color: TagColor | None = None


class TagUpdate(MiroRequest):
    """Changes to a tag; fields left ``None`` are not sent."""

    title: str | None = Field(default=None, max_length=120)
    fill_color: TagColor | None = None
