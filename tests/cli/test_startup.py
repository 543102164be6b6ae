"""What start-up imports, and that every command module is really there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from boardsmith.cli import app as cli_app
from boardsmith.errors import TemplateError
from boardsmith.templates import builtin_templates, registry
from tests.cli.conftest import Run
from tests.cli_helpers import run_python


def test_a_missing_command_module_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A renamed module must not quietly drop its commands from --help.
    monkeypatch.setattr(cli_app, "COMMAND_MODULES", (*cli_app.COMMAND_MODULES, "renamed"))
    monkeypatch.delenv("BOARDSMITH_DEBUG", raising=False)
    code, _, err = Run(capsys)("--help")
    assert code == 70
    assert "ModuleNotFoundError" in err
    assert "boardsmith.cli.renamed" in err


def _modules_after(*args: str) -> set[str]:
    """The modules a fresh ``boardsmith ARGS`` process has imported when it is done."""
    script = (
        "import sys\n"
        "from boardsmith.cli.app import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stderr.split())


def test_listing_templates_builds_no_template_schema_or_client_model() -> None:
    modules = _modules_after("templates", "list")
    assert "boardsmith.templates.schema" not in modules
    assert "boardsmith.templates.compiler" not in modules
    assert "boardsmith.miro" not in modules
    assert "asyncio" not in modules
    assert "yaml" not in modules
    # Not even for the flags: an absent -h/--help is a plain False (cli/app.py).
    assert "pydantic" not in modules


def test_help_imports_no_client_and_no_asyncio() -> None:
    modules = _modules_after("--help")
    assert not {"asyncio", "httpx", "boardsmith.miro", "boardsmith.emulator"} & modules


def test_create_through_the_console_script_imports_no_httpx_command_line(
    tmp_path: Path,
) -> None:
    # httpx's own CLI (httpx._main) would bring rich's console, click and pygments.
    # Reported from an atexit handler: main() ends the process.
    script = (
        "import atexit, sys\n"
        "def report():\n"
        "    import httpx\n"
        "    loaded = sorted(k for k, v in sys.modules.items() if v is not None)\n"
        "    print('MODULES', *loaded, 'MAIN', httpx.main.__module__, file=sys.stderr)\n"
        "atexit.register(report)\n"
        "from boardsmith.cli.entry import main\n"
        "sys.argv = ['boardsmith', 'create', 'vision-board', '--json']\n"
        "main()\n"
    )
    env = {**os.environ, "BOARDSMITH_HOME": str(tmp_path)}
    env = {k: v for k, v in env.items() if not k.startswith("MIRO_")}
    done = run_python(script, env=env, check=True)
    assert json.loads(done.stdout)["created"] > 100
    words = done.stderr.split("MODULES", 1)[1].split()
    modules = set(words[:-2])
    assert "httpx" in modules
    assert not {"httpx._main", "rich", "click", "pygments"} & modules
    # httpx's stub in place of its CLI (defined in httpx/__init__), never the CLI itself.
    assert words[-2:] == ["MAIN", "httpx"]


def test_the_cheap_listing_names_what_the_full_load_names() -> None:
    entries = registry.builtin_entries()
    full = builtin_templates()
    assert [(e.name, e.aliases, e.title, e.file) for e in entries] == [
        (t.name, t.aliases, t.title, t.file) for t in full
    ]


@pytest.fixture
def copied_builtins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The built-in templates and their compiled plans, copied to a folder of their own."""
    source = registry.builtin_dir()
    (tmp_path / "compiled").mkdir()
    for path in source.glob("*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    for path in (source / "compiled").glob("*.plan.json"):
        (tmp_path / "compiled" / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(registry, "builtin_dir", lambda: tmp_path)
    registry._builtins.cache_clear()
    yield tmp_path
    registry._builtins.cache_clear()


def test_an_edited_invalid_template_fails_the_listing_as_the_full_load_does(
    copied_builtins: Path,
) -> None:
    path = copied_builtins / "purpose-map.yaml"
    # Valid at the top (name, title), invalid further down: only a full load sees it.
    path.write_text(path.read_text(encoding="utf-8") + "\nno_such_key: 1\n", encoding="utf-8")
    with pytest.raises(TemplateError) as full:
        builtin_templates()
    with pytest.raises(TemplateError) as cheap:
        registry.builtin_entries()
    assert str(cheap.value) == str(full.value)
    assert "no_such_key" in str(cheap.value)


def test_a_template_without_a_compiled_plan_is_loaded_in_full(
    copied_builtins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (copied_builtins / "compiled" / "see-hear-feel.plan.json").unlink()
    loaded: list[str] = []
    real = registry._load_template

    def spy(path: str | Path) -> object:
        loaded.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(registry, "_load_template", spy)
    names = [e.name for e in registry.builtin_entries()]
    assert loaded == ["see-hear-feel.yaml"]
    assert "see-hear-feel" in names


def test_templates_list_output_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = Run(capsys)("templates", "list")
    assert code == 0
    expected = [
        f"{t.name}"
        + (f" (alias {', '.join(t.aliases)})" if t.aliases else "")
        + f": {t.spec.title.split(':')[0]}"
        for t in builtin_templates()
    ]
    assert out.splitlines() == expected


@pytest.mark.parametrize(
    "header",
    [
        'name: a-b\ntitle: "Vision: {team}"\n',
        "name: a-b\naliases: [x, y-z]\ntitle: 'It''s ours'\n",
        "name: a-b\naliases:\n  - x\n  - y\ntitle: Plain title\n",
        "name: a-b  # a comment\ntitle: >-\n  Folded\n  title\n",
        'name: yes\ntitle: "a \\" quote"\n',
        "# a comment\nname: a\nversion: 1\ntitle: [not, a, string]\n",
    ],
)
def test_the_header_reads_as_yaml_reads_it(header: str) -> None:
    import yaml

    text = header + "parameters:\n  name: {type: str}\nlayout:\n  title: inner\n"
    expected = {k: v for k, v in yaml.safe_load(text).items() if k in ("name", "aliases", "title")}
    assert registry._header_data(text) == expected


@pytest.mark.slow
def test_a_harvest_imports_no_file_lock(tmp_path: Path) -> None:
    # Only a write-back (narrow --apply) locks a board.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIRO_", "BOARDSMITH_"))}
    env["BOARDSMITH_HOME"] = str(tmp_path)
    made = run_python(
        "from boardsmith.cli.entry import main\nimport sys\n"
        "sys.argv = ['boardsmith', 'create', 'vision-board', '--json']\nmain()\n",
        env=env,
        check=True,
    )
    board = json.loads(made.stdout)["board_id"]
    script = (
        "import atexit, sys\n"
        "def report():\n"
        "    print('MODULES', *sorted(k for k, v in sys.modules.items() if v), file=sys.stderr)\n"
        "atexit.register(report)\n"
        "from boardsmith.cli.entry import main\n"
        f"sys.argv = ['boardsmith', 'harvest', {board!r}, '--out', {str(tmp_path / 'h.json')!r}]\n"
        "main()\n"
    )
    done = run_python(script, env=env, check=True)
    modules = set(done.stderr.split("MODULES", 1)[1].split())
    assert "boardsmith.harvest.api" in modules
    assert not {"filelock", "boardsmith.boards.lock"} & modules
    assert json.loads((tmp_path / "h.json").read_text())["boards"][0]["board_id"] == board


def test_every_command_is_listed_with_the_module_that_registers_it() -> None:
    cli_app._register()
    homes: dict[str, str] = {}
    for command in cli_app.app.registered_commands:
        assert command.name is not None
        assert command.callback is not None
        homes[command.name] = command.callback.__module__
    for group in cli_app.app.registered_groups:
        sub = group.typer_instance
        assert sub is not None
        name = group.name if isinstance(group.name, str) else sub.info.name
        assert isinstance(name, str)
        modules = {c.callback.__module__ for c in sub.registered_commands if c.callback}
        assert len(modules) == 1
        homes[name] = modules.pop()
    assert {k: f"boardsmith.cli.{v}" for k, v in cli_app.COMMAND_HOMES.items()} == homes
    assert set(cli_app.COMMAND_HOMES.values()) == set(cli_app.COMMAND_MODULES)


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["harvest", "B", "--out", "x"], ("harvest",)),
        (["--debug", "-q", "tally", "B"], ("harvest",)),
        (["templates", "list"], ("templates",)),
        (["--help"], cli_app.COMMAND_MODULES),
        ([], cli_app.COMMAND_MODULES),
        (["harvset"], cli_app.COMMAND_MODULES),  # the unknown-command message names all
    ],
)
def test_a_command_imports_its_own_module_alone(argv: list[str], modules: tuple[str]) -> None:
    assert cli_app._command_modules(argv) == modules


def test_shell_completion_registers_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cli_app.COMPLETE_VAR, "complete_bash")
    assert cli_app._command_modules(["harvest"]) == cli_app.COMMAND_MODULES


def test_a_fresh_harvest_process_imports_no_other_command_module() -> None:
    modules = _modules_after("harvest", "--help")
    assert "boardsmith.cli.harvest" in modules
    others = {f"boardsmith.cli.{m}" for m in cli_app.COMMAND_MODULES} - {"boardsmith.cli.harvest"}
    assert not others & modules
