"""Board templates: the YAML language, loading, layout and the compiler to a Plan.

>>> template = find_template("vision-board")
>>> plan = compile_plan(template, {"participants": ["Ana", "Ben"]})
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boardsmith.templates.compiler import MAX_ITEMS, compile_plan
    from boardsmith.templates.escape import escape_text, slugify, unescape_text
    from boardsmith.templates.params import parse_params, resolve_params
    from boardsmith.templates.plan import REGION_ROLES, Plan, PlanItem, Region, sticky_height
    from boardsmith.templates.registry import (
        builtin_dir,
        builtin_templates,
        default_plan,
        find_template,
    )
    from boardsmith.templates.template import Template, load_template, load_template_text

# Each name is imported from its module on first use (PEP 562), so importing a light
# submodule (``templates.registry`` for ``boardsmith templates list``) does not import
# the compiler and the schema's pydantic models too.
_HOMES = {
    "compiler": ("MAX_ITEMS", "compile_plan"),
    "escape": ("escape_text", "slugify", "unescape_text"),
    "params": ("parse_params", "resolve_params"),
    "plan": ("REGION_ROLES", "Plan", "PlanItem", "Region", "sticky_height"),
    "registry": ("builtin_dir", "builtin_templates", "default_plan", "find_template"),
    "template": ("Template", "load_template", "load_template_text"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "MAX_ITEMS",
    "REGION_ROLES",
    "Plan",
    "PlanItem",
    "Region",
    "Template",
    "builtin_dir",
    "builtin_templates",
    "compile_plan",
    "default_plan",
    "escape_text",
    "find_template",
    "load_template",
    "load_template_text",
    "parse_params",
    "resolve_params",
    "slugify",
    "sticky_height",
    "unescape_text",
]
