"""One realistic session per built-in template, played on the emulator.

Each participant writes with their own token (one Miro user each), the way a group
works: stickies in the areas the protocol names, a numbered plan, a sentence with
commas, a sticky that is itself a list, a blank cell, a dot as a rating. The tests
count by hand what each report must then say.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from boardsmith.harvest.api import BoardSource, HarvestResult, harvest_boards
from boardsmith.harvest.model import HarvestDocument
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

Session = Callable[
    [MakeClient, Path], Awaitable[tuple[Workshop, HarvestDocument, list[HarvestResult]]]
]


async def harvest(w: Workshop) -> tuple[HarvestDocument, list[HarvestResult]]:
    """The board harvested as ``boardsmith harvest`` would, with its local state."""
    return await harvest_boards(
        w.facilitator, [BoardSource(w.board_id, plan=w.plan, item_ids=w.item_ids)]
    )


async def _in(
    w: Workshop, who: str, key: str, text: str, fx: float, fy: float, **kw: object
) -> str:
    return await w.sticky(who, text, *await w.at(key, fx, fy), **kw)  # type: ignore[arg-type]


async def leadership_vision(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Workshop, HarvestDocument, list[HarvestResult]]:
    """Ana, Ben and Cy pick, say why, dot; the group fills 1 of 3 slots; notes per prompt,
    a warm-up reflection, a label on the sketch.

    Tally by hand: joyful (Ana, Ben, Cy: 3), bold (Ana, Ben: 2, Cy's dot), caring (Ana: 1),
    curious (Cy: 1). Proposal: Joyful, Bold, then Caring/Curious tied at the cut-off.
    """
    w = await Workshop.build(
        make_client,
        tmp_path,
        params={
            "team": "North High",
            "participants": ["Ana", "Ben", "Cy"],
            "word_bank": ["Joyful", "Bold", "Caring", "Curious", "Open"],
            "top_n": 3,
            "dots_per_participant": 1,
        },
    )
    await w.move("Ana", w.word("Joyful"), *await w.pick_at("Ana", 0.3, 0.1))
    await w.sticky("Ana", "Bold", *await w.pick_at("Ana", 0.7, 0.1))
    await w.sticky("Ana", "Caring", *await w.pick_at("Ana", 0.3, 0.6))
    await w.sticky("Ana", "Students come first, always", *await w.why_at("Ana"))
    ben_bold = await w.sticky("Ben", "bold", *await w.pick_at("Ben", 0.3, 0.1))
    await w.sticky("Ben", "Joyful", *await w.pick_at("Ben", 0.7, 0.1))
    await w.sticky("Ben", "Open", *await w.pick_at("Ben", 0.3, 0.6))
    await w.sticky("Cy", "Joyful", *await w.pick_at("Cy", 0.3, 0.1))
    await w.sticky("Cy", "Curious", *await w.pick_at("Cy", 0.7, 0.1))
    await w.sticky("Cy", "Caring", *await w.pick_at("Cy", 0.3, 0.6))
    await w.sticky("Cy", "Open", *await w.pick_at("Cy", 0.7, 0.6))
    await w.sticky("Cy", "We learn by asking", *await w.why_at("Cy"))
    bold = await w.facilitator.items.get(w.board_id, ben_bold)
    assert bold.position is not None
    left, top = await w.frame_origin()
    await w.move("Cy", w.dots_of("Cy")[0], left + bold.position.x, top + bold.position.y)
    slot = next(i.key for i in w.plan.items if i.role == "top_slot" and i.labels["rank"] == "1")
    await _in(w, "Ben", slot, "Joyful", 0.5, 0.6)
    functions = next(i.key for i in w.plan.items if i.labels.get("prompt") == "functions")
    await _in(w, "Ana", functions, "Teachers, families and students plan together", 0.3, 0.4)
    await _in(w, "Ben", functions, "1. Weekly data talks\n2. Shared planning time", 0.7, 0.4)
    feels = next(i.key for i in w.plan.items if i.labels.get("prompt") == "feels")
    await _in(w, "Cy", feels, "Everyone belongs", 0.5, 0.4)
    await _in(w, "Ana", "vision/warm-up", "Partners learn in the open", 0.5, 0.9)
    await _in(w, "Cy", "vision/sketch", "Families at the center of the campus", 0.5, 0.6)
    # Its centre just below the word bank, a third of it on the bank: counted there, and said so.
    x, y = await w.at("vision/word-bank", 0.5, 1.0)
    await w.sticky("Ben", "parking lot: bus schedule", x, y + 30, in_frame=False)
    return (w, *await harvest(w))


async def collaborative_planning(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Workshop, HarvestDocument, list[HarvestResult]]:
    """The seed's steps on one board: drafts in their owners' boxes, a statement with
    commas, values, a brainstorm coloured with the key, a communication plan.

    By hand: drafts from Ana and Ben (Cy's and Dee's boxes empty); themes Common values
    (Honest feedback), Structures (Protected time), Purposes (Better lessons for
    students), uncoded (Snacks); plan rows 1-3 with three different ways (email, team
    meetings, one-on-one check-ins), row 3 without its "what", row 4 empty.
    """
    w = await Workshop.build(
        make_client,
        tmp_path,
        "collaborative-planning-vision",
        {"team": "Maple Middle", "participants": ["Ana", "Ben", "Cy", "Dee"]},
    )
    p = "cpv/"
    await _in(w, "Ana", p + "drafts/draft-ana", "Teachers plan together, weekly", 0.5, 0.5)
    await _in(w, "Ben", p + "drafts/draft-ben", "Planning is where we grow", 0.5, 0.5)
    await _in(w, "Ana", p + "steps/step-3", "Protected time", 0.3, 0.6, colour="light_blue")
    await _in(w, "Ben", p + "steps/step-3", "Honest feedback", 0.7, 0.6, colour="light_green")
    await _in(
        w, "Cy", p + "steps/step-4", "Better lessons for students", 0.5, 0.6, colour="light_pink"
    )
    await _in(w, "Cy", p + "steps/step-3", "Snacks", 0.5, 0.9)
    await _in(
        w,
        "Ana",
        p + "vision-statement",
        "Every teacher plans with colleagues, studies student work, and grows every week.",
        0.5,
        0.5,
    )
    await _in(w, "Ben", p + "shared-values", "Trust", 0.3, 0.5)
    await _in(w, "Cy", p + "shared-values", "Curiosity", 0.6, 0.5)
    # Step 8's notes are not in a straight column: row binning alone would read 1, 3, 2.
    await _in(w, "Dee", p + "steps/step-8", "1. Draft the email", 0.3, 0.45)
    await _in(w, "Dee", p + "steps/step-8", "3. Ask for questions", 0.7, 0.47)
    await _in(w, "Dee", p + "steps/step-8", "2. Book the meetings", 0.5, 0.75)
    row = p + "plan/row-"
    await _in(w, "Dee", row + "1/what", "Statement and values", 0.5, 0.5)
    await _in(w, "Dee", row + "1/how", "Email to all staff", 0.5, 0.5)
    await _in(w, "Dee", row + "1/when", "August 20", 0.5, 0.5)
    await _in(w, "Dee", row + "1/who", "Principal, to all staff", 0.5, 0.5)
    await _in(w, "Dee", row + "2/what", "Statement and values", 0.5, 0.5)
    await _in(w, "Dee", row + "2/how", "Team meetings", 0.5, 0.5)
    await _in(w, "Dee", row + "2/when", "September", 0.5, 0.5)
    await _in(w, "Dee", row + "2/who", "Department heads", 0.5, 0.5)
    await _in(w, "Ana", row + "3/how", "One-on-one check-ins", 0.5, 0.5)
    await _in(w, "Ana", row + "3/when", "October", 0.5, 0.5)
    await _in(w, "Ana", row + "3/who", "Coaches, with each teacher", 0.5, 0.5)
    return (w, *await harvest(w))


async def purpose_map(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Workshop, HarvestDocument, list[HarvestResult]]:
    """The vision, the people, and two rows of the first action plan (one without a date)."""
    w = await Workshop.build(make_client, tmp_path, "purpose-map", {"team": "Oak Elementary"})
    v = "purpose-map/vision/"
    await _in(w, "Ana", v + "purpose", "Every child reads by grade 3", 0.5, 0.6)
    await _in(w, "Ben", v + "theory", "If we coach weekly, then reading improves", 0.5, 0.6)
    await _in(w, "Cy", "purpose-map/people/roles", "Families", 0.5, 0.6)
    row = "purpose-map/plan/rows/row-"
    await _in(w, "Ana", row + "1/what", "Pilot reading circles", 0.5, 0.5)
    await _in(w, "Ana", row + "1/who", "Ms Lee", 0.5, 0.5)
    await _in(w, "Ana", row + "1/when", "March", 0.5, 0.5)
    await _in(w, "Ana", row + "1/evidence", "Reading logs", 0.5, 0.5)
    await _in(w, "Ben", row + "2/what", "Train tutors", 0.5, 0.5)
    await _in(w, "Ben", row + "2/who", "Mr Diaz", 0.5, 0.5)
    return (w, *await harvest(w))


async def action_timeline(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Workshop, HarvestDocument, list[HarvestResult]]:
    """Three rows of actions, one with no date, under the team's goal."""
    w = await Workshop.build(
        make_client,
        tmp_path,
        "action-timeline",
        {"team": "Cedar High", "goal": "Every student has an adult who knows them well", "rows": 4},
    )
    row = "timeline/rows/row-"
    await _in(w, "Ana", row + "1/what", "Advisory every Monday", 0.5, 0.5)
    await _in(w, "Ana", row + "1/who", "Grade leads", 0.5, 0.5)
    await _in(w, "Ana", row + "1/when", "September", 0.5, 0.5)
    await _in(w, "Ana", row + "1/evidence", "Student survey", 0.5, 0.5)
    await _in(w, "Ben", row + "2/what", "Mentor pairs", 0.5, 0.5)
    await _in(w, "Ben", row + "2/who", "Counsellors", 0.5, 0.5)
    await _in(w, "Ben", row + "2/evidence", "Attendance", 0.5, 0.5)
    await _in(w, "Cy", row + "3/what", "Family calls", 0.5, 0.5)
    await _in(w, "Cy", row + "3/who", "Homeroom teachers", 0.5, 0.5)
    await _in(w, "Cy", row + "3/when", "October", 0.5, 0.5)
    await _in(w, "Cy", row + "3/evidence", "Call log", 0.5, 0.5)
    return (w, *await harvest(w))


async def conditions(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Workshop, HarvestDocument, list[HarvestResult]]:
    """Dana (principal) rates vision 4, the teachers 1 and 2; Ben rates with his marker.

    By hand: Vision and strategy 1 (Cy), 2 (Ben, a dot), 4 (Dana): median 2, range 1-4,
    two or more apart; principal 4, teacher 1.5. Shared influence 3 (Dana), 3 (Cy).
    """
    w = await Workshop.build(
        make_client,
        tmp_path,
        "conditions-self-assessment",
        {
            "team": "Birch Academy",
            "conditions": ["Vision and strategy", "Shared influence", "Capacity and resources"],
            "participants": ["Dana (principal)", "Ben (teacher)", "Cy (teacher)"],
        },
    )
    row = "conditions/rows/"
    # Ben drags the marker the board gave him; his other markers stay in his dock.
    marker = w.item_ids["conditions/markers/markers-ben/dock/marker-vision-and-strategy"]
    await _in(w, "Dana", row + "vision-and-strategy/rating/level-4", "4", 0.5, 0.6, width=100)
    await _in(w, "Cy", row + "vision-and-strategy/rating/level-1", "1", 0.5, 0.6, width=100)
    await w.move("Ben", marker, *await w.at(row + "vision-and-strategy/rating/level-2", 0.5, 0.7))
    await _in(
        w, "Dana", row + "vision-and-strategy/evidence", "Our plan names the vision", 0.3, 0.5
    )
    await _in(w, "Cy", row + "vision-and-strategy/evidence", "Few teachers can say it", 0.7, 0.5)
    await _in(w, "Dana", row + "shared-influence/rating/level-3", "3", 0.5, 0.6, width=100)
    await _in(w, "Cy", row + "shared-influence/rating/level-3", "3", 0.5, 0.3, width=100)
    return (w, *await harvest(w))


async def see_hear_feel(
    make_client: MakeClient, tmp_path: Path
) -> tuple[Workshop, HarvestDocument, list[HarvestResult]]:
    """Notes in three of five areas and a theory of action."""
    w = await Workshop.build(make_client, tmp_path, "see-hear-feel", {"team": "Elm School"})
    a = "shf/areas/"
    await _in(w, "Ana", a + "see", "Students leading conferences", 0.5, 0.5)
    await _in(w, "Ben", a + "hear", "Questions, not answers", 0.5, 0.5)
    await _in(w, "Cy", a + "feel", "Safe to try, safe to fail", 0.5, 0.5)
    await _in(
        w,
        "Ana",
        a + "notes",
        "If we share leadership, then ideas spread, because people own them",
        0.5,
        0.6,
    )
    return (w, *await harvest(w))


SESSIONS: dict[str, Session] = {
    "leadership-vision": leadership_vision,
    "collaborative-planning-vision": collaborative_planning,
    "purpose-map": purpose_map,
    "action-timeline": action_timeline,
    "conditions-self-assessment": conditions,
    "see-hear-feel": see_hear_feel,
}
