"""The dots phase: dot votes in the lanes' phase, and runoff votes in the runoff's.

A dot counts once, in its own phase:

* a **lane dot** (one the template docked in a participant's lane) is a dot vote for
  the sticky its centre lies on. When the sticky moves away (into a top slot) and the
  dot stays where it was, the dot stays with the sticky an earlier read saw it on. A
  lane dot still in its tray is unused; one dragged into the runoff frame is reported
  and not counted (it belongs to the earlier phase);
* a **runoff dot** (one ``narrow --runoff`` created: made by the runoff frame's creator
  after the frame) is a runoff vote for the runoff sticky it lies on, and nothing else;
  outside the runoff frame it is reported and not counted;
* any other dot-like shape is reported, never counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from boardsmith.harvest.constants import (
    DOT_MAX_SIZE,
    DOT_SIZE_TOLERANCE,
    MOVE_TOLERANCE,
    RUNOFF_TITLE,
)
from boardsmith.harvest.model import DotRecord, HarvestWarning, SectionRecord
from boardsmith.harvest.regions import LocatedRegion, assign
from boardsmith.harvest.snapshot import SnapItem
from boardsmith.harvest.tally import DotVote, RunoffBallot
from boardsmith.harvest.view import BoardView, StickyView, expected_position, is_moved, sticky_under
from boardsmith.templates import PlanItem

__all__ = ["DotPhase", "read_dots"]


@dataclass
class DotPhase:
    """What the dots phase found."""

    votes: list[DotVote] = field(default_factory=list)
    records: list[DotRecord] = field(default_factory=list)
    placed: dict[str, int] = field(default_factory=dict)
    #: Lane dot id -> the sticky it counts for (what the history remembers).
    counted_on: dict[str, str] = field(default_factory=dict)
    ballot: RunoffBallot | None = None
    runoff_sections: list[SectionRecord] = field(default_factory=list)
    warnings: list[HarvestWarning] = field(default_factory=list)

    def skip(
        self,
        dot: SnapItem,
        owner: str | None,
        under: StickyView | None,
        reason: str,
        warning: str | None = None,
        code: str = "dot-not-counted",
    ) -> None:
        """Report a dot that is no vote; warn when it sits on a sticky (looks like one)."""
        self.records.append(
            DotRecord(
                id=dot.id,
                owner=owner,
                bounds=dot.bounds,
                sticky=under.id if under else None,
                counted=False,
                reason=reason,
            )
        )
        if warning is not None and under is not None:
            self.warnings.append(HarvestWarning(code=code, message=warning, item_id=dot.id))


@dataclass(frozen=True)
class _LaneDot:
    item: SnapItem
    owner: str | None
    unmoved: bool


def _lane_owner(key: str, fallback: str | None, lanes: Mapping[str, str]) -> str | None:
    # The lane's name now (a participant may have typed theirs over the placeholder).
    for lane_key, name in lanes.items():
        if key.startswith(lane_key + "/"):
            return name
    return fallback


def _lane_dots(view: BoardView) -> tuple[list[_LaneDot], set[str]]:
    """The template's dots on this board, and the ids of every dot-like shape."""
    dots = [i for i in view.plan.items if i.role == "dot"]
    if not dots:
        return [], set()
    sample = dots[0]

    def looks_like_dot(s: SnapItem) -> bool:
        return (
            s.shape == sample.shape
            and abs(s.width - sample.width) <= sample.width * DOT_SIZE_TOLERANCE
            and abs(s.height - sample.height) <= sample.height * DOT_SIZE_TOLERANCE
        )

    dot_like = {s.id for s in view.snapshot.of_type("shape") if looks_like_dot(s)}
    lanes = {r.key: r.labels["participant"] for r in view.lanes if r.labels.get("participant")}
    if view.location.located_by == "state":
        return _state_dots(view, dots, lanes), dot_like
    return _dots_by_look(view, sample, dot_like, lanes), dot_like


