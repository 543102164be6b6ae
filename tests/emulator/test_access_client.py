"""Every operation boardsmith's client uses, as a stranger, a viewer and an editor of a
private board: the answers that say no are the same kind Miro gives (403, one line)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from boardsmith.emulator import EmulatorApp, EmulatorTransport
from boardsmith.emulator.users import email_for_token
from boardsmith.miro import MiroClient
from boardsmith.miro.errors import BoardAccessError
from boardsmith.miro.models.boards import BoardUpdate
from boardsmith.miro.models.connectors import ConnectorCreate, ConnectorEndChange
from boardsmith.miro.models.items import (
    FrameCreate,
    FrameDataChange,
    ShapeCreate,
    StickyNoteCreate,
    StickyNoteDataChange,
    StickyNoteUpdate,
)
from boardsmith.miro.models.tags import TagCreate
from tests.conftest import MakeClient

Op = Callable[[MiroClient], Awaitable[Any]]


async def _drain(iterator: Any) -> list[Any]:
    return [x async for x in iterator]


def _reads(board: str, sticky: str, tag: str) -> dict[str, Op]:
    return {
        "boards.get": lambda c: c.boards.get(board),
        "members.list": lambda c: _drain(c.members.list(board)),
        "items.list": lambda c: _drain(c.items.list(board, type="sticky_note")),
        "items.get": lambda c: c.items.get(board, sticky),
        "sticky_notes.get": lambda c: c.sticky_notes.get(board, sticky),
        "connectors.list": lambda c: _drain(c.connectors.list(board)),
        "tags.list": lambda c: _drain(c.tags.list(board)),
        "tags.of_item": lambda c: c.tags.of_item(board, sticky),
        "tags.items_with_tag": lambda c: _drain(c.tags.items_with_tag(board, tag)),
    }


def _writes(board: str, sticky: str, tag: str, other: str) -> dict[str, Op]:
    note = StickyNoteCreate(data=StickyNoteDataChange(content="x"))
    return {
        "boards.update": lambda c: c.boards.update(board, BoardUpdate(name="Renamed")),
        "sticky_notes.create": lambda c: c.sticky_notes.create(board, note),
        "sticky_notes.update": lambda c: c.sticky_notes.update(
            board, sticky, StickyNoteUpdate(data=StickyNoteDataChange(content="y"))
        ),
        "frames.create": lambda c: c.frames.create(
            board, FrameCreate(data=FrameDataChange(title="F"))
        ),
        "items.bulk_create": lambda c: c.items.bulk_create(board, [note, ShapeCreate()]),
        "items.update": lambda c: c.items.update(board, sticky, x=5, y=5),
        "tags.create": lambda c: c.tags.create(board, TagCreate(title="t2")),
        "tags.attach": lambda c: c.tags.attach(board, sticky, tag),
        "connectors.create": lambda c: c.connectors.create(
            board,
            ConnectorCreate(
                start_item=ConnectorEndChange(id=sticky), end_item=ConnectorEndChange(id=other)
            ),
        ),
        "items.delete": lambda c: c.items.delete(board, sticky),
    }


async def _board(owner: MiroClient) -> tuple[str, str, str, str]:
    from boardsmith.miro.models.boards import (
        BoardCreate,
        BoardPolicyChange,
        BoardSharingPolicy,
    )

    board = await owner.boards.create(
        BoardCreate(
            name="Private",
            policy=BoardPolicyChange(sharing_policy=BoardSharingPolicy(team_access="private")),
        )
    )
    note = StickyNoteCreate(data=StickyNoteDataChange(content="a"))
    sticky = await owner.sticky_notes.create(board.id, note)
    tag = await owner.tags.create(board.id, TagCreate(title="t"))
    other = await owner.shapes.create(board.id, ShapeCreate())
    return board.id, sticky.id, tag.id, other.id


async def _share(app: EmulatorApp, board: str, token: str, role: str) -> None:
    # boardsmith's client never shares; the owner (Fay) does it over plain HTTP.
    async with httpx.AsyncClient(
        transport=EmulatorTransport(app),
        base_url="https://api.miro.com",
        headers={"Authorization": "Bearer Fay:1"},
    ) as http:
        response = await http.post(
            f"/v2/boards/{board}/members",
            json={"emails": [email_for_token(token)], "role": role},
        )
    assert response.status_code == 201, response.text


async def test_a_stranger_meets_403_on_every_operation(make_client: MakeClient) -> None:
    owner = await make_client(token="Fay:1")
    board, sticky, tag, other = await _board(owner)
    stranger = await make_client(token="Cy:1")
    for name, op in {**_reads(board, sticky, tag), **_writes(board, sticky, tag, other)}.items():
        with pytest.raises(BoardAccessError) as denied:
            await op(stranger)
        assert denied.value.board_id == board, name
        assert (denied.value.status, denied.value.code) == (403, "forbiddenAccess"), name
        assert len(str(denied.value).splitlines()) == 1
    assert [b async for b in stranger.boards.list()] == []
    with pytest.raises(BoardAccessError, match="you may not change board"):
        await stranger.boards.delete(board)


async def test_a_viewer_reads_everything_and_writes_nothing(
    make_client: MakeClient, emulator_app: EmulatorApp
) -> None:
    owner = await make_client(token="Fay:1")
    board, sticky, tag, other = await _board(owner)
    await _share(emulator_app, board, "Vi:1", "viewer")
    viewer = await make_client(token="Vi:1")
    for op in _reads(board, sticky, tag).values():
        await op(viewer)
    for name, op in _writes(board, sticky, tag, other).items():
        with pytest.raises(BoardAccessError, match="you may not change board") as denied:
            await op(viewer)
        assert "viewer" in denied.value.message, name


async def test_an_editor_does_everything_but_delete_the_board(
    make_client: MakeClient, emulator_app: EmulatorApp
) -> None:
    owner = await make_client(token="Fay:1")
    board, sticky, tag, other = await _board(owner)
    await _share(emulator_app, board, "Ed:1", "editor")
    editor = await make_client(token="Ed:1")
    for op in [*_reads(board, sticky, tag).values(), *_writes(board, sticky, tag, other).values()]:
        await op(editor)
    with pytest.raises(BoardAccessError):
        await editor.boards.delete(board)
    await owner.boards.delete(board)
