"""The real MiroClient end to end against the emulator (through EmulatorTransport)."""

from __future__ import annotations

import pytest

from boardsmith.emulator import EmulatorApp, EmulatorTransport, Faults, create_app
from boardsmith.miro import (
    AmbiguousWriteError,
    BadRequestError,
    BulkItemError,
    MiroClient,
    NotFoundError,
)
from boardsmith.miro.models import (
    ConnectorCreate,
    ConnectorEndChange,
    FrameCreate,
    FrameDataChange,
    ParentChange,
    PositionChange,
    SizeGeometry,
    StickyNoteCreate,
    StickyNoteDataChange,
    TextCreate,
    TextDataChange,
)
from tests.conftest import MakeClient


def sticky(content: str, parent: str | None = None) -> StickyNoteCreate:
    return StickyNoteCreate(
        data=StickyNoteDataChange(content=content),
        parent=ParentChange(id=parent) if parent else None,
        position=PositionChange(x=100, y=100) if parent else None,
    )


async def test_create_list_across_pages_and_positions(make_client: MakeClient) -> None:
    client = await make_client()
    board = await client.boards.create(name="Vision 2030")
    frame = await client.frames.create(
        board.id,
        FrameCreate(
            data=FrameDataChange(title="Lane"),
            position=PositionChange(x=0, y=0),
            geometry=SizeGeometry(width=3000, height=3000),
        ),
    )
    notes = [
        await client.sticky_notes.create(board.id, sticky(f"n{i}", frame.id)) for i in range(23)
    ]
    await client.texts.create(board.id, TextCreate(data=TextDataChange(content="Title")))
    listed = [i async for i in client.items.list(board.id, type="sticky_note")]
    assert [i.id for i in listed] == [n.id for n in notes]
    everything = [i async for i in client.items.list(board.id)]
    assert len(everything) == 25
    children = [i async for i in client.items.list(board.id, parent_item_id=frame.id)]
    assert len(children) == 23
    first = children[0]
    assert first.position is not None
    assert first.position.relative_to == "parent_top_left"
    assert first.geometry is not None
    assert first.geometry.height == pytest.approx(228)


async def test_bulk_create_in_chunks_and_failing_index(make_client: MakeClient) -> None:
    client = await make_client()
    board = await client.boards.create(name="Bulk")
    created = await client.items.bulk_create(board.id, [sticky(f"s{i}") for i in range(45)])
    assert len(created) == 45
    assert [getattr(c.data, "content", None) for c in created] == [f"s{i}" for i in range(45)]
    bad = [sticky(f"b{i}") for i in range(25)]
    bad[23] = sticky("orphan", parent="3458764000000000001")
    with pytest.raises(BulkItemError) as info:
        await client.items.bulk_create(board.id, bad)
    assert info.value.index == 23
    assert info.value.field == "parent.id"
    assert "\n" not in str(info.value)


async def test_tags_end_to_end(make_client: MakeClient) -> None:
    client = await make_client()
    board = await client.boards.create(name="Tags")
    note = await client.sticky_notes.create(board.id, sticky("vote me"))
    tag = await client.tags.create(board.id, title="Top 3")
    await client.tags.attach(board.id, note.id, tag.id)
    assert [t.title for t in await client.tags.of_item(board.id, note.id)] == ["Top 3"]
    tagged = [i.id async for i in client.tags.items_with_tag(board.id, tag.id)]
    assert tagged == [note.id]
    with pytest.raises(BadRequestError) as dup:
        await client.tags.create(board.id, title="Top 3")
    assert dup.value.code == "invalidParameters"
    await client.tags.detach(board.id, note.id, tag.id)
    assert await client.tags.of_item(board.id, note.id) == []


async def test_errors_are_typed_one_liners(make_client: MakeClient) -> None:
    client = await make_client()
    board = await client.boards.create(name="Errors")
    with pytest.raises(NotFoundError) as info:
        await client.items.get(board.id, "3458764000000000000")
    assert info.value.status == 404
    assert info.value.code == "notFound"
    assert "\n" not in str(info.value)
    with pytest.raises(NotFoundError):
        await client.boards.get("uXjVKmissing=")


async def test_members_and_connectors(make_client: MakeClient) -> None:
    ana = await make_client("Ana:1")
    ben = await make_client("Ben:1")
    board = await ana.boards.create(name="Team")
    a = await ana.sticky_notes.create(board.id, sticky("a"))
    b = await ben.sticky_notes.create(board.id, sticky("b"))
    members = {m.name: m.role async for m in ana.members.list(board.id)}
    assert members == {"Ana": "owner", "Ben": "editor"}
    connector = await ana.connectors.create(
        board.id,
        ConnectorCreate(
            start_item=ConnectorEndChange(id=a.id), end_item=ConnectorEndChange(id=b.id)
        ),
    )
    assert [c.id async for c in ana.connectors.list(board.id)] == [connector.id]
    assert a.created_by is not None
    assert b.created_by is not None
    assert a.created_by.id != b.created_by.id


class SharedClock:
    """One fake time for the emulator's rate-limit window and the client's waits."""

    def __init__(self) -> None:
        self.now = 1_800_000_010.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_429_then_success_with_a_low_budget() -> None:
    clock = SharedClock()
    app = create_app(":memory:", credits_per_minute=1_000, clock=clock)

    def client() -> MiroClient:
        return MiroClient(
            token="Ana:1", transport=EmulatorTransport(app), clock=clock, sleep=clock.sleep
        )

    async with client() as first, client() as second:
        board = await first.boards.create(name="Budget")  # 500 credits
        for i in range(5):  # 5 x 100: the user's window is now spent
            await first.sticky_notes.create(board.id, sticky(f"first {i}"))
        # Same user, a client that has not seen the headers yet: 429, wait, success.
        note = await second.sticky_notes.create(board.id, sticky("second"))
    assert note.id
    assert app.stats()["requests"]["POST /v2/boards/{board_id}/sticky_notes"] == 7
    assert second.stats.retries == 1
    assert clock.slept
    assert sum(clock.slept) <= 60


async def test_dropped_connection_after_commit_is_an_ambiguous_write(
    emulator_app: EmulatorApp, make_client: MakeClient
) -> None:
    client = await make_client()
    board = await client.boards.create(name="Ambiguous")
    emulator_app.faults = Faults(fail_after_commit=1.0, fail_mode="drop")
    with pytest.raises(AmbiguousWriteError):
        await client.sticky_notes.create(board.id, sticky("maybe"))
    emulator_app.faults = Faults()
    # The write did happen: reconciling by reading finds it.
    contents = [getattr(i.data, "content", None) async for i in client.items.list(board.id)]
    assert contents == ["maybe"]
