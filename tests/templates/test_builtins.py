"""Every built-in template compiles, respects Miro's rules and carries the roles harvest reads."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from boardsmith.errors import UsageError
from boardsmith.render.compiled import stale_outputs
from boardsmith.templates import (
    Plan,
    PlanItem,
    builtin_templates,
    compile_plan,
    find_template,
)

SPEC = Path(__file__).resolve().parents[1] / "spec" / "miro-openapi.json"
NAMES = [t.name for t in builtin_templates()]


def _enum(schema: str, prop: str) -> set[str]:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    return set(spec["components"]["schemas"][schema]["properties"][prop]["enum"])


def test_the_nine_built_ins_exist() -> None:
    assert NAMES == [
        "action-timeline",
        "barrier-analysis",
        "collaborative-planning-vision",
        "conditions-self-assessment",
        "future-ready",
        "leadership-vision",
        "living-vision",
        "purpose-map",
        "see-hear-feel",
    ]


def test_alias_finds_leadership_vision() -> None:
    assert find_template("vision-board") is find_template("leadership-vision")


def test_committed_outputs_match_a_fresh_build() -> None:
    # The compiled files are the golden plans: any change to a template or the
    # compiler must come with a rebuilt, reviewed diff of them.
    assert stale_outputs() == []


def _overlap(a: PlanItem, b: PlanItem) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


@pytest.mark.parametrize("name", NAMES)
def test_plan_respects_miro_constraints(name: str) -> None:
    plan = compile_plan(find_template(name))
    sticky_colours = _enum("StickyNoteStyle", "fillColor")
    shapes = _enum("ShapeData", "shape")
    by_key = plan.by_key
    assert len(by_key) == len(plan.items), "keys are unique"
    seen_non_frame = False
    for item in plan.items:
        if item.type == "frame":
            assert not seen_non_frame, "frames come first"
            assert item.parent is None
            assert min(item.width, item.height) >= 100
            continue
        seen_non_frame = True
        if item.parent is not None:
            frame = by_key[item.parent]
            assert frame.type == "frame"
            assert frame.left <= item.left, item.key
            assert item.right <= frame.right, item.key
            assert frame.top <= item.top, item.key
            assert item.bottom <= frame.bottom, item.key
        if item.type == "sticky_note":
            assert item.style["fillColor"] in sticky_colours
            ratio = {"square": 228 / 199, "rectangle": 228 / 350}[item.shape or ""]
            assert math.isclose(item.height, item.width * ratio, abs_tol=0.01)
        elif item.type == "shape":
            assert item.shape in shapes
            assert item.style["fillColor"].startswith("#")
            assert item.style["fontSize"].isdigit()
        elif item.type == "text":
            assert item.width >= 1.7 * float(item.style["fontSize"])
        assert "<" not in item.content.replace("<p>", "").replace("</p>", "")


@pytest.mark.parametrize("name", NAMES)
def test_stickies_never_overlap(name: str) -> None:
    plan = compile_plan(find_template(name))
    stickies = plan.with_role("word") + [i for i in plan.items if i.type == "sticky_note"]
    unique = list({s.key: s for s in stickies}.values())
    for i, a in enumerate(unique):
        for b in unique[i + 1 :]:
            assert not _overlap(a, b), (a.key, b.key)


@pytest.mark.parametrize("name", NAMES)
def test_regions_of_the_same_role_do_not_overlap(name: str) -> None:
    plan = compile_plan(find_template(name))
    regions = plan.regions()
    assert regions, "every built-in has regions harvest can read"
    for i, a in enumerate(regions):
        for b in regions[i + 1 :]:
            if a.role == b.role:
                apart = a.right <= b.left or b.right <= a.left
                apart = apart or a.bottom <= b.top or b.bottom <= a.top
                assert apart, (a.key, b.key)


@pytest.mark.parametrize("name", NAMES)
def test_plans_are_deterministic_and_round_trip(name: str) -> None:
    template = find_template(name)
    first = compile_plan(template).to_json()
    assert compile_plan(template).to_json() == first
    assert Plan.from_json(first).to_json() == first


def test_leadership_vision_has_what_the_protocol_needs() -> None:
    plan = compile_plan(find_template("vision-board"))
    assert len(plan.with_role("word")) >= 40
    lanes = plan.with_role("lane")
    default_names = [f"Participant {n}" for n in range(1, 7)]
    assert [lane.labels["participant"] for lane in lanes] == default_names
    slots = plan.with_role("top_slot")
    assert [s.labels["rank"] for s in slots] == ["1", "2", "3", "4", "5"]
    assert plan.by_key["vision/top/slot-3"].labels == {"rank": "3"}
    prompts = {p.labels["prompt"] for p in plan.with_role("prompt_notes")}
    assert prompts == {"functions", "looks", "sounds", "feels"}
    assert len(plan.with_role("notes")) == 1
    assert len(plan.with_role("word_bank")) == 1
    owners = Counter(d.labels["owner"] for d in plan.with_role("dot"))
    assert owners == {f"Participant {n}": 3 for n in range(1, 7)}
    # Dots start inside their owner's lane.
    for dot in plan.with_role("dot"):
        lanes_of_owner = [
            r
            for r in plan.regions()
            if r.role == "lane" and r.labels["participant"] == dot.labels["owner"]
        ]
        assert len(lanes_of_owner) == 1
        assert lanes_of_owner[0].contains(dot.x, dot.y)
    # Every word sticky lies in the word bank region.
    bank = next(r for r in plan.regions() if r.role == "word_bank")
    assert all(bank.contains(w.x, w.y) for w in plan.with_role("word"))
    assert plan.title == "Leadership Vision: Leadership team"


def test_each_vision_lane_has_a_why_box_below_its_picks_area() -> None:
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana", "Ben Ng"]})
    whys = plan.with_role("why")
    assert [w.key for w in whys] == ["vision/lanes/lane-ana/why", "vision/lanes/lane-ben-ng/why"]
    for lane, why in zip(plan.with_role("lane"), whys, strict=True):
        assert why.type == "shape"
        assert why.labels == {"participant": lane.labels["participant"]}
        assert why.key == lane.key + "/why"
        heading = plan.by_key[why.key + "/heading"]
        assert heading.plain_text == "Why I chose these"
        assert why.left <= heading.left
        assert heading.bottom <= why.bottom
        # Inside the lane, at its bottom (its padding below), and room for two
        # stickies abreast and two rows of them.
        assert lane.left < why.left
        assert why.right < lane.right
        assert why.bottom == pytest.approx(lane.bottom - 24)
        assert why.width >= 2 * 199
        assert why.height >= 2 * 228
        # The picks area between the dots and the why box holds 2 x 2 stickies.
        dots = [d for d in plan.with_role("dot") if d.key.startswith(lane.key + "/")]
        picks_top = max(d.bottom for d in dots)
        assert why.top - picks_top >= 2 * 228
    # A sticky dropped in the why box is in the why region, not only in the lane.
    why = whys[0]
    region = plan.region_at(why.x, why.y)
    assert region is not None
    assert (region.key, region.role, region.labels) == (why.key, "why", {"participant": "Ana"})


def test_leadership_vision_parameters_shape_the_board() -> None:
    template = find_template("leadership-vision")
    plan = compile_plan(
        template,
        {
            "participants": ["Ana", "Ben"],
            "top_n": 3,
            "dots_per_participant": 0,
            "warm_up": False,
            "word_bank": ["Bold", "Kind"],
            "team": "Blue School",
        },
    )
    assert [lane.key for lane in plan.with_role("lane")] == [
        "vision/lanes/lane-ana",
        "vision/lanes/lane-ben",
    ]
    assert len(plan.with_role("top_slot")) == 3
    assert plan.with_role("dot") == []
    assert "vision/warm-up" not in plan.by_key
    assert [w.content for w in plan.with_role("word")] == ["Bold", "Kind"]
    assert plan.title == "Leadership Vision: Blue School"
    assert plan.params["participants"] == ["Ana", "Ben"]


def test_conditions_self_assessment_names_seven_conditions() -> None:
    plan = compile_plan(find_template("conditions-self-assessment"))
    conditions = [c.labels["condition"] for c in plan.with_role("condition")]
    assert len(conditions) == 7
    assert "Supportive administration" in conditions
    for condition in conditions:
        ratings = [r for r in plan.with_role("rating") if r.labels["condition"] == condition]
        assert [r.labels["level"] for r in ratings] == ["1", "2", "3", "4"]
        assert sum(1 for e in plan.with_role("evidence") if e.labels["condition"] == condition) == 1


def test_purpose_map_and_action_timeline_cells_are_labelled() -> None:
    purpose = compile_plan(find_template("purpose-map"))
    prompts = {p.labels["prompt"] for p in purpose.with_role("prompt_notes")}
    assert prompts == {"purpose", "problem_of_practice", "theory_of_action", "roles", "owners"}
    cells = Counter(c.labels["column"] for c in purpose.with_role("cell"))
    assert cells == {"what": 5, "who": 5, "when": 5, "evidence": 5}
    timeline = compile_plan(find_template("action-timeline"), {"rows": 2})
    assert [(c.labels["row"], c.labels["column"]) for c in timeline.with_role("cell")] == [
        ("1", "what"), ("1", "who"), ("1", "when"), ("1", "evidence"),
        ("2", "what"), ("2", "who"), ("2", "when"), ("2", "evidence"),
    ]  # fmt: skip


def test_collaborative_planning_has_eight_steps_and_see_hear_feel_five_senses() -> None:
    steps = compile_plan(find_template("collaborative-planning-vision")).with_role("step")
    assert [s.labels["step"] for s in steps] == [str(n) for n in range(1, 9)]
    senses = compile_plan(find_template("see-hear-feel")).with_role("prompt_notes")
    assert [s.labels["prompt"] for s in senses] == ["think", "see", "say", "hear", "feel"]


@pytest.mark.parametrize("name", NAMES)
def test_every_int_parameter_at_its_limits_still_lays_out(name: str) -> None:
    template = find_template(name)
    for pname, decl in template.parameters.items():
        if decl.type != "int":
            continue
        for value in (decl.min, decl.max):
            if value is not None:
                plan = compile_plan(template, {pname: value})
                assert plan.params[pname] == value


@pytest.mark.parametrize("name", NAMES)
def test_longest_allowed_text_parameters_still_lay_out(name: str) -> None:
    template = find_template(name)
    params: dict[str, object] = {}
    for pname, decl in template.parameters.items():
        if decl.max_length is None:
            continue
        long = "W" * decl.max_length
        params[pname] = long if decl.type == "str" else [long, long[:-1] + "V"]
    plan = compile_plan(template, params)
    assert len(plan.title) <= 60
    for pname, decl in template.parameters.items():
        if decl.max_length is not None and decl.type == "str":
            too_long = "W" * (decl.max_length + 1)
            with pytest.raises(UsageError, match=rf"^--param {pname}: 'WWW.*' is longer than"):
                compile_plan(template, {pname: too_long})
