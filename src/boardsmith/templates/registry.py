"""The built-in templates shipped in ``boardsmith/board_templates/``."""

from __future__ import annotations

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


def builtin_templates() -> list[Template]:
    """Every built-in template, sorted by name."""
    return list(_builtins())


def find_template(name: str) -> Template:
    """A built-in template by name or alias, or a template file by path.

    Unknown names raise :class:`UsageError` listing the built-in names.
    """
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return load_template(name)
    for template in _builtins():
        if name == template.name or name in template.aliases:
            return template
    known = ", ".join(
        t.name + (f" (alias {', '.join(t.aliases)})" if t.aliases else "") for t in _builtins()
    )
    raise UsageError(f"TEMPLATE: unknown template '{name}'; built-in templates: {known}")
