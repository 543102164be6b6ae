"""A Snapshot: every item of a board, with absolute geometry, read with full pagination.

Miro reports a frame child's position relative to the frame's top-left corner and
everything else relative to the canvas centre; a :class:`SnapItem` always carries the
absolute centre so regions, stickies and dots can be compared directly.

Reading runs one paginated ``GET /items?type=...`` stream per item type, concurrently
(each stream is sequential because the cursor of page *n* comes from page *n-1*), at
the maximum page size of 50, so a board costs about ``ceil(items / 50)`` list calls
plus one part-filled page per type; or, for many boards at once, one unfiltered
``GET /items`` stream, exactly ``ceil(items / 50)`` list calls in one longer chain.
"""

from __future__ import annotations

import asyncio
import operator
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from boardsmith.harvest.memo import ReadMemo
from boardsmith.harvest.shapes import ShapeAnswers
from boardsmith.miro.constants import DEFAULT_PAGE_SIZE
from boardsmith.miro.pagination import list_raw
from boardsmith.miro.slots import deferred
from boardsmith.templates.geometry import CentredBox

if TYPE_CHECKING:
    import httpx

    from boardsmith.harvest.model import Bounds
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
class SnapItem(CentredBox):
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

    def __hash__(self) -> int:
        # Computed once: a watch refresh looks every item up in several memos, and the
        # generated hash rebuilds and hashes a tuple of 13 fields at every lookup.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(_HASHED(self))
            self.__dict__["_hash"] = cached
        return cached

    @cached_property
    def bounds(self) -> Bounds:
        """The item's box as harvest reports it (computed once)."""
        from boardsmith.harvest.model import Bounds

        return Bounds(x=self.x, y=self.y, width=self.width, height=self.height)

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies on this item (edges included, with a hair of slack
        for a dot placed exactly on a sticky's edge)."""
        return (
            abs(x - self.x) <= self.width / 2 + 1e-9 and abs(y - self.y) <= self.height / 2 + 1e-9
        )


#: The fields ``SnapItem`` equality compares, which its hash covers.
_HASHED = operator.attrgetter(*(f.name for f in fields(SnapItem) if f.compare))


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
_ITEMS = "/v2/boards/{board_id}/items"
PAGE_SIZE = DEFAULT_PAGE_SIZE


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
    memo: ReadMemo | None = None,
) -> Snapshot:
    """Turn items as Miro's JSON has them into a Snapshot with absolute positions.

    Duplicates (the same id from two streams) are kept once. A child whose frame is
    missing keeps its relative position and is reported by the caller as unplaced.
    ``memo`` keeps items between reads of one board (:mod:`boardsmith.harvest.memo`).
    """
    seen: dict[str, Mapping[str, Any]] = {}
    for raw in raw_items:
        ident = str(raw.get("id", ""))
        if ident and ident not in seen:
            seen[ident] = raw
    frames = _frame_corners(seen.items())
    items = []
    for ident, raw in seen.items():
        if memo is not None and (kept := memo.kept(ident, raw, frames)) is not None:
            items.append(kept)
            continue
        anchor, origin, item = _place(ident, raw, frames)
        if memo is not None:
            memo.keep(ident, raw, anchor, origin, item)
        items.append(item)
    if memo is not None:
        memo.finish(seen)
    return Snapshot(
        board_id=board_id, items=items, members=dict(members or {}), board_name=board_name
    )


def _frame_corners(
    listed: Iterable[tuple[str, Mapping[str, Any]]],
) -> dict[str, tuple[float, float]]:
    """Each frame's top-left corner on the canvas, by frame id."""
    frames: dict[str, tuple[float, float]] = {}
    for ident, raw in listed:
        if raw.get("type") == "frame":
            pos = raw.get("position") or {}
            geo = raw.get("geometry") or {}
            left = _num(pos.get("x")) - _num(geo.get("width")) / 2
            top = _num(pos.get("y")) - _num(geo.get("height")) / 2
            frames[ident] = (left, top)
    return frames


def _place(
    ident: str, raw: Mapping[str, Any], frames: Mapping[str, tuple[float, float]]
) -> tuple[str | None, tuple[float, float] | None, SnapItem]:
    """One read item on the canvas: the frame it is placed by (``None``: none), that
    frame's corner (``None``: absolute already, or the frame is missing), the item."""
    parent_id = _ref_id(raw.get("parent"))
    relative = (raw.get("position") or {}).get(
        "relativeTo", "parent_top_left" if parent_id else "canvas_center"
    )
    anchor = parent_id if parent_id and relative == "parent_top_left" else None
    origin = frames.get(anchor) if anchor is not None else None
    return anchor, origin, _snap_item(ident, raw, parent_id, origin)


