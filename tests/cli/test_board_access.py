"""``board_sources``: the plan a board's state was built from, as harvest needs it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import boardsmith.templates
from boardsmith.boards.state import StateStore
from boardsmith.cli.board_access import board_sources, run_settings
from boardsmith.errors import StateError
from boardsmith.templates import compile_plan, find_template
from tests.cli.conftest import Run
from tests.cli_helpers import run_python


def _sources(board_id: str) -> Any:
    backend: Any = SimpleNamespace(name="emulator")
    return board_sources(run_settings(), backend, [board_id])


def _created(run: Run, *args: str) -> str:
    code, out, err = run("create", *args, "--json")
    assert code == 0, err
    return str(json.loads(out)["board_id"])


def test_a_board_made_without_values_gets_the_shipped_plan(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    board_id = _created(run, "leadership-vision")

    def no_template(name: str) -> None:
        raise AssertionError(f"loaded the template {name}")

    monkeypatch.setattr(boardsmith.templates, "find_template", no_template)
    (source,) = _sources(board_id)
    monkeypatch.undo()
    template = find_template("leadership-vision")
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    assert source.plan == compile_plan(template, state.params) == compile_plan(template)
    assert source.item_ids == state.item_ids()


def test_a_board_made_without_values_loads_no_template_language(home: Path, run: Run) -> None:
    # A fresh process, as a harvest starts: the compiler would import the template
    # language, its schema and PyYAML before the first request (0.1-0.25 s measured).
    board_id = _created(run, "leadership-vision")
    script = (
        "import sys\n"
        "from types import SimpleNamespace\n"
        "from boardsmith.cli.board_access import board_sources, run_settings\n"
        "backend = SimpleNamespace(name='emulator')\n"
        f"(source,) = board_sources(run_settings(), backend, [{board_id!r}])\n"
        "assert source.plan is not None and source.plan.template == 'leadership-vision'\n"
        "print(*(m in sys.modules for m in ('boardsmith.templates.compiler', "
        "'boardsmith.templates.schema', 'yaml')))\n"
    )
    done = run_python(script, env=dict(os.environ), check=True)
    assert done.stdout.split() == ["False", "False", "False"]


def test_a_board_made_with_values_is_compiled_with_them(run: Run) -> None:
    board_id = _created(run, "vision-board", "--team", "Ward 7")
    (source,) = _sources(board_id)
    template = find_template("vision-board")
    assert source.plan == compile_plan(template, {"team": "Ward 7"})
    assert source.plan != compile_plan(template)


def test_a_state_naming_a_missing_template_is_a_state_error(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    board_id = _created(run, "vision-board", "--team", "Ward 7")
    path = next(p for p in home.rglob("*.json") if board_id.strip("=") in p.name)
    state = json.loads(path.read_text(encoding="utf-8"))
    state["template"] = "no-such-template"
    path.write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(StateError, match="no-such-template"):
        _sources(board_id)
