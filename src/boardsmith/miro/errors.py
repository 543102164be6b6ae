"""Everything :class:`~boardsmith.miro.client.MiroClient` raises.

One tree rooted at :class:`boardsmith.errors.BoardsmithError`; ``str()`` is always one
line naming the call (method + path, never the query string) and Miro's status and
code. No error keeps an ``httpx`` request (its headers carry the bearer token).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from boardsmith.errors import BoardsmithError

if TYPE_CHECKING:
    from boardsmith.miro.models.items import AnyItem

__all__ = [
    "APIError",
    "AmbiguousWriteError",
    "AuthenticationError",
    "BadRequestError",
    "BoardAccessError",
    "BulkItemError",
    "ConflictError",
    "ConnectError",
    "ForbiddenError",
    "MiroError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "TransportError",
    "error_for_status",
    "parse_error_body",
]

_MAX_MESSAGE = 300


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_MESSAGE else flat[: _MAX_MESSAGE - 1] + "…"


class MiroError(BoardsmithError):
    """Base of every error the Miro client raises."""


class APIError(MiroError):
    """Miro answered with an error status.

    ``code`` / ``message`` / ``context`` come from Miro's error body when it has
    one (``code`` may be ``None``); ``path`` is the request path without query.
    """

    def __init__(
        self,
        *,
        status: int,
        method: str,
        path: str,
        code: str | None = None,
        message: str = "",
        context: Any = None,
        hint: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.method = method.upper()
        self.path = path
        self.context = context
        self.api_message = _one_line(message)
        detail = " ".join(p for p in (str(status), f"{code}:" if code else "") if p)
        text = f"{self.method} {path} failed: {detail}"
        if self.api_message:
            text += f" {self.api_message}" if code else f": {self.api_message}"
        super().__init__(text, hint=hint)
        # BoardsmithError stores the whole line as .message; the contract's
        # `.message` is Miro's message, so restore it after the base init.
        self.message = self.api_message

    def __str__(self) -> str:
        line = str(self.args[0])
        return f"{line} ({self.hint})" if self.hint else line

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r})"


class BadRequestError(APIError):
    """400: Miro rejected the request's content."""


class AuthenticationError(APIError):
    """401: the token is missing, invalid or expired (and could not be refreshed)."""


class ForbiddenError(APIError):
    """403: the token lacks a scope or the user lacks access to the board."""


class BoardAccessError(ForbiddenError):
    """403 ``forbiddenAccess`` on a board's own path: the user is not a member of the
    board, or (for a write) their role there is viewer or commenter. ``board_id`` names
    the board.

    ``str()`` is the one line the CLI prints, ending with the call and Miro's answer.
    """

    def __init__(self, *, board_id: str, **fields: Any) -> None:
        super().__init__(**fields)
        self.board_id = board_id
        if self.method == "GET":
            what = f"you are not a member of board {board_id} on Miro; ask its owner to share it"
        else:
            what = (
                f"you may not change board {board_id} on Miro: you are not a member, or "
                "only a viewer or commenter; ask its owner to share it with you as an editor"
            )
        answer = " ".join(str(p) for p in (self.status, self.code) if p)
        self.args = (f"{what} ({self.method} {self.path}: {answer})",)
        self.hint = None


class NotFoundError(APIError):
    """404: the board, item, tag or member does not exist (or is not visible)."""


class ConflictError(APIError):
    """409: the request conflicts with the board's current state."""


class RateLimitError(APIError):
    """429: Miro's credit budget is exhausted and retries did not help.

    ``retry_at`` (UNIX seconds) is set when Miro asked for a longer wait than the
    client's ``max_retry_wait``: the client raised instead of sleeping that long.
    """

    retry_at: float | None = None


class ServerError(APIError):
    """5xx: Miro failed on a request that was safe to retry, and retries ran out."""


class BulkItemError(BadRequestError):
    """A bulk create was rejected because of one item.

    ``index`` is the item's position in the caller's list (not in the chunk of 20)
    and ``field`` the parameter Miro named (e.g. ``data.content``). ``created``
    holds the items of chunks that were created before the failing one, by
    caller index, so the caller can clean up or reconcile.
    """

    def __init__(
        self,
        *,
        index: int | None,
        field: str | None,
        status: int,
        method: str,
        path: str,
        code: str | None = None,
        message: str = "",
        context: Any = None,
        created: Mapping[int, AnyItem] | None = None,
    ) -> None:
        where = f"item {index}" if index is not None else "an item"
        if field:
            where += f" field {field}"
        super().__init__(
            status=status,
            method=method,
            path=path,
            code=code,
            message=f"{where}: {message}" if message else where,
            context=context,
        )
        self.index = index
        self.field = field
        self.created: dict[int, AnyItem] = dict(created or {})