def _snap_item(
    ident: str, raw: Mapping[str, Any], parent_id: str | None, origin: tuple[float, float] | None
) -> SnapItem:
    """One read item, placed on the canvas by its frame's top-left ``origin`` (``None``:
    its position is absolute already, or its frame is missing)."""
    kind = str(raw.get("type", ""))
    pos = raw.get("position") or {}
    geo = raw.get("geometry") or {}
    data = raw.get("data") or {}
    style = raw.get("style") or {}
    x, y = _num(pos.get("x")), _num(pos.get("y"))
    if origin is not None:
        x, y = origin[0] + x, origin[1] + y
    values = {
        "id": ident,
        "type": kind,
        "x": x,
        "y": y,
        "width": _num(geo.get("width")),
        "height": _num(geo.get("height")),
        "content": _content(kind, data),
        "parent_id": parent_id,
        "shape": _text(data.get("shape")) or None,
        "fill_color": _text(style.get("fillColor")) or None,
        "border_color": _text(style.get("borderColor")) or None,
        "text_style": {
            k: str(style[k]) for k in _TEXT_STYLE if isinstance(style.get(k), str | int | float)
        },
        "created_by": _ref_id(raw.get("createdBy")),
        "created_at": _text(raw.get("createdAt")) or None,
        "modified_by": _ref_id(raw.get("modifiedBy")),
        "modified_at": _text(raw.get("modifiedAt")) or None,
    }
    # The frozen dataclass's __init__ sets its 16 fields one object.__setattr__ at a
    # time (a third of build_snapshot); every field is given here, so the instance's
    # __dict__ is filled at once, as __init__ would fill it.
    item: SnapItem = _new_item(SnapItem)
    item.__dict__.update(values)
    return item


_new_item = object.__new__


def _as_json(item: Any) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        return item
    dumped: dict[str, Any] = item.model_dump(mode="json", by_alias=True)
    return dumped


# -- reading items without building models ---------------------------------------------
#
# build_snapshot reads a handful of fields. For an item whose fields already have the
# types the client's models would give them, validating it into a model and dumping
# that model back to JSON gives a dict build_snapshot reads exactly like the raw one:
# 10,000 stickies spent most of their client CPU on that round trip. _as_read answers
# such an item as it arrived (timestamps are rewritten as the model writes them) and
# sends anything else, an item Miro never sent us so far, through the models as before.

_STR = (str, type(None))
_NUM = (int, float, type(None))
#: Per item type, the declared data/style fields and the types the models keep as
#: they are (a string stays the same string, also for ids and number-strings).
_DATA: dict[str, dict[str, tuple[type, ...]]] = {
    "sticky_note": {"content": _STR, "shape": _STR},
    "shape": {"content": _STR, "shape": _STR},
    "text": {"content": _STR},
    "frame": {"title": _STR, "format": _STR, "type": _STR, "showContent": (bool, type(None))},
    "card": {"title": _STR, "description": _STR, "assigneeId": _STR},
}
_STYLE: dict[str, dict[str, tuple[type, ...]]] = {
    "sticky_note": {"fillColor": _STR, "textAlign": _STR, "textAlignVertical": _STR},
    "shape": {
        "fillColor": _STR, "fillOpacity": _STR, "borderColor": _STR, "borderOpacity": _STR,
        "borderStyle": _STR, "borderWidth": _STR, "color": _STR, "fontFamily": _STR,
        "fontSize": _STR, "textAlign": _STR, "textAlignVertical": _STR,
    },
    "text": {
        "color": _STR, "fillColor": _STR, "fillOpacity": _STR, "fontFamily": _STR,
        "fontSize": _STR, "textAlign": _STR,
    },
    "frame": {"fillColor": _STR},
    "card": {"cardTheme": _STR},
}  # fmt: skip
#: Fields the models rewrite (a date): present means the models' way.
_CONVERTED_DATA = {"card": ("dueDate",)}
_TIMESTAMP: TypeAdapter[datetime] | None = None


def _plain_keys(value: Mapping[str, Any]) -> bool:
    # A snake_case key is read by the models as the camelCase field it names. One
    # search of the joined keys: a generator over them cost more than the rest of the
    # check (every listed item passes here about ten times).
    return "_" not in "".join(value)


