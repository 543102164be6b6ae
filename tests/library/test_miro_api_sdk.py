"""Miro's official Python SDK (``miro-api``) against the ``miro_emulator`` fixture.

This is the recipe the README gives for testing code written with the SDK: point the
SDK's configuration at the fixture's loopback URL and use one token per user.
"""

from __future__ import annotations

import pytest
from miro_api import MiroApi
from miro_api.configuration import Configuration
from miro_api.exceptions import ApiException, NotFoundException
from miro_api.models.board_changes import BoardChanges
from miro_api.models.sticky_note_create_request import StickyNoteCreateRequest
from miro_api.models.sticky_note_data import StickyNoteData

from boardsmith.testing import MiroEmulator


def sdk_for(emulator: MiroEmulator, user: str) -> MiroApi:
    api = MiroApi(emulator.token(user))
    # A configuration of its own: the SDK's default one is shared by every MiroApi.
    api.api_client.configuration = Configuration(host=emulator.base_url)
    return api


def test_the_sdk_builds_and_reads_a_board(miro_emulator: MiroEmulator) -> None:
    api = sdk_for(miro_emulator, "Ana")
    board = api.create_board(BoardChanges(name="From the SDK"))
    assert board.name == "From the SDK"
    for word in ("Bold", "Calm", "Kind"):
        api.create_sticky_note_item(
            board.id, StickyNoteCreateRequest(data=StickyNoteData(content=word))
        )
    # The SDK's own paginator, over the emulator's cursor pages of 10.
    items = list(api.get_all_items(board.id, limit="10"))
    assert sorted(i.data.actual_instance.content for i in items) == ["Bold", "Calm", "Kind"]
    assert {i.created_by.id for i in items} == {miro_emulator.user_id("Ana")}
    assert api.get_specific_board(board.id).owner.id == miro_emulator.user_id("Ana")
    requests = miro_emulator.stats()["requests"]
    assert requests["POST /v2/boards/{board_id}/sticky_notes"] == 3


async def test_sdk_and_boardsmith_client_share_the_fixtures_boards(
    miro_emulator: MiroEmulator,
) -> None:
    async with miro_emulator.client("Ana") as client:
        board = await client.boards.create(name="Made by boardsmith")
    api = sdk_for(miro_emulator, "Ana")
    assert api.get_specific_board(board.id).name == "Made by boardsmith"


def test_sdk_errors_come_from_the_fixture(miro_emulator: MiroEmulator) -> None:
    api = sdk_for(miro_emulator, "Ana")
    with pytest.raises(NotFoundException):
        api.get_specific_board("uXjVKnotThere=")
    miro_emulator.set_faults(rate_429=1.0)
    with pytest.raises(ApiException) as caught:
        api.create_board(BoardChanges(name="Limited"))
    assert caught.value.status == 429
