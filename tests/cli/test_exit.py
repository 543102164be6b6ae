"""The console script's process: collected less often, ended at once but as a normal exit would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import run_python


def _script(
    tmp_path: Path, *args: str, before: str = "", usual: bool = False
) -> subprocess.CompletedProcess[str]:
    """``boardsmith ARGS`` through the console entry point, ``before`` run first; with
    ``usual``, through ``cli.app.main`` and Python's own exit instead (the reference)."""
    if usual:
        run = f"from boardsmith.cli.app import main\nmain({list(args)!r})\n"
    else:
        run = (
            f"sys.argv = ['boardsmith', *{list(args)!r}]\n"
            "from boardsmith.cli.entry import main\n"
            "main()\n"
            "print('returned from main', file=sys.stderr)\n"
        )
    code = f"import sys\n{before}\n{run}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIRO_", "BOARDSMITH_"))}
    env["BOARDSMITH_HOME"] = str(tmp_path / "home")
    return run_python(code, env=env, cwd=tmp_path)


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
def test_exit_codes_and_output_are_those_of_the_usual_exit(
    tmp_path: Path, args: list[str], code: int
) -> None:
    (tmp_path / "bad.yaml").write_text("name: [\n", encoding="utf-8")
    done = _script(tmp_path, *args)
    assert done.returncode == code
    # Nothing after main(): the process ended there.
    assert "returned from main" not in done.stderr
    # What the usual exit prints, all of it (stdout was flushed).
    usual = _script(tmp_path, *args, usual=True)
    assert usual.returncode == code
    assert done.stdout == usual.stdout
    assert done.stderr == usual.stderr


def test_long_output_to_a_pipe_arrives_whole(tmp_path: Path) -> None:
    done = _script(tmp_path, "templates", "schema")
    assert done.returncode == 0
    usual = _script(tmp_path, "templates", "schema", usual=True)
    assert len(usual.stdout) > 10_000
    assert done.stdout == usual.stdout


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
