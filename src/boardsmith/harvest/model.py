"""The harvest document: a typed, versioned record of what a finished board holds.

Everything a coach or another tool needs is here, in plain JSON: the template's
regions with absolute bounds (so tools can find and place things on the board),
every sticky with where it sits and who it belongs to, dots, the merged terms and
their tally, the top slots, notes per prompt, and per-template sections as records.

The JSON Schema of :class:`HarvestDocument` is published at
``docs/schemas/harvest.schema.json`` (regenerate with :func:`schema_json`). Bump
:data:`SCHEMA_VERSION` on any change that is not purely additive.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from boardsmith.templates.geometry import CentredBox

__all__ = [
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "BoardChoice",
    "BoardFailure",
    "BoardHarvest",
    "Bounds",
    "ConditionRatings",
    "ConditionRollup",
    "DotRecord",
    "HarvestDocument",
    "HarvestWarning",
    "NoteRecord",
    "ParticipantRecord",
    "Person",
    "PromptNotes",
    "Rating",
    "RegionRecord",
    "ReportGroup",
    "ReportRecord",
    "ReportSectionRecord",
    "ReportTable",
    "ResultRecord",
    "RollupRecord",
    "RulesRecord",
    "RunoffRecord",
    "SectionRecord",
    "SharedChoice",
    "StickyRecord",
    "TableRow",
    "TallyRecord",
    "TermRecord",
    "TopSlotRecord",
    "schema_json",
]

SCHEMA_VERSION = 1
SCHEMA_ID = "https://boardsmith.dev/schemas/harvest.schema.json"

Attribution = Literal["lane", "history", "creator", "modifier", "template", "unknown"]
HistoryUse = Literal["used", "none", "unreadable", "off"]
LocatedBy = Literal["state", "frames", "none"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bounds(CentredBox, _Model):
    """Absolute geometry as Miro measures items: the centre ``x``, ``y`` and the size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def area(self) -> float:
        return self.width * self.height


class Person(_Model):
    """A Miro user as the board reports them; ``name`` comes from the board's members."""

    id: str
    name: str | None = None


class RegionRecord(_Model):
    """One area of the template: lane, word bank, top slot, prompt area, section, cell ..."""

    key: str
    role: str
    label: str | None = Field(
        description="participant name for lanes, prompt for notes, rank for top slots, "
        "otherwise the region's title"
    )
    labels: dict[str, str] = Field(default_factory=dict)
    bounds: Bounds
    frame: str | None = Field(default=None, description="key of the enclosing frame")
    item_id: str | None = Field(default=None, description="Miro item id when the board has one")


class StickyRecord(_Model):
    """One sticky note and everything harvest decided about it."""

    id: str
    region: str | None = Field(description="region key, or null when unplaced")
    role: str | None = None
    participant: str | None = None
    attributed_by: Attribution
    pick: bool = Field(default=False, description="counted as its participant's pick")
    raw: str = Field(description="content exactly as stored on the board")
    text: str = Field(description="what a reader sees: HTML and entities stripped")
    items: list[str] = Field(description="list items when the sticky holds several")
    terms: list[str] = Field(description="the merged term of each item")
    from_template: bool
    colour: str | None = None
    bounds: Bounds
    on_border: bool = Field(default=False, description="placed by overlap, centre outside")
    created_by: Person | None = None
    created_at: str | None = None
    modified_by: Person | None = None
    modified_at: str | None = None


class DotRecord(_Model):
    """A dot shape: a vote when the template created it and its centre lies on a sticky."""

    id: str
    owner: str | None
    bounds: Bounds
    sticky: str | None = Field(description="id of the sticky its centre lies on")
    terms: list[str] = Field(default_factory=list)
    counted: bool
    reason: str | None = Field(default=None, description="why the dot was not counted")
    remembered: bool = Field(
        default=False,
        description="counted for the sticky an earlier read saw it on (the sticky moved away)",
    )


class TermRecord(_Model):
    """One merged term: who picked it and how many dots it got."""

    term: str
    variants: list[str] = Field(description="raw spellings, most common first")
    pickers: list[str] = Field(description="distinct participants who picked it")
    picks: int = Field(description="number of distinct participants who picked it")
    dots: int
    bank_index: int | None = Field(default=None, description="position in the word bank")
    runoff: int | None = Field(
        default=None,
        description="runoff votes; set only on terms that were tied at the cut-off and were "
        "on the runoff that ranked them",
    )


RunoffOutcome = Literal["settled", "tied", "no-votes", "stale", "no-tie"]


