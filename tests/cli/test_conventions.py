"""The conventions every command follows (issue 16): help, placeholders, panels,
exit codes, output modes, completion and Ctrl-C."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
import typer
from typer.core import TyperGroup

from boardsmith.cli import app as cli_app
from boardsmith.cli.output import detail, is_debug, note
from boardsmith.errors import InterruptedRunError, PartialResultError

from .conftest import Run


def _command_paths() -> tuple[list[tuple[str, ...]], set[tuple[str, ...]]]:
    """Every command and sub-command as the words that name it (the root is ``()``),
    and which of them are groups."""
    cli_app._register()
    paths: list[tuple[str, ...]] = []
    groups: set[tuple[str, ...]] = set()

    def walk(command: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        if isinstance(command, TyperGroup):
            groups.add(path)
            for name, sub in command.commands.items():
                if not sub.hidden:
                    walk(sub, (*path, name))

    walk(typer.main.get_command(cli_app.app), ())
    return paths, groups


ALL_COMMANDS, GROUPS = _command_paths()
# The modules this file speaks for; create.py and harvest.py have their own owners.
OWN = ("templates", "emulator", "auth", "config", "completion", "preview")
OWN_COMMANDS = [p for p in ALL_COMMANDS if not p or p[0] in OWN]
# Typer's type placeholders (<list[str]>, <int range>, <path>, ...) and choice braces.
TYPE_PLACEHOLDER = re.compile(r"<[a-z][\w\[\]|, .]*>")
BRACES = re.compile(r"\{[^}]*\}")


def _help(run: Run, *words: str) -> str:
    code, out, err = run(*words)
    assert code == 0, err
    assert err == ""
    return out


def test_the_tree_is_complete() -> None:
    # A guard for the parametrisations below: they really see the whole CLI.
    assert ("templates", "build") in ALL_COMMANDS
    assert ("emulator", "serve") in ALL_COMMANDS
    assert ("completion",) in ALL_COMMANDS


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "boardsmith")
def test_dash_h_is_help_on_every_command(run: Run, path: tuple[str, ...]) -> None:
    short = _help(run, *path, "-h")
    assert short.startswith(f"Usage: {' '.join(('boardsmith', *path))} ")
    assert short == _help(run, *path, "--help")


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "boardsmith")
def test_no_help_shows_python_types(run: Run, path: tuple[str, ...]) -> None:
    text = _help(run, *path, "-h")
    assert TYPE_PLACEHOLDER.findall(text) == []


@pytest.mark.parametrize("path", OWN_COMMANDS, ids=lambda p: " ".join(p) or "boardsmith")
def test_placeholders_are_plain_words(run: Run, path: tuple[str, ...]) -> None:
    text = _help(run, *path, "-h")
    assert BRACES.findall(text) == []
    usage = text.splitlines()[0]
    # NAME, [NAME] or NAME...: capitals, never a lower-case parameter name.
    for piece in usage.split()[2 + len(path) :]:
        assert piece.strip("[].").replace("_", "").replace("=", "").isupper(), usage


@pytest.mark.parametrize(
    "path",
    [p for p in OWN_COMMANDS if p not in GROUPS or not p],
    ids=lambda p: " ".join(p) or "boardsmith",
)
def test_commands_show_examples(run: Run, path: tuple[str, ...]) -> None:
    text = _help(run, *path, "-h")
    assert "Examples:" in text
    # Click kept the lines (no re-wrapping into one paragraph).
    after = text.split("Examples:", 1)[1].splitlines()
    assert after[1].strip().startswith("boardsmith ")


def test_root_help_lists_exit_codes(run: Run) -> None:
    text = _help(run, "-h")
    codes = re.findall(r"^\s+(\d+)\s+\S", text.split("Exit codes:", 1)[1], re.MULTILINE)
    assert codes == ["0", "1", "2", "3", "4", "70", "130"]


def test_root_help_groups_developer_commands_apart(run: Run) -> None:
    text = _help(run, "-h")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if re.fullmatch(r"[A-Z][a-z]+:", line):
            current = line[:-1]
            sections[current] = []
        elif current and line.startswith("  ") and line.strip():
            sections[current].append(line.split()[0])
    assert {"templates", "emulator", "config"} <= set(sections["Developer"])
    assert {"auth", "completion"} <= set(sections["Setup"])
    assert "preview" in sections["Commands"]
    assert not {"templates", "emulator", "config"} & set(sections["Commands"])
    assert list(sections)[:4] == ["Options", "Commands", "Setup", "Developer"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_named_shells_script(run: Run, shell: str) -> None:
    code, out, err = run("completion", shell)
    assert (code, err) == (0, "")
    assert out.strip()
    assert "boardsmith" in out
    assert "_BOARDSMITH_COMPLETE" in out


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_script_is_valid_bash(run: Run) -> None:
    _, out, _ = run("completion", "bash")
    proc = subprocess.run(
        ["bash", "-n"], input=out, capture_output=True, text=True, check=False, timeout=30
    )
    assert proc.returncode == 0, proc.stderr


def test_the_shells_questions_are_answered() -> None:
    # What the bash script runs on <Tab> after `boardsmith tem`.
    env = {
        **os.environ,
        "_BOARDSMITH_COMPLETE": "complete_bash",
        "COMP_WORDS": "boardsmith tem",
        "COMP_CWORD": "1",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "boardsmith"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout.split()) == (0, ["templates"]), proc.stderr


@pytest.mark.parametrize("shell", ["tcsh", "powershell", ""])
def test_completion_of_another_shell_is_a_usage_error(run: Run, shell: str) -> None:
    code, out, err = run("completion", shell)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"error: SHELL {shell}: not supported; use bash, zsh or fish"]


def test_completion_without_a_shell_names_the_argument(run: Run) -> None:
    code, _, err = run("completion")
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "SHELL" in err


@pytest.fixture
def talking_command() -> Iterator[None]:
    @cli_app.app.command("talk-test", hidden=True)
    def talk(kind: str = "talk") -> None:
        if kind == "interrupt":
            raise KeyboardInterrupt
        if kind == "interrupt-known":
            raise InterruptedRunError(
                "interrupted: board uXjV= has 3 of 40 items", hint="run the same create again"
            )
        if kind == "partial":
            raise PartialResultError("made 3 of 40 items on board uXjV=")
        if kind == "bug":
            raise RuntimeError("unexpected")
        if kind == "debug":
            typer.echo(f"debug={is_debug()}")
            return
        typer.echo("data")
        note("a note")
        detail("a detail")

    yield
    cli_app.app.registered_commands[:] = [
        c for c in cli_app.app.registered_commands if c.name != "talk-test"
    ]


@pytest.mark.usefixtures("talking_command")
@pytest.mark.parametrize(
    ("flags", "messages"),
    [
        ((), ["a note"]),
        (("--quiet",), []),
        (("-q",), []),
        (("--verbose",), ["a note", "a detail"]),
        (("-v",), ["a note", "a detail"]),
    ],
)
def test_output_modes(run: Run, flags: tuple[str, ...], messages: list[str]) -> None:
    code, out, err = run(*flags, "talk-test")
    assert code == 0
    assert out == "data\n"  # data on stdout whatever the mode
    assert err.splitlines() == messages


@pytest.mark.usefixtures("talking_command")
def test_quiet_and_verbose_together_is_a_usage_error(run: Run) -> None:
    code, out, err = run("-q", "-v", "talk-test")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["error: --quiet and --verbose: choose one"]


@pytest.mark.usefixtures("talking_command")
def test_mode_does_not_leak_into_the_next_run(run: Run) -> None:
    run("--quiet", "talk-test")
    assert run("talk-test")[2].splitlines() == ["a note"]


@pytest.mark.usefixtures("talking_command")
def test_debug_flag_is_boardsmith_debug(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOARDSMITH_DEBUG", raising=False)
    assert run("talk-test", "--kind", "debug")[1] == "debug=False\n"
    assert run("--debug", "talk-test", "--kind", "debug")[1] == "debug=True\n"
    monkeypatch.setenv("BOARDSMITH_DEBUG", "1")
    assert run("talk-test", "--kind", "debug")[1] == "debug=True\n"


@pytest.mark.usefixtures("talking_command")
def test_debug_shows_the_traceback_of_a_bug(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOARDSMITH_DEBUG", raising=False)
    code, _, err = run("talk-test", "--kind", "bug")
    assert code == 70
    assert "--debug" in err
    with pytest.raises(RuntimeError, match="unexpected"):
        cli_app.main(["--debug", "talk-test", "--kind", "bug"])


@pytest.mark.usefixtures("talking_command")
@pytest.mark.parametrize(
    ("kind", "code", "line"),
    [
        ("interrupt", 130, "interrupted"),
        (
            "interrupt-known",
            130,
            "error: interrupted: board uXjV= has 3 of 40 items (run the same create again)",
        ),
        ("partial", 4, "error: made 3 of 40 items on board uXjV="),
    ],
)
def test_interrupt_and_partial_result_exit_codes(run: Run, kind: str, code: int, line: str) -> None:
    got, out, err = run("talk-test", "--kind", kind)
    assert (got, out) == (code, "")
    assert err.splitlines() == [line]
    assert "Traceback" not in err


def test_ctrl_c_outside_a_command_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # E.g. while the command modules are still being imported.
    def interrupted(*modules: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_app, "_register", interrupted)
    with pytest.raises(SystemExit) as exc_info:
        cli_app.main(["templates", "list"])
    assert exc_info.value.code == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted"]


@pytest.mark.skipif(os.name != "posix", reason="needs SIGINT")
def test_ctrl_c_in_a_real_process_exits_130() -> None:
    # The whole path: a console-script process interrupted by a real SIGINT.
    code = (
        "import time\n"
        "from boardsmith.cli import app\n"
        "app._register()\n"
        "@app.app.command('sleep-test')\n"
        "def sleep_test() -> None:\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(60)\n"
        "app.main(['sleep-test'])\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.splitlines() == ["interrupted"]
