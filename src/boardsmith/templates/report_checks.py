"""Checks of a template's ``report:`` block against the board the template draws.

Each section must be able to find what it shows: a ``table`` needs ``cell`` regions
with ``row`` and ``column`` labels, ``result`` needs top slots, a selector must match a
region the template really has. A mistake is reported at its line in the YAML file, so
a user's own template gets the same help as the built-ins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import get_args

from boardsmith.templates.interpolate import PlaceholderError, name_problem, placeholders
from boardsmith.templates.loader import SourceMap
from boardsmith.templates.plan import REGION_ROLES
from boardsmith.templates.report_spec import RegionSelector, ReportSection, ReportSpec
from boardsmith.templates.schema import Node, StickyColour

__all__ = ["DrawnRole", "check_report", "drawn_roles"]

Path = tuple[str | int, ...]
#: (role, labels) of one element the template draws; labels may hold placeholders.
DrawnRole = tuple[str, dict[str, str]]

_STICKY_COLOURS: tuple[str, ...] = get_args(StickyColour)
# What each kind needs on the board, when it reads no `from:` selector.
_NEEDS_ROLE = {"result": "top_slot", "picks": "lane", "tally": "lane"}
_NEEDS_FROM = ("notes", "statement", "list", "table")


def drawn_roles(nodes: Iterable[Node]) -> Iterator[DrawnRole]:
    """Every (role, labels) the elements draw, children and repeat bodies included."""
    for node in nodes:
        el = node.element
        role = getattr(el, "role", None)
        if role is not None:
            yield role, dict(getattr(el, "labels", {}))
        yield from drawn_roles(getattr(el, "children", ()))
        body = getattr(el, "body", None)
        if body is not None:
            yield from drawn_roles([body])


def _literal(value: str) -> bool:
    try:
        return not placeholders(value)
    except PlaceholderError:
        return True


def _matching(selector: RegionSelector, drawn: Sequence[DrawnRole]) -> list[dict[str, str]]:
    """Labels of the drawn regions the selector may match (placeholders match anything)."""
    return [
        labels
        for role, labels in drawn
        if role == selector.role
        and all(
            k in labels and (labels[k] == v or not _literal(labels[k]))
            for k, v in selector.labels.items()
        )
    ]


def check_report(
    smap: SourceMap, report: ReportSpec, scope: set[str], drawn: Sequence[DrawnRole]
) -> None:
    """Raise :class:`TemplateError` at the first section that cannot find what it shows."""
    _text(smap, ("report", "title"), report.title, scope)
    roles = {role for role, _ in drawn}
    for index, section in enumerate(report.sections):
        path: Path = ("report", "sections", index)
        _text(smap, (*path, "heading"), section.heading, scope)
        _text(smap, (*path, "intro"), section.intro, scope)
        _section(smap, path, section, roles, drawn)


def _text(smap: SourceMap, path: Path, text: str | None, scope: set[str]) -> None:
    problem = None if text is None else name_problem(text, scope, known_as="parameter")
    if problem is not None:
        raise smap.error(path, problem)


def _section(
    smap: SourceMap, path: Path, section: ReportSection, roles: set[str], drawn: Sequence[DrawnRole]
) -> None:
    show = section.show
    if show in _NEEDS_ROLE:
        if section.from_ is not None:
            raise smap.error((*path, "from"), f"show: {show} reads the whole board; remove from")
        needed = _NEEDS_ROLE[show]
        if needed not in roles:
            raise smap.error(
                (*path, "show"), f"show: {show} needs regions with role {needed}; none is drawn"
            )
    if show == "text":
        if section.intro is None:
            raise smap.error(path, 'show: text shows its intro; give intro: "{parameter}"')
        if section.from_ is not None:
            raise smap.error((*path, "from"), "show: text reads no regions; remove from")
    selectors = section.selectors
    if not selectors:
        if show in _NEEDS_FROM:
            raise smap.error(path, f"show: {show} needs from: {{role: ...}} naming its regions")
        if show == "ratings":
            selectors = (RegionSelector(role="rating"),)
    many = isinstance(section.from_, list)
    for index, selector in enumerate(selectors):
        where: Path = (*path, "from", index) if many else (*path, "from")
        _selector(smap, where, selector, drawn)
    matched = [labels for selector in selectors for labels in _matching(selector, drawn)]
    if section.columns and show not in ("table", "ratings"):
        raise smap.error((*path, "columns"), "columns apply to show: table and ratings only")
    if show == "ratings" and set(section.columns) - {"condition"}:
        raise smap.error(
            (*path, "columns"), "show: ratings takes one column heading: {condition: HEADING}"
        )
    if section.expect is not None and show != "table":
        raise smap.error((*path, "expect"), "expect applies to show: table only")
    if section.themes and show != "list":
        raise smap.error((*path, "themes"), "themes apply to show: list only")
    for colour in section.themes:
        if colour not in _STICKY_COLOURS:
            raise smap.error(
                (*path, "themes", colour),
                f"'{colour}' is not a sticky colour (one of {', '.join(_STICKY_COLOURS)})",
            )
    if show == "table":
        _table(smap, path, section, matched)
    if show == "ratings":
        for labels in matched:
            if "condition" not in labels or "level" not in labels:
                raise smap.error(
                    (*path, "from"), "show: ratings reads regions labelled condition and level"
                )


def _selector(
    smap: SourceMap, path: Path, selector: RegionSelector, drawn: Sequence[DrawnRole]
) -> None:
    if selector.role not in REGION_ROLES:
        known = ", ".join(sorted(REGION_ROLES))
        raise smap.error(
            (*path, "role"), f"'{selector.role}' is not a region role (one of {known})"
        )
    if not _matching(selector, drawn):
        wanted = ", ".join(f"{k}: {v}" for k, v in selector.labels.items())
        what = f"role {selector.role}" + (f" with {wanted}" if wanted else "")
        raise smap.error(path, f"no region of the template has {what}")


def _table(
    smap: SourceMap, path: Path, section: ReportSection, cells: list[dict[str, str]]
) -> None:
    if any("row" not in c or "column" not in c for c in cells):
        raise smap.error((*path, "from"), "show: table reads regions labelled row and column")
    literal = {c["column"] for c in cells if _literal(c["column"])}
    # Every column the section names, with the path of the place that names it.
    wanted: list[Path] = [(*path, "columns", c) for c in section.columns]
    if section.expect is not None:
        wanted += [(*path, "expect", "distinct", c) for c in section.expect.distinct]
    for where in wanted:
        column = str(where[-1])
        if literal and column not in literal:
            raise smap.error(
                where,
                f"no cell has column '{column}' (the cells have: {', '.join(sorted(literal))})",
            )