class RunoffRecord(_Model):
    """A runoff vote (``narrow --runoff``) and what it did to the tie at the cut-off.

    ``outcome``: ``settled`` (the runoff votes decided who is in), ``tied`` (still
    tied after the runoff), ``no-votes`` (nobody has voted yet), ``stale`` (a term
    tied now was not on the runoff, so the runoff is not used) or ``no-tie`` (nothing
    is tied any more, so the runoff is not needed).
    """

    region: str = Field(description="key of the runoff frame region")
    terms: list[str] = Field(description="the terms on the runoff, in its order")
    votes: dict[str, int] = Field(description="runoff votes per term on the runoff")
    tied_before: list[str] = Field(description="terms tied at the cut-off before the runoff")
    outcome: RunoffOutcome


class TallyRecord(_Model):
    """Ranked terms: pickers, then dots, then (only among terms tied at the cut-off and on
    the runoff) runoff votes, then word-bank order, then alphabetically."""

    participants: list[str]
    terms: list[TermRecord]
    top: list[str]
    ties_at_cutoff: list[str] = Field(
        description="terms tied (same picks, dots and runoff votes) across the cut-off, "
        "empty when none"
    )
    cutoff: int
    runoff: RunoffRecord | None = Field(
        default=None, description="the board's runoff vote and its outcome, when there is one"
    )


class ParticipantRecord(_Model):
    """A participant of the workshop and the terms they picked, in lane order."""

    name: str
    member_id: str | None = None
    lane: str | None = None
    picks: list[str]
    dots_placed: int = 0
    why: list[str] = Field(
        default_factory=list, description="what they wrote in their lane's 'why' box"
    )


class TopSlotRecord(_Model):
    """One of the group's top slots and what the group put in it."""

    rank: int
    region: str
    stickies: list[str]
    texts: list[str]
    terms: list[str]


class NoteRecord(_Model):
    """A sticky under a prompt or in a section."""

    sticky: str
    text: str
    participant: str | None

    @property
    def line(self) -> str:
        """The note on one line, its spaces and line breaks folded."""
        return " ".join(self.text.split())


class PromptNotes(_Model):
    """The notes written under one prompt (functions, looks, sounds, feels ...)."""

    prompt: str
    region: str
    notes: list[NoteRecord]


class SectionRecord(_Model):
    """A structured part of a non-vision template (purpose map box, action plan row ...).

    ``fields`` maps a column/field name to the texts found there; ``notes`` lists the
    stickies in reading order.
    """

    key: str
    kind: str
    label: str | None
    fields: dict[str, list[str]] = Field(default_factory=dict)
    notes: list[NoteRecord] = Field(default_factory=list)


class ReportGroup(_Model):
    """The notes of one region (or one colour-key theme) in a report section."""

    title: str
    region: str | None = Field(default=None, description="region key, when one region")
    notes: list[NoteRecord]


class TableRow(_Model):
    """One row of a report table: per column, the notes in that cell."""

    row: str = Field(description="the row's label (its number on the board)")
    cells: dict[str, list[NoteRecord]] = Field(description="column label to the notes in it")
    missing: list[str] = Field(description="headings of the columns left empty")


class ReportTable(_Model):
    """Rows and columns read from ``cell`` regions; only rows with something in them."""

    columns: list[str] = Field(description="column labels, in order")
    headings: list[str] = Field(description="the heading of each column")
    rows: list[TableRow]
    expectation: str | None = Field(
        default=None, description="what the protocol asks of the table, and whether it is met"
    )
    expectation_met: bool | None = None

    def column_notes(self, column: str | None = None) -> list[list[NoteRecord]]:
        """Per row with something in ``column`` (default: the first), the notes there."""
        name = column or (self.columns[0] if self.columns else "")
        return [row.cells[name] for row in self.rows if row.cells.get(name)]


class Rating(_Model):
    """One rating of a condition: the level and who gave it."""

    level: int
    participant: str | None
    role: str | None = Field(default=None, description="the participant's role, when known")
    by: Literal["sticky", "dot"]


class ConditionRatings(_Model):
    """A condition's ratings, their median and range, and whether they lie far apart."""

    condition: str
    ratings: list[Rating]
    median: float | None
    low: int | None
    high: int | None
    apart: bool = Field(description="the ratings lie two or more levels apart")
    levels: int | None = Field(default=None, description="the highest level of the scale")
    by_role: dict[str, float] = Field(
        default_factory=dict, description="median per role, when participants have roles"
    )
    evidence: list[NoteRecord]