def _fields_ok(
    value: Any, fields: Mapping[str, tuple[type, ...]], converted: Sequence[str] = ()
) -> bool:
    if value is None:
        return True
    if not isinstance(value, dict) or not _plain_keys(value):
        return False
    get = value.get
    for key, types in fields.items():
        if type(get(key)) not in types:
            return False
    return not converted or all(get(key) is None for key in converted)


def _ref_ok(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, dict) or not _plain_keys(value):
        return False
    return type(value.get("id")) is str and type(value.get("type")) in _STR


_LINKS = {"self": _STR, "related": _STR}
_POSITION = {"x": _NUM, "y": _NUM, "origin": _STR, "relativeTo": _STR}
_GEOMETRY = {"width": _NUM, "height": _NUM, "rotation": _NUM}


@lru_cache(maxsize=4096)
def _timestamp(text: str) -> str:
    """``text`` as the models write the date it names (``ValueError`` if it is none)."""
    global _TIMESTAMP
    if _TIMESTAMP is None:
        _TIMESTAMP = TypeAdapter(datetime)
    try:
        written: str = _TIMESTAMP.dump_python(_TIMESTAMP.validate_python(text), mode="json")
    except ValidationError as error:
        raise ValueError(str(error)) from None
    return written


def _as_read(raw: Any) -> Mapping[str, Any]:
    """What build_snapshot needs of one listed item (see the comment above)."""
    read = _read_plainly(raw)
    if read is not None:
        return read
    from boardsmith.miro.models import parse_item

    return _as_json(parse_item(raw))


def _read_plainly(raw: Any) -> Mapping[str, Any] | None:
    if not _item_ok(raw):
        return None
    stamps = _stamps(raw)
    if stamps is None:
        return None
    # Most timestamps are written as the models write them: no copy of the item then.
    plain: Mapping[str, Any] = raw
    if all(raw[key] == stamp for key, stamp in stamps.items()):
        return plain
    return {**raw, **stamps}


def _item_ok(raw: Any) -> bool:
    """Whether every field the models would touch already has the models' type."""
    if not isinstance(raw, dict):
        return False
    return _VERDICTS.get(_shape(raw), _checked, raw)


#: The parts of an item :func:`_checked` looks into.
_PARTS = ("position", "geometry", "createdBy", "modifiedBy", "parent", "links", "data", "style")
_VERDICTS: ShapeAnswers[bool] = ShapeAnswers()


def _shape(raw: dict[str, Any]) -> tuple[Any, ...]:
    """All that :func:`_checked` looks at: the keys of the item and of each part, the
    type of every value in a part, the item's type and the type of its id.

    Two items of one shape get the same verdict, so the check runs once per shape (a
    board lists thousands of items of a handful of shapes). Reading the shape is a few
    calls in C per part instead of a Python test per field.
    """
    kind = raw.get("type")
    shape: list[Any] = [
        tuple(raw),
        type(kind),
        kind if isinstance(kind, str) else None,
        type(raw.get("id")),
    ]
    get = raw.get
    for name in _PARTS:
        _add_shape(shape, get(name))
    parent = get("parent")
    if isinstance(parent, dict):
        _add_shape(shape, parent.get("links"))
    return tuple(shape)


def _add_shape(shape: list[Any], part: Any) -> None:
    shape.append(type(part))
    if isinstance(part, dict):
        shape += (tuple(part), tuple(map(type, part.values())))


def _checked(raw: dict[str, Any]) -> bool:
    """:func:`_item_ok` field by field."""
    if not _plain_keys(raw):
        return False
    kind = raw.get("type")
    if kind not in _DATA or type(raw.get("id")) is not str:
        return False
    return _placement_ok(raw) and _parts_ok(raw, kind)


def _placement_ok(raw: dict[str, Any]) -> bool:
    """Position, geometry, the user and parent references and the links."""
    position = raw.get("position")
    if not _fields_ok(position, _POSITION):
        return False
    # Without relativeTo the models say None, which build_snapshot reads differently
    # from a missing key.
    if position is not None and position.get("relativeTo") is None:
        return False
    parent = raw.get("parent")
    return (
        _fields_ok(raw.get("geometry"), _GEOMETRY)
        and _ref_ok(raw.get("createdBy"))
        and _ref_ok(raw.get("modifiedBy"))
        and _ref_ok(parent)
        and (parent is None or _fields_ok(parent.get("links"), _LINKS))
        and _fields_ok(raw.get("links"), _LINKS)
    )