def _state_dots(view: BoardView, dots: list[PlanItem], lanes: Mapping[str, str]) -> list[_LaneDot]:
    """The template's dots the board's state names, each with its lane's owner."""
    found: list[_LaneDot] = []
    for dot in dots:
        ident = view.location.template_items.get(dot.key)
        snap = view.snapshot.get(ident) if ident else None
        if snap is None:
            continue
        lane_owner = _lane_owner(dot.key, dot.labels.get("owner"), lanes)
        moved = is_moved(snap, expected_position(dot, view.plan, view.location))
        found.append(_LaneDot(snap, lane_owner, not moved))
    return found


def _dots_by_look(
    view: BoardView, sample: PlanItem, dot_like: set[str], lanes: Mapping[str, str]
) -> list[_LaneDot]:
    """Without state: the template builder's dot-like shapes in the dots' colour, owned
    by whoever moved them, or (untouched) by the lane they sit in."""
    snapshot, location = view.snapshot, view.location
    fill = sample.style.get("fillColor", "").lower()
    found: list[_LaneDot] = []
    lane_regions = view.lanes
    names = set(lanes.values())
    first_runoff = min((f.created_at or "" for f in _runoff_frames(view)), default=None)
    for shape in snapshot.of_type("shape"):
        if shape.id not in dot_like or shape.created_by not in location.template_creators:
            continue
        if (shape.fill_color or "").lower() != fill:
            continue
        if first_runoff is not None and (shape.created_at or "") >= first_runoff:
            continue  # made with a runoff, not with the template
        owner: str | None = None
        untouched = shape.modified_by == shape.created_by
        moved_by = view.snapshot.name_of(shape.modified_by)
        if not untouched and moved_by in names:
            owner = moved_by
        else:
            lane, _ = assign(shape.bounds, lane_regions)
            if lane is not None and untouched:
                owner = lane.labels.get("participant")
        found.append(_LaneDot(shape, owner, untouched))
    return found


def _runoff_frames(view: BoardView) -> list[SnapItem]:
    frames = (view.snapshot.get(r.item_id or "") for r in view.runoffs)
    return [f for f in frames if f is not None]


def _in_runoff(view: BoardView, item: SnapItem) -> LocatedRegion | None:
    return next((r for r in view.runoffs if r.bounds.contains(item.x, item.y)), None)


def _count_lane_dots(view: BoardView, phase: DotPhase, dots: list[_LaneDot]) -> None:
    for dot in dots:
        item, owner = dot.item, dot.owner
        if dot.unmoved:
            # A dot still in its tray is no vote, even when a sticky was put over the tray.
            phase.skip(item, owner, None, "not used (still where the template put it)")
            continue
        if _in_runoff(view, item) is not None:
            phase.skip(
                item,
                owner,
                sticky_under(item, view.stickies),
                "a lane dot in the runoff frame: it counts only in the dot vote",
                warning=f"{owner or 'someone'}'s lane dot was dragged into the "
                f"'{RUNOFF_TITLE}' frame; runoff votes are the runoff's own dots, so it is "
                "not counted",
                code="lane-dot-in-runoff",
            )
            continue
        under = sticky_under(item, view.stickies)
        remembered = False
        if under is None and view.history is not None:
            seen = view.history.get(item.id)
            if seen is not None and seen.on and seen.same_place(item.x, item.y, MOVE_TOLERANCE):
                under = view.by_id.get(seen.on)
                remembered = under is not None
        if under is None or not under.items:
            # Used (it left its dock) but on nothing: most often the sticky it voted for
            # was dragged away before any read saw the dot on it.
            phase.skip(item, owner, under, "not on a sticky")
            phase.warnings.append(
                HarvestWarning(
                    code="dot-on-nothing",
                    message=f"{owner or 'someone'}'s dot is on no sticky, so it is not counted; "
                    "if the group dragged the sticky away, a `boardsmith tally` run before the "
                    "drag would have kept the vote",
                    item_id=item.id,
                )
            )
            continue
        phase.votes.extend(DotVote(owner, entry) for entry in under.items)
        phase.counted_on[item.id] = under.id
        if owner:
            phase.placed[owner] = phase.placed.get(owner, 0) + 1
        else:
            phase.warnings.append(
                HarvestWarning(
                    code="dot-owner-unknown",
                    message=f"a dot on {under.text!r} was counted but whose it is is unknown",
                    item_id=item.id,
                )
            )
        phase.records.append(
            DotRecord(
                id=item.id,
                owner=owner,
                bounds=item.bounds,
                sticky=under.id,
                counted=True,
                remembered=remembered,
            )
        )


