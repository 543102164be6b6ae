"""The board operations :mod:`boardsmith.boards.apply` needs, over a MiroClient.

Request bodies arrive as plain dicts in Miro's wire format (see
:mod:`boardsmith.boards.requests`) and are validated into the client's request
models here; answers are turned into :class:`~boardsmith.boards.diff.BoardItem`
with absolute positions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

# PAGE_SIZE re-exported: the benchmarks count a read's pages with it.
from boardsmith.boards.constants import PAGE_SIZE as PAGE_SIZE
from boardsmith.boards.diff import BoardItem
from boardsmith.boards.requests import normalise_look, normalise_text, plain_title
from boardsmith.errors import BoardsmithError
from boardsmith.miro import MiroClient
from boardsmith.miro.models import (
    AnyItem,
    CardUpdate,
    Connector,
    ConnectorCreate,
    ConnectorUpdate,
    FrameCreate,
    FrameUpdate,
    MiroRequest,
    ShapeUpdate,
    StickyNoteUpdate,
    TextUpdate,
)
from boardsmith.miro.models.items import BULK_ITEM_ADAPTER

_UPDATES: dict[str, type[MiroRequest]] = {
    "sticky_note": StickyNoteUpdate,
    "shape": ShapeUpdate,
    "text": TextUpdate,
    "frame": FrameUpdate,
    "card": CardUpdate,
    "connector": ConnectorUpdate,
}


def _invalid(what: str, exc: ValidationError) -> BoardsmithError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return BoardsmithError(f"{what}: cannot be sent to Miro: {where}: {first['msg']}")


def _text_of(item: AnyItem) -> str:
    data: Any = item.data
    raw = data if isinstance(data, dict) else data.model_dump(by_alias=False)
    if item.type == "frame":
        return plain_title(raw.get("title"))
    if item.type == "card":
        return normalise_text(raw.get("title"))
    return normalise_text(raw.get("content"))


def _look_of(item: AnyItem) -> dict[str, str]:
    style: Any = item.style
    if style is None or isinstance(style, dict):
        raw = style
    else:
        raw = style.model_dump(by_alias=True, exclude_none=True, mode="json")
    data: Any = item.data
    if data is None:
        fields: dict[str, Any] = {}
    elif isinstance(data, dict):
        fields = data
    else:
        fields = data.model_dump(by_alias=False, mode="json")
    shape = fields.get("shape") if item.type in ("sticky_note", "shape") else None
    return normalise_look(raw, shape if isinstance(shape, str) else None)


def _board_item(item: AnyItem, frames: Mapping[str, AnyItem] | None) -> BoardItem:
    position = item.position
    geometry = item.geometry
    rel_x = position.x if position is not None else 0.0
    rel_y = position.y if position is not None else 0.0
    parent_id = item.parent.id if item.parent is not None else None
    x, y = rel_x, rel_y
    frame = frames.get(parent_id) if frames is not None and parent_id is not None else None
    if frame is not None and frame.position is not None and frame.geometry is not None:
        x = frame.position.x - (frame.geometry.width or 0.0) / 2 + rel_x
        y = frame.position.y - (frame.geometry.height or 0.0) / 2 + rel_y
    return BoardItem(
        id=item.id,
        type=item.type,
        parent_id=parent_id,
        x=x,
        y=y,
        width=geometry.width if geometry is not None else None,
        height=geometry.height if geometry is not None else None,
        text=_text_of(item),
        rel_x=rel_x,
        rel_y=rel_y,
        created_by=item.created_by.id if item.created_by is not None else None,
        look=_look_of(item),
    )


def _connector_item(connector: Connector) -> BoardItem:
    text = " ".join(normalise_text(c.content) for c in connector.captions if c.content)
    return BoardItem(
        id=connector.id,
        type="connector",
        parent_id=None,
        x=0.0,
        y=0.0,
        text=text,
        start_id=connector.start_item.id if connector.start_item is not None else None,
        end_id=connector.end_item.id if connector.end_item is not None else None,
        look=normalise_look(
            connector.style.model_dump(by_alias=True, exclude_none=True, mode="json")
            if connector.style is not None
            else None,
            str(connector.shape.value if hasattr(connector.shape, "value") else connector.shape)
            if connector.shape is not None
            else None,
        ),
    )


class ClientBoardIO:
    """:class:`~boardsmith.boards.apply.BoardIO` over a :class:`MiroClient`."""

    def __init__(self, client: MiroClient) -> None:
        self.client = client

    async def read_board(self, board_id: str) -> dict[str, BoardItem]:
        """Every item (all pages) and connector; children's positions made absolute."""
        raw = [item async for item in self.client.items.list(board_id, page_size=PAGE_SIZE)]
        # The connectors are asked for before the items are converted (the same calls,
        # in the same order): the conversion then runs while that request is in flight.
        connectors = asyncio.ensure_future(self._connectors(board_id))
        try:
            await asyncio.sleep(0)  # lets the task send its request
            frames = {item.id: item for item in raw if item.type == "frame"}
            board = {item.id: _board_item(item, frames) for item in raw}
        except BaseException:
            connectors.cancel()
            raise
        for connector in await connectors:
            board[connector.id] = _connector_item(connector)
        return board

    async def _connectors(self, board_id: str) -> list[Connector]:
        return [c async for c in self.client.connectors.list(board_id, page_size=PAGE_SIZE)]

    async def read_children(
        self, board_id: str, parent_id: str | None, types: Iterable[str]
    ) -> list[BoardItem]:
        """Items of ``types`` on the canvas (``parent_id`` None) or in one frame.

        Children keep Miro's frame-relative position in ``x``/``y`` too: the
        frame's geometry is not read here, and matching uses ``rel_x``/``rel_y``.
        """
        wanted = set(types)
        found: list[BoardItem] = []
        if "connector" in wanted:
            wanted.discard("connector")
            async for connector in self.client.connectors.list(board_id, page_size=PAGE_SIZE):
                found.append(_connector_item(connector))
        if not wanted:
            return found
        only = next(iter(wanted)) if len(wanted) == 1 else None
        async for item in self.client.items.list(
            board_id, type=only, parent_item_id=parent_id, page_size=PAGE_SIZE
        ):
            if item.type not in wanted:
                continue
            if parent_id is None and item.parent is not None:
                continue
            found.append(_board_item(item, None))
        return found

    async def create_frame(self, board_id: str, body: Mapping[str, object]) -> str:
        try:
            request = FrameCreate.model_validate(body)
        except ValidationError as exc:
            raise _invalid("frame", exc) from None
        return (await self.client.frames.create(board_id, request)).id

    async def bulk_create(self, board_id: str, bodies: Sequence[Mapping[str, object]]) -> list[str]:
        requests = []
        for n, body in enumerate(bodies):
            try:
                requests.append(BULK_ITEM_ADAPTER.validate_python(body))
            except ValidationError as exc:
                raise _invalid(f"item {n} of a bulk create", exc) from None
        created = await self.client.items.bulk_create(board_id, requests)
        return [item.id for item in created]

    async def create_connector(self, board_id: str, body: Mapping[str, object]) -> str:
        try:
            request = ConnectorCreate.model_validate(body)
        except ValidationError as exc:
            raise _invalid("connector", exc) from None
        return (await self.client.connectors.create(board_id, request)).id

    async def update_item(
        self, board_id: str, item_type: str, item_id: str, body: Mapping[str, object]
    ) -> None:
        model = _UPDATES.get(item_type)
        if model is None:
            raise BoardsmithError(f"item {item_id}: boardsmith cannot update a {item_type}")
        try:
            request: Any = model.model_validate(body)
        except ValidationError as exc:
            raise _invalid(f"update of item {item_id}", exc) from None
        client = self.client
        if item_type == "sticky_note":
            await client.sticky_notes.update(board_id, item_id, request)
        elif item_type == "shape":
            await client.shapes.update(board_id, item_id, request)
        elif item_type == "text":
            await client.texts.update(board_id, item_id, request)
        elif item_type == "frame":
            await client.frames.update(board_id, item_id, request)
        elif item_type == "card":
            await client.cards.update(board_id, item_id, request)
        else:
            await client.connectors.update(board_id, item_id, request)

    async def delete_item(self, board_id: str, item_type: str, item_id: str) -> None:
        if item_type == "connector":
            await self.client.connectors.delete(board_id, item_id)
        else:
            await self.client.items.delete(board_id, item_id)
