"""httpcore's per-request ``import sniffio`` fails at once when sniffio is missing."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

import pytest

from boardsmith.miro.client import skip_missing_sniffio


def _fresh(monkeypatch: pytest.MonkeyPatch, installed: bool) -> None:
    # setitem then delitem: undoing restores sys.modules as it was, absent or not.
    monkeypatch.setitem(sys.modules, "sniffio", None)
    monkeypatch.delitem(sys.modules, "sniffio")
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        if name == "sniffio":
            return object() if installed else None
        return real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_a_missing_sniffio_is_marked_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(monkeypatch, installed=False)
    assert skip_missing_sniffio() is True
    marked: object = sys.modules["sniffio"]
    assert marked is None
    with pytest.raises(ImportError):
        importlib.import_module("sniffio")
    assert skip_missing_sniffio() is False  # once is enough


def test_an_installed_sniffio_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(monkeypatch, installed=True)
    assert skip_missing_sniffio() is False
    assert "sniffio" not in sys.modules


async def test_httpcore_still_finds_asyncio(monkeypatch: pytest.MonkeyPatch) -> None:
    from httpcore._synchronization import current_async_library

    _fresh(monkeypatch, installed=False)
    skip_missing_sniffio()
    assert current_async_library() == "asyncio"
