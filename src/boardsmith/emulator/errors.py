"""Miro-shaped error responses raised from inside the emulator's handlers."""

from __future__ import annotations

from typing import Any

from boardsmith.errors import BoardsmithError

JSON = dict[str, Any]


class DatabaseError(BoardsmithError):
    """The emulator's SQLite file cannot be used (not a database, or damaged)."""


class ApiError(Exception):
    """An error the emulator answers with Miro's body ``{status, code, message, type, context}``."""

    def __init__(self, status: int, code: str, message: str, context: JSON | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.context = context

    def body(self) -> JSON:
        """The JSON body Miro sends for this error."""
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "type": "error",
            # Miro's spec types context as an object; an empty one means "nothing to add".
            "context": self.context if self.context is not None else {},
        }


def invalid(field: str, message: str) -> ApiError:
    """A 400 ``invalidParameters`` pointing at one request field (dotted path)."""
    return ApiError(
        400,
        "invalidParameters",
        f"Invalid parameters: {field}: {message}",
        {"fields": [{"field": field, "message": message}]},
    )


def not_found(what: str) -> ApiError:
    """A 404 ``notFound`` for a board, item, tag or member."""
    return ApiError(404, "notFound", f"{what} not found")


def too_many_requests() -> JSON:
    """Miro's 429 body (its context is literally null)."""
    return {
        "status": 429,
        "code": "tooManyRequests",
        "message": "Request rate limit exceed",
        "context": None,
        "type": "error",
    }