def _count_runoffs(view: BoardView, phase: DotPhase, taken: set[str]) -> None:
    snapshot = view.snapshot
    frames = {r.key: snapshot.get(r.item_id or "") for r in view.runoffs}
    # The newest runoff counts: an older one was superseded (or copied by hand).
    newest = max(
        view.runoffs,
        key=lambda r: ((f.created_at or "") if (f := frames[r.key]) else "", r.item_id or ""),
        default=None,
    )
    if len(view.runoffs) > 1 and newest is not None:
        phase.warnings.append(
            HarvestWarning(
                code="several-runoffs",
                message=f"{len(view.runoffs)} '{RUNOFF_TITLE}' frames on the board; only the "
                "newest is counted",
                item_id=newest.item_id,
            )
        )
    small = [
        s
        for s in snapshot.of_type("shape")
        if s.id not in taken and s.width <= DOT_MAX_SIZE and s.height <= DOT_MAX_SIZE
    ]
    for runoff in view.runoffs:
        frame = frames[runoff.key]
        inside = view.in_region(runoff.key)
        votes_for: dict[str, list[str]] = {s.text: [] for s in inside}
        for shape in small:
            here = runoff.bounds.contains(shape.x, shape.y)
            ballot = (
                frame is not None
                and shape.created_by == frame.created_by
                and (shape.created_at or "") >= (frame.created_at or "")
                and (here or _in_runoff(view, shape) is None)
            )
            if not here and not ballot:
                continue
            if not ballot:
                under = sticky_under(shape, inside)
                # Only the dots ``narrow --runoff`` handed out are ballots.
                phase.skip(
                    shape,
                    snapshot.name_of(shape.created_by),
                    under,
                    "not created by the runoff",
                    warning=f"a dot the runoff did not create sits on "
                    f"{under.text if under else ''!r} in the runoff; not counted",
                    code="foreign-runoff-dot",
                )
                taken.add(shape.id)
                continue
            if runoff is not newest and not here:
                continue
            taken.add(shape.id)
            if not here:
                phase.skip(
                    shape,
                    None,
                    sticky_under(shape, view.stickies),
                    "a runoff dot outside the runoff frame: it counts only in the runoff",
                    warning="a runoff dot was dragged out of the runoff frame onto a sticky; "
                    "it counts only as a runoff vote, inside the frame, so it is not counted",
                    code="runoff-dot-outside",
                )
                continue
            under = sticky_under(shape, inside)
            if under is None:
                continue
            moved_by = shape.modified_by if shape.modified_by != shape.created_by else None
            votes_for[under.text].append(snapshot.name_of(moved_by) or moved_by or "unknown")
        if runoff is newest:
            phase.ballot = RunoffBallot(
                region=runoff.key, votes={text: len(v) for text, v in votes_for.items()}
            )
        phase.runoff_sections.append(
            SectionRecord(
                key=runoff.key, kind="runoff", label=runoff.labels["title"], fields=votes_for
            )
        )


def read_dots(view: BoardView) -> DotPhase:
    """Count lane dots and runoff dots, each in its own phase; report every other dot."""
    phase = DotPhase()
    lane_dots, dot_like = _lane_dots(view)
    _count_lane_dots(view, phase, lane_dots)
    taken = {d.item.id for d in lane_dots} | {r.item_id for r in view.regions if r.item_id}
    _count_runoffs(view, phase, taken)
    for shape in view.snapshot.of_type("shape"):
        if shape.id in taken or shape.id not in dot_like:
            continue
        under = sticky_under(shape, view.stickies)
        phase.skip(
            shape,
            view.snapshot.name_of(shape.created_by),
            under,
            "not created by the template",
            warning=f"a dot the template did not create sits on "
            f"{under.text if under else ''!r}; not counted",
            code="foreign-dot",
        )
    return phase
