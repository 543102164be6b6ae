"""Checks of a template's ``report:`` block against the board the template draws.

Each section must be able to find what it shows: a ``table`` needs ``cell`` regions
with ``row`` and ``column`` labels, ``result`` needs top slots, a selector must match a
region the template really has. A mistake is reported at its line in the YAML file, so
a user's own template gets the same help as the built-ins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import get_args

from boardsmith.templates.interpolate import PlaceholderError, name_problem, placeholders
from boardsmith.templates.loader import SourceMap
from boardsmith.templates.plan import REGION_ROLES
from boardsmith.templates.report_spec import RegionSelector, ReportSection, ReportSpec, ShowKind
from boardsmith.templates.schema import Node, StickyColour

__all__ = ["DrawnRole", "check_report", "drawn_roles"]

Path = tuple[str | int, ...]
#: (role, labels) of one element the template draws; labels may hold placeholders.
DrawnRole = tuple[str, dict[str, str]]

_STICKY_COLOURS: tuple[str, ...] = get_args(StickyColour)


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


@dataclass(frozen=True)
class _Kind:
    """What one ``show`` kind reads and which of a section's options it takes.

    ``board_role``: the kind reads the whole board (no ``from:``) and needs regions
    with this role drawn. ``intro_only``: it shows its ``intro`` and reads nothing.
    ``needs_from``/``default_from``: the regions it reads when given no ``from:``
    (none: an error). ``options``: which of ``columns``, ``expect``, ``themes`` apply;
    ``columns`` (with ``columns_problem``) limits the column labels. ``check``: a last
    check of the labels of the regions the section reads.
    """

    board_role: str | None = None
    intro_only: bool = False
    needs_from: bool = False
    default_from: RegionSelector | None = None
    options: tuple[str, ...] = ()
    columns: frozenset[str] | None = None
    columns_problem: str = ""
    check: Callable[[SourceMap, Path, ReportSection, list[dict[str, str]]], None] | None = None


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


def _ratings(
    smap: SourceMap, path: Path, section: ReportSection, matched: list[dict[str, str]]
) -> None:
    for labels in matched:
        if "condition" not in labels or "level" not in labels:
            raise smap.error(
                (*path, "from"), "show: ratings reads regions labelled condition and level"
            )


#: Every ``show`` kind (report_spec.ShowKind) and its rules: a new kind is one entry here.
KINDS: dict[ShowKind, _Kind] = {
    "result": _Kind(board_role="top_slot"),
    "picks": _Kind(board_role="lane"),
    "tally": _Kind(board_role="lane"),
    "notes": _Kind(needs_from=True),
    "statement": _Kind(needs_from=True),
    "list": _Kind(needs_from=True, options=("themes",)),
    "table": _Kind(needs_from=True, options=("columns", "expect"), check=_table),
    "ratings": _Kind(
        default_from=RegionSelector(role="rating"),
        options=("columns",),
        columns=frozenset({"condition"}),
        columns_problem="show: ratings takes one column heading: {condition: HEADING}",
        check=_ratings,
    ),
    "text": _Kind(intro_only=True),
}

# How an option that does not apply is reported, e.g. "columns apply to show: table ...".
_OPTION_VERBS = {"columns": "apply", "expect": "applies", "themes": "apply"}


def _section(
    smap: SourceMap, path: Path, section: ReportSection, roles: set[str], drawn: Sequence[DrawnRole]
) -> None:
    kind = KINDS[section.show]
    _source(smap, path, section, kind, roles)
    selectors = section.selectors
    if not selectors:
        if kind.needs_from:
            raise smap.error(
                path, f"show: {section.show} needs from: {{role: ...}} naming its regions"
            )
        if kind.default_from is not None:
            selectors = (kind.default_from,)
    many = isinstance(section.from_, list)
    for index, selector in enumerate(selectors):
        where: Path = (*path, "from", index) if many else (*path, "from")
        _selector(smap, where, selector, drawn)
    _options(smap, path, section, kind)
    if kind.check is not None:
        matched = [labels for selector in selectors for labels in _matching(selector, drawn)]
        kind.check(smap, path, section, matched)


def _source(
    smap: SourceMap, path: Path, section: ReportSection, kind: _Kind, roles: set[str]
) -> None:
    """A kind that reads the whole board, or only its intro, takes no ``from:``."""
    show = section.show
    if kind.board_role is not None:
        if section.from_ is not None:
            raise smap.error((*path, "from"), f"show: {show} reads the whole board; remove from")
        if kind.board_role not in roles:
            raise smap.error(
                (*path, "show"),
                f"show: {show} needs regions with role {kind.board_role}; none is drawn",
            )
    if kind.intro_only:
        if section.intro is None:
            raise smap.error(path, f'show: {show} shows its intro; give intro: "{{parameter}}"')
        if section.from_ is not None:
            raise smap.error((*path, "from"), f"show: {show} reads no regions; remove from")


def _options(smap: SourceMap, path: Path, section: ReportSection, kind: _Kind) -> None:
    """``columns``, ``expect`` and ``themes`` only where the kind takes them."""
    given = {"columns": section.columns, "expect": section.expect, "themes": section.themes}
    for option, verb in _OPTION_VERBS.items():
        if given[option] and option not in kind.options:
            takers = " and ".join(k for k, rules in KINDS.items() if option in rules.options)
            raise smap.error((*path, option), f"{option} {verb} to show: {takers} only")
        if option == "columns" and kind.columns is not None and set(section.columns) - kind.columns:
            raise smap.error((*path, "columns"), kind.columns_problem)
    for colour in section.themes:
        if colour not in _STICKY_COLOURS:
            raise smap.error(
                (*path, "themes", colour),
                f"'{colour}' is not a sticky colour (one of {', '.join(_STICKY_COLOURS)})",
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
