"""The compiler: ``(Template, params) -> Plan``, pure and deterministic.

Three passes: expand the element tree with the parameters (repeat, when,
interpolation, escaping, keys) into layout boxes; lay the boxes out; emit
plan items with absolute centres, frames first and connectors last. Every
failure is a :class:`TemplateError` located at the element that caused it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, assert_never

from boardsmith.errors import TemplateError
from boardsmith.templates.escape import escape_text, slugify
from boardsmith.templates.interpolate import PlaceholderError, interpolate
from boardsmith.templates.layout import Box, LayoutError, measure, place
from boardsmith.templates.params import resolve_params
from boardsmith.templates.plan import ItemType, Plan, PlanItem, sticky_height
from boardsmith.templates.report_spec import ReportSpec
from boardsmith.templates.roles import split_role
from boardsmith.templates.schema import (
    Card,
    Column,
    Connector,
    Frame,
    Grid,
    Node,
    ParamValue,
    Repeat,
    Row,
    Shape,
    Sticky,
    Text,
)
from boardsmith.templates.template import Template

#: The largest plan the compiler will produce (Miro boards slow down well before).
MAX_ITEMS = 5000

Path = tuple[str | int, ...]


@dataclass
class _Scope:
    text: dict[str, str]  # values shown in content and labels
    keys: dict[str, str]  # values used in keys (slugs)

    def child(self, text: dict[str, str], keys: dict[str, str]) -> _Scope:
        return _Scope({**self.text, **text}, {**self.keys, **keys})


@dataclass
class _Ctx:
    template: Template
    params: dict[str, ParamValue]
    count: int = 0
    keys: dict[str, Path] = field(default_factory=dict)

    def error(self, path: Path, what: str) -> TemplateError:
        return self.template.source_map.error(path, what)

    def claim(self, key: str, path: Path) -> None:
        if key in self.keys:
            raise self.error(path, f"duplicate item key '{key}'")
        self.keys[key] = path
        self.count += 1
        if self.count > MAX_ITEMS:
            raise self.error(
                ("elements",),
                f"the plan has more than {MAX_ITEMS} items; reduce the parameters",
            )


def compile_plan(template: Template, params: Mapping[str, object] | None = None) -> Plan:
    """Compile ``template`` with ``params`` (defaults fill the rest) into a :class:`Plan`."""
    resolved = resolve_params(template, params or {})
    ctx = _Ctx(template, resolved)
    shown = {name: _show(value) for name, value in resolved.items()}
    scope = _Scope(shown, {name: slugify(value) for name, value in shown.items()})
    spec = template.spec
    root = Box(kind=spec.layout, path=("elements",), gap=spec.gap, align="start")
    for index, node in enumerate(spec.elements):
        root.children.extend(_expand(_At(ctx, ("elements", index), scope, index=index), node))
    try:
        measure(root)
        place(root, -root.w / 2, -root.h / 2)
    except LayoutError as exc:
        raise ctx.error(exc.path, exc.message) from None
    items = _emit(ctx, root)
    # Miro board names are 1-60 characters.
    title = _interp(ctx, ("title",), spec.title, scope.text)[:60]
    return Plan(
        template=spec.name,
        title=title,
        version=spec.version,
        source_hash=template.source_hash,
        params=resolved,
        items=tuple(items),
        report=_report(ctx, spec.report, scope),
    )


def _report(ctx: _Ctx, report: ReportSpec | None, scope: _Scope) -> ReportSpec | None:
    """The report with its title, headings and intros interpolated."""
    if report is None:
        return None
    sections = []
    for index, section in enumerate(report.sections):
        path: Path = ("report", "sections", index)
        heading = _interp(ctx, (*path, "heading"), section.heading, scope.text)
        intro = section.intro
        if intro is not None:
            intro = _interp(ctx, (*path, "intro"), intro, scope.text)
        sections.append(section.model_copy(update={"heading": heading, "intro": intro}))
    title = report.title
    if title is not None:
        title = _interp(ctx, ("report", "title"), title, scope.text)
    return report.model_copy(update={"title": title, "sections": sections})


def _show(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _interp(ctx: _Ctx, path: Path, text: str, values: Mapping[str, str]) -> str:
    try:
        return interpolate(text, values)
    except PlaceholderError as exc:
        raise ctx.error(path, str(exc)) from None


def _content(ctx: _Ctx, path: Path, text: str, scope: _Scope) -> tuple[str, list[str]]:
    """Escaped Miro content and its plain lines (for measuring)."""
    plain = _interp(ctx, path, text, scope.text).strip("\n")
    lines = plain.split("\n")
    if len(lines) == 1:
        return escape_text(plain), lines
    return "".join(f"<p>{escape_text(line)}</p>" for line in lines), lines


def _included(ctx: _Ctx, when: str | None) -> bool:
    if when is None:
        return True
    negate = when.startswith("!")
    value = ctx.params[when.removeprefix("!")]
    return bool(value) != negate


@dataclass(frozen=True)
class _At:
    """Where an element expands: its source path, scope, key prefix and frame.

    ``index`` is its position among its siblings (the default key segment is
    ``KIND-N``); ``prefix`` the key segments of the groups around it; ``frame``
    the key of the frame it is in.
    """

    ctx: _Ctx
    path: Path
    scope: _Scope
    prefix: tuple[str, ...] = ()
    frame: str | None = None
    index: int = 0

    def interp(self, path: Path, text: str) -> str:
        """``text`` filled with the values shown in content and labels."""
        return _interp(self.ctx, path, text, self.scope.text)

    def interp_key(self, path: Path, text: str) -> str:
        """``text`` filled with the values used in keys (slugs)."""
        return _interp(self.ctx, path, text, self.scope.keys)


def _expand(at: _At, node: Node) -> list[Box]:
    """The layout boxes of one element: the one place each element kind is compiled."""
    el = node.element
    if not _included(at.ctx, el.when):
        return []
    here = (*at.path, node.kind)
    match el:
        case Row() | Column() | Grid():
            return [_group(at, here, el)]
        case Repeat():
            return [_repeat(at, here, el)]
        case Connector():
            return [_connector(at, here, el)]
        case Frame():
            return [_frame(at, here, el)]
        case Text():
            return [_text(at, here, el)]
        case Sticky():
            return [_sticky(at, here, el)]
        case Card():
            return [_card(at, here, el)]
        case Shape():
            return [_shape(at, here, el)]
    assert_never(el)


def _children(
    at: _At, here: Path, children: list[Node], *, prefix: tuple[str, ...], frame: str | None
) -> list[Box]:
    """The boxes of ``children``, their keys under ``prefix``, inside ``frame``."""
    boxes: list[Box] = []
    for i, child in enumerate(children):
        child_at = replace(at, path=(*here, "children", i), index=i, prefix=prefix, frame=frame)
        boxes.extend(_expand(child_at, child))
    return boxes


def _group(at: _At, here: Path, el: Row | Column | Grid) -> Box:
    prefix = at.prefix
    if el.key is not None:
        prefix = (*prefix, at.interp_key((*here, "key"), el.key))
    box = Box(
        kind=str(here[-1]),
        path=here,
        gap=el.gap,
        align=getattr(el, "align", "start"),
        columns=getattr(el, "columns", 1),
    )
    box.children.extend(_children(at, here, el.children, prefix=prefix, frame=at.frame))
    return box


_Item = Frame | Text | Sticky | Card | Shape | Connector


def _claim(at: _At, here: Path, el: _Item) -> tuple[str, str, dict[str, Any]]:
    """Key segment, full key (claimed) and the data every item has: role, labels, parent."""
    segment = at.interp_key((*here, "key"), el.key or f"{here[-1]}-{at.index + 1}")
    key = "/".join((*at.prefix, segment))
    at.ctx.claim(key, here)
    # A label that comes out empty (a participant given no role) is no fact: leave it out.
    interpolated = {
        name: at.interp((*here, "labels", name), value) for name, value in sorted(el.labels.items())
    }
    labels = {name: value for name, value in interpolated.items() if value or not el.labels[name]}
    return segment, key, {"role": el.role, "labels": labels, "parent": at.frame}


def _connector(at: _At, here: Path, el: Connector) -> Box:
    _, key, data = _claim(at, here, el)
    data["start"] = at.interp_key((*here, "start"), el.start)
    data["end"] = at.interp_key((*here, "end"), el.end)
    data["shape"] = el.shape
    data["style"] = {"strokeColor": el.color, "strokeWidth": _num(el.stroke_width)}
    data["parent"] = None
    return Box(kind="connector", path=here, key=key, data=data)


def _frame(at: _At, here: Path, el: Frame) -> Box:
    _, key, data = _claim(at, here, el)
    content, _ = _content(at.ctx, (*here, "title"), el.title, at.scope)
    data.update(content=content, style={"fillColor": el.fill}, parent=None)
    box = Box(
        kind="frame",
        path=here,
        key=key,
        width=el.width,
        height=el.height,
        padding=el.padding,
        gap=el.gap,
        data=data,
    )
    box.children.extend(_children(at, here, el.children, prefix=(key,), frame=key))
    return box


def _text(at: _At, here: Path, el: Text) -> Box:
    _, key, data = _claim(at, here, el)
    content, lines = _content(at.ctx, (*here, "content"), el.content, at.scope)
    data.update(
        content=content,
        lines=lines,
        font_size=el.font_size,
        style={"color": el.color, "fontSize": str(el.font_size), "textAlign": el.align},
    )
    return Box(kind="text", path=here, key=key, width=el.width, data=data)


def _sticky(at: _At, here: Path, el: Sticky) -> Box:
    _, key, data = _claim(at, here, el)
    content, _ = _content(at.ctx, (*here, "content"), el.content, at.scope)
    data.update(
        content=content,
        sticky_shape=el.shape,
        style={"fillColor": el.color, "textAlign": el.align, "textAlignVertical": "middle"},
    )
    return Box(kind="sticky", path=here, key=key, width=el.width, data=data)


def _card(at: _At, here: Path, el: Card) -> Box:
    _, key, data = _claim(at, here, el)
    content, _ = _content(at.ctx, (*here, "content"), el.content, at.scope)
    data.update(content=content, style={"cardTheme": el.theme})
    return Box(kind="card", path=here, key=key, width=el.width, height=el.height, data=data)


def _shape(at: _At, here: Path, el: Shape) -> Box:
    segment, key, data = _claim(at, here, el)
    content, _ = _content(at.ctx, (*here, "content"), el.content, at.scope)
    data.update(
        content=content,
        shape=el.shape,
        style={
            "fillColor": el.fill,
            "borderColor": el.border,
            "borderWidth": _num(el.border_width),
            "borderStyle": el.border_style,
            "color": el.color,
            "fontSize": str(el.font_size),
            "textAlign": el.align,
            "textAlignVertical": el.valign,
        },
    )
    box = Box(
        kind="shape",
        path=here,
        key=key,
        width=el.width,
        height=el.height,
        padding=el.padding,
        gap=el.gap,
        last_at_bottom=el.last_at_bottom,
        data=data,
    )
    # Children sit on the shape: their keys go under its key, in the same frame.
    prefix = (*at.prefix, segment)
    box.children.extend(_children(at, here, el.children, prefix=prefix, frame=at.frame))
    return box


def _repeat(at: _At, here: Path, el: Repeat) -> Box:
    prefix = at.prefix
    if el.key is not None:
        prefix = (*prefix, at.interp_key((*here, "key"), el.key))
    values, roles = _repeat_values(at.ctx, el)
    box = Box(
        kind=el.layout,
        path=here,
        gap=el.gap,
        align=el.align,
        columns=el.columns,
    )
    used: set[str] = set()
    for n, value in enumerate(values, start=1):
        # Equal slugs get -2, -3 ... so a key depends only on the items that share it.
        base = slug = slugify(value)
        copy = 1
        while slug in used:
            copy += 1
            slug = f"{base}-{copy}"
        used.add(slug)
        text = {el.as_: value, f"{el.as_}_n": str(n)}
        keys = {el.as_: slug, f"{el.as_}_n": str(n)}
        if roles:
            text[f"{el.as_}_role"] = keys[f"{el.as_}_role"] = roles[n - 1]
        copy_at = replace(
            at, path=(*here, "body"), scope=at.scope.child(text, keys), prefix=prefix, index=0
        )
        box.children.extend(_expand(copy_at, el.body))
    return box


def _repeat_values(ctx: _Ctx, el: Repeat) -> tuple[list[str], list[str]]:
    """The values a repeat makes one copy each for, and their roles (or no roles)."""
    if el.for_each is None:
        count = el.count if isinstance(el.count, int) else ctx.params[str(el.count)]
        return [str(n) for n in range(1, int(str(count)) + 1)], []
    raw = ctx.params[el.for_each]
    values = list(raw) if isinstance(raw, list) else []
    if not ctx.template.spec.parameters[el.for_each].with_roles:
        return values, []
    pairs = [split_role(v) for v in values]
    return [name for name, _ in pairs], [role for _, role in pairs]


def _num(value: float) -> str:
    return f"{value:g}"


def _walk(box: Box) -> list[Box]:
    out = [box]
    for child in box.children:
        out.extend(_walk(child))
    return out


def _emit(ctx: _Ctx, root: Box) -> list[PlanItem]:
    boxes = [b for b in _walk(root) if b.key is not None]
    frames = [b for b in boxes if b.kind == "frame"]
    connectors = [b for b in boxes if b.kind == "connector"]
    others = [b for b in boxes if b.kind not in ("frame", "connector")]
    items: list[PlanItem] = [_item(b) for b in (*frames, *others)]
    by_key = {item.key: item for item in items}
    for box in connectors:
        ends = []
        for end in ("start", "end"):
            target = by_key.get(str(box.data[end]))
            if target is None or target.type == "frame":
                what = "a frame" if target is not None else "no item"
                raise ctx.error((*box.path, end), f"'{box.data[end]}' is {what}; connect items")
            ends.append(target)
        a, b = ends
        items.append(
            PlanItem(
                key=str(box.key),
                type="connector",
                x=round((a.x + b.x) / 2, 2),
                y=round((a.y + b.y) / 2, 2),
                width=0,
                height=0,
                shape=str(box.data["shape"]),
                style=dict(box.data["style"]),
                role=box.data["role"],
                labels=dict(box.data["labels"]),
                start=a.key,
                end=b.key,
            )
        )
    _check_containment(ctx, items, {b.key: b.path for b in boxes if b.key})
    return items


_ITEM_TYPES: dict[str, ItemType] = {
    "frame": "frame",
    "text": "text",
    "sticky": "sticky_note",
    "card": "card",
    "shape": "shape",
}


def _item(box: Box) -> PlanItem:
    kind = _ITEM_TYPES[box.kind]
    height = box.h
    if box.kind == "sticky":
        height = sticky_height(box.w, str(box.data["sticky_shape"]))
    shape = box.data.get("sticky_shape") or box.data.get("shape")
    return PlanItem(
        key=str(box.key),
        type=kind,
        parent=box.data["parent"],
        x=round(box.left + box.w / 2, 2),
        y=round(box.top + box.h / 2, 2),
        width=round(box.w, 2),
        height=round(height, 2),
        content=str(box.data.get("content", "")),
        shape=str(shape) if shape is not None else None,
        style=dict(box.data.get("style", {})),
        role=box.data["role"],
        labels=dict(box.data["labels"]),
    )


def _check_containment(ctx: _Ctx, items: list[PlanItem], paths: dict[str, Path]) -> None:
    by_key = {item.key: item for item in items}
    for item in items:
        if item.parent is None:
            continue
        frame = by_key[item.parent]
        inside = (
            item.left >= frame.left - 0.01
            and item.right <= frame.right + 0.01
            and item.top >= frame.top - 0.01
            and item.bottom <= frame.bottom + 0.01
        )
        if not inside:
            raise ctx.error(paths[item.key], f"'{item.key}' lies outside its frame '{frame.key}'")
