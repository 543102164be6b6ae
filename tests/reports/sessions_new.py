"""Sessions for the barrier-analysis, living-vision and future-ready templates.

Played on the emulator like those in ``sessions.py``: each participant writes with
their own token, in the areas the protocol names. The docstrings count by hand
what each report must then say.
"""

from __future__ import annotations

from pathlib import Path

from boardsmith.harvest.api import HarvestResult
from boardsmith.harvest.model import HarvestDocument
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop
from tests.reports.sessions import Session, harvest

Played = tuple[Workshop, HarvestDocument, list[HarvestResult]]

VISION = "A Shared, Forward-Thinking Vision for Digital Learning"
CULTURE = "A Culture of Collaboration, Innovation, Capacity Building, and Empowerment"
EXPECTATIONS = "High Expectations for Evidence-Based Transformations to Digital Learning"
COHERENCE = "Transformative, Coherent Thinking, Planning, Policies, and Implementation"


def key_of(w: Workshop, role: str, **labels: str) -> str:
    """The key of the one plan item with ``role`` and these labels."""
    found = [
        i.key
        for i in w.plan.items
        if i.role == role and all(i.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(found) == 1, (role, labels, found)
    return found[0]


async def _in(
    w: Workshop, who: str, key: str, text: str, fx: float, fy: float, **kw: object
) -> str:
    return await w.sticky(who, text, *await w.at(key, fx, fy), **kw)  # type: ignore[arg-type]


async def barrier_analysis(make_client: MakeClient, tmp_path: Path) -> Played:
    """Capacity and resources: one barrier, two reasons, three ideas, one chosen, a theory.

    By hand: the barrier (Ana); why, top to bottom: Ben's, then Cy's list of two;
    ideas left to right: Ana, Ben, Cy; the approach: Cy's idea moved in (Cy wrote it);
    the theory of action: Dee's sentence with commas, one note.
    """
    w = await Workshop.build(
        make_client,
        tmp_path,
        "barrier-analysis",
        {"team": "Willow Elementary", "condition": "Capacity and resources"},
    )
    p = "barrier/analysis/"
    await _in(w, "Ana", p + "barrier", "No shared planning time in the schedule", 0.5, 0.5)
    await _in(w, "Ben", p + "why", "The master schedule is set by the district", 0.5, 0.4)
    await _in(
        w, "Cy", p + "why", "- Coverage costs money\n- Meetings fill the free periods", 0.5, 0.75
    )
    await _in(w, "Ana", p + "ideas", "Late-start Wednesdays", 0.2, 0.5)
    await _in(w, "Ben", p + "ideas", "Ask the union about a pilot", 0.5, 0.5)
    chosen = await _in(w, "Cy", p + "ideas", "Pair classes for a common planning block", 0.8, 0.5)
    await w.move("Fay", chosen, *await w.at("barrier/decision/approach", 0.5, 0.6))
    await _in(
        w,
        "Dee",
        "barrier/decision/theory",
        "If paired classes free one block a week, then teams plan together, and students "
        "get lessons built on shared evidence.",
        0.5,
        0.6,
    )
    return (w, *await harvest(w))


async def living_vision(make_client: MakeClient, tmp_path: Path) -> Played:
    """A statement carried in with its adjectives; voices, outcomes, alignment, changes.

    By hand: the statement is the first section's intro (carried in, so no sticky area
    for it); still holds (Ana), changed (Ben); students (Cy), families (Dee), no
    partners; two of three domains; practice matches (Ana), big rocks that do not (Ben);
    two changes, numbered, in their own order; Ana's revised statement, one note.
    """
    w = await Workshop.build(
        make_client,
        tmp_path,
        "living-vision",
        {
            "team": "Juniper K-8",
            "statement": "Every student is known, challenged, and cared for.",
            "adjectives": ["Curious", "Caring", "Brave"],
            "domains": ["Academic", "Social and emotional", "Civic and community"],
        },
    )
    p = "living/"
    await _in(w, "Ana", p + "revisit/holds", "Known and cared for still guides advisory", 0.5, 0.5)
    await _in(w, "Ben", p + "revisit/changed", "Half our families are new since 2023", 0.5, 0.5)
    await _in(w, "Cy", p + "voices/students", "We want projects that help our town", 0.5, 0.5)
    await _in(w, "Dee", p + "voices/families", "Say it in Spanish, too", 0.5, 0.5)
    await _in(w, "Ana", p + "outcomes/academic", "Reads and writes for real audiences", 0.5, 0.6)
    await _in(w, "Cy", p + "outcomes/civic-and-community", "Leads a service project", 0.5, 0.6)
    g = p + "alignment/grid/"
    await _in(w, "Ana", g + "practice-aligned", "Morning meetings use its words", 0.5, 0.6)
    await _in(w, "Ben", g + "rocks-not", "The new test-prep block", 0.5, 0.6)
    await _in(w, "Dee", p + "alignment/next/change", "2. Retire the test-prep block", 0.5, 0.75)
    await _in(
        w, "Dee", p + "alignment/next/change", "1. Add a civic outcome to the statement", 0.5, 0.4
    )
    await _in(
        w,
        "Ana",
        p + "alignment/next/revised",
        "Every student is known, challenged, and cared for, and helps shape our town.",
        0.5,
        0.6,
    )
    return (w, *await harvest(w))


async def future_ready(make_client: MakeClient, tmp_path: Path) -> Played:
    """Four elements whose names have commas; ratings by sticky and by dot; next steps.

    By hand: vision 1 (Ben, a dot), 3 (Ana), 3 (Cy): median 3, range 1-3, two apart;
    culture 2 (Ana), 2 (Ben): median 2; expectations: no rating; coherence 4 (Cy).
    Evidence for the vision (Ana, a sentence with commas). Next steps: vision (Ben),
    culture (Cy, a numbered list of two).
    """
    w = await Workshop.build(make_client, tmp_path, "future-ready", {"team": "Aspen District"})

    def level(element: str, n: int) -> str:
        return key_of(w, "rating", condition=element, level=str(n))

    await _in(w, "Ana", level(VISION, 3), "3", 0.5, 0.5, width=100)
    await _in(w, "Cy", level(VISION, 3), "3", 0.5, 0.8, width=100)
    await w.dot("Ben", *await w.at(level(VISION, 1), 0.5, 0.6))
    await _in(w, "Ana", level(CULTURE, 2), "2", 0.5, 0.5, width=100)
    await _in(w, "Ben", level(CULTURE, 2), "2", 0.5, 0.8, width=100)
    await _in(w, "Cy", level(COHERENCE, 4), "4", 0.5, 0.5, width=100)
    await _in(
        w,
        "Ana",
        key_of(w, "evidence", condition=VISION),
        "The plan names digital learning, but few families have heard of it",
        0.5,
        0.5,
    )
    await _in(
        w,
        "Ben",
        key_of(w, "notes", section="next_step", title=VISION),
        "Draft the vision with students, families, and staff by March",
        0.5,
        0.6,
    )
    await _in(
        w,
        "Cy",
        key_of(w, "notes", section="next_step", title=CULTURE),
        "1. Name a digital lead per school\n2. Give leads a small budget",
        0.5,
        0.6,
    )
    return (w, *await harvest(w))


SESSIONS_NEW: dict[str, Session] = {
    "barrier-analysis": barrier_analysis,
    "living-vision": living_vision,
    "future-ready": future_ready,
}
