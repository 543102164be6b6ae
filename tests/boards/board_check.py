"""Independent checks of what is on an emulator board (not using boards/ code to read)."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

from boardsmith.templates.plan import Plan, PlanItem

_TAG = re.compile(r"<[^>]*>")


def _plain(text: str | None) -> str:
    text = re.sub(r"</p>|<br\s*/?>", " ", text or "")
    return " ".join(html.unescape(_TAG.sub("", text)).split())


async def read_items(client: Any, board_id: str) -> list[dict[str, Any]]:
    """Every item on the board as ``{id, type, parent, x, y, text}`` with absolute x/y."""
    raw = [item async for item in client.items.list(board_id, page_size=50)]
    frames = {i.id: i for i in raw if i.type == "frame"}
    out = []
    for item in raw:
        x, y = item.position.x, item.position.y
        parent = item.parent.id if item.parent else None
        if parent is not None:
            frame = frames[parent]
            x += frame.position.x - frame.geometry.width / 2
            y += frame.position.y - frame.geometry.height / 2
        data = item.data.model_dump() if hasattr(item.data, "model_dump") else item.data
        text = data.get("title") if item.type in ("frame", "card") else data.get("content")
        out.append(
            {
                "id": item.id,
                "type": item.type,
                "parent": parent,
                "x": round(x, 1),
                "y": round(y, 1),
                "text": " ".join((text or "").split()) if item.type == "frame" else _plain(text),
                "created_by": item.created_by.id if item.created_by else None,
            }
        )
    return out


def expected(item: PlanItem, dx: float = 0.0, dy: float = 0.0) -> tuple[str, str, float, float]:
    """(type, text, x, y) the board item made from ``item`` must show."""
    text = " ".join(item.plain_text.split()) if item.type == "frame" else _plain(item.content)
    return (item.type, text, round(item.x + dx, 1), round(item.y + dy, 1))


def signature(found: dict[str, Any]) -> tuple[str, str, float, float]:
    """The same tuple for a board item."""
    return (found["type"], found["text"], found["x"], found["y"])


def assert_board_matches_plan(
    items: list[dict[str, Any]],
    plan: Plan,
    ids: dict[str, str],
    *,
    dx: float = 0.0,
    dy: float = 0.0,
    extra: int = 0,
) -> None:
    """Every plan item exactly once, at its place, in its frame; ``extra`` other items."""
    by_id = {i["id"]: i for i in items}
    for item in plan.items:
        if item.type == "connector":
            continue
        found = by_id[ids[item.key]]
        assert signature(found) == expected(item, dx, dy), item.key
        assert found["parent"] == (ids[item.parent] if item.parent else None), item.key
    counts = Counter(signature(i) for i in items)
    wanted = Counter(expected(i, dx, dy) for i in plan.items if i.type != "connector")
    for sig, n in wanted.items():
        assert counts[sig] == n, f"{sig} is on the board {counts[sig]} times, planned {n}"
    assert len(items) == sum(wanted.values()) + extra
