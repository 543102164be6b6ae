"""The console script's process: collected less often, ended at once but as a normal exit would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Run


def _script(tmp_path: Path, *args: str, before: str = "") -> subprocess.CompletedProcess[str]:
    """``boardsmith ARGS`` through the console entry point, ``before`` run first."""
    code = (
        "import sys\n"
        f"{before}\n"
        f"sys.argv = ['boardsmith', *{list(args)!r}]\n"
        "from boardsmith.cli.entry import main\n"
        "main()\n"
        "print('returned from main', file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIRO_", "BOARDSMITH_"))}
    env["BOARDSMITH_HOME"] = str(tmp_path / "home")
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["templates", "list"], 0),
        ([], 0),
        (["--no-such-flag"], 2),
        (["create", "no-such-template"], 2),
        (["templates", "validate", "bad.yaml"], 1),
    ],
)
def test_exit_codes_and_output_are_those_of_the_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    code: int,
) -> None:
    (tmp_path / "bad.yaml").write_text("name: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    done = _script(tmp_path, *args)
    assert done.returncode == code
    # Nothing after main(): the process ended there.
    assert "returned from main" not in done.stderr
    # The same as the in-process command prints (all of it: stdout was flushed).
    expected_code, out, err = Run(capsys)(*args)
    assert expected_code == code
    assert done.stdout == out
    assert done.stderr == err


def test_long_output_to_a_pipe_arrives_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = _script(tmp_path, "templates", "schema")
    assert done.returncode == 0
    _, out, _ = Run(capsys)("templates", "schema")
    assert len(out) > 10_000
    assert done.stdout == out


def test_atexit_handlers_still_run(tmp_path: Path) -> None:
    done = _script(
        tmp_path,
        "templates",
        "list",
        before="import atexit\natexit.register(lambda: print('handler ran', file=sys.stderr))",
    )
    assert done.returncode == 0
    assert done.stderr.splitlines() == ["handler ran"]


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "thread-finished"
    before = (
        "import threading, time, pathlib\n"
        "def work():\n"
        "    time.sleep(0.5)\n"
        f"    pathlib.Path({str(marker)!r}).write_text('done')\n"
        "threading.Thread(target=work).start()"
    )
    done = _script(tmp_path, "templates", "list", before=before)
    assert done.returncode == 0
    # The usual exit, which waits for the thread (os._exit would have ended it).
    assert marker.read_text() == "done"


def test_the_console_script_collects_young_objects_less_often(tmp_path: Path) -> None:
    before = (
        "import atexit, gc\natexit.register(lambda: print(*gc.get_threshold(), file=sys.stderr))"
    )
    done = _script(tmp_path, "templates", "list", before=before)
    assert done.returncode == 0
    young, *_ = (int(n) for n in done.stderr.split())
    assert young == 50_000
