"""Static checks run when a template loads: names, scopes and structure.

Pydantic validates each field; these rules need the whole tree: every
placeholder names a parameter or an enclosing loop variable, ``for_each`` and
``count`` name parameters of the right type, repeat bodies get a key per copy,
frames are not nested, and defaults respect their own limits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, assert_never

from boardsmith.errors import TemplateError
from boardsmith.templates.interpolate import name_problem, placeholders
from boardsmith.templates.loader import SourceMap
from boardsmith.templates.params import DuplicateValueError, ParamError, check_value
from boardsmith.templates.report_checks import check_report
from boardsmith.templates.report_checks import drawn_roles as _drawn_roles
from boardsmith.templates.schema import (
    Card,
    Column,
    Connector,
    Element,
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
        _node(_At(smap, params, ("elements", index), scope), node)
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


@dataclass(frozen=True)
class _At:
    """Where an element is checked: its path, the names in scope and what it is inside."""

    smap: SourceMap
    params: dict[str, Parameter]
    path: Path
    scope: set[str]
    inside: str | None = None

    def error(self, path: Path, what: str) -> TemplateError:
        return self.smap.error(path, what)


def _node(at: _At, node: Node) -> None:
    """Check one element: the one place each element kind is checked."""
    el = node.element
    here = (*at.path, node.kind)
    _when(at.smap, here, el.when, at.params)
    # Before the names: a misplaced frame is the error to fix first.
    if isinstance(el, Frame) and at.inside is not None:
        raise at.error(here, f"a frame cannot be placed inside a {at.inside}")
    _names_of(at, here, el)
    match el:
        case Frame():
            _children(at, here, el.children, inside="frame")
        case Shape():
            _children(at, here, el.children, inside="shape")
        case Row() | Column() | Grid():
            _children(at, here, el.children, inside=at.inside)
        case Repeat():
            _repeat(at, here, el)
        case Text() | Sticky() | Card() | Connector():
            pass
        case _:  # pragma: no cover
            assert_never(el)


def _names_of(at: _At, here: Path, el: Element) -> None:
    """Every placeholder in the element's key, texts and labels names something in scope."""
    key = getattr(el, "key", None)
    if key is not None:
        _names(at.smap, (*here, "key"), key, at.scope)
    for attr in ("content", "title", "start", "end"):
        value = getattr(el, attr, None)
        if isinstance(value, str):
            _names(at.smap, (*here, attr), value, at.scope)
    for label, value in getattr(el, "labels", {}).items():
        _names(at.smap, (*here, "labels", label), value, at.scope)


def _children(at: _At, here: Path, children: list[Node], *, inside: str | None) -> None:
    for index, child in enumerate(children):
        _node(replace(at, path=(*here, "children", index), inside=inside), child)


def _repeat(at: _At, here: Path, el: Repeat) -> None:
    params = at.params
    if el.for_each is not None:
        decl = params.get(el.for_each)
        if decl is None or decl.type != "list[str]":
            raise at.error((*here, "for_each"), f"'{el.for_each}' is not a list[str] parameter")
    if isinstance(el.count, str):
        decl = params.get(el.count)
        if decl is None or decl.type != "int":
            raise at.error((*here, "count"), f"'{el.count}' is not an int parameter")
    loop_vars = {el.as_, f"{el.as_}_n"}
    if el.for_each is not None and params[el.for_each].with_roles:
        loop_vars.add(f"{el.as_}_role")
    clash = sorted(loop_vars & at.scope)
    if clash:
        raise at.error((*here, "as"), f"'{clash[0]}' is already defined; pick another name")
    body = el.body.element
    body_key = getattr(body, "key", None)
    body_path = (*here, "body", el.body.kind)
    if body_key is None or not (loop_vars & set(placeholders(body_key))):
        raise at.error(
            (*body_path, "key") if body_key is not None else body_path,
            f"a repeated element needs a key that uses {{{el.as_}}} or {{{el.as_}_n}}",
        )
    _node(replace(at, path=(*here, "body"), scope=at.scope | loop_vars), el.body)
