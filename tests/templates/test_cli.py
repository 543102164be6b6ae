"""``boardsmith templates ...`` and ``boardsmith preview`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boardsmith.templates import builtin_templates
from tests.cli_helpers import run_cli as run

from .helpers import MINIMAL, write


def test_list_names_every_built_in_with_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "list")
    assert code == 0
    assert "leadership-vision (alias vision-board): Leadership Vision" in out
    assert len(out.splitlines()) == len(builtin_templates())


def test_show_describes_parameters_and_roles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "show", "vision-board")
    assert code == 0
    assert "top_n (int) = 5" in out
    assert "lane x6" in out
    assert "top_slot x5" in out


def test_show_unknown_template_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "templates", "show", "visoin")
    assert code == 2
    assert err.startswith("error: TEMPLATE: unknown template 'visoin'; built-in templates: ")
    assert "leadership-vision (alias vision-board)" in err
    assert len(err.strip().splitlines()) == 1


def test_validate_reports_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, MINIMAL, "good.yaml")
    bad = write(tmp_path, MINIMAL + "colour: red\n", "bad.yaml")
    code, out, err = run(capsys, "templates", "validate", str(good), str(bad))
    assert code == 1
    assert out == f"ok {good}: tiny, 4 items\n"
    assert err == (
        f"error: {bad}:25: colour: unknown key\nerror: 1 of 2 template files are invalid\n"
    )


def test_schema_validates_every_built_in(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema
    import yaml

    code, out, _ = run(capsys, "templates", "schema")
    assert code == 0
    schema = json.loads(out)
    validator = jsonschema.Draft202012Validator(schema)
    for template in builtin_templates():
        data = yaml.safe_load(Path(template.file).read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], template.name
    assert list(validator.iter_errors({"name": "x"})) != []


def test_check_passes_on_the_committed_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "check")
    assert (code, out) == (0, "compiled templates are up to date\n")


def test_stale_missing_and_unexpected_outputs_are_named(tmp_path: Path) -> None:
    from boardsmith.render.compiled import stale_outputs, write_outputs

    written = write_outputs(tmp_path)
    assert (tmp_path / "compiled" / "leadership-vision.plan.json") in written
    assert stale_outputs(tmp_path) == []
    (tmp_path / "compiled" / "purpose-map.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "compiled" / "see-hear-feel.plan.json").unlink()
    (tmp_path / "compiled" / "old.svg").write_text("x", encoding="utf-8")
    assert stale_outputs(tmp_path) == [
        (tmp_path / "compiled" / "purpose-map.svg", "stale"),
        (tmp_path / "compiled" / "see-hear-feel.plan.json", "missing"),
        (tmp_path / "compiled" / "old.svg", "unexpected"),
    ]
    rewritten = write_outputs(tmp_path)
    assert sorted(p.name for p in rewritten) == [
        "old.svg",
        "purpose-map.svg",
        "see-hear-feel.plan.json",
    ]
    assert stale_outputs(tmp_path) == []


def test_preview_writes_an_escaped_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "board.svg"
    code, out, err = run(
        capsys,
        "preview",
        "vision-board",
        "--param",
        "participants=<b>Ana</b>, Ana & Ben",
        "--param",
        "top_n=2",
        "--out",
        str(out_file),
    )
    assert code == 0
    assert (out, err.startswith(f"wrote {out_file} (")) == ("", True)  # a message: stderr
    svg = out_file.read_text(encoding="utf-8")
    assert "&lt;b&gt;Ana&lt;/b&gt;" in svg
    assert "Ana &amp; Ben" in svg
    assert "<b>" not in svg
    assert svg.count('rx="24"') == 2  # two round top slots (8% of 300)


def test_preview_bad_param_names_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "preview", "vision-board", "--param", "top_n=x", "--out", str(tmp_path / "a.svg")
    )
    assert code == 2
    assert err == "error: --param top_n: expected a whole number, got 'x'\n"
    assert not (tmp_path / "a.svg").exists()


def test_check_fails_naming_stale_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import boardsmith.render.compiled as compiled

    monkeypatch.setattr(compiled, "builtin_dir", lambda: tmp_path)
    compiled.write_outputs(tmp_path)
    stale = tmp_path / "compiled" / "purpose-map.svg"
    stale.write_text("<svg/>\n", encoding="utf-8")
    code, _, err = run(capsys, "templates", "check")
    assert code == 5  # stale, not invalid (1)
    assert err.splitlines() == [
        f"stale: {stale}",
        "error: 1 compiled template files are out of date "
        "(run `boardsmith templates build` and commit the result)",
    ]


def test_build_writes_then_reports_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import boardsmith.render.compiled as compiled

    monkeypatch.setattr(compiled, "builtin_dir", lambda: tmp_path)
    code, out, _ = run(capsys, "templates", "build")
    assert code == 0
    assert len(out.splitlines()) == 1 + 2 * len(builtin_templates())
    assert all(line.startswith("wrote ") for line in out.splitlines())
    assert (tmp_path / "compiled" / "leadership-vision.plan.json").is_file()
    assert run(capsys, "templates", "build") == (0, "everything is up to date\n", "")
