"""A built-in's default plan, read from its compiled file, is the plan compiling gives."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from boardsmith.templates import (
    builtin_dir,
    builtin_templates,
    compile_plan,
    default_plan,
    find_template,
    registry,
)
from tests.cli_helpers import run_python


@pytest.mark.parametrize("name", [t.name for t in builtin_templates()])
def test_every_builtin_default_plan_is_the_compiled_one_value_for_value(name: str) -> None:
    compiled = compile_plan(find_template(name))
    read = default_plan(name)
    assert read is not None
    # Equal values (geometry included: the file rounds to 0.01, so a template whose
    # layout needed finer steps would fail here) and the same text.
    assert read == compiled
    assert read.to_json() == compiled.to_json()


def test_an_alias_finds_the_same_plan() -> None:
    template = find_template("vision-board")
    assert template.name != "vision-board"
    assert default_plan("vision-board") == default_plan(template.name)


def test_names_that_are_no_builtin_have_none(tmp_path: Path) -> None:
    assert default_plan("no-such-template") is None
    assert default_plan(str(builtin_dir() / "living-vision.yaml")) is None


@pytest.fixture
def copied_builtins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "builtins"
    shutil.copytree(builtin_dir(), folder)
    monkeypatch.setattr(registry, "builtin_dir", lambda: folder)
    registry._builtins.cache_clear()
    yield folder
    registry._builtins.cache_clear()


def test_an_edited_template_is_not_read_from_its_stale_compiled_file(copied_builtins: Path) -> None:
    source = copied_builtins / "living-vision.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("version: ", "# edited\nversion: ", 1), encoding="utf-8")
    assert default_plan("living-vision") is None
    # The full path still works, from the edited file.
    assert compile_plan(find_template("living-vision")).source_hash != (
        compile_plan(registry._from_text(text, str(source))).source_hash
    )


def test_a_missing_or_broken_compiled_file_gives_none(copied_builtins: Path) -> None:
    compiled = copied_builtins / "compiled" / "living-vision.plan.json"
    text = compiled.read_text(encoding="utf-8")
    compiled.write_text(text.replace('"items": [', '"items": "broken", "x": ['), "utf-8")
    assert default_plan("living-vision") is None
    compiled.unlink()
    assert default_plan("living-vision") is None


def test_a_default_create_plan_loads_no_template_language() -> None:
    # A fresh process: what reading the default plan imports.
    script = (
        "import sys\n"
        "from boardsmith.templates import default_plan\n"
        "assert default_plan('vision-board') is not None\n"
        "print(*(m in sys.modules for m in ('boardsmith.templates.schema', 'yaml', "
        "'boardsmith.templates.compiler')))\n"
    )
    done = run_python(script, check=True)
    assert done.stdout.split() == ["False", "False", "False"]
