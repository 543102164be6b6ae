"""Templates kept in one's own repository: build and check a folder, the starter from
``templates new``, the pre-commit hooks, the CI action, and create/harvest end to end."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from boardsmith.cli.templates import STALE_EXIT, starter_template
from tests.cli_helpers import run_cli as run

from .helpers import MINIMAL, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of two templates of one's own."""
    found = tmp_path / "templates"
    found.mkdir()
    write(found, MINIMAL, "tiny.yaml")
    write(found, starter_template("check-in"), "check-in.yml")
    return found


def test_build_then_check_a_folder_beside_its_sources(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "templates", "build", str(folder))
    assert (code, err) == (0, "")
    assert sorted(line.split("/", 1)[0] for line in out.splitlines()) == ["wrote "] * 5
    names = sorted(p.name for p in (folder / "compiled").iterdir())
    assert names == ["check-in.plan.json", "check-in.svg", "tiny.plan.json", "tiny.svg"]
    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "boardsmith board template"
    plan = json.loads((folder / "compiled" / "tiny.plan.json").read_text(encoding="utf-8"))
    assert plan["template"] == "tiny"
    assert run(capsys, "templates", "build", str(folder)) == (0, "everything is up to date\n", "")
    assert run(capsys, "templates", "check", str(folder)) == (
        0,
        "compiled templates are up to date\n",
        "",
    )


def test_check_a_stale_folder_exits_5_and_diff_shows_the_change(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "templates", "build", str(folder))
    source = folder / "tiny.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Hello {team}", "Welcome {team}"),
        encoding="utf-8",
    )
    (folder / "compiled" / "old.svg").write_text("<svg/>\n", encoding="utf-8")
    code, out, err = run(capsys, "templates", "check", str(folder), "--diff")
    assert code == STALE_EXIT == 5
    plan, svg, old = (folder / "compiled" / n for n in ("tiny.plan.json", "tiny.svg", "old.svg"))
    assert err.splitlines() == [
        f"stale: {plan}",
        f"stale: {svg}",
        f"unexpected: {old}",
        "error: 3 compiled template files are out of date "
        f"(run `boardsmith templates build {folder}` and commit the result)",
    ]
    assert f"--- a/{plan}\n+++ b/{plan}\n" in out
    assert '-      "content": "Hello Team",\n+      "content": "Welcome Team",\n' in out
    assert f"--- a/{old}\n+++ /dev/null\n" in out
    assert "-<svg/>\n" in out
    # Without --diff the data stream stays empty: only the names, on stderr.
    code, out, _ = run(capsys, "templates", "check", str(folder))
    assert (code, out) == (5, "")


def test_an_invalid_template_exits_1_with_its_line_and_build_writes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "templates", "build", str(folder))
    bad = write(folder, MINIMAL.replace("name: tiny", "name: broken") + "colour: red\n", "b.yaml")
    before = {p: p.read_text(encoding="utf-8") for p in (folder / "compiled").iterdir()}
    code, out, err = run(capsys, "templates", "check", str(folder))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {bad}:25: colour: unknown key",
        "error: 1 template files are invalid",
    ]
    code, out, err = run(capsys, "templates", "build", str(folder))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {bad}:25: colour: unknown key",
        "error: 1 template files are invalid; nothing was written",
    ]
    assert {p: p.read_text(encoding="utf-8") for p in (folder / "compiled").iterdir()} == before


def test_a_name_used_twice_in_a_folder_is_an_error_on_the_second_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = folder / "tiny.yaml", write(folder, MINIMAL, "tiny2.yaml")
    code, _, err = run(capsys, "templates", "check", str(folder))
    assert code == 1
    assert err.splitlines()[0] == f"error: {second}:1: name: 'tiny' is already used by {first}"


