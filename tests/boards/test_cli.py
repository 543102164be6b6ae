"""``boardsmith create | plan | apply`` through the real CLI entry point, on the
embedded emulator under a temporary BOARDSMITH_HOME."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from boardsmith.boards.state import StateStore
from boardsmith.emulator import EmulatorTransport, create_app
from boardsmith.errors import StateError
from boardsmith.miro import MiroClient
from boardsmith.templates import compile_plan, find_template
from tests.cli_helpers import run_cli as run

from .board_check import assert_board_matches_plan, read_items

EMULATOR_USER = "Facilitator:local"


async def _board_items(home: Path, board_id: str) -> list[dict[str, Any]]:
    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(
            token=EMULATOR_USER, base_url="http://emulator.local", transport=EmulatorTransport(app)
        ) as client:
            return await read_items(client, board_id)
    finally:
        app.close()


def board_items(home: Path, board_id: str) -> list[dict[str, Any]]:
    """What the emulator database under ``home`` holds for the board."""
    return asyncio.run(_board_items(home, board_id))


def test_create_builds_the_board_and_reports_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "create", "vision-board", "--participants", "Ana,Ben", "--json")
    assert code == 0
    summary = json.loads(out)
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben"]})
    assert summary["backend"] == "emulator"
    assert summary["url"] is None
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (len(plan.items), 0, 0)
    frames = sum(1 for i in plan.items if i.type == "frame")
    # board + frames + bulk chunks + the verification read (50 a page, connectors)
    verify = math.ceil(len(plan.items) / 50) + 1
    assert summary["api_calls"] <= 1 + frames + math.ceil((len(plan.items) - frames) / 20) + verify
    assert summary["credits"] > 0
    assert Path(summary["preview"]).read_text().startswith("<svg")
    assert Path(summary["preview"]).parent.parent == home

    state = StateStore(home).load(backend="emulator", board_id=summary["board_id"])
    assert state is not None
    assert state.template == "leadership-vision"
    assert state.params["participants"] == ["Ana", "Ben"]
    assert_board_matches_plan(board_items(home, summary["board_id"]), plan, state.item_ids())


def test_text_output_names_board_data_and_preview(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "create", "see-hear-feel", "--title", "Our vision")
    assert code == 0
    lines = dict(line.split(":", 1) for line in out.splitlines())
    assert lines["backend"].strip() == f"embedded emulator ({home / 'emulator.sqlite3'})"
    board_id = lines["board id"].strip()
    assert lines["data"].strip() == str(home)
    # The preview is named with what to do next, on stderr.
    steps = dict(line.split(":", 1) for line in err.splitlines() if line.startswith("  "))
    assert Path(steps["  look at the board"].strip()).is_file()
    assert "created, 0 updated, 0 unchanged" in lines["create"]
    assert StateStore(home).load(backend="emulator", board_id=board_id) is not None


def test_second_run_plan_and_apply_with_a_new_participant(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "create", "vision-board", "--participants", "Ana,Ben", "--json")
    board_id = json.loads(out)["board_id"]

    code, out, _ = run(capsys, "create", "vision-board", "--board", board_id, "--json")
    assert code == 0
    again = json.loads(out)
    assert (again["created"], again["updated"]) == (0, 0)
    assert again["board_id"] == board_id

    code, out, _ = run(
        capsys, "--verbose", "plan", "vision-board", "--board", board_id, "--participants",
        "Ana,Ben,Cy",
    )  # fmt: skip
    assert code == 0
    creates = [line for line in out.splitlines() if line.strip().startswith("create ")]
    assert creates
    assert all("lane-cy" in line for line in creates)
    # The counts lead; the new lane is named in words.
    assert out.splitlines()[1].startswith(f"{len(creates)} to create")
    assert f"  lane for Cy: {len(creates)} items" in out

    code, out, _ = run(
        capsys, "apply", "vision-board", "--board", board_id, "--participants", "Ana,Ben,Cy",
        "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["created"] == len(creates)
    # The participants are remembered: a bare apply changes nothing.
    code, out, _ = run(capsys, "apply", "vision-board", "--board", board_id, "--json")
    assert (json.loads(out)["created"], json.loads(out)["updated"]) == (0, 0)
    state = StateStore(home).load(backend="emulator", board_id=board_id)
    assert state is not None
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben", "Cy"]})
    assert_board_matches_plan(board_items(home, board_id), plan, state.item_ids())


def test_dry_run_creates_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "create", "purpose-map", "--dry-run", "--json")
    assert code == 0
    plan = compile_plan(find_template("purpose-map"), {})
    assert json.loads(out)["created"] == len(plan.items)
    assert not (home / "state").exists()


@pytest.mark.parametrize(
    ("args", "code", "starts"),
    [
        (["create", "no-such-template"], 2, "error: TEMPLATE: unknown template 'no-such-template'"),
        (["create", "vision-board", "--param", "top_n=many"], 2, "error: --param top_n:"),
        (["create", "vision-board", "--param", "colour=red"], 2, "error: --param colour:"),
        (["create", "purpose-map", "--participants", "Ana"], 2, "error: --participants:"),
        (
            ["create", "vision-board", "--participants", "Ana,Ana,ana"],
            2,
            "error: --participants: 'Ana' is given more than once; values must differ",
        ),
        (
            ["plan", "vision-board", "--participants", "Ana, Ben ,ana"],
            2,
            "error: --participants: 'ana' repeats 'Ana'; values must differ (ignoring case)",
        ),
        (
            ["apply", "vision-board", "--board", "b=", "--participants", "Ben,BEN"],
            2,
            "error: --participants: 'BEN' repeats 'Ben'",
        ),
        (["create", "purpose-map", "--board", "b=", "--title", "T"], 2, "error: --title:"),
        (
            ["apply", "vision-board", "--board", "uXjVNoSuchBoard="],
            2,
            "error: --board uXjVNoSuchBoard=",
        ),
        (
            ["plan", "vision-board", "--board", "uXjVNoSuchBoard="],
            2,
            "error: --board uXjVNoSuchBoard=",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, starts: str
) -> None:
    got, out, err = run(capsys, *args)
    assert got == code
    assert out == ""
    assert err.startswith(starts)
    assert err.count("\n") == 1
    assert not (home / "state").exists()


def test_invalid_token_is_one_line_without_the_token(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import boardsmith.cli.backend as backend_module

    token = "expired-token-5f1b2c"
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", token)
    seen: list[httpx.Request] = []

    def reject(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"status": 401, "code": "unauthorized", "message": "Token expired", "type": "error"}
        return httpx.Response(401, json=body)

    original = backend_module.open_backend

    @contextlib.asynccontextmanager
    async def offline(settings: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with original(settings, transport=httpx.MockTransport(reject)) as backend:
            yield backend

    monkeypatch.setattr(backend_module, "open_backend", offline)
    code, out, err = run(capsys, "create", "vision-board")
    assert code != 0
    assert out == ""
    assert err.count("\n") == 1
    assert "401" in err
    assert token not in err
    assert seen, "the CLI never reached Miro"
    assert not (home / "state").exists()


# ---- a real process, killed part-way -------------------------------------------------


def _env(home: Path, latency_ms: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIRO_", "BOARDSMITH_"))}
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").touch()
    env.update(
        BOARDSMITH_HOME=str(home),
        BOARDSMITH_CONFIG=str(home / "config.toml"),
        BOARDSMITH_EMULATOR_LATENCY_MS=str(latency_ms),
    )
    return env


def _recorded(home: Path) -> Iterator[tuple[str, int]]:
    # Through the store, which replays the journal a running create appends to.
    store = StateStore(home)
    for backend, board_id in store.list_states():
        with contextlib.suppress(StateError):
            state = store.load(backend=backend, board_id=board_id)
            if state is not None:
                yield board_id, len(state.items)


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 21])
def test_killed_create_is_completed_exactly_once_by_the_next_run(
    tmp_path: Path, kill_after: int
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "boardsmith", "create", "vision-board", "--json"],
        env=_env(tmp_path, 150),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    board_id = None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            done = [(b, n) for b, n in _recorded(tmp_path) if n >= kill_after]
            if done:
                board_id = done[0][0]
                break
            time.sleep(0.01)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert board_id is not None, "the create never recorded its first items"
    assert proc.returncode == -signal.SIGKILL
    plan = compile_plan(find_template("vision-board"), {})
    state = StateStore(tmp_path).load(backend="emulator", board_id=board_id)
    assert state is not None
    assert len(state.items) < len(plan.items), "killed too late to test anything"

    finish = subprocess.run(
        [
            sys.executable,
            "-m",
            "boardsmith",
            "apply",
            "vision-board",
            "--board",
            board_id,
            "--json",
        ],
        env=_env(tmp_path, 0),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert finish.returncode == 0, finish.stderr
    summary = json.loads(finish.stdout)
    state = StateStore(tmp_path).load(backend="emulator", board_id=board_id)
    assert state is not None
    assert set(state.items) == {i.key for i in plan.items}
    # Adopted items (committed before the kill, never recorded) count as unchanged.
    assert summary["created"] + summary["unchanged"] == len(plan.items)
    assert summary["adopted"] <= summary["unchanged"]
    assert_board_matches_plan(board_items(tmp_path, board_id), plan, state.item_ids())


def test_apply_refuses_a_locked_board_with_no_wait(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from boardsmith.boards.lock import board_lock

    code, out, _ = run(capsys, "create", "vision-board", "--json")
    assert code == 0
    board_id = json.loads(out)["board_id"]
    with board_lock(home, "emulator", board_id):
        code, out, err = run(capsys, "apply", "vision-board", "--board", board_id, "--no-wait")
    assert code == 3
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert board_id in lines[0]
    assert "--no-wait" in lines[0]
    assert "Traceback" not in err
    # Free again: the same command succeeds and reports no copies.
    code, out, _ = run(capsys, "apply", "vision-board", "--board", board_id, "--json", "--no-wait")
    assert code == 0
    assert json.loads(out)["duplicates"] == []


@pytest.mark.slow
def test_ctrl_c_during_create_says_in_one_line_how_to_finish(tmp_path: Path) -> None:
    """A real SIGINT part-way: exit 130, one line naming the board, and the same
    create again finishes that board."""
    env = _env(tmp_path, 150)
    command = [sys.executable, "-m", "boardsmith", "create", "vision-board", "--json"]
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if any(n >= 1 for _, n in _recorded(tmp_path)):
                break
            time.sleep(0.01)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    (board_id, _), *_ = list(_recorded(tmp_path))
    lines = err.splitlines()
    assert lines[-1] == (
        f"error: interrupted: board {board_id} is not finished: run the same `boardsmith "
        f"create` again (or `boardsmith apply vision-board --board {board_id}`) to finish it"
    )
    assert "Traceback" not in err
    assert sum("interrupted" in line for line in lines) == 1
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["board_id"] == board_id
