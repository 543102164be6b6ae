"""Typed wrappers for the API resources boardsmith uses (``client.boards`` etc.).

List methods are async generators (``async for board in client.boards.list()``)
that fetch one page per request as the caller iterates; ``page_size`` defaults
to Miro's maximum (50).
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from boardsmith.miro.bulk import bulk_create
from boardsmith.miro.models.boards import Board, BoardCreate, BoardMember, BoardUpdate
from boardsmith.miro.models.common import MiroRequest, ParentChange, PositionChange
from boardsmith.miro.models.connectors import Connector, ConnectorCreate, ConnectorUpdate
from boardsmith.miro.models.items import (
    AnyItem,
    BulkItemCreate,
    Card,
    CardCreate,
    CardUpdate,
    Frame,
    FrameCreate,
    FrameUpdate,
    ItemBase,
    ItemUpdate,
    Shape,
    ShapeCreate,
    ShapeUpdate,
    StickyNote,
    StickyNoteCreate,
    StickyNoteUpdate,
    Text,
    TextCreate,
    TextUpdate,
    parse_item,
)
from boardsmith.miro.models.tags import Tag, TagColor, TagCreate, TagUpdate
from boardsmith.miro.pagination import DEFAULT_PAGE_SIZE, list_raw

if TYPE_CHECKING:
    from collections.abc import Mapping

    from boardsmith.miro.client import MiroClient

__all__ = [
    "BoardsResource",
    "CardsResource",
    "ConnectorsResource",
    "FramesResource",
    "ItemsResource",
    "MembersResource",
    "ShapesResource",
    "StickyNotesResource",
    "TagsResource",
    "TextsResource",
]

BOARD = "/v2/boards/{board_id}"


def _params(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None}


class _Resource:
    def __init__(self, client: MiroClient) -> None:
        self._client = client

    async def _json(
        self,
        method: str,
        template: str,
        path_params: Mapping[str, str],
        *,
        operation: str,
        params: Mapping[str, str] | None = None,
        body: MiroRequest | None = None,
        idempotent: bool | None = None,
    ) -> tuple[Any, Any]:
        response = await self._client.request(
            method,
            template,
            path_params,
            operation=operation,
            params=params,
            json_body=body.to_body() if body is not None else None,
            idempotent=idempotent,
        )
        return self._client.decode(response), response


class BoardsResource(_Resource):
    """``/v2/boards``: create, get, list, update, delete."""

    async def create(
        self,
        request: BoardCreate | None = None,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Board:
        """Create a board (``request`` or the ``name`` / ``description`` shortcuts)."""
        body = request or BoardCreate(name=name, description=description)
        data, response = await self._json(
            "POST", "/v2/boards", {}, operation="boards.create", body=body
        )
        return self._client.parse(Board, data, response)

    async def get(self, board_id: str) -> Board:
        """The board ``board_id``."""
        data, response = await self._json(
            "GET", BOARD, {"board_id": board_id}, operation="boards.get"
        )
        return self._client.parse(Board, data, response)

    async def update(self, board_id: str, request: BoardUpdate) -> Board:
        """Change the board's name, description or policies; returns the board."""
        data, response = await self._json(
            "PATCH", BOARD, {"board_id": board_id}, operation="boards.update", body=request
        )
        # 202 means "accepted, applied later" and may come without a board.
        if not data:
            return await self.get(board_id)
        return self._client.parse(Board, data, response)

    async def delete(self, board_id: str) -> None:
        """Move a board to Miro's trash."""
        await self._json("DELETE", BOARD, {"board_id": board_id}, operation="boards.delete")

    async def list(
        self,
        *,
        query: str | None = None,
        team_id: str | None = None,
        project_id: str | None = None,
        owner: str | None = None,
        sort: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Board]:
        """Every board the token can see, optionally filtered (offset-paged)."""
        params = _params(
            query=query, team_id=team_id, project_id=project_id, owner=owner, sort=sort
        )
        async for raw in list_raw(
            self._client,
            "/v2/boards",
            {},
            operation="boards.list",
            params=params,
            page_size=page_size,
            cursor=False,
        ):
            yield Board.model_validate(raw)


