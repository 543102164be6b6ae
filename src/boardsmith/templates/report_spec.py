"""The report a template declares: its sections, in order, and what feeds each.

A template's ``report:`` block says what a coach's follow-up report holds, in plain
words, so one generic renderer (``render/``) serves every template, a user's own
included. Each section names how it is shown and, for the kinds that read regions, the
regions that feed it by role and labels (the same facts harvest reads the board by):

.. code-block:: yaml

    report:
      sections:
        - heading: Our vision statement
          show: statement
          from: {role: notes, labels: {section: vision_statement}}
        - heading: The action plan
          show: table
          from: {role: cell}
          columns: {what: What we will do, who: Who, when: By when}

Kinds (``show``): ``result`` (the group's top adjectives, or the tally's proposal,
labelled), ``picks`` (who picked what and why), ``tally`` (the tally chart and table),
``notes`` (one list per region, with authors), ``statement`` (the region's text as
prose), ``list`` (the notes of every region together, optionally grouped by sticky
colour with ``themes``), ``table`` (rows and columns of ``cell`` regions) and
``ratings`` (per condition: each rating and its person, median, range and gaps) and
``text`` (the section's ``intro`` alone, e.g. a statement carried in as a parameter;
left out when it comes out empty).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SHOW_KINDS", "RegionSelector", "ReportSection", "ReportSpec", "ShowKind"]

ShowKind = Literal[
    "result", "picks", "tally", "notes", "statement", "list", "table", "ratings", "text"
]
SHOW_KINDS: tuple[str, ...] = ShowKind.__args__  # type: ignore[attr-defined]

_Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
_Heading = Annotated[str, Field(min_length=1, max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RegionSelector(_Strict):
    """The regions a section reads: every region with this role and these labels."""

    role: _Ident = Field(description="A region role used in the template (cell, notes, ...).")
    labels: dict[_Ident, str] = Field(
        default_factory=dict,
        description="Label values the region must carry, e.g. {section: vision_statement}.",
    )

    def matches(self, role: str | None, labels: dict[str, str]) -> bool:
        """Whether a region with ``role`` and ``labels`` feeds the section."""
        return role == self.role and all(labels.get(k) == v for k, v in self.labels.items())


class TableExpectation(_Strict):
    """What a protocol asks of a table, checked and stated in the report."""

    rows: Annotated[int, Field(ge=1, le=100)] | None = Field(
        default=None, description="Fewest filled rows the protocol asks for."
    )
    distinct: dict[_Ident, Annotated[int, Field(ge=1, le=100)]] = Field(
        default_factory=dict,
        description="Per column label, the fewest different answers (e.g. {how: 3}).",
    )
    says: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="The protocol's ask in plain words, e.g. 'Share it at least three "
        "times, in three ways.'"
    )


class ReportSection(_Strict):
    """One section of the report, in the order the report shows them."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    heading: _Heading = Field(description="The section's heading, in plain words; may interpolate.")
    show: ShowKind = Field(description="How the section is shown.")
    from_: RegionSelector | list[RegionSelector] | None = Field(
        default=None,
        alias="from",
        description="The regions that feed it (notes, statement, list, table, ratings): one "
        "selector, or a list of them read in order.",
    )
    intro: Annotated[str, Field(max_length=300)] | None = Field(
        default=None, description="One sentence under the heading; may interpolate."
    )
    columns: dict[_Ident, _Heading] = Field(
        default_factory=dict,
        description="table: each column label (the cells' `column`) and its heading, in "
        "order; ratings: {condition: HEADING} names what each row rates (default Condition).",
    )
    expect: TableExpectation | None = Field(
        default=None, description="table: what the protocol asks of it, checked in the report."
    )
    themes: dict[str, _Heading] = Field(
        default_factory=dict,
        description="list: sticky colour (Miro's name, e.g. light_green) to theme; stickies "
        "in a key colour are grouped under its theme.",
    )

    @property
    def selectors(self) -> tuple[RegionSelector, ...]:
        """The ``from`` selectors as a tuple (empty when the section reads none)."""
        if self.from_ is None:
            return ()
        if isinstance(self.from_, RegionSelector):
            return (self.from_,)
        return tuple(self.from_)


class ReportSpec(_Strict):
    """A template's report: a title and its sections."""

    title: _Heading | None = Field(
        default=None, description="The report's title; may interpolate. Default: the board's name."
    )
    sections: Annotated[list[ReportSection], Field(min_length=1)]
