"""The CLI stays a model to read: short functions, low complexity (issue 19)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "src" / "boardsmith" / "cli"
#: The longest function (``def`` to its last line) a CLI module may hold.
MAX_LINES = 80


def test_no_cli_function_is_longer_than_80_lines() -> None:
    long = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    long.append(f"{path.name}: {node.name} ({lines} lines)")
    assert not long, long


def test_cli_functions_stay_under_complexity_10() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff is not None, "ruff is part of the [test] extra"
    proc = subprocess.run(
        [ruff, "check", "--no-cache", "--select", "C901", str(CLI)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout
