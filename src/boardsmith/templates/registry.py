"""The built-in templates shipped in ``boardsmith/board_templates/``, and folders of
one's own templates."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from boardsmith.errors import TemplateError, UsageError

if TYPE_CHECKING:
    from boardsmith.templates.plan import Plan
    from boardsmith.templates.template import Template

# Imported inside the functions that load templates: the schema and its pydantic models
# are the bulk of what `boardsmith templates list` would otherwise import (finding 9 in
# docs/benchmarks.md), and listing the built-ins needs neither.


def builtin_dir() -> Path:
    """The folder holding the built-in ``*.yaml`` templates and ``compiled/``."""
    return Path(__file__).resolve().parent.parent / "board_templates"


def _load_template(path: str | Path) -> Template:
    """:func:`boardsmith.templates.template.load_template`, imported when first needed."""
    from boardsmith.templates.template import load_template as load

    return load(path)


def _refuse_clashes(entries: Sequence[_Named]) -> None:
    """A name or alias two built-ins claim is an error on the second file."""
    seen: dict[str, str] = {}
    for entry in entries:
        for name in (entry.name, *entry.aliases):
            if name in seen:
                raise TemplateError(
                    f"{entry.file}:1: name: '{name}' is already used by {seen[name]}"
                )
            seen[name] = entry.file


@lru_cache(maxsize=1)
def _builtins() -> tuple[Template, ...]:
    templates = [_load_template(path) for path in sorted(builtin_dir().glob("*.yaml"))]
    _refuse_clashes(templates)
    return tuple(sorted(templates, key=lambda t: t.name))


class _Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def file(self) -> str: ...


@dataclass(frozen=True)
class TemplateEntry:
    """A built-in template as ``boardsmith templates list`` names it."""

    name: str
    aliases: tuple[str, ...]
    #: The template's ``title`` as written, placeholders and all (``"Vision: {team}"``).
    title: str
    file: str


#: The top-level keys :func:`builtin_entries` reads.
_LISTED = ("name", "aliases", "title")
_SOURCE_HASH = re.compile(r'"source_hash":\s*"([0-9a-f]{64})"')


def _source_hash(text: str) -> str:
    # As Template.source_hash: line endings normalised.
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def _checked(path: Path, text: str) -> bool:
    """Whether the compiled plan of ``path`` was built from exactly this text.

    ``boardsmith templates build`` writes ``compiled/NAME.plan.json`` only from a
    template that validated, with the hash of its source, and ``templates check``
    (CI) fails when the two drift; a match therefore means the file is valid.
    """
    return _vouching(path, text) is not None


def _vouching(path: Path, text: str) -> str | None:
    """The compiled plan of ``path`` when it was built from exactly this text."""
    try:
        compiled = (path.parent / "compiled" / f"{path.stem}.plan.json").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = _SOURCE_HASH.search(compiled)
    return compiled if found is not None and found.group(1) == _source_hash(text) else None


# The one-line forms of the header's values that read the same in YAML and here:
# a plain scalar of name-and-title characters, a double-quoted string without escapes,
# a single-quoted string, a flow list of plain scalars.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\- ]*[A-Za-z0-9_.]|[A-Za-z]")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_NOT_STRINGS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null"})
_FLOW = re.compile(r"\[([^\[\]{}\"'#]*)\]")


def _scalar(raw: str) -> str | None:
    """The string a one-line YAML scalar holds, or None when it is not plainly written."""
    if (double := _DOUBLE.fullmatch(raw)) is not None:
        return double.group(1)
    if (single := _SINGLE.fullmatch(raw)) is not None:
        return single.group(1).replace("''", "'")
    # Words YAML reads as booleans or null are left to YAML (no valid name or title
    # is one, so a vouched-for file holds none; this only keeps the reading exact).
    if raw.lower() in _NOT_STRINGS:
        return None
    return raw if _PLAIN.fullmatch(raw) else None


def _value(raw: str) -> str | list[str] | None:
    flow = _FLOW.fullmatch(raw)
    if flow is None:
        return _scalar(raw)
    items = [_scalar(part.strip()) for part in flow.group(1).split(",") if part.strip()]
    return None if any(i is None for i in items) else [i for i in items if i is not None]


def _header_lines(text: str) -> dict[str, list[str]]:
    """The lines of each listed top-level key: its own, then its value's continuation."""
    found: dict[str, list[str]] = {}
    taking: list[str] | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if line[:1] not in ("", " ", "\t", "#"):
            # Top-level keys start at column 0; a key's value runs until the next one.
            key = line.split(":", 1)[0]
            taking = found.setdefault(key, []) if key in _LISTED else None
        if taking is not None:
            taking.append(line)
    return found


