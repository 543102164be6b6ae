"""A harvest's modules load on a thread while the first pages are on their way.

Importing :mod:`boardsmith.harvest.api` (what a command needs to start reading) must
not import the harvest's own modules; a preload imports them, and the harvest waits
for it rather than importing them alongside it.
"""

from __future__ import annotations

import json
import threading

import pytest

from boardsmith.harvest import preload
from boardsmith.harvest.preload import HARVEST_MODULES
from tests.cli_helpers import run_python

_IMPORTED = "import json, sys; print(json.dumps([m for m in {mods!r} if m in sys.modules]))"


def _loaded_after(code: str) -> list[str]:
    proc = run_python(code + "\n" + _IMPORTED.format(mods=HARVEST_MODULES), check=True)
    loaded: list[str] = json.loads(proc.stdout.splitlines()[-1])
    return loaded


def test_the_api_imports_none_of_the_harvest_modules() -> None:
    assert _loaded_after("import boardsmith.harvest.api") == []


def test_the_document_models_are_still_importable_from_the_api() -> None:
    from boardsmith.harvest import api, model
    from boardsmith.harvest.api import HarvestDocument

    assert HarvestDocument is model.HarvestDocument
    for name in ("BoardHarvest", "HarvestDocument", "HarvestWarning", "TallyRecord"):
        assert name in api.__all__
        assert getattr(api, name) is getattr(model, name)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = api.no_such_name


def test_a_preload_imports_them_all() -> None:
    loaded = _loaded_after(
        "from boardsmith.harvest.preload import harvest_modules, preload_harvest\n"
        "preload_harvest()\nharvest_modules()"
    )
    assert loaded == list(HARVEST_MODULES)


def test_the_harvest_waits_for_the_preload(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    steps: list[str] = []

    def slow_load() -> None:
        release.wait(5)
        steps.append("imported")

    monkeypatch.setattr(preload, "_importing", None)
    monkeypatch.setattr(preload, "_go", threading.Event())
    monkeypatch.setattr(preload, "_load", slow_load)
    preload.preload_harvest()
    preload.preload_harvest()  # once per process

    def harvest() -> None:
        preload.harvest_modules()
        steps.append("harvest")

    waiter = threading.Thread(target=harvest)
    waiter.start()
    waiter.join(0.05)
    assert steps == []  # still waiting
    release.set()
    waiter.join(5)
    assert steps == ["imported", "harvest"]


def _recorded(monkeypatch: pytest.MonkeyPatch, steps: list[str]) -> threading.Event:
    loaded = threading.Event()

    def load() -> None:
        steps.append("preload")
        loaded.set()

    monkeypatch.setattr(preload, "_importing", None)
    monkeypatch.setattr(preload, "_go", threading.Event())
    monkeypatch.setattr(preload, "_load", load)
    return loaded


def test_a_held_preload_starts_when_released(monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []
    loaded = _recorded(monkeypatch, steps)
    preload.preload_harvest(held=True)
    assert not loaded.wait(0.05)
    preload.release_preload()
    assert loaded.wait(5)
    assert steps == ["preload"]


def test_a_harvest_lets_a_held_preload_go_rather_than_wait_forever(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps: list[str] = []
    _recorded(monkeypatch, steps)
    preload.preload_harvest(held=True)
    done = threading.Thread(target=preload.harvest_modules)
    done.start()
    done.join(5)
    assert not done.is_alive()
    assert steps == ["preload"]
