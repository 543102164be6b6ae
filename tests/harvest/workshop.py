"""A simulated workshop on the emulator: a facilitator builds the board, participants
(one token each, so one Miro user each) write, drag and dot like people do.

Positions handed to the helpers are ABSOLUTE board coordinates; the helpers turn them
into what Miro expects (frame-relative for frame children), so tests exercise the
same conversions real boards need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boardsmith.boards.apply import apply_plan
from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.state import StateStore
from boardsmith.harvest.api import BoardSource, harvest_boards
from boardsmith.harvest.history import HistoryStore
from boardsmith.harvest.model import BoardHarvest
from boardsmith.miro import MiroClient
from boardsmith.miro.models import (
    FixedRatioGeometry,
    GeometryChange,
    ParentChange,
    PositionChange,
    ShapeCreate,
    ShapeDataChange,
    ShapeStyleChange,
    StickyNoteCreate,
    StickyNoteDataChange,
    StickyNoteStyleChange,
)
from boardsmith.templates import Plan, compile_plan, find_template
from tests.conftest import MakeClient


@dataclass
class Workshop:
    """One board built from a template, and the people working on it."""

    make_client: MakeClient
    board_id: str
    plan: Plan
    item_ids: dict[str, str]
    frame_key: str
    facilitator: MiroClient
    clients: dict[str, MiroClient] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)

    @classmethod
    async def build(
        cls,
        make_client: MakeClient,
        tmp_path: Path,
        template: str = "leadership-vision",
        params: dict[str, Any] | None = None,
        *,
        facilitator: str = "Fay",
    ) -> Workshop:
        client = await make_client(token=f"{facilitator}:1")
        plan = compile_plan(find_template(template), params or {})
        board = await client.boards.create(name=f"{template} test")
        store = StateStore(tmp_path / "state")
        await apply_plan(
            ClientBoardIO(client),
            store,
            backend="emulator",
            board_id=board.id,
            plan=plan,
            fresh_board=True,
        )
        state = store.load(backend="emulator", board_id=board.id)
        assert state is not None
        frame_key = next(i.key for i in plan.items if i.type == "frame")
        return cls(
            make_client=make_client,
            board_id=board.id,
            plan=plan,
            item_ids=state.item_ids(),
            frame_key=frame_key,
            facilitator=client,
        )

    async def as_(self, name: str) -> MiroClient:
        """The client of participant ``name`` (their own token, so their own user)."""
        if name not in self.clients:
            self.clients[name] = await self.make_client(token=f"{name}:1")
        return self.clients[name]

    @property
    def frame_id(self) -> str:
        return self.item_ids[self.frame_key]

    async def frame_origin(self) -> tuple[float, float]:
        """The frame's current absolute top-left corner."""
        frame = await self.facilitator.items.get(self.board_id, self.frame_id)
        assert frame.position is not None
        assert frame.geometry is not None
        assert frame.geometry.width is not None
        assert frame.geometry.height is not None
        return (
            frame.position.x - frame.geometry.width / 2,
            frame.position.y - frame.geometry.height / 2,
        )

    async def at(self, key: str, fx: float = 0.5, fy: float = 0.5) -> tuple[float, float]:
        """Absolute point inside plan item ``key`` (fractions of its box from top-left)."""
        return self.point(key, fx, fy, await self.frame_origin())

    def point(
        self, key: str, fx: float, fy: float, origin: tuple[float, float]
    ) -> tuple[float, float]:
        """Like :meth:`at` with the frame's top-left already known (no request)."""
        item = self.plan.by_key[key]
        frame = self.plan.by_key[self.frame_key]
        return (
            origin[0] + (item.left - frame.left) + item.width * fx,
            origin[1] + (item.top - frame.top) + item.height * fy,
        )

    def picks_band(self, person: str) -> tuple[float, float]:
        """The lane's picks area as fractions of the lane's height: below its name and
        dots, above its "why" box."""
        lane = self.plan.by_key[self.lane(person)]
        inside = [i for i in self.plan.items if i.key.startswith(lane.key + "/")]
        why = [i for i in inside if i.role == "why"]
        top = max(
            (
                i.bottom
                for i in inside
                if i.role == "dot" or i.type == "text"
                if not any(i.key.startswith(w.key + "/") for w in why)
            ),
            default=lane.top,
        )
        bottom = min((w.top for w in why), default=lane.bottom)
        return ((top - lane.top) / lane.height, (bottom - lane.top) / lane.height)

    def pick_point(
        self, person: str, fx: float, fy: float, origin: tuple[float, float]
    ) -> tuple[float, float]:
        """Like :meth:`point` in ``person``'s lane, with ``fy`` a fraction of the picks area."""
        low, high = self.picks_band(person)
        return self.point(self.lane(person), fx, low + (high - low) * fy, origin)

    async def pick_at(self, person: str, fx: float = 0.5, fy: float = 0.5) -> tuple[float, float]:
        """An absolute point in ``person``'s picks area (fractions of that area)."""
        return self.pick_point(person, fx, fy, await self.frame_origin())

    async def why_at(self, person: str, fy: float = 0.6) -> tuple[float, float]:
        """An absolute point in ``person``'s "why I chose these" box."""
        key = next(
            i.key
            for i in self.plan.items
            if i.role == "why" and i.key.startswith(self.lane(person))
        )
        return await self.at(key, 0.5, fy)

    async def sticky(
        self,
        who: str,
        text: str,
        x: float,
        y: float,
        *,
        in_frame: bool = True,
        width: float = 150,
        colour: str | None = None,
    ) -> str:
        """``who`` writes a sticky at absolute (x, y); inside the frame by default."""
        client = await self.as_(who)
        parent = None
        if in_frame:
            left, top = await self.frame_origin()
            x, y = x - left, y - top
            parent = ParentChange(id=self.frame_id)
        created = await client.sticky_notes.create(
            self.board_id,
            StickyNoteCreate(
                data=StickyNoteDataChange(content=text),
                style=StickyNoteStyleChange(fill_color=colour) if colour else None,  # type: ignore[arg-type]
                position=PositionChange(x=x, y=y),
                geometry=FixedRatioGeometry(width=width),
                parent=parent,
            ),
        )
        self.created.append(created.id)
        return created.id

    async def dot(self, who: str, x: float, y: float) -> str:
        """``who`` draws their own dot (one the template did not create)."""
        client = await self.as_(who)
        left, top = await self.frame_origin()
        created = await client.shapes.create(
            self.board_id,
            ShapeCreate(
                data=ShapeDataChange(shape="circle"),
                style=ShapeStyleChange(fill_color="#f16c7f", border_color="#f16c7f"),
                position=PositionChange(x=x - left, y=y - top),
                geometry=GeometryChange(width=40, height=40),
                parent=ParentChange(id=self.frame_id),
            ),
        )
        return created.id

    async def move(self, who: str, item_id: str, x: float, y: float) -> None:
        """``who`` drags an item (inside the frame) to absolute (x, y)."""
        client = await self.as_(who)
        left, top = await self.frame_origin()
        await client.items.update(
            self.board_id, item_id, x=x - left, y=y - top, parent_id=self.frame_id
        )

    async def move_frame(self, dx: float, dy: float) -> None:
        """The facilitator drags the whole frame (children keep relative positions)."""
        frame = await self.facilitator.items.get(self.board_id, self.frame_id)
        assert frame.position is not None
        await self.facilitator.items.update(
            self.board_id, self.frame_id, x=frame.position.x + dx, y=frame.position.y + dy
        )

    def word(self, word: str) -> str:
        """The item id of a word-bank sticky."""
        key = next(
            i.key for i in self.plan.items if i.role == "word" and i.labels.get("word") == word
        )
        return self.item_ids[key]

    def dots_of(self, person: str) -> list[str]:
        """Item ids of the dots the template gave ``person``."""
        return [
            self.item_ids[i.key]
            for i in self.plan.items
            if i.role == "dot" and i.labels.get("owner") == person
        ]

    def lane(self, person: str) -> str:
        return next(
            i.key
            for i in self.plan.items
            if i.role == "lane" and i.labels.get("participant") == person
        )

    async def harvest(
        self, history: HistoryStore | None = None, *, client: MiroClient | None = None
    ) -> BoardHarvest:
        """The board harvested as the CLI harvests it (its state's plan and item ids),
        by the facilitator unless another ``client`` reads it; ``history`` is recorded."""
        source = BoardSource(self.board_id, plan=self.plan, item_ids=self.item_ids)
        document, _ = await harvest_boards(
            client or self.facilitator, [source], history=history, backend="emulator"
        )
        return document.boards[0]
