"""The committed build outputs of the built-in templates, and checking them.

For every built-in template compiled with its default parameters:
``board_templates/compiled/NAME.plan.json`` and ``NAME.svg``; plus
``board_templates/schema.json``, the JSON Schema of the template language.
"""

from __future__ import annotations

import json
from pathlib import Path

from boardsmith.render.plan_svg import render_plan
from boardsmith.templates import builtin_dir, builtin_templates, compile_plan
from boardsmith.templates.schema import TemplateSpec


def language_schema() -> str:
    """The JSON Schema of a template file, as deterministic text."""
    schema = TemplateSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "boardsmith board template"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_outputs(root: Path | None = None) -> dict[Path, str]:
    """Every generated file under ``root`` (the built-in folder) and its content."""
    root = root or builtin_dir()
    out: dict[Path, str] = {root / "schema.json": language_schema()}
    for template in builtin_templates():
        plan = compile_plan(template)
        out[root / "compiled" / f"{template.name}.plan.json"] = plan.to_json()
        out[root / "compiled" / f"{template.name}.svg"] = render_plan(plan)
    return out


def write_outputs(root: Path | None = None) -> list[Path]:
    """Write every generated file whose content changed; returns the paths written.

    Files in ``compiled/`` that no built-in produces any more are removed.
    """
    root = root or builtin_dir()
    expected = expected_outputs(root)
    written: list[Path] = []
    (root / "compiled").mkdir(parents=True, exist_ok=True)
    for path, text in expected.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    for path in sorted((root / "compiled").iterdir()):
        if path.is_file() and path not in expected:
            path.unlink()
            written.append(path)
    return written


def stale_outputs(root: Path | None = None) -> list[tuple[Path, str]]:
    """Files that differ from a fresh build, as ``(path, "stale" | "missing" | "unexpected")``."""
    root = root or builtin_dir()
    expected = expected_outputs(root)
    problems: list[tuple[Path, str]] = []
    for path, text in expected.items():
        if not path.exists():
            problems.append((path, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            problems.append((path, "stale"))
    compiled = root / "compiled"
    if compiled.is_dir():
        for path in sorted(compiled.iterdir()):
            if path.is_file() and path not in expected:
                problems.append((path, "unexpected"))
    return problems
