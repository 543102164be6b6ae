"""A template's report block: validated at load, with the line of each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import MINIMAL, compile_text, expect_error

# MINIMAL has 24 lines: "report:" is line 25, the first section line 27.
GOOD = """\
report:
  title: "Report of {team}"
  sections:
    - heading: "Who picked what in {team}"
      show: picks
    - heading: Lanes
      show: notes
      from: {role: lane}
"""


def test_the_report_block_is_compiled_with_its_headings_interpolated(tmp_path: Path) -> None:
    plan = compile_text(tmp_path, MINIMAL + GOOD, {"team": "North"})
    assert plan.report is not None
    assert plan.report.title == "Report of North"
    assert [(s.heading, s.show) for s in plan.report.sections] == [
        ("Who picked what in North", "picks"),
        ("Lanes", "notes"),
    ]
    assert plan.report.sections[1].selectors[0].role == "lane"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        pytest.param(
            "    - {heading: Top, show: result}\n",
            "27: report.sections[0].show: show: result needs regions with role top_slot; "
            "none is drawn",
            id="kind-needs-a-role-the-board-lacks",
        ),
        pytest.param(
            "    - {heading: Notes, show: notes}\n",
            "27: report.sections[0]: show: notes needs from: {role: ...} naming its regions",
            id="kind-needs-from",
        ),
        pytest.param(
            "    - {heading: Notes, show: notes, from: {role: lanes}}\n",
            "27: report.sections[0].from.role: 'lanes' is not a region role (one of cell, "
            "column, condition, evidence, lane, notes, prompt_notes, rating, section, step, "
            "top_slot, why, word_bank)",
            id="unknown-role",
        ),
        pytest.param(
            "    - {heading: Notes, show: notes, from: {role: notes}}\n",
            "27: report.sections[0].from: no region of the template has role notes",
            id="role-not-drawn",
        ),
        pytest.param(
            "    - {heading: Notes, show: notes, from: {role: lane, labels: {section: x}}}\n",
            "27: report.sections[0].from: no region of the template has role lane with section: x",
            id="labels-not-drawn",
        ),
        pytest.param(
            "    - {heading: T, show: table, from: {role: lane}}\n",
            "27: report.sections[0].from: show: table reads regions labelled row and column",
            id="table-needs-cells",
        ),
        pytest.param(
            "    - {heading: T, show: picks, from: {role: lane}}\n",
            "27: report.sections[0].from: show: picks reads the whole board; remove from",
            id="from-on-a-whole-board-kind",
        ),
        pytest.param(
            "    - {heading: T, show: list, from: {role: lane}, themes: {mauve: M}}\n",
            "27: report.sections[0].themes.mauve: 'mauve' is not a sticky colour (one of gray, "
            "light_yellow, yellow, orange, light_green, green, dark_green, cyan, light_pink, "
            "pink, violet, red, light_blue, blue, dark_blue, black)",
            id="theme-colour",
        ),
        pytest.param(
            "    - {heading: 'In {city}', show: picks}\n",
            "27: report.sections[0].heading: '{city}' is not a parameter (known: people, "
            "slots, team)",
            id="unknown-placeholder",
        ),
        pytest.param(
            "    - {heading: T, show: chart}\n",
            "27: report.sections[0].show: input should be 'result', 'picks', 'tally', "
            "'notes', 'statement', 'list', 'table', 'ratings' or 'text' (got 'chart')",
            id="unknown-kind",
        ),
    ],
)
def test_report_mistakes_name_their_line(tmp_path: Path, section: str, message: str) -> None:
    expect_error(tmp_path, MINIMAL + "report:\n  sections:\n" + section, message)


def test_a_text_section_needs_its_intro(tmp_path: Path) -> None:
    section = "    - {heading: Our statement, show: text}\n"
    expect_error(
        tmp_path,
        MINIMAL + "report:\n  sections:\n" + section,
        '27: report.sections[0]: show: text shows its intro; give intro: "{parameter}"',
    )
