"""boardsmith's pytest plugin (entry point ``pytest11``): the ``miro_emulator`` fixture.

pytest loads this module in every run wherever boardsmith is installed, so it defines
names only; the emulator is imported when a test first asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from boardsmith.testing.emulator import MiroEmulator

__all__ = ["miro_emulator"]

_MARKER = "miro_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**settings): settings of the test's miro_emulator fixture, e.g. "
        "served=True, credits_per_minute=2000, latency_ms=50, rate_429=0.1, rate_500=0.1, "
        "fail_after_commit=0.5, fail_mode='drop', seed=7, db_path=...",
    )


@pytest.fixture
def miro_emulator(request: pytest.FixtureRequest) -> Iterator[MiroEmulator]:
    """A running Miro emulator with a fresh database for this test.

    Settings come from the closest ``@pytest.mark.miro_emulator(...)`` (module, class or
    test); see :class:`boardsmith.testing.MiroEmulator` for what it offers.
    """
    from boardsmith.testing.emulator import MiroEmulator

    marker = request.node.get_closest_marker(_MARKER)
    if marker is not None and marker.args:
        raise pytest.UsageError(f"@pytest.mark.{_MARKER} takes keyword arguments only")
    settings = dict(marker.kwargs) if marker is not None else {}
    with MiroEmulator(**settings) as emulator:
        yield emulator
