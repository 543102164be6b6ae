"""The CLI conventions of ``create``, ``plan`` and ``apply`` (issue 16), end to end on
the embedded emulator: ``--format json``, a plan that leads with counts and cost and
names the work in the workshop's words, ``apply --prune`` asking first, and what to
do after ``create``."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from boardsmith.boards.state import StateStore
from boardsmith.cli.create import preview_name
from boardsmith.emulator import EmulatorTransport, create_app
from tests.cli_helpers import run_cli as run

from .test_cli import board_items

TYPE_ROWS = ("frames", "sticky notes", "shapes", "texts", "connectors")


def _create(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, "create", *args, "--json")
    assert code == 0, err
    summary: dict[str, Any] = json.loads(out)
    return summary


# ---- --json and --format json ---------------------------------------------------------


@pytest.mark.parametrize("command", ["create", "plan"])
def test_format_json_is_the_same_as_json(
    home: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    extra = ["--dry-run"] if command == "create" else []
    code, by_flag, _ = run(capsys, command, "vision-board", *extra, "--json")
    assert code == 0
    code, by_format, _ = run(capsys, command, "vision-board", *extra, "--format", "json")
    assert code == 0
    flag, fmt = json.loads(by_flag), json.loads(by_format)
    # The emulator database path is the same; only nothing is time-dependent here.
    assert flag == fmt


def test_apply_format_json_matches_apply_json(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys, "see-hear-feel")["board_id"]
    code, by_flag, _ = run(capsys, "apply", "see-hear-feel", "--board", board_id, "--json")
    assert code == 0
    code, by_format, _ = run(
        capsys, "apply", "see-hear-feel", "--board", board_id, "--format", "json"
    )
    assert code == 0
    assert json.loads(by_flag).keys() == json.loads(by_format).keys()


def test_json_with_format_text_is_one_usage_line(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "create", "vision-board", "--json", "--format", "text")
    assert (code, out) == (2, "")
    assert err == "error: --json and --format text: choose one\n"
    assert not (home / "state").exists()


def test_dry_run_json_has_the_keys_of_create_json_with_what_would_happen(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("vision-board", "--participants", "Ana,Ben")
    code, out, _ = run(capsys, "create", *args, "--dry-run", "--json")
    assert code == 0
    would = json.loads(out)
    assert not (home / "state").exists()
    did = _create(capsys, *args)
    assert set(would) == set(did)
    assert (would["dry_run"], did["dry_run"]) == (True, False)
    for key in ("created", "updated", "unchanged", "skipped", "retired", "by_type", "backend"):
        assert would[key] == did[key], key
    # The estimate is what the run then took, call for call and credit for credit.
    assert (would["api_calls"], would["credits"]) == (did["api_calls"], did["credits"])


def test_plan_estimate_for_a_board_is_what_apply_then_takes(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys, "vision-board", "--participants", "Ana,Ben")["board_id"]
    args = ("vision-board", "--board", board_id, "--participants", "Ana,Ben,Cy")
    code, out, _ = run(capsys, "plan", *args, "--json")
    assert code == 0
    planned = json.loads(out)
    code, out, _ = run(capsys, "apply", *args, "--json")
    assert code == 0
    applied = json.loads(out)
    assert planned["estimate"] == {"api_calls": applied["api_calls"], "credits": applied["credits"]}
    assert planned["by_type"]["shape"]["create"] == applied["by_type"]["shape"]["create"] == 5


# ---- plan and dry run: counts and cost first, then the work in words -------------------


@pytest.mark.parametrize("command", [["plan"], ["create", "--dry-run"]])
def test_plan_leads_with_counts_by_type_and_cost_then_names_areas(
    home: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, out, _ = run(capsys, *command, "vision-board", "--participants", "Ana,Ben")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "plan for a new board: template leadership-vision v3"
    # v2's 92, less the 4 per-box prompt texts, plus the dots text, the prompts'
    # heading and list, and the sketch area (shape, heading, guidance).
    assert lines[1].startswith("94 to create, 0 to update, 0 to leave")
    table = {line.split("  ")[1].strip(): line.split()[-3:] for line in lines[3:8]}
    assert list(table) == list(TYPE_ROWS)
    assert table["sticky notes"] == ["45", "0", "0"]
    assert table["connectors"] == ["0", "0", "0"]
    assert lines[8].startswith("estimated: ")
    assert " API calls, " in lines[8]
    assert " credits " in lines[8]
    assert lines[9] == "would create:"
    listed = lines[10:]
    assert "  lane for Ana: 7 items (5 shapes, 2 texts)" in listed
    assert "  lane for Ben: 7 items (5 shapes, 2 texts)" in listed
    assert "  top slots: 5 shapes" in listed
    assert any(line.startswith("  word bank: 47 items (45 sticky notes") for line in listed)
    assert "  section 'sketch': 3 items (2 texts, 1 shape)" in listed
    # Internal keys only with --verbose.
    assert "vision/" not in out
    code, out, _ = run(capsys, "--verbose", *command, "vision-board", "--participants", "Ana")
    assert code == 0
    assert "    create vision/lanes/lane-ana/dots/dot-1  (shape)" in out.splitlines()


def test_plan_of_a_changed_board_names_what_changes_in_words(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys, "vision-board", "--participants", "Ana,Ben,Cy")["board_id"]
    code, out, _ = run(
        capsys, "plan", "vision-board", "--board", board_id, "--participants", "Ana,Ben,Dee"
    )
    assert code == 0
    assert "  lane for Dee: 7 items (5 shapes, 2 texts)" in out
    # The dropped lane is named as it was built, not by its key.
    assert "  lane for Cy: 7 items (5 shapes, 2 texts) (unchanged, apply --prune deletes it)" in (
        out
    )
    assert "lane-cy" not in out


# ---- apply --prune asks first ---------------------------------------------------------


def _board_with_a_dropped_lane(capsys: pytest.CaptureFixture[str]) -> tuple[str, list[str]]:
    board_id = _create(capsys, "vision-board", "--participants", "Ana,Ben,Cy")["board_id"]
    return board_id, ["vision-board", "--board", board_id, "--participants", "Ana,Ben"]


class _Terminal(io.StringIO):
    """Stdin as a terminal the user types ``answer`` into."""

    def isatty(self) -> bool:
        return True


def test_prune_without_a_terminal_needs_yes_and_deletes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id, args = _board_with_a_dropped_lane(capsys)
    before = board_items(home, board_id)
    assert not sys.stdin.isatty()
    code, out, err = run(capsys, "apply", *args, "--prune")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "--prune" in err
    assert "--yes" in err
    assert board_items(home, board_id) == before
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    assert "vision/lanes/lane-cy" in state.items


@pytest.mark.parametrize("answer", ["n\n", "\n"])
def test_prune_on_a_terminal_says_what_it_would_delete_and_a_no_keeps_it(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    board_id, args = _board_with_a_dropped_lane(capsys)
    before = board_items(home, board_id)
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    code, out, err = run(capsys, "apply", *args, "--prune")
    assert code == 1
    assert out == ""
    assert "--prune would delete 7 items" in err
    assert "  lane for Cy: 7 items (5 shapes, 2 texts)" in err
    assert "Delete them? [y/N]" in err
    assert "nothing was changed" in err.splitlines()[-1]
    assert "Traceback" not in err
    assert board_items(home, board_id) == before


@pytest.mark.slow
def test_prune_on_a_terminal_deletes_after_a_yes(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    board_id, args = _board_with_a_dropped_lane(capsys)
    count = len(board_items(home, board_id))
    monkeypatch.setattr(sys, "stdin", _Terminal("y\n"))
    code, out, err = run(capsys, "apply", *args, "--prune", "--json")
    assert code == 0, err
    assert "Delete them? [y/N]" in err
    assert json.loads(out)["pruned"] == 7
    assert len(board_items(home, board_id)) == count - 7


@pytest.mark.parametrize("yes", ["--yes", "-y"])
def test_prune_with_yes_asks_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, yes: str
) -> None:
    _, args = _board_with_a_dropped_lane(capsys)
    # A terminal that would fail the test if anything were read from it.
    monkeypatch.setattr(sys, "stdin", _Terminal(""))
    code, out, err = run(capsys, "apply", *args, "--prune", yes, "--json")
    assert code == 0, err
    assert "Delete them?" not in err
    assert json.loads(out)["pruned"] == 7


# ---- after create: what to do next ----------------------------------------------------


def test_create_ends_with_the_preview_file_and_the_harvest_command(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "create", "see-hear-feel")
    assert code == 0
    assert "next" not in out
    last = err.splitlines()[-3:]
    assert last[0] == "next:"
    label, preview = last[1].split(":", 1)
    assert label.strip() == "look at the board"
    path = Path(preview.strip())
    assert path.is_file()
    assert path.read_text().startswith("<svg")
    assert "%" not in str(path)
    board_id = next(line.split(":", 1)[1].strip() for line in out.splitlines() if "id:" in line)
    assert path.name == preview_name("emulator", board_id)
    assert last[2] == f"  after the workshop:  boardsmith harvest {board_id}"


def test_quiet_create_prints_only_the_summary(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--quiet", "create", "see-hear-feel")
    assert code == 0
    assert "create: " in out
    assert err == ""


def test_create_json_keeps_stdout_to_the_summary(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "create", "see-hear-feel", "--json")
    assert code == 0
    summary = json.loads(out)
    assert "%" not in summary["preview"]
    assert Path(summary["preview"]).is_file()


def test_preview_names_are_plain_and_never_shared() -> None:
    ids = ["uXjVKab12Cd=", "uXjVKab12Cd+", "uXjVKab12Cd_", "uXjVKab12Cd.", "uXjVKab12Cd"]
    names = [preview_name("emulator", board_id) for board_id in ids]
    assert len(set(names)) == len(ids)
    assert all("%" not in n and "=" not in n and "+" not in n for n in names)
    assert preview_name("emulator", "uXjVKab12Cd") == "emulator-uXjVKab12Cd.svg"
    assert preview_name("emulator", "uXjVKab12Cd=").startswith("emulator-uXjVKab12Cd_-")


def test_create_on_miro_ends_with_the_board_url(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import boardsmith.cli.backend as backend_module

    # "Miro" here is an emulator behind the real API URL: the CLI sees a Miro backend.
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", "Facilitator:local")
    app = create_app(home / "miro-stand-in.sqlite3")
    original = backend_module.open_backend

    @contextlib.asynccontextmanager
    async def miro(settings: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with original(settings, transport=EmulatorTransport(app)) as backend:
            yield backend

    monkeypatch.setattr(backend_module, "open_backend", miro)
    try:
        code, out, err = run(capsys, "create", "see-hear-feel")
    finally:
        app.close()
    assert code == 0, err
    url = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("board:"))
    assert url.startswith("https://miro.com/app/board/")
    board_id = url.removeprefix("https://miro.com/app/board/").rstrip("/")
    assert err.splitlines()[-3:] == [
        "next:",
        f"  open the board:      {url}",
        f"  after the workshop:  boardsmith harvest {board_id}",
    ]
    assert not (home / "previews").exists()


# ---- help -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "placeholders"),
    [
        ("create", ["TEMPLATE", "--board BOARD", "--participants NAMES", "--param KEY=VALUE"]),
        ("plan", ["TEMPLATE", "--board BOARD", "--participants NAMES", "--param KEY=VALUE"]),
        ("apply", ["TEMPLATE", "--board BOARD", "--team NAME", "--yes"]),
    ],
)
def test_help_has_examples_and_plain_placeholders(
    capsys: pytest.CaptureFixture[str], command: str, placeholders: list[str]
) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "Examples:" in out
    assert f"  boardsmith {command} " in out or f"boardsmith --verbose {command}" in out
    for text in placeholders:
        assert text in out
    assert "--format [text|json]" in out
    for developer_word in ("<str>", "<list[str]>", "{template}", "<bool>"):
        assert developer_word not in out
