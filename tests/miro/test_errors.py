"""The error tree, one-line messages, lenient body parsing, and token redaction."""

from __future__ import annotations

import builtins
import logging

import httpx
import pytest
import respx

from boardsmith.errors import BoardsmithError
from boardsmith.miro import MiroClient, errors
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
    error_for_status,
    parse_error_body,
)
from boardsmith.miro.models import StickyNoteCreate
from tests.fake_time import FakeTime

from .conftest import BOARD, BOARD_PATH, TOKEN, CheckedRouter, make_client

BODY = b'{"status": %d, "code": "someCode", "message": "Something\\nwent wrong", "type": "error"}'


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (413, APIError),
    ],
)
def test_status_maps_to_its_class(status: int, cls: type[APIError]) -> None:
    err = error_for_status(status, "GET", "/v2/boards/b=", BODY % status)
    assert type(err) is cls
    assert isinstance(err, MiroError)
    assert isinstance(err, BoardsmithError)
    assert (err.status, err.code, err.method, err.path) == (
        status,
        "someCode",
        "GET",
        "/v2/boards/b=",
    )
    assert err.message == "Something went wrong"
    line = str(err)
    assert line.startswith(f"GET /v2/boards/b= failed: {status} someCode: Something went wrong")
    assert "\n" not in line


def test_tree_shape() -> None:
    assert issubclass(BulkItemError, BadRequestError)
    assert issubclass(ConnectError, TransportError)
    assert issubclass(TimeoutError, TransportError)
    bases: list[type[MiroError]] = [APIError, TransportError, AmbiguousWriteError]
    assert all(issubclass(base, MiroError) for base in bases)
    assert not issubclass(errors.TimeoutError, builtins.TimeoutError)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", (None, "", None)),
        (b"<html><body>Bad gateway</body></html>", (None, "", None)),
        (b"upstream   timed out", (None, "upstream timed out", None)),
        (b"[1, 2]", (None, "", None)),
        (b'{"message": "only message"}', (None, "only message", None)),
        (b'{"code": "x", "status": 400, "context": {"fields": []}}', ("x", "", {"fields": []})),
        (b'{"error": "invalid_token"}', (None, "invalid_token", None)),
    ],
)
def test_error_bodies_are_parsed_leniently(
    body: bytes, expected: tuple[str | None, str, object]
) -> None:
    assert parse_error_body(body) == expected


def test_message_without_code_and_html_body() -> None:
    err = error_for_status(502, "GET", "/v2/boards", b"<html>nope</html>")
    assert str(err) == "GET /v2/boards failed: 502"


def test_long_messages_are_truncated_to_one_line() -> None:
    err = error_for_status(400, "POST", "/v2/boards", b'{"message": "' + b"x" * 2000 + b'"}')
    assert len(str(err)) < 400


def test_ambiguous_error_names_indexes_and_chunks() -> None:
    err = AmbiguousWriteError(
        method="post",
        path="/v2/boards/b/items/bulk",
        reason="timed out after sending",
        indexes=list(range(20, 40)),
        succeeded_chunks=[0, 2],
    )
    assert str(err) == (
        "POST /v2/boards/b/items/bulk may have been applied: timed out after sending; "
        "outcome unknown for items 20-39; chunks 0, 2 were created "
        "(read the board to see what exists before retrying)"
    )


async def test_client_raises_each_api_error_from_miro_bodies(
    client: MiroClient, router: respx.MockRouter
) -> None:
    for status, cls in [(400, BadRequestError), (403, ForbiddenError), (404, NotFoundError)]:
        router.get(f"{BOARD_PATH}/items/{status}").respond(
            status, json={"status": status, "code": "c", "message": "m", "type": "error"}
        )
        with pytest.raises(cls) as info:
            await client.items.get(BOARD, str(status))
        assert str(info.value).startswith(f"GET /v2/boards/{BOARD}/items/{status} failed: {status}")
    router.patch(f"{BOARD_PATH}/items/9").respond(409, json={"code": "conflict", "message": "m"})
    with pytest.raises(ConflictError):
        await client.items.update(BOARD, "9", x=1)


async def test_invalid_response_is_a_one_line_miro_error(
    client: MiroClient, router: respx.MockRouter
) -> None:
    router.get(BOARD_PATH).respond(200, json={"name": "no id"})
    with pytest.raises(MiroError, match="unexpected answer from Miro") as info:
        await client.boards.get(BOARD)
    assert "\n" not in str(info.value)
    router.get(BOARD_PATH + "/members/1").respond(200, content=b"{not json")
    with pytest.raises(APIError, match="not valid JSON"):
        await client.members.get(BOARD, "1")


async def test_token_never_appears_in_reprs_errors_or_logs(
    checked: CheckedRouter, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    router = checked.router
    router.get(BOARD_PATH).respond(
        401, json={"status": 401, "code": "unauthorized", "message": "bad token"}
    )
    router.get(BOARD_PATH + "/members/1").mock(side_effect=httpx.ConnectError("refused"))
    router.post(BOARD_PATH + "/sticky_notes").mock(side_effect=httpx.ReadTimeout("slow"))
    seen: list[BaseException] = []
    async with make_client(checked, fake_time, max_retries=1) as client:
        assert TOKEN not in repr(client)
        assert TOKEN not in repr(client._source)
        for call in (
            client.boards.get(BOARD),
            client.members.get(BOARD, "1"),
            client.sticky_notes.create(
                BOARD, StickyNoteCreate.model_validate({"data": {"content": "x"}})
            ),
        ):
            with pytest.raises(MiroError) as info:
                await call
            seen.append(info.value)
    assert [type(e) for e in seen] == [AuthenticationError, ConnectError, AmbiguousWriteError]
    for exc in seen:
        text = " ".join([str(exc), repr(exc), repr(vars(exc)), repr(exc.__cause__)])
        assert TOKEN not in text
        assert exc.__cause__ is None  # no httpx request (with its headers) hangs off it
    assert caplog.records, "the client should log its requests at debug level"
    assert TOKEN not in caplog.text
    # The token did go out, in the header only.
    assert all(c.request.headers["Authorization"] == f"Bearer {TOKEN}" for c in router.calls)
