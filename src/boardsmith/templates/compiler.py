"""The compiler: ``(Template, params) -> Plan``, pure and deterministic.

Three passes: expand the element tree with the parameters (repeat, when,
interpolation, escaping, keys) into layout boxes; lay the boxes out; emit
plan items with absolute centres, frames first and connectors last. Every
failure is a :class:`TemplateError` located at the element that caused it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
        root.children.extend(_expand(ctx, ("elements", index), node, scope, (), None, index))
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


def _expand(
    ctx: _Ctx,
    path: Path,
    node: Node,
    scope: _Scope,
    prefix: tuple[str, ...],
    frame: str | None,
    index: int,
) -> list[Box]:
    el = node.element
    here = (*path, node.kind)
    if not _included(ctx, el.when):
        return []
    if isinstance(el, Row | Column | Grid):
        inner = prefix
        if el.key is not None:
            inner = (*prefix, _interp(ctx, (*here, "key"), el.key, scope.keys))
        box = Box(
            kind=node.kind,
            path=here,
            gap=el.gap,
            align=getattr(el, "align", "start"),
            columns=getattr(el, "columns", 1),
        )
        for i, child in enumerate(el.children):
            box.children.extend(_expand(ctx, (*here, "children", i), child, scope, inner, frame, i))
        return [box]
    if isinstance(el, Repeat):
        return [_repeat(ctx, here, el, scope, prefix, frame)]
    segment = el.key or f"{node.kind}-{index + 1}"
    segment = _interp(ctx, (*here, "key"), segment, scope.keys)
    key = "/".join((*prefix, segment))
    ctx.claim(key, here)
    # A label that comes out empty (a participant given no role) is no fact: leave it out.
    interpolated = {
        name: _interp(ctx, (*here, "labels", name), value, scope.text)
        for name, value in sorted(el.labels.items())
    }
    labels = {name: value for name, value in interpolated.items() if value or not el.labels[name]}
    data: dict[str, Any] = {"role": el.role, "labels": labels, "parent": frame}
    if isinstance(el, Connector):
        data["start"] = _interp(ctx, (*here, "start"), el.start, scope.keys)
        data["end"] = _interp(ctx, (*here, "end"), el.end, scope.keys)
        data["shape"] = el.shape
        data["style"] = {"strokeColor": el.color, "strokeWidth": _num(el.stroke_width)}
        data["parent"] = None
        return [Box(kind="connector", path=here, key=key, data=data)]
    if isinstance(el, Frame):
        content, _ = _content(ctx, (*here, "title"), el.title, scope)
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
        for i, child in enumerate(el.children):
            box.children.extend(_expand(ctx, (*here, "children", i), child, scope, (key,), key, i))
        return [box]
    if isinstance(el, Text):
        content, lines = _content(ctx, (*here, "content"), el.content, scope)
        data.update(
            content=content,
            lines=lines,
            font_size=el.font_size,
            style={"color": el.color, "fontSize": str(el.font_size), "textAlign": el.align},
        )
        return [Box(kind="text", path=here, key=key, width=el.width, data=data)]
    if isinstance(el, Sticky):
        content, _ = _content(ctx, (*here, "content"), el.content, scope)
        data.update(
            content=content,
            sticky_shape=el.shape,
            style={"fillColor": el.color, "textAlign": el.align, "textAlignVertical": "middle"},
        )
        return [Box(kind="sticky", path=here, key=key, width=el.width, data=data)]
    if isinstance(el, Card):
        content, _ = _content(ctx, (*here, "content"), el.content, scope)
        data.update(content=content, style={"cardTheme": el.theme})
        return [Box(kind="card", path=here, key=key, width=el.width, height=el.height, data=data)]
    if isinstance(el, Shape):
        content, _ = _content(ctx, (*here, "content"), el.content, scope)
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
        for i, child in enumerate(el.children):
            box.children.extend(
                _expand(ctx, (*here, "children", i), child, scope, (*prefix, segment), frame, i)
            )
        return [box]
    raise AssertionError(node.kind)  # pragma: no cover


def _repeat(
    ctx: _Ctx,
    here: Path,
    el: Repeat,
    scope: _Scope,
    prefix: tuple[str, ...],
    frame: str | None,
) -> Box:
    inner = prefix
    if el.key is not None:
        inner = (*prefix, _interp(ctx, (*here, "key"), el.key, scope.keys))
    roles: list[str] = []
    if el.for_each is not None:
        raw = ctx.params[el.for_each]
        values = list(raw) if isinstance(raw, list) else []
        if ctx.template.spec.parameters[el.for_each].with_roles:
            pairs = [split_role(v) for v in values]
            values = [name for name, _ in pairs]
            roles = [role for _, role in pairs]
    else:
        count = el.count if isinstance(el.count, int) else ctx.params[str(el.count)]
        values = [str(n) for n in range(1, int(str(count)) + 1)]
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
        local = scope.child(text, keys)
        box.children.extend(_expand(ctx, (*here, "body"), el.body, local, inner, frame, 0))
    return box


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
