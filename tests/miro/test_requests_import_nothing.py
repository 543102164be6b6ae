"""A request through the real HTTP stack imports nothing.

httpcore asks for ``sniffio`` on every lock and request; when it is not installed each
ask is a failed import that scans ``sys.path`` (about 80 µs, several times a request),
which made every page of a harvest or a watch refresh pay for it. boardsmith depends on
``sniffio`` so those lookups are dictionary hits.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator, Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

import pytest

from boardsmith.testing import MiroEmulator


class _Recorder(MetaPathFinder):
    """Records every module the import system has to look for."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        self.names.append(fullname)
        return None


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    found = _Recorder()
    sys.meta_path.insert(0, found)
    try:
        yield found
    finally:
        sys.meta_path.remove(found)


def test_served_requests_after_the_first_import_nothing(recorder: _Recorder) -> None:
    async def read(emulator: MiroEmulator) -> list[str]:
        async with emulator.client("Ana", served=True) as client:
            board = await client.boards.create(name="Imports")
            for _ in range(2):  # warm: the first requests may import what they use
                await client.boards.get(board.id)
                [member async for member in client.members.list(board.id)]
            recorder.names.clear()
            for _ in range(3):
                await client.boards.get(board.id)
                [member async for member in client.members.list(board.id)]
            return list(recorder.names)

    with MiroEmulator(served=True) as emulator:
        looked_up = asyncio.run(read(emulator))
    assert looked_up == []
