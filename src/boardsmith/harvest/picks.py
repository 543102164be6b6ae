"""The picks phase: which adjectives each participant chose.

A pick is one item of a sticky that belongs to a participant (see
:mod:`boardsmith.harvest.attribution`) and sits where picks live:

* in the participant's lane;
* in a top slot or on no region at all, when a read saw it in a lane earlier (the
  group dragged it there), or, with no such read, when its author is a participant
  (the fallback the issue of the drag calls for; those stickies are named in a
  warning so a coach can check them).

A sticky put back into the word bank, or moved into a prompt area as a note, is no
pick any more; who it belongs to is still reported. A participant picking the same
term twice counts once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from boardsmith.harvest.attribution import attribute
from boardsmith.harvest.model import Attribution, HarvestWarning
from boardsmith.harvest.tally import Pick
from boardsmith.harvest.text import TermMerger
from boardsmith.harvest.view import BoardView, StickyView

__all__ = ["PickPhase", "read_picks"]

#: Where a sticky that left its lane still counts as its participant's pick.
_CARRIED_TO = frozenset({"top_slot", None})


@dataclass
class PickPhase:
    """What the picks phase found."""

    owners: dict[str, tuple[str | None, Attribution]]
    picks: list[Pick] = field(default_factory=list)
    #: Per participant, the sticky ids their picks came from (in board order).
    pick_stickies: dict[str, list[str]] = field(default_factory=dict)
    #: Stickies counted as picks because of who wrote or moved them (no earlier read).
    by_author: list[StickyView] = field(default_factory=list)
    warnings: list[HarvestWarning] = field(default_factory=list)


def _lane_names(view: BoardView) -> dict[str, str]:
    return {r.key: r.labels["participant"] for r in view.lanes if r.labels.get("participant")}


def _picker(
    sticky: StickyView, owner: tuple[str | None, Attribution], participants: Mapping[str, str]
) -> str | None:
    """The participant whose pick this sticky is, if it is one."""
    name, rule = owner
    role = sticky.role
    if role == "lane":
        return name
    if role not in _CARRIED_TO or name is None:
        return None
    if rule == "history":
        return name
    if role == "top_slot" and rule in ("creator", "modifier"):
        # No read saw it in a lane: its author's lane is the best evidence left.
        return participants.get(name.casefold())
    return None


def read_picks(view: BoardView, merger: TermMerger) -> PickPhase:
    """Attribute every sticky and collect the picks, in the order stickies were made."""
    lane_names = _lane_names(view)
    owners = {s.id: attribute(s, view.snapshot, view.history, lane_names) for s in view.stickies}
    phase = PickPhase(owners=owners)
    participants = {name.casefold(): name for name in view.participants}
    seen: set[tuple[str, str]] = set()
    nobodys: list[StickyView] = []
    for s in view.stickies:
        picker = _picker(s, owners[s.id], participants)
        if picker is None:
            if s.role == "top_slot" and owners[s.id][1] in ("creator", "modifier"):
                nobodys.append(s)
            continue
        if s.role == "top_slot" and owners[s.id][1] != "history":
            phase.by_author.append(s)
            owners[s.id] = (picker, owners[s.id][1])
        _count(phase, s, picker, merger, seen)
    phase.warnings += _author_warnings(phase, nobodys)
    return phase


def _count(
    phase: PickPhase,
    sticky: StickyView,
    picker: str,
    merger: TermMerger,
    seen: set[tuple[str, str]],
) -> None:
    """Count one sticky's items as ``picker``'s picks (each merged term once)."""
    if len(sticky.items) > 1:
        phase.warnings.append(
            HarvestWarning(
                code="list-sticky",
                message=f"{picker}'s sticky {sticky.text!r} holds {len(sticky.items)} "
                "adjectives; each is counted",
                item_id=sticky.id,
            )
        )
    phase.pick_stickies.setdefault(picker, []).append(sticky.id)
    for entry in sticky.items:
        group = merger.resolve(entry)
        if group is None:
            continue
        if (picker, group.key) in seen:
            phase.warnings.append(
                HarvestWarning(
                    code="duplicate-pick",
                    message=f"{picker} picked {entry!r} more than once; counted once",
                    item_id=sticky.id,
                )
            )
        seen.add((picker, group.key))
        phase.picks.append(Pick(picker, entry))


def _author_warnings(phase: PickPhase, nobodys: list[StickyView]) -> list[HarvestWarning]:
    """Top-slot stickies no read saw in a lane: counted for their author, or for nobody."""
    owners = phase.owners
    warnings = []
    if phase.by_author:
        listed = ", ".join(f"{s.text!r} ({owners[s.id][0]})" for s in phase.by_author)
        warnings.append(
            HarvestWarning(
                code="attributed-by-author",
                message="no earlier read saw these top-slot stickies in a lane, so each is "
                f"counted as the pick of whoever wrote or moved it: {listed}",
            )
        )
    if nobodys:
        listed = ", ".join(
            f"{s.text!r} (by {owners[s.id][0] or 'an unknown user'})" for s in nobodys
        )
        warnings.append(
            HarvestWarning(
                code="pick-owner-unknown",
                message="no earlier read saw these top-slot stickies in a lane, and whoever "
                f"wrote or moved them has no lane, so they are nobody's pick: {listed}",
            )
        )
    return warnings
