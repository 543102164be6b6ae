"""``create`` without values builds from the built-in's compiled default plan, and the
board and its state are what the compiled template gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import boardsmith.templates
from boardsmith.boards.state import StateStore
from tests.cli.conftest import Run


def _built(home: Path, board_id: str) -> dict[str, Any]:
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    items = {k: e.model_dump(exclude={"item_id"}) for k, e in state.items.items()}
    return {"template": state.template, "params": state.params, "items": items}


def test_the_default_plan_builds_what_compiling_builds(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run("create", "vision-board", "--json")
    assert code == 0, err
    fast = json.loads(out)
    monkeypatch.setattr(boardsmith.templates, "default_plan", lambda name: None)
    code, out, err = run("create", "vision-board", "--json")
    assert code == 0, err
    compiled = json.loads(out)
    assert fast["created"] == compiled["created"] > 100
    assert _built(home, fast["board_id"]) == _built(home, compiled["board_id"])
    assert Path(fast["preview"]).read_text(encoding="utf-8") == Path(compiled["preview"]).read_text(
        encoding="utf-8"
    )


def test_values_given_compile_the_template(home: Path, run: Run) -> None:
    code, out, err = run("create", "vision-board", "--team", "Grade 5", "--json")
    assert code == 0, err
    state = StateStore(home).load(backend="emulator", board_id=json.loads(out)["board_id"])
    assert state is not None
    assert state.params["team"] == "Grade 5"


def test_a_default_create_imports_no_template_language(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from boardsmith.cli.app import main\n"
        "try:\n"
        "    main(['create', 'vision-board', '--json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(*(m in sys.modules for m in ('boardsmith.templates.schema', "
        "'boardsmith.templates.compiler')), file=sys.stderr)\n"
    )
    env = {"BOARDSMITH_HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**_plain_env(), **env},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["created"] > 100
    assert done.stderr.split()[-2:] == ["False", "False"]


def _plain_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("MIRO_", "BOARDSMITH_"))}
