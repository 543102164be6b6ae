"""``kill`` (SIGTERM) ends a watch as Ctrl-C does: summary, exit 0, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_ends_the_watch_with_its_summary(home: Path) -> None:
    boardsmith = shutil.which("boardsmith", path=str(Path(sys.executable).parent))
    assert boardsmith is not None
    env = dict(os.environ)
    made = subprocess.run(
        [boardsmith, "create", "vision-board", "--json"],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    board_id = json.loads(made.stdout)["board_id"]
    watch = subprocess.Popen(
        [boardsmith, "watch", board_id, "--json", "--interval", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert watch.stdout is not None
        first = json.loads(watch.stdout.readline())  # the first refresh is in
        assert first["event"] == "watch-started"
        time.sleep(0.5)
        watch.send_signal(signal.SIGTERM)
        out, err = watch.communicate(timeout=60)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert watch.returncode == 0, err
    assert json.loads(out.splitlines()[-1])["event"] == "watch-ended"
    assert "watched " in err
    assert "Traceback" not in err
