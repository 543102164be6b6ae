"""Adding a few new items to a board, outside a plan's apply.

Harvest's write-backs (``narrow --apply`` stickies in empty top slots, a runoff
frame with its stickies and dots) decide what to add as
:class:`~boardsmith.templates.PlanItem` s; this writes them through the same
request bodies :func:`~boardsmith.boards.requests.create_body` builds for
``create`` and ``apply``, so there is one way a plan item becomes a Miro item.
Nothing is recorded in the board's state: these items are the group's, not the
template's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from boardsmith.boards.client_io import ClientBoardIO
from boardsmith.boards.requests import Placement, create_body
from boardsmith.templates.plan import PlanItem

if TYPE_CHECKING:
    from boardsmith.miro import MiroClient

__all__ = ["add_items"]


async def add_items(
    client: MiroClient,
    board_id: str,
    items: Sequence[PlanItem],
    *,
    frames: Mapping[str, tuple[str, PlanItem]] | None = None,
) -> list[str]:
    """Create ``items`` on the board: frames first, then the rest in bulk; the ids of
    everything created, in that order.

    An item's ``parent`` is the key of a frame among ``items`` or of one in
    ``frames`` (key -> its board id and its plan item: a frame already on the board).
    """
    io = ClientBoardIO(client)
    placement = Placement()
    known = dict(frames or {})
    created: list[str] = []
    for item in items:
        if item.type == "frame":
            frame_id = await io.create_frame(board_id, create_body(item, placement=placement))
            known[item.key] = (frame_id, item)
            created.append(frame_id)
    bodies = []
    for item in items:
        if item.type == "frame":
            continue
        parent_id, parent = known[item.parent] if item.parent else (None, None)
        bodies.append(create_body(item, placement=placement, parent=parent, parent_id=parent_id))
    return created + await io.bulk_create(board_id, bodies)
