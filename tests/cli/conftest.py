"""The CLI tests use the suite-wide ``home`` and ``run`` fixtures (``tests/conftest.py``)."""

from __future__ import annotations

from tests.cli_helpers import Run

__all__ = ["Run"]
