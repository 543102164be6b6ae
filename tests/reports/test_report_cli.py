"""``boardsmith harvest --format md|html|json [--anonymise]`` as a coach runs it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli as run
from tests.harvest.test_cli_harvest import _create, _fill_slot, _picks


def test_html_report_is_one_self_contained_file_with_the_finished_board(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, {"Ana": ["Bold", "Kind"], "Ben": ["Bold"]}))
    asyncio.run(_fill_slot(home, board_id, "Bold"))
    out_file = tmp_path / "report.html"
    code, _, err = run(capsys, "harvest", board_id, "--format", "html", "--out", str(out_file))
    assert code == 0, err
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert ">Our top 3 adjectives</h2>" in page
    # The picture is the board as it is now: the participants' stickies are on it.
    picture = page[page.index('<figure class="board"') :]
    picture = picture[: picture.index("</figure>")]
    assert "Kind" in picture
    assert "Bold" in picture
    assert '<figure class="tally"' in page
    # Nothing is fetched: no external URL outside the SVG namespace declarations.
    assert "src=" not in page
    assert "<link" not in page
    assert "@import" not in page
    assert page.count("http") == page.count("http://www.w3.org/")


def test_json_keeps_the_data_and_adds_the_reports_sections(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, {"Ana": ["Bold"]}))
    code, out, err = run(capsys, "harvest", board_id, "--json")
    assert code == 0, err
    board = json.loads(out)["boards"][0]
    assert board["tally"]["top"] == ["bold"]
    sections = board["report"]["sections"]
    assert [s["show"] for s in sections][:3] == ["result", "picks", "tally"]
    assert sections[0]["heading"] == "Our top 3 adjectives"
    assert "How our system functions, looks, sounds and feels" in board["report"]["not_filled"]


def test_anonymise_hides_names_in_the_report(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, {"Ana": ["Bold"], "Cy": ["Kind"]}))
    code, out, err = run(capsys, "harvest", board_id, "--format", "md", "--anonymise")
    assert code == 0, err
    assert "| Participant A | Bold |" in out
    assert "| Participant C | Kind |" in out
    for name in ("Ana", "Ben", "Cy"):
        assert name not in out
    code, spelled, _ = run(capsys, "harvest", board_id, "--format", "md", "--anonymize")
    assert spelled == out


def test_html_is_a_listed_format(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "harvest", "nope", "--format", "pdf")
    assert code == 2
    assert "error: --format: expected one of json, csv, md, html" in err
