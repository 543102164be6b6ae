"""Exports, the published schema and the chart."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from boardsmith.harvest.exports import CSV_COLUMNS, neutralise_cell, to_csv, to_json
from boardsmith.harvest.model import HarvestDocument, schema_json
from boardsmith.render.chart import tally_chart_svg
from boardsmith.render.report import render_report
from tests.harvest.factories import board, sticky

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "harvest.schema.json"


def test_committed_schema_matches_the_model() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "docs/schemas/harvest.schema.json is stale; regenerate it from "
        "boardsmith.harvest.model.schema_json()"
    )


def test_documents_validate_against_the_published_schema() -> None:
    document = HarvestDocument(boards=[board(), board(board_id="b2")])
    data = json.loads(to_json(document))
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert data["schema"] == "boardsmith.harvest"
    assert data["version"] == 1
    assert HarvestDocument.model_validate(data) == document


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("bold", "bold"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_cell(cell: str, expected: str) -> None:
    assert neutralise_cell(cell) == expected


def test_csv_one_row_per_sticky_with_formulas_neutralised() -> None:
    stickies = [
        sticky("1", '=HYPERLINK("http://evil")'),
        sticky("2", "-negative vibes", x=-120.5),
        sticky("3", "@here", region=None, role=None, participant=None),
    ]
    document = HarvestDocument(boards=[board(stickies=stickies), board(board_id="b2")])
    rows = list(csv.reader(io.StringIO(to_csv(document))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + 3 + 2
    by_id = {r[1]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:4]}
    assert by_id["1"]["raw_text"] == '\'=HYPERLINK("http://evil")'
    assert by_id["2"]["raw_text"] == "'-negative vibes"
    assert by_id["2"]["x"] == "-120.5"  # numbers stay numbers
    assert by_id["3"]["raw_text"] == "'@here"
    assert by_id["3"]["region"] == ""
    for row in rows[1:]:
        for cell in row:
            if cell and not cell.lstrip("-").replace(".", "").isdigit():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_document_without_a_report_still_reads_as_one() -> None:
    # Written by hand (or by an older boardsmith): the report falls back to the records.
    stickies = [sticky("1", "bold"), sticky("9", "lost idea", region=None, role=None)]
    text = render_report(HarvestDocument(boards=[board(stickies=stickies)]), "md")
    assert text.startswith("# Lincoln\n")
    assert "1. **bold**" in text
    assert "| 1 | bold | Ana, Ben | 2 | 0 |" in text
    assert "### Feels\n\n- we belong (Ben)" in text
    assert "Outside every area of the board, so not in this report: 'lost idea'" in text
    assert "`9`" not in text.split("---")[0]  # no sticky id in the body


def test_markdown_escapes_pipes_and_reports_ties() -> None:
    document = HarvestDocument(boards=[board(picks=[("Ana", "a|b"), ("Ana", "c"), ("Ana", "d")])])
    text = render_report(document, "md")
    assert "a\\|b" in text
    assert "Tied at the cut-off of 2" in text


def test_chart_is_valid_svg_with_one_bar_per_term() -> None:
    record = board().tally
    svg = tally_chart_svg(record, title="Lincoln <High>")
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output, not untrusted)
    assert root.tag.endswith("svg")
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Lincoln <High>" in texts
    assert any(t.endswith("bold") for t in texts)
    bars = [
        r
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    assert len(bars) == len(record.terms)
    widths = [float(b.get("width", "0")) for b in bars]
    assert widths == sorted(widths, reverse=True)
    assert tally_chart_svg(record) == tally_chart_svg(record)


def test_markdown_for_several_boards_leads_with_each_groups_choice() -> None:
    from boardsmith.harvest.api import aggregate
    from boardsmith.harvest.rollup import rollup

    boards = [board(board_id="b1"), board(board_id="b2")]
    document = HarvestDocument(
        boards=boards, aggregate=aggregate(boards, top=2), rollup=rollup(boards)
    )
    text = render_report(document, "md")
    assert (
        text.index("## Across 2 boards")
        < text.index("### What the groups chose")
        < text.index("### Every participant's picks, pooled across the boards")
        < text.index("## Lincoln")
    )
    # Two boards of one name are told apart by their ids; neither group has chosen yet.
    assert "| b1 | bold, calm | the tally's proposal; the group has not chosen yet |" in text
    assert "| bold | 2 | b1 (proposed), b2 (proposed) |" in text
    assert text.count("## Lincoln") == 2
    # The same name on two boards is two people: "bold" has two pickers.
    assert "| 1 | bold | Ana (b1), Ana (b2) | 2 | 0 |" in text


def test_a_group_choice_equal_to_the_proposal_is_not_listed_twice() -> None:
    text = render_report(HarvestDocument(boards=[board(slots=[["Bold"], ["Calm"]])]), "md")
    assert "## Our top 2 adjectives\n\n1. **Bold**\n2. **Calm**" in text
    assert "_The tally proposed the same adjectives, in the same order._" in text
    assert "The tally proposed:" not in text
    assert text.count("**Calm**") == 1