class TransportError(MiroError):
    """The request did not get an HTTP answer (network trouble)."""

    def __init__(self, message: str, *, method: str, path: str, hint: str | None = None) -> None:
        super().__init__(_one_line(message), hint=hint)
        self.method = method.upper()
        self.path = path


class ConnectError(TransportError):
    """Could not connect to Miro (or the connection dropped).

    ``reason`` is ``"refused"`` when nothing listens at a loopback API URL and
    ``"tls"`` when the server does not speak https; both are raised at once,
    never retried, so callers can explain them.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        hint: str | None = None,
        reason: Literal["refused", "tls"] | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, hint=hint)
        self.reason = reason


# Shadows the builtin inside this module on purpose: the contract names it so.
class TimeoutError(TransportError):
    """Miro did not answer in time."""


class AmbiguousWriteError(MiroError):
    """A POST may or may not have been applied; the caller must reconcile by reading.

    For a bulk create, ``indexes`` lists the caller indexes in chunks whose
    outcome is unknown, ``created`` maps caller indexes to items of chunks that
    certainly succeeded, and ``succeeded_chunks`` numbers those chunks (0-based).
    """

    def __init__(
        self,
        *,
        method: str,
        path: str,
        reason: str,
        status: int | None = None,
        indexes: Sequence[int] = (),
        created: Mapping[int, AnyItem] | None = None,
        succeeded_chunks: Sequence[int] = (),
    ) -> None:
        self.method = method.upper()
        self.path = path
        self.reason = _one_line(reason)
        self.status = status
        self.indexes = list(indexes)
        self.created: dict[int, AnyItem] = dict(created or {})
        self.succeeded_chunks = list(succeeded_chunks)
        text = f"{self.method} {path} may have been applied: {self.reason}"
        if self.indexes:
            text += f"; outcome unknown for items {_ranges(self.indexes)}"
        if self.succeeded_chunks:
            text += f"; chunks {_ranges(self.succeeded_chunks)} were created"
        super().__init__(text, hint="read the board to see what exists before retrying")


def _ranges(numbers: Sequence[int]) -> str:
    """``[0, 1, 2, 5]`` -> ``"0-2, 5"`` so long index lists stay one short line."""
    out: list[str] = []
    start = prev = None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ", ".join(out)


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}

_HINTS: dict[int, str] = {
    401: "check the Miro token, or log in again",
    403: "the token lacks the boards:read / boards:write scope or access to this board",
    429: "Miro's rate limit was hit; wait a minute or lower the credit budget",
}


def parse_error_body(content: bytes) -> tuple[str | None, str, Any]:
    """``(code, message, context)`` from a Miro error body, tolerating anything.

    Miro's error bodies vary by endpoint (``Error``, ``BulkOperationError``, looser
    inline objects); a proxy may answer with HTML. Every field is optional.
    """
    try:
        body = json.loads(content) if content else None
    except (ValueError, UnicodeDecodeError):
        text = content.decode("utf-8", "replace")
        # An HTML error page is noise; keep only short plain-text bodies.
        return None, "" if "<" in text else _one_line(text), None
    if not isinstance(body, dict):
        return None, "", None
    code = body.get("code")
    message = body.get("message") or body.get("error_description") or body.get("error") or ""
    return (
        str(code) if code not in (None, "") else None,
        str(message) if not isinstance(message, str) else message,
        body.get("context"),
    )


_BOARD_PATH = "/v2/boards/"
#: Miro's codes for "no access to this board" (``Error403`` and API-NOTES section 8).
_NO_ACCESS_CODES = frozenset({"forbiddenAccess", "forbidden"})


def _denied_board(status: int, path: str, code: str | None, message: str) -> str | None:
    """The board a 403 ``forbiddenAccess`` is about (not when it is about the token's scopes)."""
    if status != 403 or code not in _NO_ACCESS_CODES or not path.startswith(_BOARD_PATH):
        return None
    if "scope" in message.casefold():
        return None
    board = path[len(_BOARD_PATH) :].split("/", 1)[0]
    return unquote(board) or None


def error_for_status(status: int, method: str, path: str, content: bytes) -> APIError:
    """The :class:`APIError` subclass for an HTTP error answer."""
    code, message, context = parse_error_body(content)
    board_id = _denied_board(status, path, code, message)
    if board_id is not None:
        return BoardAccessError(
            board_id=board_id,
            status=status,
            method=method,
            path=path,
            code=code,
            message=message,
            context=context,
        )
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    return cls(
        status=status,
        method=method,
        path=path,
        code=code,
        message=message,
        context=context,
        hint=_HINTS.get(status),
    )
