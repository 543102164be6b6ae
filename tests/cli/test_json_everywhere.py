"""``--json`` and ``--format json`` mean the same on every command that has either."""

from __future__ import annotations

import json

import pytest
import typer
from typer.core import TyperGroup

from boardsmith.cli import app as cli_app

from .conftest import Run


def _options_by_command() -> dict[str, set[str]]:
    cli_app._register()
    found: dict[str, set[str]] = {}

    def walk(command: object, name: str) -> None:
        if isinstance(command, TyperGroup):
            for sub_name, sub in command.commands.items():
                walk(sub, f"{name} {sub_name}".strip())
            return
        params = getattr(command, "params", [])
        found[name] = {opt for p in params for opt in getattr(p, "opts", [])}

    walk(typer.main.get_command(cli_app.app), "")
    return found


def test_every_command_with_json_also_takes_format_json() -> None:
    commands = _options_by_command()
    with_json = [name for name, options in commands.items() if "--json" in options]
    assert {"create", "plan", "apply", "harvest", "tally", "narrow", "config show"} <= set(
        with_json
    )
    for name in with_json:
        assert "--format" in commands[name], name


def test_config_show_gives_the_same_json_either_way(home: object, run: Run) -> None:
    code, by_flag, err = run("config", "show", "--json")
    assert code == 0, err
    code, by_format, err = run("config", "show", "--format", "json")
    assert code == 0, err
    assert json.loads(by_flag) == json.loads(by_format)


@pytest.mark.parametrize("command", [["config", "show"], ["auth", "status"]])
def test_contradicting_json_and_format_text_is_a_usage_error(
    command: list[str], home: object, run: Run
) -> None:
    code, _, err = run(*command, "--json", "--format", "text")
    assert code == 2
    assert err.strip() == "error: --json and --format text: choose one"