class ReportSectionRecord(_Model):
    """One section of the template's report, filled from the board.

    ``result``, ``picks`` and ``tally`` sections show the board's own records
    (``result``, ``participants``, ``tally``); the others carry what they show.
    """

    heading: str
    show: str
    intro: str | None = None
    groups: list[ReportGroup] = Field(default_factory=list)
    table: ReportTable | None = None
    ratings: list[ConditionRatings] = Field(default_factory=list)
    rates: str | None = Field(
        default=None, description="ratings: what each row rates (Condition, Element ...)"
    )
    empty: bool = Field(description="nothing on the board feeds it yet")

    def note_lines(self) -> list[str]:
        """Every note of the section's groups, one line each, in order."""
        return [n.line for group in self.groups for n in group.notes]


class ReportRecord(_Model):
    """The report the template declares, filled from the board."""

    title: str
    sections: list[ReportSectionRecord]
    not_filled: list[str] = Field(
        description="headings of the sections and areas nothing was written in"
    )

    def section(self, heading: str) -> ReportSectionRecord | None:
        """The section with this heading (ignoring case), if the report has it."""
        wanted = heading.casefold()
        return next((s for s in self.sections if s.heading.casefold() == wanted), None)


class ResultRecord(_Model):
    """The board's one set of top adjectives, and the proposal beside it.

    ``source`` is ``group`` when the group has put stickies in the top slots (``top`` is
    then what the slots hold, in slot order) and ``proposal`` when every slot is empty
    (``top`` is then the tally's proposal).
    """

    source: Literal["group", "proposal"]
    top: list[str] = Field(description="the top adjectives (merged terms), in rank order")
    texts: list[str] = Field(
        description="the same adjectives as people wrote them (the slots' own text)"
    )
    slots: int = Field(description="top slots on the board")
    filled: int = Field(description="top slots the group has filled")
    proposal: list[str] = Field(description="the tally's proposal (its top terms)")
    ties_at_cutoff: list[str] = Field(default_factory=list)
    disagreements: list[str] = Field(
        default_factory=list,
        description="one sentence per difference between the slots and the proposal",
    )


class RulesRecord(_Model):
    """The board's own numbers and where each came from."""

    top_n: int
    top_source: Literal["state", "board", "template", "flag"] = Field(
        description="state (as built), board (slots found on it), template (its default) "
        "or flag (--top)"
    )
    board_top_n: int | None = Field(
        default=None, description="the board's own number when --top overrides it"
    )
    picks_min: int | None = None
    picks_max: int | None = None
    dots_per_participant: int | None = None


class HarvestWarning(_Model):
    """Something a coach should look at; never fatal."""

    code: str
    message: str
    item_id: str | None = None


class BoardHarvest(_Model):
    """Everything harvested from one board."""

    board_id: str
    board_name: str | None = None
    label: str | None = Field(
        default=None, description="the board's label in a collection (a school's name)"
    )
    template: str | None
    template_version: int | None = None
    word_bank: list[str] = Field(default_factory=list, description="the template's word bank")
    located_by: LocatedBy = Field(
        description="how regions were found: board state, frame titles, or not at all"
    )
    participants: list[ParticipantRecord]
    regions: list[RegionRecord]
    stickies: list[StickyRecord]
    dots: list[DotRecord]
    tally: TallyRecord
    result: ResultRecord
    rules: RulesRecord
    history: HistoryUse = Field(
        default="off",
        description="used (earlier reads informed attribution), none (first read), "
        "unreadable (set aside), off (not kept)",
    )
    top_slots: list[TopSlotRecord]
    notes: list[PromptNotes]
    sections: list[SectionRecord]
    unplaced: list[str] = Field(description="ids of stickies in no region")
    lists: list[str] = Field(description="ids of stickies holding several items")
    item_count: int = Field(description="items read from the board")
    warnings: list[HarvestWarning]
    report: ReportRecord | None = Field(
        default=None, description="the template's report, when the template declares one"
    )

    def __repr__(self) -> str:
        # One line, whatever the board's size (see HarvestDocument.__repr__).
        return (
            f"BoardHarvest(board_id={self.board_id!r}, template={self.template!r}, "
            f"stickies={len(self.stickies)}, item_count={self.item_count})"
        )


class BoardChoice(_Model):
    """One board's choice of top adjectives, and how the group arrived at it."""

    board_id: str
    label: str
    source: Literal["group", "runoff", "proposal"] = Field(
        description="group (its top slots), runoff (the tally, its tie settled by a runoff "
        "vote) or proposal (the tally's, not yet chosen by the group)"
    )
    terms: list[str]
    texts: list[str]
    unsettled: list[str] = Field(
        default_factory=list, description="terms tied at the cut-off that nothing settled"
    )
    unsettled_texts: list[str] = Field(
        default_factory=list, description="the same terms as the report spells them"
    )


