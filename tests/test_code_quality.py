"""The project's habits, enforced by the suite: ruff (lint and format), mypy (strict, only in
the full run: it takes ~10 s), the pre-commit config, and a README test command that runs
every test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} is not installed; it is part of the [test] extra")
    return [exe]


def test_ruff_is_clean() -> None:
    proc = subprocess.run(
        [*_tool("ruff"), "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    proc = subprocess.run([*_tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_clean() -> None:
    proc = subprocess.run(
        [*_tool("ruff"), "format", "--check", "--no-cache", "src", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_commit_config_is_valid_and_needs_no_network() -> None:
    config = ROOT / ".pre-commit-config.yaml"
    proc = subprocess.run(
        [*_tool("pre-commit"), "validate-config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Hooks from a remote repository would be cloned at install time; CI has no network.
    repos = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"]
    assert {repo["repo"] for repo in repos} <= {"local", "meta"}
    hooks = [hook for repo in repos if repo["repo"] == "local" for hook in repo["hooks"]]
    assert {hook["language"] for hook in hooks} <= {"system", "pygrep"}
    assert {"ruff", "ruff-format", "mypy"} <= {hook["id"] for hook in hooks}


def test_the_readme_test_command_runs_the_slow_tests_too() -> None:
    # The default run leaves them out (pyproject's addopts); CI runs the README's command.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- test-command -->", 1)[1].split("```", 2)[1]
    command = block.splitlines()[1]
    assert command.endswith('pytest -m "slow or not slow"'), command
