"""The build outputs of a folder of templates (the built-ins by default), and checking them.

For every template compiled with its default parameters: ``compiled/NAME.plan.json``
and ``compiled/NAME.svg``; plus ``schema.json``, the JSON Schema of the template
language, so an editor beside the templates completes and checks them. The outputs go
beside the sources, or under another root (``--out``).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from boardsmith.errors import TemplateError
from boardsmith.render.plan_svg import render_plan
from boardsmith.templates import Template, builtin_dir, builtin_templates, compile_plan
from boardsmith.templates.registry import folder_templates
from boardsmith.templates.schema import TemplateSpec


def language_schema() -> str:
    """The JSON Schema of a template file, as deterministic text."""
    schema = TemplateSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "boardsmith board template"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass
class FolderBuild:
    """What a fresh build of one folder gives: the files under ``root`` and the errors.

    ``errors`` are one-line ``file:line: message`` texts of the templates that did not
    load or compile; their outputs are absent from ``expected``.
    """

    root: Path
    expected: dict[Path, str]
    errors: list[str] = field(default_factory=list)
    templates: int = 0


def _outputs(root: Path, templates: list[Template], errors: list[str]) -> dict[Path, str]:
    out: dict[Path, str] = {root / "schema.json": language_schema()}
    for template in templates:
        try:
            plan = compile_plan(template)
        except TemplateError as exc:
            errors.append(str(exc))
            continue
        out[root / "compiled" / f"{template.name}.plan.json"] = plan.to_json()
        out[root / "compiled" / f"{template.name}.svg"] = render_plan(plan)
    return out


def build_folder(folder: Path | None = None, out: Path | None = None) -> FolderBuild:
    """A fresh build of the templates in ``folder`` (default: the built-ins).

    The outputs are placed under ``out`` when given, else beside the sources.
    """
    errors: list[str]
    if folder is None:
        templates, errors = builtin_templates(), []
        root = out or builtin_dir()
    else:
        templates, errors = folder_templates(folder)
        root = out or folder
    expected = _outputs(root, templates, errors)
    return FolderBuild(root, expected, errors, len(templates))


def expected_outputs(root: Path | None = None) -> dict[Path, str]:
    """Every generated file of the built-ins under ``root`` (their folder) and its content."""
    return _outputs(root or builtin_dir(), builtin_templates(), [])


def write_expected(root: Path, expected: dict[Path, str]) -> list[Path]:
    """Write every file of ``expected`` whose content changed; returns the paths written.

    Files in ``root/compiled/`` that no template produces any more are removed.
    """
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


def write_outputs(root: Path | None = None) -> list[Path]:
    """Write the built-ins' outputs under ``root`` (their folder); returns the paths written."""
    root = root or builtin_dir()
    return write_expected(root, expected_outputs(root))


def stale_expected(
    root: Path, expected: dict[Path, str], *, unexpected: bool = True
) -> list[tuple[Path, str]]:
    """Files that differ from ``expected``, as ``(path, "stale" | "missing" | "unexpected")``.

    ``unexpected=False`` leaves out files in ``compiled/`` that nothing produced: when a
    template is invalid its outputs cannot be known, so its old files are not to blame.
    """
    problems: list[tuple[Path, str]] = []
    for path, text in expected.items():
        if not path.exists():
            problems.append((path, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            problems.append((path, "stale"))
    compiled = root / "compiled"
    if unexpected and compiled.is_dir():
        for path in sorted(compiled.iterdir()):
            if path.is_file() and path not in expected:
                problems.append((path, "unexpected"))
    return problems


def stale_outputs(root: Path | None = None) -> list[tuple[Path, str]]:
    """The built-ins' files under ``root`` that differ from a fresh build."""
    root = root or builtin_dir()
    return stale_expected(root, expected_outputs(root))


def diff_text(path: Path, what: str, expected: dict[Path, str], shown: str) -> str:
    """A unified diff from the file on disk to a fresh build (``shown`` names the path)."""
    old = "" if what == "missing" else path.read_text(encoding="utf-8", errors="replace")
    new = expected.get(path, "")
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile="/dev/null" if what == "missing" else f"a/{shown}",
        tofile="/dev/null" if what == "unexpected" else f"b/{shown}",
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return text
