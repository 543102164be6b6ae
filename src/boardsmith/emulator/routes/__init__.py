"""Route handlers, one module per Miro resource."""

from __future__ import annotations

from boardsmith.emulator.routes import boards, connectors, copy, items, members, tags, typed
from boardsmith.emulator.routing import Route


def all_routes() -> list[Route]:
    """Every operation the emulator implements."""
    return [
        *boards.ROUTES,
        *copy.ROUTES,
        *members.ROUTES,
        *items.ROUTES,
        *typed.ROUTES,
        *connectors.ROUTES,
        *tags.ROUTES,
    ]