def _header_data(text: str) -> object:
    """The header keys' values: read here when each is one plain line, else by YAML."""
    lines = _header_lines(text)
    data: dict[str, object] = {}
    for key, own in lines.items():
        value = _value(own[0].split(":", 1)[1].strip()) if len(own) == 1 else None
        if value is None:
            break
        data[key] = value
    else:
        return data
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    snippet = "\n".join(line for own in lines.values() for line in own)
    try:
        return yaml.load(snippet, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return None


def _header(path: Path, text: str) -> TemplateEntry | None:
    """The name, aliases and title of a template's top-level keys, or None when the
    file is not plainly written (then it is loaded in full)."""
    data = _header_data(text)
    if not isinstance(data, dict):
        return None
    name, title, aliases = data.get("name"), data.get("title"), data.get("aliases", [])
    if not (isinstance(name, str) and isinstance(title, str) and isinstance(aliases, list)):
        return None
    if not all(isinstance(a, str) for a in aliases):
        return None
    return TemplateEntry(name=name, aliases=tuple(aliases), title=title, file=str(path))


def builtin_entries() -> list[TemplateEntry]:
    """Every built-in template's name, aliases and title, sorted by name, cheaply.

    The same templates, in the same order, as :func:`builtin_templates`, and the same
    errors: a file whose compiled plan vouches for it (see :func:`_checked`) is read
    for three top-level keys only, any other is loaded and validated in full, so an
    invalid or edited template fails here exactly as it does there. It saves
    importing the schema and building its models (most of ``templates list``).
    """
    entries: list[TemplateEntry] = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        entry = None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        if text is not None and _checked(path, text):
            entry = _header(path, text)
        if entry is None:
            template = _load_template(path)
            entry = TemplateEntry(
                name=template.name,
                aliases=template.aliases,
                title=template.title,
                file=template.file,
            )
        entries.append(entry)
    _refuse_clashes(entries)
    return sorted(entries, key=lambda e: e.name)


def folder_templates(folder: Path) -> tuple[list[Template], list[str]]:
    """The templates (``*.yaml``, ``*.yml``) directly in ``folder``, sorted by name, and
    the one-line ``file:line: message`` errors of those that do not load.

    Every file is tried, so one broken template does not hide the others' errors. A
    name or alias used twice is an error on the second file, as among the built-ins.
    """
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    templates: list[Template] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            template = _load_template(path)
        except TemplateError as exc:
            errors.append(str(exc))
            continue
        clash = next((n for n in (template.name, *template.aliases) if n in seen), None)
        if clash is not None:
            errors.append(f"{template.file}:1: name: '{clash}' is already used by {seen[clash]}")
            continue
        for name in (template.name, *template.aliases):
            seen[name] = template.file
        templates.append(template)
    return sorted(templates, key=lambda t: t.name), errors


def builtin_templates() -> list[Template]:
    """Every built-in template, sorted by name."""
    return list(_builtins())


#: Folders of one's own templates (separated like PATH), searched by name after the
#: built-ins; so a board created from ``my-templates/offsite.yaml`` is harvested,
#: re-applied or previewed by its name, ``offsite``, as a built-in would be.
TEMPLATE_PATH_VAR = "BOARDSMITH_TEMPLATE_PATH"


def path_templates() -> list[Template]:
    """The valid templates of the folders in ``$BOARDSMITH_TEMPLATE_PATH``, in order.

    An invalid file there is skipped, not fatal: it must not stop a command about
    another template; ``boardsmith templates check DIR`` names its error.
    """
    found: list[Template] = []
    for entry in os.environ.get(TEMPLATE_PATH_VAR, "").split(os.pathsep):
        if entry and Path(entry).is_dir():
            found += folder_templates(Path(entry))[0]
    return found


def find_template(name: str) -> Template:
    """A built-in template by name or alias, a template file by path, or a template of a
    folder in ``$BOARDSMITH_TEMPLATE_PATH`` by name or alias (built-ins first).

    Unknown names raise :class:`UsageError` listing the built-in names.
    """
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return _load_template(name)
    # The built-ins' names come from the cheap listing, with its errors (an invalid
    # built-in, a clash); only the template asked for is then loaded and validated.
    entries = builtin_entries()
    for entry in entries:
        if name == entry.name or name in entry.aliases:
            return _load_builtin(entry.file)
    for template in path_templates():
        if name == template.name or name in template.aliases:
            return template
    known = ", ".join(
        t.name + (f" (alias {', '.join(t.aliases)})" if t.aliases else "") for t in entries
    )
    raise UsageError(f"TEMPLATE: unknown template '{name}'; built-in templates: {known}")


def default_plan(name: str) -> Plan | None:
    """The plan of the built-in template ``name`` (or alias) with its default values,
    read from its compiled file; ``None`` when no built-in has that name or the file
    was not compiled from the template as it is now (see :func:`_checked`).

    It is the plan ``compile_plan(find_template(name))`` gives (``templates check``
    holds the compiled files to it, and ``tests/templates/test_default_plan.py`` to
    its values), without importing the schema, loading and validating the template
    and compiling it: most of what ``create`` does before its first call. Built-ins
    come first, as in :func:`find_template`.
    """
    for entry in builtin_entries():
        if name == entry.name or name in entry.aliases:
            return _compiled_plan(Path(entry.file))
    return None


def _compiled_plan(path: Path) -> Plan | None:
    from pydantic import ValidationError

    from boardsmith.templates.plan import Plan

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    compiled = _vouching(path, text)
    if compiled is None:
        return None
    try:
        return Plan.from_json(compiled)
    except ValidationError:
        return None


def _load_builtin(file: str) -> Template:
    """The built-in template in ``file``, validated once per process and source text."""
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return _load_template(file)  # which names the problem as it always has
    return _from_text(text, file)


@lru_cache(maxsize=64)
def _from_text(text: str, file: str) -> Template:
    from boardsmith.templates.template import load_template_text

    return load_template_text(text, file)
