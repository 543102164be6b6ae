"""``create`` keeps the garbage collector off start-up's objects during the build only."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards import apply
from tests.cli.conftest import Run


def test_startup_is_frozen_during_the_build_and_handed_back_after(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = apply.apply_plan
    frozen: list[int] = []

    async def watched(*args: Any, **kwargs: Any) -> apply.ApplyResult:
        frozen.append(gc.get_freeze_count())
        return await real(*args, **kwargs)

    monkeypatch.setattr(apply, "apply_plan", watched)
    assert gc.get_freeze_count() == 0
    code, out, err = run("create", "vision-board", "--json")
    assert code == 0, err
    assert json.loads(out)["created"] > 100
    assert len(frozen) == 1
    assert frozen[0] > 10_000
    assert gc.get_freeze_count() == 0


def test_a_freeze_made_by_someone_else_is_left_alone(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    thawed: list[bool] = []
    monkeypatch.setattr(gc, "unfreeze", lambda: thawed.append(True))
    gc.freeze()
    try:
        code, _, err = run("create", "vision-board", "--json")
        assert code == 0, err
        assert thawed == []
        assert gc.get_freeze_count() > 0
    finally:
        monkeypatch.undo()
        gc.unfreeze()
