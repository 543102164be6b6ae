"""Small hand-built plans for the boards tests (no template files involved)."""

from __future__ import annotations

from boardsmith.templates.plan import Plan, PlanItem


def frame(
    key: str, x: float, y: float, w: float = 1000, h: float = 800, title: str = ""
) -> PlanItem:
    """A frame plan item."""
    return PlanItem(key=key, type="frame", x=x, y=y, width=w, height=h, content=title or key)


def sticky(
    key: str, x: float, y: float, *, parent: str | None = None, text: str = "", width: float = 199
) -> PlanItem:
    """A square sticky note plan item."""
    return PlanItem(
        key=key,
        type="sticky_note",
        parent=parent,
        x=x,
        y=y,
        width=width,
        height=round(width * 228 / 199, 2),
        content=text,
        shape="square",
        style={"fillColor": "light_yellow"},
    )


def make_plan(*items: PlanItem, version: int = 1) -> Plan:
    """A plan holding ``items``."""
    return Plan(
        template="test",
        title="Test board",
        version=version,
        source_hash="0" * 64,
        params={},
        items=tuple(items),
    )


def small_plan(version: int = 1, words: tuple[str, ...] = ("Bold", "Kind", "Fair")) -> Plan:
    """One frame with a few stickies plus a top-level title sticky."""
    items = [frame("bank", 0, 0, 1000, 800, "Word bank")]
    for n, word in enumerate(words):
        items.append(sticky(f"bank/w{n}", -300 + 250 * n, -200, parent="bank", text=word))
    items.append(sticky("title", 0, -600, text="Vision"))
    return make_plan(*items, version=version)