class SharedChoice(_Model):
    """An adjective and the boards whose groups chose it."""

    term: str
    text: str
    boards: list[str] = Field(description="labels of the boards that chose it")
    proposed_only: list[str] = Field(
        default_factory=list, description="of those, the boards where it is only proposed"
    )


class ConditionRollup(_Model):
    """A condition's ratings across boards: per board, overall, and the boards below."""

    condition: str
    per_board: dict[str, float | None] = Field(description="board label to its median")
    median: float | None = Field(description="median of every rating on every board")
    low: int | None
    high: int | None
    below: list[str] = Field(description="boards whose median is below the scale's middle")
    middle: float | None = Field(description="the middle of the scale")
    by_role: dict[str, float] = Field(default_factory=dict)


class BoardFailure(_Model):
    """A board of the run that could not be harvested, and why."""

    board_id: str
    label: str
    reason: str


class RollupRecord(_Model):
    """Several boards, each board first: what each group chose, what they share."""

    boards: list[str] = Field(description="board labels, in the order given")
    choices: list[BoardChoice]
    shared: list[SharedChoice] = Field(description="by how many boards chose it")
    ratings: list[ConditionRollup] = Field(default_factory=list)


class AdjectiveShift(_Model):
    """An adjective and the boards that chose it, then and now."""

    term: str
    text: str
    then: list[str] = Field(description="labels of the boards that chose it last time")
    now: list[str] = Field(description="labels of the boards that chose it this time")


class SchoolChange(_Model):
    """One school, on both lists: its group's choice then and now."""

    label: str
    then_board: str
    now_board: str
    kept: list[str]
    new: list[str]
    dropped: list[str]
    then_source: str | None = Field(
        default=None, description="how the group chose last time (group, runoff, proposal)"
    )
    now_source: str | None = None


class ConditionShift(_Model):
    """A condition across the district, then and now."""

    condition: str
    then: float | None = Field(description="median of every rating last time")
    now: float | None = Field(description="median of every rating this time")
    then_below: list[str] = Field(description="schools below the scale's middle last time")
    now_below: list[str]
    per_school: dict[str, tuple[float | None, float | None]] = Field(
        default_factory=dict, description="school label to its median then and now"
    )


class RollupChange(_Model):
    """What changed between two roll-ups, school by school (matched by label)."""

    then_label: str = Field(description="what the earlier collection is called (its file)")
    now_label: str
    then_boards: list[str]
    now_boards: list[str]
    schools: list[SchoolChange] = Field(description="schools on both lists, in this time's order")
    only_then: list[str] = Field(description="schools on last time's list only")
    only_now: list[str] = Field(description="schools on this time's list only")
    adjectives: list[AdjectiveShift]
    ratings: list[ConditionShift] = Field(default_factory=list)


class HarvestDocument(_Model):
    """The top-level harvest of one or several boards."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="boardsmith harvest")

    schema_: Literal["boardsmith.harvest"] = Field(default="boardsmith.harvest", alias="schema")
    version: Literal[1] = 1
    boards: list[BoardHarvest]
    aggregate: TallyRecord | None = Field(
        default=None,
        description="every participant's picks pooled across boards, when several were "
        "harvested (second to the roll-up)",
    )
    rollup: RollupRecord | None = Field(
        default=None, description="per board first: each group's choice, and what they share"
    )
    failed: list[BoardFailure] = Field(
        default_factory=list, description="boards of the run that could not be harvested"
    )
    since: RollupChange | None = Field(
        default=None,
        description="with harvest --since: what changed from last time's boards, school by school",
    )

    def to_json(self) -> str:
        """The document as indented JSON (what ``harvest --format json`` writes)."""
        return self.model_dump_json(by_alias=True, indent=2) + "\n"

    def __repr__(self) -> str:
        # Kept short on purpose: asyncio (CPython 3.11, 3.12) builds the repr of a
        # finished task, result included, when ``asyncio.run`` restores the Ctrl-C
        # handler, and pydantic's full form of a 10,000-sticky board is many megabytes
        # (0.8 s). ``to_json`` is the full form.
        boards = ", ".join(repr(b) for b in self.boards[:3])
        more = f", ... {len(self.boards) - 3} more" if len(self.boards) > 3 else ""
        return f"HarvestDocument(boards=[{boards}{more}], failed={len(self.failed)})"


def schema_json() -> str:
    """The JSON Schema of :class:`HarvestDocument`, as committed in docs/schemas."""
    schema: dict[str, Any] = HarvestDocument.model_json_schema(by_alias=True, mode="serialization")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
