"""The typed async client for Miro's REST API v2 (independent of the rest of boardsmith).

``from boardsmith.miro import MiroClient``; errors live in
:mod:`boardsmith.miro.errors` (re-exported here) and models in
:mod:`boardsmith.miro.models`.
"""

from boardsmith.miro import errors, models
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
