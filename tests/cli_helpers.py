"""Running the ``boardsmith`` CLI in-process as a user would, and the environment it reads;
running Python code in a process of its own.

The fixtures that use these (``home``, ``run`` and the autouse isolation) live in
``tests/conftest.py``; modules that call the CLI with ``capsys`` import :func:`run_cli`.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Everything boardsmith reads from the environment. A developer's real token or config
# must never reach a test: it would send requests to Miro or write to their data
# directory. (``BOARDSMITH_HOME`` and ``BOARDSMITH_CONFIG`` are set, not just cleared.)
ISOLATED_ENV = (
    "MIRO_ACCESS_TOKEN",
    "MIRO_API_URL",
    "MIRO_TEAM_ID",
    "MIRO_CLIENT_ID",
    "MIRO_CLIENT_SECRET",
    "BOARDSMITH_CONCURRENCY",
    "BOARDSMITH_CREDITS_PER_MINUTE",
    "BOARDSMITH_OAUTH_PORT",
    "BOARDSMITH_TOKEN_STORE",
    "BOARDSMITH_TEMPLATE_PATH",
    "BOARDSMITH_EMULATOR_LATENCY_MS",
    "BOARDSMITH_EMULATOR_USER",
    "BOARDSMITH_DEBUG",
)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``boardsmith ARGS`` run in-process.

    A ``KeyboardInterrupt`` that escapes the CLI counts as 130, what a shell reports
    for Ctrl-C.
    """
    # Imported here: conftest imports this module, and most tests never run the CLI.
    from boardsmith.cli import app

    code = 0
    try:
        app.main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    except KeyboardInterrupt:
        code = 130
    out, err = capsys.readouterr()
    return code, out, err


class Run:
    """``run(*args)`` -> (exit code, stdout, stderr) of one ``boardsmith`` command."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        return run_cli(self._capsys, *args)


def run_python(
    code: str,
    *,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``python -c CODE`` in a process of its own (start-up, exit and import tests), its
    output captured as text, 120 s at most; ``env`` replaces the environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
        env=env,
        cwd=cwd,
    )