def _parts_ok(raw: dict[str, Any], kind: str) -> bool:
    """The type's own ``data`` and ``style`` fields."""
    # A typed model requires an object here (None is the generic model's way).
    if any(part in raw and not isinstance(raw[part], dict) for part in ("data", "style")):
        return False
    return _fields_ok(raw.get("data"), _DATA[kind], _CONVERTED_DATA.get(kind, ())) and (
        _fields_ok(raw.get("style"), _STYLE[kind])
    )


def _stamps(raw: dict[str, Any]) -> dict[str, str] | None:
    """The timestamps as the models write them (``None``: one is not a timestamp)."""
    stamps = {}
    for key in ("createdAt", "modifiedAt"):
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return None
        try:
            stamps[key] = _timestamp(value)
        except ValueError:
            return None
    return stamps


def _raw_items(client: MiroClient, board_id: str, kind: str | None) -> AsyncIterator[Any]:
    """Every item of one type (``None``: of every type) as Miro's JSON has it
    (``client.items.list`` without the models): the same request, operation name,
    retries and budget."""
    params = {"type": kind} if kind is not None else {}
    path = {"board_id": board_id}
    return list_raw(
        client,
        _ITEMS,
        path,
        operation="items.list",
        params=params,
        page_size=PAGE_SIZE,
        cursor=True,
    )


async def read_snapshot(
    client: MiroClient,
    board_id: str,
    *,
    types: Sequence[str] = HARVEST_TYPES,
    progress: Progress | None = None,
    one_stream: bool = False,
    memo: ReadMemo | None = None,
    on_read: Callable[[Mapping[str, Any]], None] | None = None,
) -> Snapshot:
    """Read every item of ``types``, the board's members and its name, into a
    :class:`Snapshot`.

    By default each type is its own paginated stream, all concurrent: the shortest
    chain of pages, so one board reads fastest. ``one_stream`` reads a single
    unfiltered ``/items`` stream instead and drops the other types: about one list
    call less per type (no part-filled page per type), at the price of a longer
    chain, which pays when many boards share the client's concurrency. Both give the
    same Snapshot. ``memo`` keeps items between reads of one board (``boardsmith
    watch``; :class:`~boardsmith.harvest.memo.ReadMemo`). ``on_read`` is called with
    each item (as :func:`build_snapshot` reads it) as its page arrives.
    """
    # Items placed while the pages still arrive; what a read without a memo places
    # is only for this read.
    placed = memo if memo is not None else ReadMemo()
    streams = _start_items(
        client,
        board_id,
        types,
        progress,
        one_stream=one_stream,
        memo=memo,
        placed=placed,
        on_read=on_read,
    )
    # Nothing waits for the name and the members but the end of the read, so they
    # yield their turn to the pages: the chains of pages (this board's and, in a
    # roll-up, the others') are what the read's length depends on.
    with deferred():
        name_task = asyncio.ensure_future(_read_name(client, board_id))
        members_task = asyncio.ensure_future(_read_members(client, board_id))
    try:
        raw = await _joined(streams, types, one_stream=one_stream)
    except BaseException:
        name_task.cancel()
        members_task.cancel()
        raise
    members = await members_task
    board_name = await name_task
    if progress is not None:
        progress(len(raw), len(raw))
    return build_snapshot(board_id, raw, members=members, board_name=board_name, memo=placed)


async def _joined(
    streams: Sequence[asyncio.Future[list[Mapping[str, Any]]]],
    types: Sequence[str],
    *,
    one_stream: bool,
) -> list[Mapping[str, Any]]:
    """What the streams of :func:`_start_items` read, by type in ``types`` order."""
    try:
        chunks = await asyncio.gather(*streams)
    except BaseException:
        for stream in streams:
            stream.cancel()
        raise
    if one_stream:
        return _by_type(chunks[0], types)
    return [item for chunk in chunks for item in chunk]


