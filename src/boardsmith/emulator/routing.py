"""The emulator's route table: Miro path templates, rate-limit levels, sync handlers."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from boardsmith.emulator.errors import ApiError, not_found
from boardsmith.emulator.ratelimit import LEVEL_CREDITS
from boardsmith.emulator.storage import JSON, Store
from boardsmith.emulator.users import User


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
        return self.base_url + "/v2/" + "/".join(quote(p, safe="") for p in parts)


@dataclass
class Reply:
    """A handler's answer; ``body`` None means no content."""

    status: int
    body: Any = None


Handler = Callable[[Ctx], Reply]


@dataclass
class Route:
    """One Miro operation; ``level`` is its rate-limit level (or a function of the request)."""

    method: str
    template: str
    level: int
    handler: Handler
    cost: Callable[[Ctx], int] | None = None
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        self.pattern = re.compile(f"^{regex}$")

    def credits(self, ctx: Ctx) -> int:
        """What this request costs (bulk create costs per item)."""
        if self.cost is not None:
            return self.cost(ctx)
        return LEVEL_CREDITS[self.level]

    @property
    def writes(self) -> bool:
        """True for operations that change data."""
        return self.method != "GET"

    @property
    def operation(self) -> str:
        """The stats key, e.g. ``GET /v2/boards/{board_id}/items``."""
        return f"{self.method} {self.template}"


class Router:
    """Matches a method and decoded path to a route; literal segments win over parameters."""

    def __init__(self, routes: list[Route]) -> None:
        self._routes = sorted(routes, key=lambda r: -len(re.sub(r"\{\w+\}", "", r.template)))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route for a request; 404/405 as Miro-style errors otherwise."""
        allowed = False
        for route in self._routes:
            m = route.pattern.match(path)
            if m is None:
                continue
            if route.method == method:
                return route, m.groupdict()
            allowed = True
        if allowed:
            raise ApiError(405, "methodNotAllowed", f"Method {method} is not allowed for {path}")
        raise ApiError(404, "notFound", f"No API operation at {path}")
