"""The built-in templates shipped in ``boardsmith/board_templates/``, and folders of
one's own templates."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from boardsmith.errors import TemplateError, UsageError
from boardsmith.templates.template import Template, load_template


def builtin_dir() -> Path:
    """The folder holding the built-in ``*.yaml`` templates and ``compiled/``."""
    return Path(__file__).resolve().parent.parent / "board_templates"


@lru_cache(maxsize=1)
def _builtins() -> tuple[Template, ...]:
    templates = [load_template(path) for path in sorted(builtin_dir().glob("*.yaml"))]
    seen: dict[str, str] = {}
    for template in templates:
        for name in (template.name, *template.aliases):
            if name in seen:
                raise TemplateError(
                    f"{template.file}:1: name: '{name}' is already used by {seen[name]}"
                )
            seen[name] = template.file
    return tuple(sorted(templates, key=lambda t: t.name))


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
            template = load_template(path)
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
        return load_template(name)
    for template in (*_builtins(), *path_templates()):
        if name == template.name or name in template.aliases:
            return template
    known = ", ".join(
        t.name + (f" (alias {', '.join(t.aliases)})" if t.aliases else "") for t in _builtins()
    )
    raise UsageError(f"TEMPLATE: unknown template '{name}'; built-in templates: {known}")
