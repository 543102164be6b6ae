"""Who a sticky belongs to.

The rules, in order:

1. a sticky in a participant's lane (or in the lane's "why" box) belongs to that
   participant, whoever typed it (facilitators often type for remote members);
2. a sticky an earlier read saw in a lane belongs to the participant of the lane it was
   last seen in, wherever it is now (the group drags picks into the top slots);
3. a template sticky (a word-bank word) that someone moved belongs to whoever moved it
   last (``modifiedBy``); one nobody moved belongs to no participant;
4. any other sticky belongs to its creator (``createdBy``).

Rules 3 and 4 are the fallback when no read saw the sticky in a lane (the first read
happened after the drag, or the board was made elsewhere); harvest says which stickies
were attributed that way. User ids become names through the board's members; a user
who is not a member keeps their id in ``created_by``/``modified_by`` and no name.
"""

from __future__ import annotations

from collections.abc import Mapping

from boardsmith.harvest.history import BoardHistory
from boardsmith.harvest.model import Attribution, Person
from boardsmith.harvest.snapshot import Snapshot
from boardsmith.harvest.view import StickyView

__all__ = ["PERSON_ROLES", "attribute", "person"]

#: Regions whose ``participant`` label names who a sticky in them belongs to.
PERSON_ROLES = frozenset({"lane", "why"})


def person(snapshot: Snapshot, user_id: str | None) -> Person | None:
    """The user with a name from the board's members, or ``None`` without an id."""
    if not user_id:
        return None
    return Person(id=user_id, name=snapshot.name_of(user_id))


def attribute(
    sticky: StickyView,
    snapshot: Snapshot,
    history: BoardHistory | None = None,
    lane_names: Mapping[str, str] | None = None,
) -> tuple[str | None, Attribution]:
    """The participant a sticky belongs to, and which rule decided it.

    ``lane_names`` maps a lane's region key to its participant now, so a sticky seen in
    a lane before its participant wrote their own name over the placeholder gets the
    name the lane carries now.
    """
    region = sticky.region
    if region is not None and region.role in PERSON_ROLES and region.labels.get("participant"):
        return region.labels["participant"], "lane"
    seen = history.get(sticky.id) if history is not None else None
    if seen is not None and seen.lane is not None:
        name = (lane_names or {}).get(seen.lane) or seen.lane_name
        if name:
            return name, "history"
    item = sticky.item
    if sticky.from_template:
        if sticky.moved and item.modified_by:
            return snapshot.name_of(item.modified_by), "modifier"
        return None, "template"
    if item.created_by:
        return snapshot.name_of(item.created_by), "creator"
    return None, "unknown"
