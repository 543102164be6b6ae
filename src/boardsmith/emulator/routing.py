"""The emulator's route table: Miro path templates, rate-limit levels, sync handlers.

The app (:mod:`boardsmith.emulator.app`) turns each :class:`Route` into a starlette route;
handlers stay plain functions of a :class:`Ctx` so they never see HTTP.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from boardsmith.emulator.errors import not_found
from boardsmith.emulator.fields import Fields
from boardsmith.emulator.ratelimit import LEVEL_CREDITS
from boardsmith.emulator.storage import JSON, Store
from boardsmith.emulator.users import User

#: What ``quote(part, safe="")`` leaves as it is (RFC 3986's unreserved characters).
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _encoded(part: str) -> str:
    """``part`` percent-encoded as ``quote(part, safe="")`` does, and as cheaply as can be.

    Every item of every listing page carries links, so this runs thousands of times
    a page; most parts (``boards``, item ids) have nothing to encode, and the rest
    are mostly the few board ids of a run (``=`` becomes ``%3D``).
    """
    return part if _UNRESERVED(part) else _quoted(part)


@functools.lru_cache(maxsize=1024)
def _quoted(part: str) -> str:
    return quote(part, safe="")


@dataclass
class Ctx:
    """Everything a handler may use for one request."""

    store: Store
    user: User
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    base_url: str
    now: str
    rng: random.Random

    def board(self) -> JSON:
        """The board named in the path; 404 when it does not exist."""
        board = self.store.get_board(self.params["board_id"])
        if board is None:
            raise not_found(f"Board {self.params['board_id']}")
        return board

    def url(self, *parts: str) -> str:
        """An absolute API URL; ids are percent-encoded like Miro's links."""
        return self.base_url + "/v2/" + "/".join(map(_encoded, parts))


@dataclass
class Reply:
    """A handler's answer; ``body`` None means no content."""

    status: int
    body: Any = None


Handler = Callable[[Ctx], Reply]


@dataclass
class Route:
    """One Miro operation; ``level`` is its rate-limit level (or a function of the request).

    ``needs`` is the least board role the operation needs on the path's board (``None``:
    viewer for reads, editor for writes); handlers check finer rules themselves.
    ``fields`` is the request body's accepted field tree (:mod:`boardsmith.emulator.fields`),
    ``None`` for operations without a body.
    """

    method: str
    template: str
    level: int
    handler: Handler
    cost: Callable[[Ctx], int] | None = None
    needs: str | None = None
    fields: Fields | None = None

    def credits(self, ctx: Ctx) -> int:
        """What this request costs (bulk create costs per item)."""
        if self.cost is not None:
            return self.cost(ctx)
        return LEVEL_CREDITS[self.level]

    @property
    def least_role(self) -> str:
        """The board role checked before the handler runs."""
        if self.needs is not None:
            return self.needs
        return "viewer" if self.method == "GET" else "editor"

    @property
    def writes(self) -> bool:
        """True for operations that change data."""
        return self.method != "GET"

    @property
    def operation(self) -> str:
        """The stats key, e.g. ``GET /v2/boards/{board_id}/items``."""
        return f"{self.method} {self.template}"
