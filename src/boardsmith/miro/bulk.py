"""Bulk create: any number of items, in chunks of 20, results in input order.

Miro's bulk call is all-or-nothing per call (max 20 items). Errors speak in the
caller's terms:

* a 400 becomes :class:`~boardsmith.miro.errors.BulkItemError` whose ``index`` is
  the position in the caller's list (Miro reports ``"<index in chunk>.<param>"``)
  and whose ``created`` holds the items of chunks that did succeed;
* a chunk whose outcome is unknown (timeout after sending, 5xx) becomes
  :class:`~boardsmith.miro.errors.AmbiguousWriteError` listing the caller indexes
  of unknown chunks, the chunks that succeeded, and their created items.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from boardsmith.miro.constants import BULK_CHUNK_SIZE
from boardsmith.miro.errors import (
    AmbiguousWriteError,
    BadRequestError,
    BulkItemError,
    MiroError,
)
from boardsmith.miro.models.items import AnyItem, BulkItemCreate, parse_item
from boardsmith.miro.ratelimit import bulk_cost

if TYPE_CHECKING:
    from boardsmith.miro.client import MiroClient

__all__ = ["BULK_PATH", "CHUNK_SIZE", "bulk_create", "chunk_ranges", "field_error"]

CHUNK_SIZE = BULK_CHUNK_SIZE
BULK_PATH = "/v2/boards/{board_id}/items/bulk"

_FIELD = re.compile(r"^\[?(\d+)\]?(?:\.(.*))?$")


def chunk_ranges(n: int, size: int = CHUNK_SIZE) -> list[range]:
    """Caller-index ranges of each chunk: ``chunk_ranges(45)`` -> 0-19, 20-39, 40-44."""
    return [range(start, min(start + size, n)) for start in range(0, n, size)]


def field_error(context: Any) -> tuple[int | None, str | None, str | None]:
    """``(index in chunk, field, message)`` from a ``BulkOperationError`` context."""
    fields = context.get("fields") if isinstance(context, dict) else None
    if not isinstance(fields, list):
        return None, None, None
    for entry in fields:
        if not isinstance(entry, dict):
            continue
        raw = str(entry.get("field", ""))
        message = entry.get("message")
        match = _FIELD.match(raw)
        if match:
            return int(match.group(1)), match.group(2) or None, message
        if raw:
            return None, raw, message
    return None, None, None


def _bulk_item_error(
    error: BadRequestError, chunk: range, created: dict[int, AnyItem]
) -> BulkItemError:
    local, field, message = field_error(error.context)
    index = chunk.start + local if local is not None and local < len(chunk) else None
    return BulkItemError(
        index=index,
        field=field,
        status=error.status,
        method=error.method,
        path=error.path,
        code=error.code,
        message=message or error.message,
        context=error.context,
        created=created,
    )


async def _send_chunk(
    client: MiroClient, board_id: str, items: Sequence[BulkItemCreate], chunk: range
) -> list[AnyItem]:
    response = await client.request(
        "POST",
        BULK_PATH,
        {"board_id": board_id},
        operation="items.bulk_create",
        json_body=[items[i].to_bulk_body() for i in chunk],
        cost=bulk_cost(len(chunk)),
    )
    body = client.decode(response)
    data = body.get("data") if isinstance(body, dict) else body
    if not isinstance(data, list) or len(data) != len(chunk):
        got = len(data) if isinstance(data, list) else "no"
        raise AmbiguousWriteError(
            method="POST",
            path=BULK_PATH.replace("{board_id}", board_id),
            reason=f"Miro answered with {got} items for a chunk of {len(chunk)}",
            indexes=list(chunk),
        )
    return [parse_item(raw) for raw in data]


_Outcome = list[AnyItem] | BaseException | None
"""What became of one chunk: its items, its error, or ``None`` when it was never sent."""


async def bulk_create(
    client: MiroClient,
    board_id: str,
    items: Sequence[BulkItemCreate],
    *,
    concurrent: bool = False,
) -> list[AnyItem]:
    """Create ``items`` on ``board_id``; see the module docstring for errors."""
    chunks = chunk_ranges(len(items))
    if not chunks:
        return []
    outcomes = await _send_chunks(client, board_id, items, chunks, concurrent=concurrent)
    created: dict[int, AnyItem] = {}
    succeeded: list[int] = []
    for n, outcome in enumerate(outcomes):
        if isinstance(outcome, list):
            succeeded.append(n)
            created.update(zip(chunks[n], outcome, strict=True))
    _raise_failure(chunks, outcomes, created, succeeded)
    return [created[i] for i in range(len(items))]


async def _send_chunks(
    client: MiroClient,
    board_id: str,
    items: Sequence[BulkItemCreate],
    chunks: Sequence[range],
    *,
    concurrent: bool,
) -> list[_Outcome]:
    """Send every chunk at once, or in order until the first failure."""
    if concurrent:
        results = await asyncio.gather(
            *(_send_chunk(client, board_id, items, chunk) for chunk in chunks),
            return_exceptions=True,
        )
        return list(results)
    outcomes: list[_Outcome] = [None] * len(chunks)
    for n, chunk in enumerate(chunks):
        try:
            outcomes[n] = await _send_chunk(client, board_id, items, chunk)
        except MiroError as exc:
            outcomes[n] = exc
            break  # later chunks are not sent: their items certainly do not exist
    return outcomes


def _raise_failure(
    chunks: Sequence[range],
    outcomes: Sequence[_Outcome],
    created: dict[int, AnyItem],
    succeeded: list[int],
) -> None:
    """Raise what the failed chunks mean for the caller, worst first: unknown, invalid, other."""
    ambiguous = [n for n, o in enumerate(outcomes) if isinstance(o, AmbiguousWriteError)]
    if ambiguous:
        first = outcomes[ambiguous[0]]
        assert isinstance(first, AmbiguousWriteError)
        raise AmbiguousWriteError(
            method="POST",
            path=first.path,
            reason=first.reason,
            status=first.status,
            indexes=[i for n in ambiguous for i in chunks[n]],
            created=created,
            succeeded_chunks=succeeded,
        )
    for n, outcome in enumerate(outcomes):
        if isinstance(outcome, BadRequestError):
            raise _bulk_item_error(outcome, chunks[n], created) from None
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
