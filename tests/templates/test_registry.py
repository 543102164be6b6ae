"""Finding templates: built-ins by name or alias, files by path, clashes refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from boardsmith.errors import TemplateError
from boardsmith.templates import find_template, registry

from .helpers import MINIMAL, write


@pytest.fixture
def builtin_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(registry, "builtin_dir", lambda: tmp_path)
    registry._builtins.cache_clear()
    yield tmp_path
    registry._builtins.cache_clear()


def test_a_path_loads_that_file(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL, "mine.yaml")
    assert find_template(str(path)).name == "tiny"


def test_two_templates_claiming_one_name_are_refused(builtin_folder: Path) -> None:
    write(builtin_folder, MINIMAL, "a.yaml")
    second = write(
        builtin_folder, MINIMAL.replace("name: tiny", "name: other\naliases: [tiny]"), "b.yaml"
    )
    with pytest.raises(TemplateError) as info:
        find_template("tiny")
    assert (
        str(info.value)
        == f"{second}:1: name: 'tiny' is already used by {builtin_folder / 'a.yaml'}"
    )


def test_the_authoring_guide_example_compiles(tmp_path: Path) -> None:
    from boardsmith.templates import builtin_dir, compile_plan

    guide = (builtin_dir() / "README.md").read_text(encoding="utf-8")
    example = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    plan = compile_plan(find_template(str(write(tmp_path, example, "guide.yaml"))))
    assert [lane.key for lane in plan.with_role("lane")] == [
        "retro/lanes/lane-ana",
        "retro/lanes/lane-ben",
    ]
