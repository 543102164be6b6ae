"""Carry forward: the parameters a new board takes from an earlier board's harvest.

The new template's ``from:`` block (:mod:`boardsmith.templates.carry_spec`) names, per
kind of earlier board, what to take: its result (the group's top adjectives, as
written) or a section of its report. The values fill parameters, so the new board is
built, checked and re-applied like any other.
"""

from __future__ import annotations

from boardsmith.errors import UsageError
from boardsmith.harvest.model import BoardHarvest, ReportSectionRecord
from boardsmith.templates import Template
from boardsmith.templates.carry_spec import CarryFrom, SectionSource
from boardsmith.templates.params import check_value
from boardsmith.templates.schema import ParamValue

__all__ = ["carried_params", "takes_from"]


def takes_from(template: Template, *, flag: str = "--from") -> dict[str, CarryFrom]:
    """The ``from:`` entries by earlier template; an error when the template takes none
    (checked before any board is read)."""
    kinds = {entry.template: entry for entry in template.spec.from_}
    if not kinds:
        raise UsageError(f"{flag}: template '{template.name}' takes nothing from other boards")
    return kinds


def _entry(template: Template, board: BoardHarvest, flag: str) -> CarryFrom:
    kinds = takes_from(template, flag=flag)
    source = board.template or "an unknown template"
    if board.template not in kinds:
        raise UsageError(
            f"{flag}: the board is a {source} board; '{template.name}' takes from "
            + ", ".join(sorted(kinds))
        )
    return kinds[board.template]


def _section(board: BoardHarvest, source: SectionSource, flag: str) -> ReportSectionRecord:
    section = board.report.section(source.section) if board.report is not None else None
    if section is None:
        raise UsageError(f"{flag}: the board's report has no section {source.section!r}")
    return section


def _texts(board: BoardHarvest, entry: CarryFrom, flag: str) -> list[str]:
    take = entry.take
    if not isinstance(take, SectionSource):
        return list(board.result.texts)
    section = _section(board, take, flag)
    if section.table is not None:
        return [n.line for cell in section.table.column_notes(take.column) for n in cell]
    return section.note_lines()


def carried_params(
    template: Template, board: BoardHarvest, *, flag: str = "--from"
) -> dict[str, ParamValue]:
    """The parameters ``template`` takes from ``board``; a clear error when it takes none."""
    entry = _entry(template, board, flag)
    texts = [t for t in _texts(board, entry, flag) if t]
    if not texts:
        raise UsageError(f"{flag}: nothing to carry: the board's {_what(entry)} is empty")
    decl = template.spec.parameters[entry.to]
    value: ParamValue = " ".join(texts) if decl.type == "str" else texts
    return {entry.to: check_value(entry.to, decl, value, flag=f"{flag} (into {entry.to})")}


def _what(entry: CarryFrom) -> str:
    if isinstance(entry.take, SectionSource):
        return f"section {entry.take.section!r}"
    return "top adjectives"