def test_out_puts_the_outputs_elsewhere(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    assert run(capsys, "templates", "build", str(folder), "--out", str(site))[0] == 0
    assert (site / "compiled" / "tiny.svg").is_file()
    assert (site / "schema.json").is_file()
    assert not (folder / "compiled").exists()
    assert run(capsys, "templates", "check", str(folder), "--out", str(site))[0] == 0
    code, _, err = run(capsys, "templates", "check", str(folder))
    assert code == 5
    assert "missing: " in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nowhere"], "error: DIR nowhere: no such folder\n"),
        (["empty"], "error: DIR empty: no template files (*.yaml, *.yml) in it\n"),
        (["a", "b", "--out", "x"], "error: --out x: give one DIR with --out, not 2\n"),
    ],
)
def test_wrong_folders_are_usage_errors(
    argv: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("empty", "a", "b"):
        (tmp_path / name).mkdir()
    for command in ("build", "check"):
        assert run(capsys, "templates", command, *argv) == (2, "", message)


def test_new_writes_a_starter_that_validates_builds_and_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    code, out, err = run(capsys, "templates", "new", "team-check-in", "--dir", str(mine))
    path = mine / "team-check-in.yaml"
    assert (code, out) == (0, f"wrote {path}\n")
    assert err.startswith(f"next: boardsmith templates build {mine} ")
    text = path.read_text(encoding="utf-8")
    # The editor's hook: the YAML language server reads the schema `build` writes beside it.
    assert text.startswith("# yaml-language-server: $schema=schema.json\n")
    assert "\nreport:  " in text
    code, out, _ = run(capsys, "templates", "validate", str(path))
    assert (code, out) == (0, f"ok {path}: team-check-in, 9 items\n")
    assert run(capsys, "templates", "build", str(mine))[0] == 0
    assert run(capsys, "templates", "check", str(mine))[0] == 0
    # The schema the comment points at accepts the starter.
    import jsonschema

    schema = json.loads((mine / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))
    # Never over someone's work.
    code, _, err = run(capsys, "templates", "new", "team-check-in", "--dir", str(mine))
    assert code == 2
    assert err == f"error: NAME team-check-in: {path} already exists; it is left as it is\n"
    code, _, err = run(capsys, "templates", "new", "Team Check", "--dir", str(mine))
    assert code == 2
    assert err.startswith("error: NAME Team Check: use lowercase letters")


# --- pre-commit hooks, through `pre-commit try-repo` -------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _hook_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The `boardsmith` of this interpreter first on PATH: the `*-system` hooks run it.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"] = "Test"
        env[f"GIT_{who}_EMAIL"] = "test@example.invalid"
    env.pop("BOARDSMITH_TEMPLATE_PATH", None)
    return env


@pytest.mark.slow
def test_pre_commit_hooks_fail_a_stale_template_and_pass_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit, "pre-commit comes with the [test] extra"
    env = _hook_env(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    # The hook repository: this checkout's .pre-commit-hooks.yaml, committed in a fresh
    # repository (try-repo clones it; the shared checkout's index is never touched).
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    _git(hooks, "init", "-q")
    _git(hooks, "add", ".pre-commit-hooks.yaml")
    _git(hooks, "commit", "-q", "-m", "hooks")

    repo = tmp_path / "coaching"
    (repo / "templates").mkdir(parents=True)
    (repo / "templates" / "check-in.yaml").write_text(starter_template("check-in"), "utf-8")
    (repo / "ci.yaml").write_text("not: [a, template]\n", encoding="utf-8")
    _git(repo, "init", "-q")

    def hook(hook_id: str) -> subprocess.CompletedProcess[str]:
        _git(repo, "add", "-A")
        return subprocess.run(
            [pre_commit, "try-repo", str(hooks), hook_id, "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    subprocess.run(
        [sys.executable, "-m", "boardsmith", "templates", "build", "templates"],
        cwd=repo, env=env, check=True, capture_output=True,
    )  # fmt: skip
    fresh = hook("boardsmith-check-system")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "boardsmith templates check" in fresh.stdout
    assert "Passed" in fresh.stdout
    valid = hook("boardsmith-validate-system")  # ci.yaml is not a template: not passed
    assert valid.returncode == 0, valid.stdout + valid.stderr

    source = repo / "templates" / "check-in.yaml"
    source.write_text(
        source.read_text("utf-8").replace("default: Our team", "default: The A team"), "utf-8"
    )
    stale = hook("boardsmith-check-system")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "Failed" in stale.stdout
    assert "- exit code: 5" in stale.stdout
    assert "stale: templates/compiled/check-in.plan.json" in stale.stdout
    assert '+      "content": "Check in: The A team",' in stale.stdout  # --diff

    source.write_text(source.read_text("utf-8") + "colour: red\n", "utf-8")
    invalid = hook("boardsmith-validate-system")
    assert invalid.returncode == 1
    assert "error: templates/check-in.yaml:" in invalid.stdout
    assert "colour: unknown key" in invalid.stdout


def test_the_python_hooks_run_what_the_system_hooks_run() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {
        "boardsmith-validate",
        "boardsmith-check",
        "boardsmith-validate-system",
        "boardsmith-check-system",
    }
    for name in ("boardsmith-validate", "boardsmith-check"):
        python, system = dict(hooks[name]), dict(hooks[f"{name}-system"])
        assert (python.pop("language"), system.pop("language")) == ("python", "system")
        python.pop("id"), system.pop("id")
        assert python == system


# --- the composite action ----------------------------------------------------------------


@pytest.mark.slow
def test_the_action_installs_boardsmith_and_runs_the_check(folder: Path, tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install = next(s for s in steps if s.get("name") == "Install boardsmith")
    assert install["env"] == {"BOARDSMITH_SOURCE": "${{ github.action_path }}"}
    step = next(s for s in steps if s.get("name") == "Check the templates")
    assert step["env"]["BOARDSMITH_FOLDER"] == "${{ inputs.folder }}"
    assert action["inputs"]["folder"]["default"] == "templates"

    def check_step(**env: str) -> subprocess.CompletedProcess[str]:
        full = _hook_env(tmp_path) | {"BOARDSMITH_OUT": ""} | env
        return subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=folder.parent,
            env=full,
            capture_output=True,
            text=True,
            timeout=120,
        )

    missing = check_step(BOARDSMITH_FOLDER="templates")
    assert missing.returncode == 5, missing.stderr
    assert "missing: templates/compiled/tiny.svg" in missing.stderr
    assert "+++ b/templates/compiled/tiny.svg" in missing.stdout  # --diff: the CI log shows it
    subprocess.run(
        [sys.executable, "-m", "boardsmith", "templates", "build", "templates", "--out", "site"],
        cwd=folder.parent, env=_hook_env(tmp_path), check=True, capture_output=True,
    )  # fmt: skip
    ok = check_step(BOARDSMITH_FOLDER="templates", BOARDSMITH_OUT="site")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "compiled templates are up to date\n"


# --- one's own template end to end: create, harvest, its report --------------------------


async def _write_notes(home: Path, board_id: str, path: Path, notes: dict[str, str]) -> None:
    """Each person writes a sticky in their own lane, with their own token."""
    from boardsmith.emulator import EmulatorTransport, create_app
    from boardsmith.miro import MiroClient
    from boardsmith.miro.models import (
        FixedRatioGeometry,
        ParentChange,
        PositionChange,
        StickyNoteCreate,
        StickyNoteDataChange,
    )
    from boardsmith.templates import compile_plan, load_template

    plan = compile_plan(load_template(path), {"people": list(notes)})
    frame_item = plan.by_key["board"]
    app = create_app(home / "emulator.sqlite3")
    try:
        for person, text in notes.items():
            async with MiroClient(token=f"{person}:1", transport=EmulatorTransport(app)) as client:
                frames = [i async for i in client.items.list(board_id, type="frame")]
                frame = frames[0]  # the board's one frame
                lane = plan.by_key[f"board/lanes/lane-{person.lower()}"]
                await client.sticky_notes.create(
                    board_id,
                    StickyNoteCreate(
                        data=StickyNoteDataChange(content=text),
                        position=PositionChange(
                            x=lane.x - frame_item.left, y=lane.top - frame_item.top + 300
                        ),
                        geometry=FixedRatioGeometry(width=150),
                        parent=ParentChange(id=frame.id),
                    ),
                )
    finally:
        app.close()


@pytest.mark.slow
def test_my_own_template_is_created_and_harvested_into_its_report(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "coaching" / "templates"
    assert run(capsys, "templates", "new", "check-in", "--dir", str(mine))[0] == 0
    path = mine / "check-in.yaml"
    assert run(capsys, "templates", "build", str(mine))[0] == 0
    code, out, err = run(capsys, "create", str(path), "--param", "people=Ana, Ben", "--json")
    assert code == 0, err
    board_id = json.loads(out)["board_id"]
    notes = {"Ana": "More time to plan", "Ben": "Fewer meetings"}
    asyncio.run(_write_notes(home, board_id, path, notes))

    # The board's state names its template, check-in; harvest finds it on the path.
    code, _, err = run(capsys, "harvest", board_id, "--format", "md")
    assert code == 1
    assert "its state names template 'check-in', which is not installed" in err
    monkeypatch.setenv("BOARDSMITH_TEMPLATE_PATH", str(mine))
    code, out, err = run(capsys, "harvest", board_id, "--format", "md")
    assert code == 0, err
    assert out.startswith("# Check in: Our team\n")
    assert "## What each of us wrote" in out
    assert "More time to plan" in out
    assert "Fewer meetings" in out
    assert "Not filled in: Our next steps" in out
    assert "template check-in v1" in out
    code, out, _ = run(capsys, "templates", "show", "check-in")
    assert (code, out.splitlines()[0]) == (0, "check-in (version 1)")
