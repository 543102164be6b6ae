"""A Snapshot: every item of a board, with absolute geometry, read with full pagination.

Miro reports a frame child's position relative to the frame's top-left corner and
everything else relative to the canvas centre; a :class:`SnapItem` always carries the
absolute centre so regions, stickies and dots can be compared directly.

Reading runs one paginated ``GET /items?type=...`` stream per item type, concurrently
(each stream is sequential because the cursor of page *n* comes from page *n-1*), at
the maximum page size of 50, so a board costs about ``ceil(items / 50)`` list calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from boardsmith.harvest.model import Bounds

if TYPE_CHECKING:
    from boardsmith.miro import MiroClient

__all__ = [
    "HARVEST_TYPES",
    "SnapItem",
    "Snapshot",
    "build_snapshot",
    "read_snapshot",
]

#: Item types harvest understands; each is read as its own concurrent stream.
HARVEST_TYPES: tuple[str, ...] = ("frame", "sticky_note", "shape", "text", "card")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SnapItem:
    """One board item in absolute coordinates (``x``, ``y`` are the centre)."""

    id: str
    type: str
    x: float
    y: float
    width: float
    height: float
    content: str = ""
    parent_id: str | None = None
    shape: str | None = None
    fill_color: str | None = None
    border_color: str | None = None
    #: How the board draws its text (for pictures of the board); ``{}`` when Miro says nothing.
    text_style: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    created_by: str | None = None
    created_at: str | None = None
    modified_by: str | None = None
    modified_at: str | None = None

    @cached_property
    def bounds(self) -> Bounds:
        """The item's box as harvest reports it (computed once)."""
        return Bounds(x=self.x, y=self.y, width=self.width, height=self.height)

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies on this item (edges included)."""
        return (
            abs(x - self.x) <= self.width / 2 + 1e-9 and abs(y - self.y) <= self.height / 2 + 1e-9
        )


@dataclass
class Snapshot:
    """Everything read from one board."""

    board_id: str
    items: list[SnapItem]
    members: dict[str, str] = field(default_factory=dict)
    board_name: str | None = None

    def __post_init__(self) -> None:
        self._by_id = {item.id: item for item in self.items}

    def get(self, item_id: str) -> SnapItem | None:
        """The item with this id, if the board still has it."""
        return self._by_id.get(item_id)

    def of_type(self, *types: str) -> list[SnapItem]:
        """Items of the given types, in reading order."""
        return [item for item in self.items if item.type in types]

    def name_of(self, user_id: str | None) -> str | None:
        """A member's name (``None`` for unknown users)."""
        return self.members.get(user_id) if user_id else None


_TEXT_STYLE = ("fontSize", "textAlign", "color")


def _num(value: Any, default: float = 0.0) -> float:
    return float(value) if isinstance(value, int | float) else default


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _ref_id(value: Any) -> str | None:
    if isinstance(value, Mapping):
        ident = value.get("id")
        return str(ident) if ident is not None else None
    return None


def _content(kind: str, data: Mapping[str, Any]) -> str:
    if kind == "frame":
        return _text(data.get("title"))
    if kind == "card":
        return _text(data.get("title"))
    return _text(data.get("content"))


def build_snapshot(
    board_id: str,
    raw_items: Iterable[Mapping[str, Any]],
    *,
    members: Mapping[str, str] | None = None,
    board_name: str | None = None,
) -> Snapshot:
    """Turn items as Miro's JSON has them into a Snapshot with absolute positions.

    Duplicates (the same id from two streams) are kept once. A child whose frame is
    missing keeps its relative position and is reported by the caller as unplaced.
    """
    seen: dict[str, Mapping[str, Any]] = {}
    for raw in raw_items:
        ident = str(raw.get("id", ""))
        if ident and ident not in seen:
            seen[ident] = raw
    frames: dict[str, tuple[float, float]] = {}
    for ident, raw in seen.items():
        if raw.get("type") == "frame":
            pos = raw.get("position") or {}
            geo = raw.get("geometry") or {}
            left = _num(pos.get("x")) - _num(geo.get("width")) / 2
            top = _num(pos.get("y")) - _num(geo.get("height")) / 2
            frames[ident] = (left, top)
    items = []
    for ident, raw in seen.items():
        kind = str(raw.get("type", ""))
        pos = raw.get("position") or {}
        geo = raw.get("geometry") or {}
        data = raw.get("data") or {}
        style = raw.get("style") or {}
        x, y = _num(pos.get("x")), _num(pos.get("y"))
        parent_id = _ref_id(raw.get("parent"))
        relative = pos.get("relativeTo", "parent_top_left" if parent_id else "canvas_center")
        if parent_id and relative == "parent_top_left" and parent_id in frames:
            fx, fy = frames[parent_id]
            x, y = fx + x, fy + y
        items.append(
            SnapItem(
                id=ident,
                type=kind,
                x=x,
                y=y,
                width=_num(geo.get("width")),
                height=_num(geo.get("height")),
                content=_content(kind, data),
                parent_id=parent_id,
                shape=_text(data.get("shape")) or None,
                fill_color=_text(style.get("fillColor")) or None,
                border_color=_text(style.get("borderColor")) or None,
                text_style={
                    k: str(style[k])
                    for k in _TEXT_STYLE
                    if isinstance(style.get(k), str | int | float)
                },
                created_by=_ref_id(raw.get("createdBy")),
                created_at=_text(raw.get("createdAt")) or None,
                modified_by=_ref_id(raw.get("modifiedBy")),
                modified_at=_text(raw.get("modifiedAt")) or None,
            )
        )
    return Snapshot(
        board_id=board_id, items=items, members=dict(members or {}), board_name=board_name
    )


def _as_json(item: Any) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        return item
    dumped: dict[str, Any] = item.model_dump(mode="json", by_alias=True)
    return dumped


async def read_snapshot(
    client: MiroClient,
    board_id: str,
    *,
    types: Sequence[str] = HARVEST_TYPES,
    progress: Progress | None = None,
) -> Snapshot:
    """Read every item of ``types`` (one concurrent paginated stream per type), the
    board's members and its name, into a :class:`Snapshot`."""
    counted = 0

    async def stream(kind: str) -> list[Mapping[str, Any]]:
        nonlocal counted
        out = []
        async for item in client.items.list(board_id, type=kind, page_size=50):
            out.append(_as_json(item))
            counted += 1
            if progress is not None:
                progress(counted, 0)
        return out

    async def read_members() -> dict[str, str]:
        names: dict[str, str] = {}
        async for member in client.members.list(board_id):
            data = _as_json(member)
            if data.get("id") is not None and data.get("name"):
                names[str(data["id"])] = str(data["name"])
        return names

    async def read_name() -> str | None:
        board = _as_json(await client.boards.get(board_id))
        name = board.get("name")
        return str(name) if name else None

    name_task = asyncio.ensure_future(read_name())
    members_task = asyncio.ensure_future(read_members())
    try:
        streams = await asyncio.gather(*(stream(kind) for kind in types))
    except BaseException:
        name_task.cancel()
        members_task.cancel()
        raise
    members = await members_task
    board_name = await name_task
    raw = [item for chunk in streams for item in chunk]
    if progress is not None:
        progress(len(raw), len(raw))
    return build_snapshot(board_id, raw, members=members, board_name=board_name)
