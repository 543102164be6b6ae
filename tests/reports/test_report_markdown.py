"""Each built-in template's Markdown report, counted by hand against its session.

What a coach pastes into a follow-up email: the protocol's outcome first, in plain
words, with who wrote what; no template key, sticky id or board id before the footer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from boardsmith.harvest.model import HarvestDocument
from boardsmith.render.report import render_report
from tests.conftest import MakeClient
from tests.reports.sessions import SESSIONS
from tests.reports.sessions_new import SESSIONS_NEW

EVERY = {**SESSIONS, **SESSIONS_NEW}
INTERNAL = re.compile(
    r"vision_statement|shared_values|lane-|_empty_|\bcpv/|\brow-\d|uXjV"
    r"|theory_of_action|next_step|what_to_change|still_holds"
)


async def _report(
    name: str, make_client: MakeClient, tmp_path: Path
) -> tuple[HarvestDocument, str]:
    _, document, _ = await EVERY[name](make_client, tmp_path)
    return document, render_report(document, "md")


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[0]


@pytest.mark.parametrize("name", list(EVERY))
async def test_no_internal_key_or_id_in_the_body_and_ids_in_the_footer(
    name: str, make_client: MakeClient, tmp_path: Path
) -> None:
    document, text = await _report(name, make_client, tmp_path)
    board = document.boards[0]
    body, footer = text.split("\n---\n", 1)
    assert INTERNAL.search(body) is None, INTERNAL.search(body)
    assert all(s.id not in body for s in board.stickies)
    assert board.board_id in footer
    assert f"template {name}" in footer
    # Every heading the report shows is one the template declared (or an area's title).
    assert body.startswith(f"# {board.report.title}\n" if board.report else "#")


async def test_leadership_vision(make_client: MakeClient, tmp_path: Path) -> None:
    w, document, _ = await SESSIONS["leadership-vision"](make_client, tmp_path)
    body = _body(render_report(document, "md"))
    # On the board, as seed 000 has it: its six prompts (two nested) once, for all four
    # boxes, which carry only their headings; 15 + 10 + 15 + 10 + 25 + 15 = its 90
    # minutes; the case study named; what the dots are for said.
    texts = {i.key: i.plain_text for i in w.plan.items if i.type == "text"}
    assert [k for k in texts if k.startswith("vision/prompts/")] == [
        f"vision/prompts/{p}/heading" for p in ("functions", "looks", "sounds", "feels")
    ]
    prompts = texts["vision/prompts-list"].splitlines()
    assert [line[0] for line in prompts] == ["-", "-", "\u21b3", "\u21b3", "-", "-"]
    assert "beliefs and mindsets" in prompts[0]
    assert "challenges" in prompts[-1]
    assert "90 minutes" in texts["vision/goal"]
    assert texts["vision/warm-up/heading"].startswith("Warm-up (15 min)")
    steps = texts["vision/how-to/steps"]
    assert [int(m) for m in re.findall(r"\((\d+) min\)", steps)] == [10, 15, 10, 25, 15]
    assert "Partners in School Innovation as an organization?" in texts["vision/warm-up/questions"]
    assert "votes for step 3 (1 each): drag yours onto" in texts["vision/how-to/dots"]
    # The group filled slot 1 only: its choice is the result, the proposal beside it.
    assert "## Our top 3 adjectives\n\n1. **Joyful**\n2. (still empty)\n3. (still empty)" in body
    assert "_The tally proposed: Joyful, Bold, Caring._" in body
    assert "Tied at the cut-off of 3: Caring, Open." in body
    assert "| Ana | Joyful, Bold, Caring | Students come first, always |" in body
    assert "| Ben | Bold, Joyful, Open | (not written) |" in body
    assert "| 2 | Bold | Ana, Ben | 2 | 1 |" in body  # Cy's dot on Ben's "bold"
    assert "### How it functions\n\n- Teachers, families and students plan together (Ana)" in body
    # A sticky that is itself a numbered list keeps its numbers, under its author.
    assert "- Ben:\n  1. Weekly data talks\n  2. Shared planning time" in body
    assert "### How it feels\n\n- Everyone belongs (Cy)" in body
    assert "### How it looks" not in body
    # The seed's optional sketch and its warm-up each have their section, with authors.
    assert "## Notes on our sketch\n\n- Families at the center of the campus (Cy)" in body
    assert "## Warm-up reflections on the case study\n\n- Partners learn in the open (Ana)" in body
    assert "Not filled in: How it looks, How it sounds, Our vision notes after the review._" in body
    assert body.index("## Our top 3") < body.index("## Who picked") < body.index("## How the")
    assert body.index("## How our system") < body.index("## Notes on our sketch")
    assert "'parking lot: bus schedule' sits on the edge of the word bank; counted there" in body


async def test_collaborative_planning(make_client: MakeClient, tmp_path: Path) -> None:
    w, document, _ = await SESSIONS["collaborative-planning-vision"](make_client, tmp_path)
    body = _body(render_report(document, "md"))
    # The agreed statement first, as prose, one note however many commas it has.
    first = body.split("\n\n")[1:3]
    assert first == [
        "## Our vision statement",
        "Every teacher plans with colleagues, studies student work, and grows every week. (Ana)",
    ]
    assert "holds" not in body
    assert "each is counted" not in body
    assert "## Our shared values\n\n- Trust (Ben)\n- Curiosity (Cy)" in body
    # Step 6: each draft under its owner's box; the empty boxes named once at the end.
    assert (
        "## The drafts we started from\n\n### Ana's draft\n\n- Teachers plan together, weekly "
        "(Ana)\n\n### Ben's draft\n\n- Planning is where we grow (Ben)\n\n## Our aspirations"
        in body
    )
    # Step 4: the brainstorm grouped by the colour key drawn on the board; the key's
    # swatches are not notes; uncoded stickies said so.
    keyed = [i.content for i in w.plan.items if i.key.startswith("cpv/steps/step-4/color-key/")]
    assert keyed == ["Common values: light green", "Structures: light blue", "Purposes: light pink"]
    assert (
        "## Our aspirations, by theme\n\n### Common values\n\n- Honest feedback (Ben)\n\n"
        "### Structures\n\n- Protected time (Ana)\n\n"
        "### Purposes\n\n- Better lessons for students (Cy)\n\n"
        "### Not color-coded\n\n- Snacks (Cy)\n\n## How we will share" in body
    )
    # Step 8: the plan as a table, checked against "at least three times, three ways".
    assert "| What we share | How | When | Who shares it, with whom | Added by | Missing |" in body
    assert (
        "| Statement and values | Email to all staff | August 20 | Principal, to all staff "
        "| Dee |  |" in body
    )
    assert (
        "| (missing) | One-on-one check-ins | October | Coaches, with each teacher | Ana "
        "| **What we share** |" in body
    )
    assert (
        "_The guide asks for the statement and values to be shared three or more times, in three "
        "or more ways. This one has 3 rows and 3 different in \u201cHow\u201d._" in body
    )
    # Numbered notes in their own order, whatever their places on the board.
    assert (
        "### 8\\. Finalize and plan communication\n\n"
        "1. Draft the email (Dee)\n2. Book the meetings (Dee)\n3. Ask for questions (Dee)" in body
    )
    assert "Not filled in: Cy's draft, Dee's draft, 1. Gather stakeholders," in body
    # On the board: all seven criteria for success, both samples marked as such, and a
    # suggested time per step that adds up to the seed's 90 minutes.
    texts = {i.key: i.plain_text for i in w.plan.items if i.type == "text"}
    criteria = texts["cpv/steps/step-2/definition/text"]
    assert re.findall(r"^(\d)\. (\w+):", criteria, re.MULTILINE) == [
        ("1", "Vision"), ("2", "Time"), ("3", "Protocols"), ("4", "Roles"),
        ("5", "Trained"), ("6", "Invested"), ("7", "Affirm"),
    ]  # fmt: skip
    assert texts["cpv/steps/step-5/sample-statement/heading"].startswith("Sample vision statement")
    assert texts["cpv/steps/step-7/sample-values/heading"].startswith("Sample shared values")
    assert texts["cpv/steps/step-7/sample-values/text"].count("\n- ") == 5  # six values
    times = [texts[f"cpv/steps/step-{n}/time"] for n in range(1, 9)]
    assert sum(int(re.findall(r"\d+", t)[0]) for t in times) == 90
    sections = re.findall(r"^## (.+)$", body, re.MULTILINE)
    assert sections == [
        "Our vision statement",
        "Our shared values",
        "The drafts we started from",
        "Our aspirations, by theme",
        "How we will share the vision",
        "Our notes from the other steps",
    ]


async def test_purpose_map(make_client: MakeClient, tmp_path: Path) -> None:
    _, text = await _report("purpose-map", make_client, tmp_path)
    body = _body(text)
    assert "## Our vision\n\n### Purpose\n\n- Every child reads by grade 3 (Ana)" in body
    assert "### Theory of action\n\n- If we coach weekly, then reading improves (Ben)" in body
    assert "## The people to involve\n\n### Roles and voices to involve\n\n- Families (Cy)" in body
    assert (
        "| What we will do | Who | By when | How we will know it worked | Added by | Missing |"
        in body
    )
    assert "| Pilot reading circles | Ms Lee | March | Reading logs | Ana |  |" in body
    assert (
        "| Train tutors | Mr Diaz | (missing) | (missing) | Ben "
        "| **By when, How we will know it worked** |" in body
    )
    assert "Not filled in: Problem of practice, Who owns what." in body
    assert "## Sections" not in body
    assert "adjective" not in body.lower()


async def test_action_timeline(make_client: MakeClient, tmp_path: Path) -> None:
    _, text = await _report("action-timeline", make_client, tmp_path)
    body = _body(text)
    assert "## Our plan\n\nEvery student has an adult who knows them well\n\n| What" in body
    rows = [line for line in body.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[1:] == [
        "| Advisory every Monday | Grade leads | September | Student survey | Ana |  |",
        "| Mentor pairs | Counsellors | (missing) | Attendance | Ben | **By when** |",
        "| Family calls | Homeroom teachers | October | Call log | Cy |  |",
    ]  # row 4 is empty, so it is left out
    assert "Not filled in" not in body


async def test_conditions_self_assessment(make_client: MakeClient, tmp_path: Path) -> None:
    document, text = await _report("conditions-self-assessment", make_client, tmp_path)
    body = _body(text)
    assert (
        "| Vision and strategy | Cy (teacher): 1; Ben (teacher): 2; Dana (principal): 4 "
        "| 2 | 1-4 | 4 | 1.5 | **1 to 4: two or more levels apart** |" in body
    )
    assert "| Shared influence | Cy (teacher): 3; Dana (principal): 3 | 3 | 3 | 3 | 3 |  |" in body
    assert "| Capacity and resources | (no rating yet) |" in body
    assert "worth talking through first: Vision and strategy." in body
    assert (
        "### Evidence: Vision and strategy\n\n- Our plan names the vision (Dana)\n"
        "- Few teachers can say it (Cy)" in body
    )
    ratings = document.boards[0].report.sections[0].ratings  # type: ignore[union-attr]
    vision = next(c for c in ratings if c.condition == "Vision and strategy")
    assert [(r.level, r.participant, r.by) for r in vision.ratings] == [
        (1, "Cy", "sticky"),
        (2, "Ben", "dot"),
        (4, "Dana", "sticky"),
    ]
    assert (vision.median, vision.low, vision.high, vision.apart) == (2.0, 1, 4, True)
    assert vision.by_role == {"principal": 4.0, "teacher": 1.5}


async def test_see_hear_feel(make_client: MakeClient, tmp_path: Path) -> None:
    _, text = await _report("see-hear-feel", make_client, tmp_path)
    body = _body(text)
    assert "## When collective leadership is fully in place in our school" in body
    assert "### See\n\n- Students leading conferences (Ana)" in body
    assert "### Feel\n\n- Safe to try, safe to fail (Cy)" in body
    assert "## Our theory of action\n\n- If we share leadership" in body
    assert "Not filled in: Think, Say." in body
