"""The per-board state file: location, round trip, atomic writes, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boardsmith.boards.state import BoardState, StateEntry, StateStore
from boardsmith.errors import StateError


def _state(board_id: str = "uXjVOD6/LSM+=") -> BoardState:
    return BoardState(
        backend="emulator",
        board_id=board_id,
        template="vision-board",
        template_version="3",
        params={"participants": ["Ana", "Ben"]},
        items={
            "bank": StateEntry(item_id="3458764517517819000", type="frame", hash="h1", x=1, y=2),
            "bank/w0": StateEntry(
                item_id="3458764517517819001",
                type="sticky_note",
                hash="h2",
                x=-300.5,
                y=-200,
                parent_key="bank",
            ),
        },
    )


def test_round_trip_keeps_everything_harvest_needs(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    state = _state()
    path = store.save(state)

    assert path.parent == tmp_path / "state"
    loaded = store.load(backend="emulator", board_id=state.board_id)
    assert loaded == state
    assert loaded is not None
    assert loaded.item_ids() == {
        "bank": "3458764517517819000",
        "bank/w0": "3458764517517819001",
    }
    assert loaded.items["bank/w0"].parent_key == "bank"


def test_file_name_is_safe_and_reversible(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    path = store.save(_state("a/b=+c"))

    assert path.parent == tmp_path / "state"
    assert "/" not in path.name
    assert "=" not in path.name
    assert path.name.startswith("emulator-")
    assert StateStore.board_id_from_path(path) == ("emulator", "a/b=+c")
    assert store.list_states() == [("emulator", "a/b=+c")]
    # The id is inside the file too, for anyone reading it directly.
    assert json.loads(path.read_text())["board_id"] == "a/b=+c"


def test_missing_state_is_none(tmp_path: Path) -> None:
    assert StateStore(tmp_path).load(backend="miro", board_id="nope=") is None
    assert StateStore(tmp_path).list_states() == []


def test_save_replaces_atomically_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    state = _state()
    store.save(state)
    state.items["title"] = StateEntry(item_id="9", type="text", hash="h3")
    store.save(state)

    files = list((tmp_path / "state").iterdir())
    assert len(files) == 1
    loaded = store.load(backend="emulator", board_id=state.board_id)
    assert loaded is not None
    assert "title" in loaded.items


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"backend": "emulator"}', b"[]", b'{"backend": "emulator", "board_id": 5}'],
)
def test_unreadable_state_names_the_file(tmp_path: Path, content: bytes) -> None:
    store = StateStore(tmp_path)
    path = store.path_for(backend="emulator", board_id="b=")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)

    with pytest.raises(StateError) as info:
        store.load(backend="emulator", board_id="b=")
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message


def test_state_of_another_board_is_rejected(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    other = _state("other=")
    path = store.path_for(backend="emulator", board_id="mine=")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(other.model_dump(mode="json")))

    with pytest.raises(StateError, match="belongs to emulator board 'other='"):
        store.load(backend="emulator", board_id="mine=")


def test_unwritable_directory_is_a_state_error(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the directory should be")
    with pytest.raises(StateError, match="cannot write board state"):
        StateStore(tmp_path).save(_state())