class MembersResource(_Resource):
    """``/v2/boards/{board_id}/members``: list and get."""

    async def list(
        self, board_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[BoardMember]:
        """Every member of the board (offset-paged)."""
        async for raw in list_raw(
            self._client,
            BOARD + "/members",
            {"board_id": board_id},
            operation="members.list",
            params={},
            page_size=page_size,
            cursor=False,
        ):
            yield BoardMember.model_validate(raw)

    async def get(self, board_id: str, member_id: str) -> BoardMember:
        """One member of the board."""
        data, response = await self._json(
            "GET",
            BOARD + "/members/{member_id}",
            {"board_id": board_id, "member_id": member_id},
            operation="members.get",
        )
        return self._client.parse(BoardMember, data, response)


class ItemsResource(_Resource):
    """``/v2/boards/{board_id}/items``: any item type (connectors excluded)."""

    async def list(
        self,
        board_id: str,
        *,
        type: str | None = None,
        parent_item_id: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[AnyItem]:
        """Every item on the board, or of one ``type``, or inside one frame."""
        params = _params(type=type, parent_item_id=parent_item_id)
        async for raw in list_raw(
            self._client,
            BOARD + "/items",
            {"board_id": board_id},
            operation="items.list",
            params=params,
            page_size=page_size,
            cursor=True,
        ):
            yield parse_item(raw)

    async def get(self, board_id: str, item_id: str) -> AnyItem:
        """One item of any type (a typed model when its type is known)."""
        data, _ = await self._json(
            "GET",
            BOARD + "/items/{item_id}",
            {"board_id": board_id, "item_id": item_id},
            operation="items.get",
        )
        return parse_item(data)

    async def update(
        self,
        board_id: str,
        item_id: str,
        request: ItemUpdate | None = None,
        *,
        x: float | None = None,
        y: float | None = None,
        parent_id: str | None = None,
    ) -> AnyItem:
        """Move and/or re-parent an item (``request`` or ``x``, ``y``, ``parent_id``)."""
        if request is None:
            request = ItemUpdate(
                position=PositionChange(x=x, y=y) if x is not None or y is not None else None,
                parent=ParentChange(id=parent_id) if parent_id is not None else None,
            )
        data, _ = await self._json(
            "PATCH",
            BOARD + "/items/{item_id}",
            {"board_id": board_id, "item_id": item_id},
            operation="items.update",
            body=request,
        )
        return parse_item(data)

    async def delete(self, board_id: str, item_id: str) -> None:
        """Delete one item of any type."""
        await self._json(
            "DELETE",
            BOARD + "/items/{item_id}",
            {"board_id": board_id, "item_id": item_id},
            operation="items.delete",
        )

    async def bulk_create(
        self, board_id: str, items: Sequence[BulkItemCreate], *, concurrent: bool = False
    ) -> builtins.list[AnyItem]:
        """Create any number of items in chunks of 20; results follow ``items``' order.

        ``concurrent=True`` sends chunks in parallel (bounded by the client's
        concurrency); the default sends them one after another so z-order
        follows input order. See :func:`boardsmith.miro.bulk.bulk_create` for errors.
        """
        return await bulk_create(self._client, board_id, items, concurrent=concurrent)


CreateT = TypeVar("CreateT", bound=MiroRequest)
UpdateT = TypeVar("UpdateT", bound=MiroRequest)
ItemT = TypeVar("ItemT", bound=ItemBase)


class _TypedItems(_Resource, Generic[CreateT, UpdateT, ItemT]):
    kind: str
    model: type[ItemT]

    async def create(self, board_id: str, request: CreateT) -> ItemT:
        """Create one item of this type."""
        data, response = await self._json(
            "POST",
            BOARD + f"/{self.kind}",
            {"board_id": board_id},
            operation=f"{self.kind}.create",
            body=request,
        )
        return self._client.parse(self.model, data, response)

    async def get(self, board_id: str, item_id: str) -> ItemT:
        """One item of this type."""
        data, response = await self._json(
            "GET",
            BOARD + f"/{self.kind}/{{item_id}}",
            {"board_id": board_id, "item_id": item_id},
            operation=f"{self.kind}.get",
        )
        return self._client.parse(self.model, data, response)

    async def update(self, board_id: str, item_id: str, request: UpdateT) -> ItemT:
        """Change one item of this type (only the fields set are sent)."""
        data, response = await self._json(
            "PATCH",
            BOARD + f"/{self.kind}/{{item_id}}",
            {"board_id": board_id, "item_id": item_id},
            operation=f"{self.kind}.update",
            body=request,
        )
        return self._client.parse(self.model, data, response)

    async def delete(self, board_id: str, item_id: str) -> None:
        """Delete one item of this type."""
        await self._json(
            "DELETE",
            BOARD + f"/{self.kind}/{{item_id}}",
            {"board_id": board_id, "item_id": item_id},
            operation=f"{self.kind}.delete",
        )


class StickyNotesResource(_TypedItems[StickyNoteCreate, StickyNoteUpdate, StickyNote]):
    """``/v2/boards/{board_id}/sticky_notes``."""

    kind = "sticky_notes"
    model = StickyNote


class ShapesResource(_TypedItems[ShapeCreate, ShapeUpdate, Shape]):
    """``/v2/boards/{board_id}/shapes``."""

    kind = "shapes"
    model = Shape


class TextsResource(_TypedItems[TextCreate, TextUpdate, Text]):
    """``/v2/boards/{board_id}/texts``."""

    kind = "texts"
    model = Text


class FramesResource(_TypedItems[FrameCreate, FrameUpdate, Frame]):
    """``/v2/boards/{board_id}/frames``."""

    kind = "frames"
    model = Frame


class CardsResource(_TypedItems[CardCreate, CardUpdate, Card]):
    """``/v2/boards/{board_id}/cards``."""

    kind = "cards"
    model = Card


CONNECTOR = BOARD + "/connectors/{connector_id}"


class ConnectorsResource(_Resource):
    """``/v2/boards/{board_id}/connectors`` (not part of ``/items`` listings)."""

    async def create(self, board_id: str, request: ConnectorCreate) -> Connector:
        """Connect two items."""
        data, response = await self._json(
            "POST",
            BOARD + "/connectors",
            {"board_id": board_id},
            operation="connectors.create",
            body=request,
        )
        return self._client.parse(Connector, data, response)

    async def list(
        self, board_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[Connector]:
        """Every connector on the board (cursor-paged)."""
        async for raw in list_raw(
            self._client,
            BOARD + "/connectors",
            {"board_id": board_id},
            operation="connectors.list",
            params={},
            page_size=page_size,
            cursor=True,
        ):
            yield Connector.model_validate(raw)

    async def get(self, board_id: str, connector_id: str) -> Connector:
        """One connector."""
        data, response = await self._json(
            "GET",
            CONNECTOR,
            {"board_id": board_id, "connector_id": connector_id},
            operation="connectors.get",
        )
        return self._client.parse(Connector, data, response)

    async def update(self, board_id: str, connector_id: str, request: ConnectorUpdate) -> Connector:
        """Re-attach a connector's ends."""
        data, response = await self._json(
            "PATCH",
            CONNECTOR,
            {"board_id": board_id, "connector_id": connector_id},
            operation="connectors.update",
            body=request,
        )
        return self._client.parse(Connector, data, response)

    async def delete(self, board_id: str, connector_id: str) -> None:
        """Delete one connector."""
        await self._json(
            "DELETE",
            CONNECTOR,
            {"board_id": board_id, "connector_id": connector_id},
            operation="connectors.delete",
        )


TAG = BOARD + "/tags/{tag_id}"
ITEM = BOARD + "/items/{item_id}"


class TagsResource(_Resource):
    """Board tags and their attachment to sticky notes and cards."""

    async def create(
        self,
        board_id: str,
        request: TagCreate | None = None,
        *,
        title: str | None = None,
        fill_color: TagColor | None = None,
    ) -> Tag:
        """Create a tag (``request`` or the ``title`` / ``fill_color`` shortcuts)."""
        if request is None:
            if title is None:
                raise ValueError("tags.create needs a request or a title")
            request = TagCreate(title=title, fill_color=fill_color)
        data, response = await self._json(
            "POST", BOARD + "/tags", {"board_id": board_id}, operation="tags.create", body=request
        )
        return self._client.parse(Tag, data, response)

    async def list(
        self, board_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[Tag]:
        """Every tag of the board (offset-paged)."""
        async for raw in list_raw(
            self._client,
            BOARD + "/tags",
            {"board_id": board_id},
            operation="tags.list",
            params={},
            page_size=page_size,
            cursor=False,
        ):
            yield Tag.model_validate(raw)

    async def get(self, board_id: str, tag_id: str) -> Tag:
        """One tag."""
        data, response = await self._json(
            "GET", TAG, {"board_id": board_id, "tag_id": tag_id}, operation="tags.get"
        )
        return self._client.parse(Tag, data, response)

    async def update(self, board_id: str, tag_id: str, request: TagUpdate) -> Tag:
        """Rename or recolour a tag."""
        data, response = await self._json(
            "PATCH",
            TAG,
            {"board_id": board_id, "tag_id": tag_id},
            operation="tags.update",
            body=request,
        )
        return self._client.parse(Tag, data, response)

    async def delete(self, board_id: str, tag_id: str) -> None:
        """Delete a tag (Miro removes it from every item)."""
        await self._json(
            "DELETE", TAG, {"board_id": board_id, "tag_id": tag_id}, operation="tags.delete"
        )

    async def attach(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Attach a tag to a sticky note or card (at most 8 per item)."""
        # A POST, but attaching the same tag twice changes nothing: safe to retry.
        await self._json(
            "POST",
            ITEM,
            {"board_id": board_id, "item_id": item_id},
            operation="tags.attach",
            params={"tag_id": tag_id},
            idempotent=True,
        )

    async def detach(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Remove a tag from an item (the item stays)."""
        await self._json(
            "DELETE",
            ITEM,
            {"board_id": board_id, "item_id": item_id},
            operation="tags.detach",
            params={"tag_id": tag_id},
        )

    async def of_item(self, board_id: str, item_id: str) -> builtins.list[Tag]:
        """The tags attached to one item."""
        data, response = await self._json(
            "GET",
            ITEM + "/tags",
            {"board_id": board_id, "item_id": item_id},
            operation="tags.of_item",
        )
        tags = data.get("tags") if isinstance(data, dict) else None
        return [self._client.parse(Tag, raw, response) for raw in tags or []]

    async def items_with_tag(
        self, board_id: str, tag_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[AnyItem]:
        """Every item carrying ``tag_id`` (offset-paged, unlike other item lists)."""
        async for raw in list_raw(
            self._client,
            BOARD + "/items",
            {"board_id": board_id},
            operation="tags.items_with_tag",
            params={"tag_id": tag_id},
            page_size=page_size,
            cursor=False,
        ):
            yield parse_item(raw)
