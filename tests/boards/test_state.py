"""The per-board state file: location, round trip, atomic writes, clear errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from boardsmith.boards.state import BoardState, StateEntry, StateStore
from boardsmith.errors import StateError


def _state(board_id: str = "uXjVOD6/LSM+=", backend: str = "emulator") -> BoardState:
    return BoardState(
        backend=backend,
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


@pytest.mark.parametrize("backend", ["miro", "emulator", "emulator-server", "a-b-c"])
@pytest.mark.parametrize("board_id", ["uXjVOD6LSME=", "a/b=+c", "o9J-kx_y=", "-", "x-"])
def test_file_name_parses_back_to_backend_and_board(
    tmp_path: Path, backend: str, board_id: str
) -> None:
    store = StateStore(tmp_path)
    path = store.path_for(backend=backend, board_id=board_id)
    assert StateStore.board_id_from_path(path) == (backend, board_id)


def test_an_emulator_server_board_is_listed_under_its_own_id(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.save(_state("uXjVKab12Cd=", backend="emulator-server"))
    store.save(_state("server-uXjVKab12Cd=", backend="emulator"))

    assert store.list_states() == [
        ("emulator", "server-uXjVKab12Cd="),
        ("emulator-server", "uXjVKab12Cd="),
    ]
    loaded = store.load(backend="emulator-server", board_id="uXjVKab12Cd=")
    assert loaded is not None
    assert loaded.backend == "emulator-server"


def test_a_state_file_under_the_legacy_name_is_found_and_renamed(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    state = _state("uXjVKab12Cd=", backend="emulator-server")
    path = store.save(state)
    state.items.pop("bank/w0")
    store.record(state, ["bank/w0"])
    # As a release before the backend's "-" was encoded named the file and journal.
    legacy = tmp_path / "state" / "emulator-server-uXjVKab12Cd%3D.json"
    os.replace(path, legacy)
    os.replace(path.with_name(path.name + ".journal"), legacy.with_name(legacy.name + ".journal"))

    loaded = store.load(backend="emulator-server", board_id="uXjVKab12Cd=")

    assert loaded is not None
    assert set(loaded.items) == {"bank"}  # the journal came along
    assert sorted(p.name for p in (tmp_path / "state").iterdir()) == [
        "emulator%2Dserver-uXjVKab12Cd%3D.json",
        "emulator%2Dserver-uXjVKab12Cd%3D.json.journal",
    ]


def test_another_boards_file_under_the_legacy_name_stays_put(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    # Emulator board "server-X" has the name emulator-server board "X" had.
    path = store.save(_state("server-X", backend="emulator"))

    assert store.load(backend="emulator-server", board_id="X") is None
    assert path.exists()
    assert store.load(backend="emulator", board_id="server-X") is not None


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


def _journal(store: StateStore, state: BoardState) -> Path:
    path = store.path_for(backend=state.backend, board_id=state.board_id)
    return path.with_name(path.name + ".journal")


def test_recorded_entries_survive_without_a_full_save(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    state = _state()
    store.save(state)
    state.items["bank/w1"] = StateEntry(
        item_id="3458764517517819002", type="sticky_note", hash="h3"
    )
    store.record(state, ["bank/w1"])
    del state.items["bank/w0"]
    store.record(state, ["bank/w0"])

    # As after a kill: the file still holds the old version, the journal the news.
    assert json.loads(store.path_for(backend="emulator", board_id=state.board_id).read_text())[
        "items"
    ].keys() == {"bank", "bank/w0"}
    loaded = store.load(backend="emulator", board_id=state.board_id)
    assert loaded == state


def test_save_folds_the_journal_into_the_file(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    state = _state()
    store.save(state)
    state.items["bank/w1"] = StateEntry(
        item_id="3458764517517819002", type="sticky_note", hash="h3"
    )
    store.record(state, ["bank/w1"])
    assert _journal(store, state).exists()

    store.save(state)

    assert not _journal(store, state).exists()
    assert store.load(backend="emulator", board_id=state.board_id) == state


def test_a_torn_last_journal_line_is_ignored(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    state = _state()
    store.save(state)
    state.items["bank/w1"] = StateEntry(
        item_id="3458764517517819002", type="sticky_note", hash="h3"
    )
    store.record(state, ["bank/w1"])
    with _journal(store, state).open("a") as fh:
        fh.write('{"key": "bank/w2", "entry": {"item_id": "34587')  # killed mid-append

    loaded = store.load(backend="emulator", board_id=state.board_id)
    assert loaded is not None
    assert set(loaded.items) == {"bank", "bank/w0", "bank/w1"}


def test_a_damaged_journal_line_names_file_and_line(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    state = _state()
    store.save(state)
    journal = _journal(store, state)
    journal.write_text('not json\n{"key": "bank", "entry": null}\n')

    with pytest.raises(StateError) as exc_info:
        store.load(backend="emulator", board_id=state.board_id)
    assert str(exc_info.value).startswith(f"{journal}:1: board state is unreadable:")


def test_state_and_journal_are_private_under_a_loose_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = StateStore(tmp_path)
        state = _state()
        path = store.save(state)
        state.items["bank/w1"] = StateEntry(item_id="3458764517517819002", type="text", hash="h")
        store.record(state, ["bank/w1"])
    finally:
        os.umask(old)
    journal = path.with_name(path.name + ".journal")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    loaded = store.load(backend="emulator", board_id=state.board_id)
    assert loaded is not None
    assert "bank/w1" in loaded.items
