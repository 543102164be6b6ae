"""Static checks run when a template loads: names, scopes and structure.

Pydantic validates each field; these rules need the whole tree: every
placeholder names a parameter or an enclosing loop variable, ``for_each`` and
``count`` name parameters of the right type, repeat bodies get a key per copy,
frames are not nested, and defaults respect their own limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from boardsmith.templates.interpolate import name_problem, placeholders
from boardsmith.templates.loader import SourceMap
from boardsmith.templates.params import DuplicateValueError, ParamError, check_value
from boardsmith.templates.report_checks import check_report
from boardsmith.templates.report_checks import drawn_roles as _drawn_roles
from boardsmith.templates.schema import (
    Card,
    Column,
    Connector,
    Frame,
    Grid,
    Node,
    Parameter,
    Repeat,
    Row,
    Shape,
    Sticky,
    Text,
)

if TYPE_CHECKING:
    from boardsmith.templates.template import Template

Path = tuple[str | int, ...]


def check_template(template: Template) -> None:
    """Raise :class:`TemplateError` for the first rule the template breaks."""
    spec = template.spec
    smap = template.source_map
    params = spec.parameters
    for name, decl in params.items():
        try:
            check_value(name, decl, decl.default)
        except ParamError as exc:
            where: Path = ("parameters", name, "default")
            if isinstance(exc, DuplicateValueError):
                # Point at the repeated entry, not at the start of the list.
                where = (*where, exc.index)
            raise smap.error(where, exc.problem) from None
    scope = set(params)
    _names(smap, ("title",), spec.title, scope)
    for index, node in enumerate(spec.elements):
        _node(smap, ("elements", index), node, scope, params, inside=None)
    if spec.report is not None:
        check_report(smap, spec.report, scope, list(_drawn_roles(spec.elements)))
    _carry(smap, template)


def _carry(smap: SourceMap, template: Template) -> None:
    """Each ``from:`` entry fills a text or list parameter, once per earlier template."""
    seen: set[str] = set()
    for index, entry in enumerate(template.spec.from_):
        path: Path = ("from", index)
        if entry.template in seen:
            raise smap.error((*path, "template"), f"'{entry.template}' is listed twice")
        seen.add(entry.template)
        decl = template.spec.parameters.get(entry.to)
        if decl is None:
            known = ", ".join(template.spec.parameters) or "none"
            raise smap.error((*path, "to"), f"'{entry.to}' is not a parameter (known: {known})")
        if decl.type not in ("str", "list[str]"):
            raise smap.error(
                (*path, "to"),
                f"'{entry.to}' is a {decl.type} parameter; carried text needs str or list[str]",
            )


def _names(smap: SourceMap, path: Path, text: str, scope: set[str]) -> None:
    problem = name_problem(text, scope, known_as="parameter or loop variable")
    if problem is not None:
        raise smap.error(path, problem)


def _when(smap: SourceMap, path: Path, when: str | None, params: dict[str, Parameter]) -> None:
    if when is not None and when.removeprefix("!") not in params:
        raise smap.error((*path, "when"), f"'{when.removeprefix('!')}' is not a parameter")


def _node(
    smap: SourceMap,
    path: Path,
    node: Node,
    scope: set[str],
    params: dict[str, Parameter],
    inside: str | None,
) -> None:
    kind = node.kind
    el = node.element
    here = (*path, kind)
    _when(smap, here, el.when, params)
    if isinstance(el, Frame) and inside is not None:
        raise smap.error(here, f"a frame cannot be placed inside a {inside}")
    key = getattr(el, "key", None)
    if key is not None:
        _names(smap, (*here, "key"), key, scope)
    for attr in ("content", "title", "start", "end"):
        value = getattr(el, attr, None)
        if isinstance(value, str):
            _names(smap, (*here, attr), value, scope)
    for label, value in getattr(el, "labels", {}).items():
        _names(smap, (*here, "labels", label), value, scope)
    if isinstance(el, Frame | Shape):
        child_inside = "frame" if isinstance(el, Frame) else "shape"
        for index, child in enumerate(el.children):
            _node(smap, (*here, "children", index), child, scope, params, child_inside)
    elif isinstance(el, Row | Column | Grid):
        for index, child in enumerate(el.children):
            _node(smap, (*here, "children", index), child, scope, params, inside)
    elif isinstance(el, Repeat):
        _repeat(smap, here, el, scope, params, inside)
    elif not isinstance(el, Text | Sticky | Card | Connector):  # pragma: no cover
        raise AssertionError(kind)


def _repeat(
    smap: SourceMap,
    here: Path,
    el: Repeat,
    scope: set[str],
    params: dict[str, Parameter],
    inside: str | None,
) -> None:
    if el.for_each is not None:
        decl = params.get(el.for_each)
        if decl is None or decl.type != "list[str]":
            raise smap.error((*here, "for_each"), f"'{el.for_each}' is not a list[str] parameter")
    if isinstance(el.count, str):
        decl = params.get(el.count)
        if decl is None or decl.type != "int":
            raise smap.error((*here, "count"), f"'{el.count}' is not an int parameter")
    loop_vars = {el.as_, f"{el.as_}_n"}
    if el.for_each is not None and params[el.for_each].with_roles:
        loop_vars.add(f"{el.as_}_role")
    clash = sorted(loop_vars & scope)
    if clash:
        raise smap.error((*here, "as"), f"'{clash[0]}' is already defined; pick another name")
    body = el.body.element
    body_key = getattr(body, "key", None)
    body_path = (*here, "body", el.body.kind)
    if body_key is None or not (loop_vars & set(placeholders(body_key))):
        raise smap.error(
            (*body_path, "key") if body_key is not None else body_path,
            f"a repeated element needs a key that uses {{{el.as_}}} or {{{el.as_}_n}}",
        )
    _node(smap, (*here, "body"), el.body, scope | loop_vars, params, inside)
