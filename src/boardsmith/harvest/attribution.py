"""Who a sticky belongs to.

The rules, in order:

1. a sticky in a participant's lane belongs to that participant, whoever typed it
   (facilitators often type for remote members);
2. a template sticky (a word-bank word) that someone moved belongs to whoever moved it
   last (``modifiedBy``); one nobody moved belongs to no participant;
3. any other sticky belongs to its creator (``createdBy``).

User ids become names through the board's members; a user who is not a member keeps
their id in ``created_by``/``modified_by`` and no participant name.
"""

from __future__ import annotations

from boardsmith.harvest.model import Attribution, Person
from boardsmith.harvest.regions import LocatedRegion
from boardsmith.harvest.snapshot import SnapItem, Snapshot

__all__ = ["attribute", "person"]


def person(snapshot: Snapshot, user_id: str | None) -> Person | None:
    """The user with a name from the board's members, or ``None`` without an id."""
    if not user_id:
        return None
    return Person(id=user_id, name=snapshot.name_of(user_id))


def attribute(
    sticky: SnapItem,
    region: LocatedRegion | None,
    snapshot: Snapshot,
    *,
    from_template: bool,
    moved: bool,
) -> tuple[str | None, Attribution]:
    """The participant a sticky belongs to, and which rule decided it."""
    if region is not None and region.role == "lane" and region.labels.get("participant"):
        return region.labels["participant"], "lane"
    if from_template:
        if moved and sticky.modified_by:
            return snapshot.name_of(sticky.modified_by), "modifier"
        return None, "template"
    if sticky.created_by:
        return snapshot.name_of(sticky.created_by), "creator"
    return None, "unknown"
