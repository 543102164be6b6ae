"""barrier-analysis, living-vision and future-ready: the boards carry each protocol's
steps, and each report, counted by hand against its session, answers the protocol.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from boardsmith.harvest.carry import carried_params
from boardsmith.render.report import render_report
from boardsmith.templates import compile_plan, find_template
from tests.conftest import MakeClient
from tests.reports.sessions import SESSIONS
from tests.reports.sessions_new import (
    COHERENCE,
    CULTURE,
    EXPECTATIONS,
    SESSIONS_NEW,
    VISION,
)
from tests.reports.test_report_markdown import _body, _report


@pytest.mark.parametrize("name", list(SESSIONS_NEW))
async def test_a_report_section_for_every_step_of_the_protocol(
    name: str, make_client: MakeClient, tmp_path: Path
) -> None:
    document, _ = await _report(name, make_client, tmp_path)
    report = document.boards[0].report
    assert report is not None
    assert [s.heading for s in report.sections] == HEADINGS[name]


HEADINGS = {
    "barrier-analysis": [
        "Our theory of action",
        "The approach we chose",
        "The barrier",
        "Why it exists",
        "The ideas we considered",
    ],
    "living-vision": [
        "The vision we started from",
        "The words it started from",
        "Our vision, revisited",
        "Our vision statement, revised",
        "What we will change",
        "New voices",
        "Holistic outcomes across the domains of development",
        "Where practice and priorities match the vision, and where they do not",
    ],
    "future-ready": ["Where we stand on each element", "Our next steps"],
}


def test_barrier_analysis_board_has_the_five_steps_in_order() -> None:
    plan = compile_plan(find_template("barrier-analysis"), {"condition": "Shared influence"})
    steps = sorted(
        (r for r in plan.regions() if "step" in r.labels), key=lambda r: r.labels["step"]
    )
    assert [(r.role, r.labels["title"]) for r in steps] == [
        ("prompt_notes", "The barrier"),
        ("prompt_notes", "Why it exists"),
        ("prompt_notes", "Ideas for addressing it"),
        ("notes", "The approach we chose"),
        ("notes", "Our theory of action"),
    ]
    # Steps 1-3 read left to right, 4-5 below them.
    assert steps[0].right <= steps[1].left
    assert steps[1].right <= steps[2].left
    assert max(r.bottom for r in steps[:3]) <= min(r.top for r in steps[3:])
    assert plan.by_key["barrier/title"].plain_text == "Barrier analysis: Shared influence"
    assert plan.title == "Barrier analysis: Leadership team"


async def test_barrier_analysis(make_client: MakeClient, tmp_path: Path) -> None:
    _, text = await _report("barrier-analysis", make_client, tmp_path)
    body = _body(text)
    # The outcome first: the theory of action as prose, one note despite its commas.
    assert body.split("\n\n")[:3] == [
        "# Barrier analysis: Capacity and resources",
        "## Our theory of action",
        "If paired classes free one block a week, then teams plan together, and students "
        "get lessons built on shared evidence. (Dee)",
    ]
    # The idea Fay moved into step 4 is Cy's approach, and no longer among the ideas.
    assert "## The approach we chose\n\n- Pair classes for a common planning block (Cy)\n" in body
    assert (
        "## The barrier\n\nThe biggest challenge for this condition (Capacity and resources) "
        "that is within our control.\n\n- No shared planning time in the schedule (Ana)\n" in body
    )
    assert (
        "## Why it exists\n\n- The master schedule is set by the district (Ben)\n"
        "- Cy:\n  - Coverage costs money\n  - Meetings fill the free periods\n" in body
    )
    assert (
        "## The ideas we considered\n\n- Late-start Wednesdays (Ana)\n"
        "- Ask the union about a pilot (Ben)\n" in body
    )
    assert "Pair classes" not in body.split("## The ideas we considered")[1]
    assert "Not filled in" not in body


def test_living_vision_board_shows_the_statement_carried_in() -> None:
    template = find_template("living-vision")
    carried = compile_plan(
        template,
        {"statement": "Every student thrives.", "adjectives": ["Curious", "Brave"]},
    )
    assert carried.by_key["living/current/statement"].plain_text == "Every student thrives."
    assert (
        carried.by_key["living/current/adjectives"].plain_text
        == "The words we started from: Curious, Brave"
    )
    # Carried in, the statement is no sticky area: nobody is asked to write it again.
    assert not [r for r in carried.regions() if r.labels.get("prompt") == "current"]
    fresh = compile_plan(template)
    assert "living/current" not in fresh.by_key
    assert "living/current-notes/adjectives" not in fresh.by_key  # no adjectives given
    current = [r for r in fresh.regions() if r.labels.get("prompt") == "current"]
    assert [r.key for r in current] == ["living/current-notes"]
    sections = {
        r.labels["title"]: r.labels.get("section")
        for r in fresh.regions()
        if r.role in ("prompt_notes", "notes")
    }
    assert sections == {
        "Our vision today": None,
        "What still holds": "revisit",
        "What has changed": "revisit",
        "Students": "voices",
        "Families and caregivers": "voices",
        "Community partners": "voices",
        "Academic": "outcomes",
        "Social and emotional": "outcomes",
        "Physical and health": "outcomes",
        "Identity and purpose": "outcomes",
        "Civic and community": "outcomes",
        "Day-to-day practice: where it matches the vision": "alignment",
        "Day-to-day practice: where it does not": "alignment",
        "This year's big rocks: where they match the vision": "alignment",
        "This year's big rocks: where they do not": "alignment",
        "What we will change": "what_to_change",
        "Our vision statement, revised": "revised_statement",
    }


async def test_living_vision(make_client: MakeClient, tmp_path: Path) -> None:
    _, text = await _report("living-vision", make_client, tmp_path)
    body = _body(text)
    # The statement carried in leads, then what still holds and what has changed.
    assert (
        "## The vision we started from\n\nEvery student is known, challenged, and cared for.\n\n"
        "## The words it started from\n\nCurious, Caring, Brave\n\n"
        "## Our vision, revisited\n\n"
        "### What still holds\n\n- Known and cared for still guides advisory (Ana)\n\n"
        "### What has changed\n\n- Half our families are new since 2023 (Ben)\n" in body
    )
    # The revised statement next, as prose: one note however many commas it has.
    assert (
        "## Our vision statement, revised\n\nEvery student is known, challenged, and cared "
        "for, and helps shape our town. (Ana)\n" in body
    )
    # Numbered changes keep their own order, whatever their places on the board.
    assert (
        "## What we will change\n\n1. Add a civic outcome to the statement (Dee)\n"
        "2. Retire the test-prep block (Dee)\n" in body
    )
    assert (
        "## New voices\n\n### Students\n\n- We want projects that help our town (Cy)\n\n"
        "### Families and caregivers\n\n- Say it in Spanish, too (Dee)\n" in body
    )
    assert "### Academic\n\n- Reads and writes for real audiences (Ana)" in body
    assert "### Civic and community\n\n- Leads a service project (Cy)" in body
    assert "### Day-to-day practice that matches the vision\n\n- Morning meetings use" in body
    assert (
        "### This year's big rocks that do not match it\n\n- The new test-prep block (Ben)" in body
    )
    assert body.index("## Our vision, revisited") < body.index("## Our vision statement, revised")
    assert body.index("## Our vision statement, revised") < body.index("## What we will change")
    assert body.index("## What we will change") < body.index("## New voices")
    assert (
        "_Not filled in: Community partners, Social and emotional, Day-to-day practice that "
        "does not match it, This year's big rocks that match the vision._" in body
    )
    assert "Our vision today" not in body


def test_future_ready_rows_are_labelled_by_element_names_with_commas() -> None:
    plan = compile_plan(find_template("future-ready"))
    names = [c.labels["condition"] for c in plan.with_role("condition")]
    assert names == [VISION, CULTURE, EXPECTATIONS, COHERENCE]
    for name in names:
        levels = [
            r.labels["level"] for r in plan.with_role("rating") if r.labels["condition"] == name
        ]
        assert levels == ["1", "2", "3", "4"]
        assert [e.labels for e in plan.with_role("evidence")].count({"condition": name}) == 1
        nexts = [n for n in plan.with_role("notes") if n.labels.get("title") == name]
        assert [n.labels["section"] for n in nexts] == ["next_step"]
    # Each description sits beside its element, in the same row.
    abouts = sorted(
        (i for i in plan.items if i.key.startswith("future/table/about/")), key=lambda i: i.top
    )
    rows = plan.with_role("condition")
    assert len(abouts) == len(rows) == 4
    for about, row in zip(abouts, rows, strict=True):
        assert (about.top, about.bottom) == (row.top, row.bottom)
    assert abouts[0].plain_text.startswith("Students, staff, families and the wider community")
    assert "A possible next step:" in abouts[3].plain_text


async def test_future_ready(make_client: MakeClient, tmp_path: Path) -> None:
    document, text = await _report("future-ready", make_client, tmp_path)
    body = _body(text)
    assert "| Element | Ratings | Median | Range | Gap |" in body
    assert (
        f"| {VISION} | Ben: 1; Ana: 3; Cy: 3 | 3 | 1-3 | **1 to 3: two or more levels apart** |"
        in body
    )
    assert f"| {CULTURE} | Ana: 2; Ben: 2 | 2 | 2 |  |" in body
    assert f"| {EXPECTATIONS} | (no rating yet) |  |  |  |" in body
    assert f"| {COHERENCE} | Cy: 4 | 4 | 4 |  |" in body
    assert f"worth talking through first: {VISION}." in body
    assert (
        f"### Evidence: {VISION}\n\n"
        "- The plan names digital learning, but few families have heard of it (Ana)" in body
    )
    assert (
        f"## Our next steps\n\n### {VISION}\n\n"
        "- Draft the vision with students, families, and staff by March (Ben)\n\n"
        f"### {CULTURE}\n\n- Cy:\n  1. Name a digital lead per school\n"
        "  2. Give leads a small budget\n" in body
    )
    ratings = document.boards[0].report.sections[0].ratings  # type: ignore[union-attr]
    assert [c.condition for c in ratings] == [VISION, CULTURE, EXPECTATIONS, COHERENCE]
    vision = ratings[0]
    assert [(r.level, r.participant, r.by) for r in vision.ratings] == [
        (1, "Ben", "dot"),
        (3, "Ana", "sticky"),
        (3, "Cy", "sticky"),
    ]
    assert (vision.median, vision.low, vision.high, vision.apart) == (3.0, 1, 3, True)


@pytest.mark.parametrize("name", list(SESSIONS_NEW))
async def test_html_report_has_every_filled_section_and_the_board(
    name: str, make_client: MakeClient, tmp_path: Path
) -> None:
    _, document, results = await SESSIONS_NEW[name](make_client, tmp_path)
    html = render_report(
        document, "html", snapshots={r.harvest.board_id: r.snapshot for r in results}
    )
    report = document.boards[0].report
    assert report is not None
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    filled = [s.heading.replace("'", "&#x27;") for s in report.sections if not s.empty]
    assert [h for h in headings if h in filled] == filled
    assert "<svg" in html


@pytest.mark.slow
async def test_living_vision_starts_from_the_last_revisit_or_a_planning_board(
    make_client: MakeClient, tmp_path: Path
) -> None:
    template = find_template("living-vision")
    _, revisit, _ = await SESSIONS_NEW["living-vision"](make_client, tmp_path / "revisit")
    assert carried_params(template, revisit.boards[0]) == {
        "statement": "Every student is known, challenged, and cared for, and helps shape our town."
    }
    _, planning, _ = await SESSIONS["collaborative-planning-vision"](make_client, tmp_path / "cpv")
    assert carried_params(template, planning.boards[0]) == {
        "statement": (
            "Every teacher plans with colleagues, studies student work, and grows every week."
        )
    }
    # From a vision board: the group's own top adjectives (it filled one slot of three).
    _, adjectives, _ = await SESSIONS["leadership-vision"](make_client, tmp_path / "lv")
    assert carried_params(template, adjectives.boards[0]) == {"adjectives": ["Joyful"]}
    # The statement carried in is shown as it was written, commas and all.
    plan = compile_plan(template, carried_params(template, planning.boards[0]))
    assert plan.by_key["living/current/statement"].plain_text.startswith("Every teacher plans")
