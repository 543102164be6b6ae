"""Safe YAML loading that remembers where every value came from.

Template errors must say ``file:line: field.path: what is wrong``, so the
loader builds plain Python data from PyYAML's node graph (SafeLoader only:
no Python tags) and records the line of every mapping key and sequence item,
keyed by its path. Duplicate keys are an error, not "last one wins".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from boardsmith.errors import TemplateError

PathPart = str | int
Path = tuple[PathPart, ...]


# libyaml's parser when PyYAML was built with it (several times faster); either way a
# SafeLoader: only standard tags construct, so no Python objects can be created.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _MarkingLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader used to compose nodes; :func:`load_yaml` constructs with marks."""


@dataclass(frozen=True)
class SourceMap:
    """Line numbers (1-based) of the values in a loaded document, by path."""

    file: str
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Sequence[PathPart]) -> int:
        """The line of the deepest known prefix of ``path`` (1 if nothing matches)."""
        parts = tuple(path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), 1)

    def error(self, path: Sequence[PathPart], what: str) -> TemplateError:
        """A one-line :class:`TemplateError` located at ``path``."""
        where = format_path(path)
        prefix = f"{self.file}:{self.line_of(path)}:"
        return TemplateError(f"{prefix} {where}: {what}" if where else f"{prefix} {what}")


def format_path(path: Sequence[PathPart]) -> str:
    """``("elements", 0, "frame", "title")`` -> ``elements[0].frame.title``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _unclosed(exc: yaml.MarkedYAMLError) -> str | None:
    """``LINE: message`` at the opening of a quote or bracket the file never closes.

    The parser notices only at the end of the file, which is never where the mistake
    is; its context mark is where the unclosed thing began.
    """
    problem = exc.problem or ""
    if "end of stream" not in problem and "<stream end>" not in problem:
        return None
    mark, context = exc.context_mark, (exc.context or "").strip()
    if mark is None or not context.startswith(("while scanning a ", "while parsing a ")):
        return None
    thing = context.removeprefix("while scanning a ").removeprefix("while parsing a ")
    thing = {"quoted scalar": "quoted string"}.get(thing, thing)
    return (
        f"{mark.line + 1}: invalid YAML: the {thing} that starts here (column "
        f"{mark.column + 1}) is never closed"
    )


def load_yaml(text: str, file: str) -> tuple[object, SourceMap]:
    """Parse one YAML document safely; return the data and its source map."""
    smap = SourceMap(file=file)
    loader = _MarkingLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise TemplateError(f"{file}:1: the file is empty")
        smap.lines[()] = node.start_mark.line + 1
        data = _construct(loader, node, (), smap)
    except yaml.MarkedYAMLError as exc:
        unclosed = _unclosed(exc)
        if unclosed is not None:
            raise TemplateError(f"{file}:{unclosed}") from None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise TemplateError(f"{file}:{line}: invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"{file}:1: invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, smap


_PLAIN_TAGS: dict[type[yaml.Node], str] = {
    yaml.MappingNode: "tag:yaml.org,2002:map",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
}


def _construct(loader: _MarkingLoader, node: yaml.Node, path: Path, smap: SourceMap) -> object:
    plain = _PLAIN_TAGS.get(type(node))
    if plain is not None and node.tag != plain:
        # Collections are built here, not by PyYAML, so refuse explicit tags ourselves.
        line = node.start_mark.line + 1
        raise TemplateError(
            f"{smap.file}:{line}: invalid YAML: "
            f"the tag '{node.tag}' is not allowed (safe YAML only)"
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves YAML merge keys ("<<") like SafeLoader does
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise TemplateError(
                    f"{smap.file}:{line}: {format_path(path) or 'document'}: "
                    f"keys must be text, not {key!r}"
                )
            if key in result:
                where = format_path((*path, key))
                raise TemplateError(f"{smap.file}:{line}: {where}: duplicate key '{key}'")
            smap.lines[(*path, key)] = line
            result[key] = _construct(loader, value_node, (*path, key), smap)
        return result
    if isinstance(node, yaml.SequenceNode):
        items: list[object] = []
        for index, item_node in enumerate(node.value):
            smap.lines[(*path, index)] = item_node.start_mark.line + 1
            items.append(_construct(loader, item_node, (*path, index), smap))
        return items
    return loader.construct_object(node, deep=True)
