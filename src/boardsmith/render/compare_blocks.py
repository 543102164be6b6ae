"""A comparison of two boards as report blocks: what was kept, what is new, what went."""

from __future__ import annotations

from collections.abc import Iterator

from boardsmith.harvest.compare import CompareRecord, ItemChanges
from boardsmith.render.blocks import (
    Block,
    Changes,
    Heading,
    Para,
    Report,
    Table,
    level_change,
    level_or_unrated,
)

__all__ = ["compare_blocks"]


def _items(changes: ItemChanges) -> Iterator[Block]:
    yield Heading(2, changes.heading)
    rows = [(t, "kept") for t in changes.kept]
    rows += [(t, "new") for t in changes.new]
    rows += [(t, "dropped") for t in changes.dropped]
    if not rows:
        yield Para("Empty on both boards.", "aside")
        return
    yield Table(headers=("", "Then and now"), rows=tuple(rows))


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
                        level_or_unrated(c.old),
                        level_or_unrated(c.new),
                        level_change(c.old, c.new),
                        *(
                            f"{level_or_unrated(c.old_by_role.get(r))} / "
                            f"{level_or_unrated(c.new_by_role.get(r))}"
                            for r in roles
                        ),
                    )
                    for c in record.ratings
                ),
            )
        )
    if len(body) == 1:
        body.append(
            Para(
                "Nothing to set side by side yet: the boards have no adjectives both chose, "
                "and no statement, list, plan or rating that both hold.",
                "aside",
            )
        )
    title = f"What changed: {record.old_label} to {record.new_label}"
    footer = (f"Then: Miro board {record.old_board}. Now: Miro board {record.new_board}.",)
    return Report(title=title, body=tuple(body), footer=footer)