def _start_items(
    client: MiroClient,
    board_id: str,
    types: Sequence[str],
    progress: Progress | None,
    *,
    one_stream: bool,
    memo: ReadMemo | None = None,
    placed: ReadMemo | None = None,
    on_read: Callable[[Mapping[str, Any]], None] | None = None,
) -> list[asyncio.Future[list[Mapping[str, Any]]]]:
    """Start the item streams: one unfiltered, or one per type in ``types`` order.

    With ``placed``, the per-type streams place each item on the canvas (into
    ``placed``, for :func:`build_snapshot`) as soon as the frames are read, while
    later pages are still on their way.
    """
    counted = 0
    placer = _Placer(placed) if placed is not None and not one_stream else None
    if placer is not None and "frame" not in types:
        placer.frames_read([])

    async def stream(kind: str | None) -> list[Mapping[str, Any]]:
        nonlocal counted
        out = []
        async for item in _raw_items(client, board_id, kind):
            if kind is None and isinstance(item, Mapping) and item.get("type") not in types:
                continue
            read = _as_read(item) if memo is None else memo.as_read(item, _as_read)
            out.append(read)
            if placer is not None:
                placer.place(read)
            if on_read is not None:
                on_read(read)
            counted += 1
            if progress is not None:
                progress(counted, 0)
        if placer is not None and kind == "frame":
            placer.frames_read(out)
        return out

    if one_stream:
        return [asyncio.ensure_future(stream(None))]
    # Started longest chain first (stickies, then the frames the placer waits for):
    # the first requests reach the server in this order.
    first = sorted(types, key=lambda kind: _START_ORDER.get(kind, len(_START_ORDER)))
    started = {kind: asyncio.ensure_future(stream(kind)) for kind in first}
    return [started[kind] for kind in types]


_START_ORDER = {"sticky_note": 0, "frame": 1}


class _Placer:
    """Places items on the canvas as they are read, once every frame is known.

    Building a :class:`SnapItem` is most of the work of :func:`build_snapshot`; done
    between pages, it overlaps the next page's round trip instead of following the
    last one. :meth:`ReadMemo.kept` hands the item over only for the very same read
    and an unchanged frame corner, so the snapshot is the same as without it.
    """

    def __init__(self, memo: ReadMemo) -> None:
        self.memo = memo
        self.frames: dict[str, tuple[float, float]] | None = None
        self.waiting: list[Mapping[str, Any]] = []

    def frames_read(self, frames: Iterable[Mapping[str, Any]]) -> None:
        """Every frame is read: place what arrived before them, then each on arrival."""
        self.frames = _frame_corners((str(raw.get("id", "")), raw) for raw in frames)
        waiting, self.waiting = self.waiting, []
        for read in waiting:
            self.place(read)

    def place(self, read: Mapping[str, Any]) -> None:
        """Place ``read`` now, or once the frames are known."""
        if self.frames is None:
            self.waiting.append(read)
            return
        ident = read.get("id")
        if not isinstance(ident, str) or not ident:
            return  # build_snapshot decides what such an item becomes
        if self.memo.kept(ident, read, self.frames) is None:
            anchor, origin, item = _place(ident, read, self.frames)
            self.memo.keep(ident, read, anchor, origin, item)


async def _read_members(client: MiroClient, board_id: str) -> dict[str, str]:
    names: dict[str, str] = {}
    path = {"board_id": board_id}
    async for raw in list_raw(
        client,
        _MEMBERS,
        path,
        operation="members.list",
        params={},
        page_size=PAGE_SIZE,
        cursor=False,
    ):
        data = raw if _plain(raw) else _member_json(raw)
        if data.get("id") is not None and data.get("name"):
            names[str(data["id"])] = str(data["name"])
    return names


async def _read_name(client: MiroClient, board_id: str) -> str | None:
    response = await client.request("GET", _BOARD, {"board_id": board_id}, operation="boards.get")
    raw = client.decode(response)
    board = raw if _plain(raw) else _board_json(client, raw, response)
    name = board.get("name")
    return str(name) if name else None


# The members and the board are read as Miro's JSON has them, as the items are: the
# client's models (their import, ~0.1 s before a harvest's first request) are only
# needed for an answer whose fields do not already have the models' types.
_MEMBERS = "/v2/boards/{board_id}/members"
_BOARD = "/v2/boards/{board_id}"


def _plain(raw: Any) -> bool:
    """Whether the models would read a member's or a board's id and name as they are."""
    return isinstance(raw, dict) and type(raw.get("id")) is str and type(raw.get("name", "")) is str


def _member_json(raw: Any) -> Mapping[str, Any]:
    from boardsmith.miro.models import BoardMember

    return _as_json(BoardMember.model_validate(raw))


def _board_json(client: MiroClient, raw: Any, response: httpx.Response) -> Mapping[str, Any]:
    from boardsmith.miro.models import Board

    return _as_json(client.parse(Board, raw, response))


def _by_type(items: Iterable[Mapping[str, Any]], types: Sequence[str]) -> list[Mapping[str, Any]]:
    """``items`` in the order the per-type streams give them: by type in ``types``
    order, each type in the order the stream listed it."""
    rank = {kind: n for n, kind in enumerate(types)}
    return sorted(items, key=lambda item: rank[item["type"]])
