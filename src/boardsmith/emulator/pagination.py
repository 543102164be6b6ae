"""Miro's two page styles: cursor (items, connectors) and offset (boards, members, tags)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from boardsmith.emulator.errors import invalid
from boardsmith.emulator.storage import JSON
from boardsmith.emulator.validate import query_int

T = TypeVar("T")


def encode_cursor(seq: int) -> str:
    """An opaque cursor meaning "after the row with this sequence number"."""
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The sequence number inside a cursor; 400 for a cursor the emulator never issued."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix != "seq" or not number.isdigit():
            raise ValueError(cursor)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid("cursor", "is not a cursor returned by this API") from None


def cursor_page(
    data: list[JSON], total: int, limit: int, next_seq: int | None, self_url: str, query: JSON
) -> JSON:
    """A cursor-paged body: ``data, total, size, cursor, limit, links``."""

    def link(**extra: Any) -> str:
        return self_url + "?" + urlencode({**query, "limit": limit, **extra})

    cursor = encode_cursor(next_seq) if next_seq is not None else ""
    links: JSON = {"self": link(cursor=query.get("cursor", "")), "first": link(cursor="")}
    if cursor:
        links["next"] = link(cursor=cursor)
    return {
        "data": data,
        "total": total,
        "size": len(data),
        "cursor": cursor,
        "limit": limit,
        "links": links,
        "type": "cursor-list",
    }


def offset_params(query: dict[str, str]) -> tuple[int, int]:
    """(limit 1-50 default 20, offset >= 0) from the query string."""
    return query_int(query, "limit", 20, 1, 50), query_int(query, "offset", 0, 0, None)


def offset_page(
    rows: Sequence[T],
    render: Callable[[T], JSON],
    limit: int,
    offset: int,
    self_url: str,
    query: JSON,
) -> JSON:
    """An offset-paged body: ``data, total, size, offset, limit, links, type``."""
    page = [render(r) for r in rows[offset : offset + limit]]
    total = len(rows)

    def link(at: int) -> str:
        return self_url + "?" + urlencode({**query, "limit": limit, "offset": at})

    links: JSON = {"self": link(offset), "first": link(0)}
    last = max(0, ((total - 1) // limit) * limit) if total else 0
    links["last"] = link(last)
    if offset + limit < total:
        links["next"] = link(offset + limit)
    if offset > 0:
        links["prev"] = link(max(0, offset - limit))
    return {
        "data": page,
        "total": total,
        "size": len(page),
        "offset": offset,
        "limit": limit,
        "links": links,
        "type": "list",
    }
