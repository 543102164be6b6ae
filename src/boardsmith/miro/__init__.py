"""The typed async client for Miro's REST API v2 (independent of the rest of boardsmith).

``from boardsmith.miro import MiroClient``; errors live in
:mod:`boardsmith.miro.errors` (re-exported here) and models in
:mod:`boardsmith.miro.models`.
"""

from importlib import import_module
from typing import Any

from boardsmith.miro import errors
from boardsmith.miro.client import DEFAULT_BASE_URL, ClientStats, MiroClient
from boardsmith.miro.errors import (
    AmbiguousWriteError,
    APIError,
    AuthenticationError,
    BadRequestError,
    BulkItemError,
    ConflictError,
    ConnectError,
    ForbiddenError,
    MiroError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TimeoutError,
    TransportError,
)
from boardsmith.miro.token_source import StaticToken, TokenSource

__all__ = [
    "DEFAULT_BASE_URL",
    "APIError",
    "AmbiguousWriteError",
    "AuthenticationError",
    "BadRequestError",
    "BulkItemError",
    "ClientStats",
    "ConflictError",
    "ConnectError",
    "ForbiddenError",
    "MiroClient",
    "MiroError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "StaticToken",
    "TimeoutError",
    "TokenSource",
    "TransportError",
    "errors",
    "models",
]


def __getattr__(name: str) -> Any:
    # ``models`` (~60 pydantic models) loads on first use: a reader that sends raw
    # requests (harvest) never builds them.
    if name == "models":
        return import_module("boardsmith.miro.models")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
