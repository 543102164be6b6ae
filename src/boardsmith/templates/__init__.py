"""Board templates: the YAML language, loading, layout and the compiler to a Plan.

>>> template = find_template("vision-board")
>>> plan = compile_plan(template, {"participants": ["Ana", "Ben"]})
"""

from boardsmith.templates.compiler import MAX_ITEMS, compile_plan
from boardsmith.templates.escape import escape_text, slugify, unescape_text
from boardsmith.templates.params import parse_params, resolve_params
from boardsmith.templates.plan import REGION_ROLES, Plan, PlanItem, Region, sticky_height
from boardsmith.templates.registry import builtin_dir, builtin_templates, find_template
from boardsmith.templates.template import Template, load_template, load_template_text

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
