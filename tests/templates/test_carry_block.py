"""A template's ``from:`` block: what ``create --from`` may take, checked at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardsmith.templates import builtin_templates
from boardsmith.templates.carry_spec import SectionSource

from .helpers import MINIMAL, expect_error, load


def test_a_valid_block_loads(tmp_path: Path) -> None:
    text = MINIMAL + "from:\n  - {template: leadership-vision, take: result, to: people}\n"
    (entry,) = load(tmp_path, text).spec.from_
    assert (entry.template, entry.take, entry.to) == ("leadership-vision", "result", "people")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        pytest.param(
            "  - {template: purpose-map, take: result, to: actions}\n",
            "26: from[0].to: 'actions' is not a parameter (known: team, people, slots)",
            id="unknown-parameter",
        ),
        pytest.param(
            "  - {template: purpose-map, take: result, to: slots}\n",
            "26: from[0].to: 'slots' is a int parameter; carried text needs str or list[str]",
            id="not-text",
        ),
        pytest.param(
            "  - {template: purpose-map, take: result, to: team}\n"
            "  - {template: purpose-map, take: result, to: people}\n",
            "27: from[1].template: 'purpose-map' is listed twice",
            id="twice",
        ),
        pytest.param(
            "  - {template: purpose-map, take: {heading: x}, to: team}\n",
            "26: from[0]: take: expected result or {section: HEADING, column: LABEL}, "
            "got {'heading': 'x'}",
            id="bad-take",
        ),
    ],
)
def test_mistakes_name_their_line(tmp_path: Path, block: str, message: str) -> None:
    expect_error(tmp_path, MINIMAL + "from:\n" + block, message)


def test_every_builtin_takes_sections_its_source_reports() -> None:
    """A built-in's from: names a heading the earlier template's report really has."""
    by_name = {t.name: t for t in builtin_templates()}
    checked = 0
    for template in by_name.values():
        for entry in template.spec.from_:
            report = by_name[entry.template].spec.report
            assert report is not None, entry
            if isinstance(entry.take, SectionSource):
                assert entry.take.section in [s.heading for s in report.sections], entry
            else:
                assert any(s.show == "result" for s in report.sections), entry
            checked += 1
    assert checked >= 1
