"""A comparison of two boards as report blocks: what was kept, what is new, what went."""

from __future__ import annotations

from collections.abc import Iterator

from boardsmith.harvest.compare import CompareRecord, ItemChanges
from boardsmith.render.blocks import Block, Changes, Heading, Para, Report, Table, level_text

__all__ = ["compare_blocks"]


def _level(value: float | None) -> str:
    return "(not rated)" if value is None else level_text(value)


def _items(changes: ItemChanges) -> Iterator[Block]:
    yield Heading(2, changes.heading)
    rows = [(t, "kept") for t in changes.kept]
    rows += [(t, "new") for t in changes.new]
    rows += [(t, "dropped") for t in changes.dropped]
    if not rows:
        yield Para("Empty on both boards.", "aside")
        return
    yield Table(headers=("", "Then and now"), rows=tuple(rows))


def _shift(old: float | None, new: float | None) -> str:
    if old is None or new is None:
        return ""
    delta = new - old
    if delta == 0:
        return "no change"
    return f"{'up' if delta > 0 else 'down'} {_level(abs(delta))}"


def compare_blocks(record: CompareRecord) -> Report:
    """The comparison, in the order a coach reads it: the vision's words, then the rest."""
    body: list[Block] = [
        Para(f"Then: {record.old_label}. Now: {record.new_label}."),
    ]
    if record.adjectives is not None:
        body += _items(record.adjectives)
    for text in record.texts:
        body.append(Heading(2, text.heading))
        body.append(
            Table(headers=("Then", "Now"), rows=((text.old or "(empty)", text.new or "(empty)"),))
        )
        if any(w.kind != "same" for w in text.words):
            body.append(
                Para("What changed (added words marked, removed words struck out):", "aside")
            )
            body.append(Changes(tuple((w.kind, w.text) for w in text.words)))
        else:
            body.append(Para("Unchanged.", "aside"))
    for changes in [*record.lists, *record.plans]:
        body += _items(changes)
    if record.ratings:
        roles = sorted({r for c in record.ratings for r in (*c.old_by_role, *c.new_by_role)})
        body.append(Heading(2, "Conditions: median then and now"))
        body.append(
            Table(
                headers=(
                    "Condition",
                    "Then",
                    "Now",
                    "Change",
                    *(f"{role}: then / now" for role in roles),
                ),
                rows=tuple(
                    (
                        c.condition,
                        _level(c.old),
                        _level(c.new),
                        _shift(c.old, c.new),
                        *(
                            f"{_level(c.old_by_role.get(r))} / {_level(c.new_by_role.get(r))}"
                            for r in roles
                        ),
                    )
                    for c in record.ratings
                ),
            )
        )
    title = f"What changed: {record.old_label} to {record.new_label}"
    footer = (f"Then: Miro board {record.old_board}. Now: Miro board {record.new_board}.",)
    return Report(title=title, body=tuple(body), footer=footer)
