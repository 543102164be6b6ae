"""The CLI's root command and its error boundary."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import typer

from boardsmith import __version__
from boardsmith.cli import app as cli_app
from boardsmith.errors import BoardsmithError, UsageError


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boardsmith", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_version_prints_package_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"boardsmith {__version__}"


def test_help_lists_the_program() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    assert "boardsmith" in proc.stdout


def test_unknown_option_is_one_line_naming_the_flag() -> None:
    proc = run("--no-such-flag")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["error: No such option: --no-such-flag"]


@pytest.fixture
def failing_command() -> Iterator[typer.Typer]:
    @cli_app.app.command("boom-test", hidden=True)
    def boom(kind: str) -> None:
        if kind == "usage":
            raise UsageError("--param: expected key=value, got 'x'")
        if kind == "plain":
            raise BoardsmithError("board uXjV= not found", hint="check the id")
        raise RuntimeError("unexpected")

    yield cli_app.app
    cli_app.app.registered_commands[:] = [
        c for c in cli_app.app.registered_commands if c.name != "boom-test"
    ]


@pytest.mark.parametrize(
    ("kind", "code", "line"),
    [
        ("plain", 1, "error: board uXjV= not found (check the id)"),
        ("usage", 2, "error: --param: expected key=value, got 'x'"),
        (
            "other",
            70,
            "internal error: RuntimeError: unexpected (this is a bug in boardsmith; "
            "run again with --debug for the traceback)",
        ),
    ],
)
def test_error_boundary_turns_errors_into_one_line(
    failing_command: typer.Typer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    code: int,
    line: str,
) -> None:
    monkeypatch.delenv("BOARDSMITH_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc_info:
        cli_app.main(["boom-test", kind])
    assert exc_info.value.code == code
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [line]
    assert "Traceback" not in err


def test_typer_exit_code_reaches_the_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    @cli_app.app.command("exit-test", hidden=True)
    def exit_test(code: int) -> None:
        raise typer.Exit(code)

    try:
        with pytest.raises(SystemExit) as exc_info:
            cli_app.main(["exit-test", "3"])
        assert exc_info.value.code == 3
        # A zero exit is a normal return, not a SystemExit.
        cli_app.main(["exit-test", "0"])
    finally:
        cli_app.app.registered_commands[:] = [
            c for c in cli_app.app.registered_commands if c.name != "exit-test"
        ]


def test_version_does_not_load_the_cli_framework() -> None:
    # `boardsmith --version` is answered by the entry point alone, so it stays fast.
    code = (
        "import sys; sys.argv = ['boardsmith', '--version']\n"
        "from boardsmith.cli.entry import main; main()\n"
        "assert 'typer' not in sys.modules and 'httpx' not in sys.modules, 'heavy import'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"boardsmith {__version__}"
