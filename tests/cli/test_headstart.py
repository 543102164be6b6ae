"""The head start ``create`` takes while its first call waits on the network."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from boardsmith.cli import headstart
from boardsmith.miro.models import items
from boardsmith.render.plan_svg import render_plan
from boardsmith.templates import compile_plan, find_template
from tests.cli.conftest import Run
from tests.cli_helpers import run_python


def test_the_preview_is_the_plan_drawn_the_usual_way(home: Path, run: Run) -> None:
    code, out, _ = run("create", "vision-board", "--json")
    assert code == 0
    preview = Path(json.loads(out)["preview"]).read_text(encoding="utf-8")
    assert preview == render_plan(compile_plan(find_template("vision-board")))


def test_a_head_start_that_fails_leaves_the_build_to_do_it(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(types: object) -> None:
        raise RuntimeError("no head start today")

    monkeypatch.setattr(items, "build_item_models", broken)
    escaped: list[object] = []
    monkeypatch.setattr(threading, "excepthook", escaped.append)
    code, out, err = run("create", "vision-board", "--json")
    assert code == 0, err
    assert escaped == []
    summary = json.loads(out)
    assert summary["created"] > 100
    # Drawn after the build instead, never missing.
    assert Path(summary["preview"]).read_text(encoding="utf-8").startswith("<svg")


def test_the_preview_is_only_for_the_plan_it_drew() -> None:
    plan = compile_plan(find_template("vision-board"))
    start = headstart.HeadStart(plan, preview=True)
    start.join()
    assert start.svg_for(plan) == render_plan(plan)
    other = compile_plan(find_template("vision-board"), {"team": "Grade 5"})
    assert start.svg_for(other) is None
    assert headstart.HeadStart(plan, preview=False).svg_for(plan) is None


def test_build_item_models_builds_those_of_the_types_named_only() -> None:
    # A fresh process: the suite's own process has long built every model.
    script = (
        "from boardsmith.miro.models import items\n"
        "items.build_item_models(['sticky_note', 'no_such_type'])\n"
        "models = (items.StickyNote, items.StickyNoteCreate, items.Shape, items.ShapeCreate)\n"
        "print(*(m.__pydantic_complete__ for m in models))\n"
    )
    done = run_python(script, check=True)
    assert done.stdout.split() == ["True", "True", "False", "False"]


def test_the_head_start_imports_what_the_summary_needs() -> None:
    # A fresh process: the suite's own process has imported everything long ago.
    script = (
        "import sys\n"
        "from boardsmith.cli import headstart\n"
        "from boardsmith.templates import compile_plan, find_template\n"
        "plan = compile_plan(find_template('vision-board'))\n"
        "headstart.HeadStart(plan, preview=False).join()\n"
        "print('boardsmith.boards.summary' in sys.modules)\n"
    )
    done = run_python(script, check=True)
    assert done.stdout.split() == ["True"]
