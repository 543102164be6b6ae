"""A big board (500+ stickies over many pages) and the other built-in templates."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from boardsmith.emulator import EmulatorApp
from boardsmith.harvest.api import harvest_snapshot
from boardsmith.harvest.snapshot import HARVEST_TYPES, read_snapshot
from boardsmith.miro.models import (
    FixedRatioGeometry,
    ParentChange,
    PositionChange,
    ShapeCreate,
    ShapeDataChange,
    ShapeStyleChange,
    StickyNoteCreate,
    StickyNoteDataChange,
)
from boardsmith.miro.models import GeometryChange as ShapeGeometry
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

PEOPLE = [f"P{i}" for i in range(1, 9)]
WORDS = ["bold", "calm", "kind", "open", "wise", "brave", "fair", "warm", "curious", "humble"]


async def _bulk_stickies(
    w: Workshop, who: str, texts: list[str], points: list[tuple[float, float]]
) -> list[str]:
    client = await w.as_(who)
    left, top = await w.frame_origin()
    bodies = [
        StickyNoteCreate(
            data=StickyNoteDataChange(content=text),
            position=PositionChange(x=round(x - left, 2), y=round(y - top, 2)),
            geometry=FixedRatioGeometry(width=60),
            parent=ParentChange(id=w.frame_id),
        )
        for text, (x, y) in zip(texts, points, strict=True)
    ]
    created = await client.items.bulk_create(w.board_id, bodies)
    return [c.id for c in created]


@pytest.mark.slow
async def test_500_stickies_all_accounted_for_in_few_list_calls(
    make_client: MakeClient, tmp_path: Path, emulator_app: EmulatorApp
) -> None:
    w = await Workshop.build(
        make_client, tmp_path, params={"participants": PEOPLE, "word_bank": WORDS}
    )
    made: list[str] = []
    expected_picks: dict[str, set[str]] = {}
    origin = await w.frame_origin()
    for n, person in enumerate(PEOPLE):
        # 60 stickies per lane in a grid: words repeat, so duplicates count once.
        texts = [
            WORDS[(n + k) % len(WORDS)].upper() if k % 7 == 0 else WORDS[(n + k) % 5]
            for k in range(60)
        ]
        points = [
            w.pick_point(person, 0.15 + 0.14 * (k % 6), 0.05 + 0.1 * (k // 6), origin)
            for k in range(60)
        ]
        made += await _bulk_stickies(w, person, texts, points)
        expected_picks[person] = {t.casefold() for t in texts}
        # Notes under a prompt, and a few stray stickies outside every region.
        made += await _bulk_stickies(
            w,
            person,
            [f"note {n}-{k}" for k in range(6)],
            [
                w.point("vision/prompts/looks", 0.2 + 0.1 * k, 0.5 + 0.03 * n, origin)
                for k in range(6)
            ],
        )
    strays = await _bulk_stickies(
        w,
        "P1",
        [f"stray {k}" for k in range(8)],
        [w.point("vision", 0.995, 0.05 + 0.1 * k, origin) for k in range(8)],
    )
    made += strays
    assert len(made) >= 500

    emulator_app.reset_stats()
    snapshot = await read_snapshot(w.facilitator, w.board_id)
    stats = emulator_app.stats()["requests"]
    list_calls = stats.get("GET /v2/boards/{board_id}/items", 0)
    total_items = len(snapshot.items)
    assert total_items > 600
    # One paginated stream per type at 50 a page: about ceil(items / 50), never per item.
    assert list_calls <= math.ceil(total_items / 50) + len(HARVEST_TYPES)
    assert stats.get("GET /v2/boards/{board_id}/items/{item_id}", 0) == 0

    board = harvest_snapshot(snapshot, plan=w.plan, item_ids=w.item_ids).harvest
    harvested = {s.id for s in board.stickies}
    assert set(made) <= harvested
    assert harvested == {i.id for i in snapshot.of_type("sticky_note")}
    assert set(board.unplaced) == set(strays)
    placed = [s for s in board.stickies if s.region is not None]
    assert len(placed) + len(board.unplaced) == len(board.stickies)
    for participant in board.participants:
        assert set(participant.picks) == expected_picks[participant.name]
    looks = next(n for n in board.notes if n.prompt == "looks")
    assert len(looks.notes) == 6 * len(PEOPLE)
    terms = {t.term: t for t in board.tally.terms}
    assert terms["bold"].picks == sum("bold" in p for p in expected_picks.values())

    # Without state: 8 lanes (two rows) where the defaults have 6, found by their look
    # and named from the board; the same picks come out.
    guessed = harvest_snapshot(snapshot).harvest
    assert guessed.located_by == "frames"
    assert [p.name for p in guessed.participants] == PEOPLE
    for participant in guessed.participants:
        assert set(participant.picks) == expected_picks[participant.name]
    assert set(guessed.unplaced) == set(strays)
    assert guessed.tally.terms == board.tally.terms


async def test_action_timeline_rows(make_client: MakeClient, tmp_path: Path) -> None:
    w = await Workshop.build(make_client, tmp_path, "action-timeline", {"rows": 3})
    for column, text in [
        ("what", "Pilot peer observation"),
        ("who", "Ms Diaz"),
        ("when", "March"),
        ("evidence", "Two cycles logged"),
    ]:
        await w.sticky("Ana", text, *await w.at(f"timeline/rows/row-2/{column}"))
    await w.sticky("Ben", "Share at staff meeting", *await w.at("timeline/rows/row-1/what"))
    for harvested in (
        harvest_snapshot(
            await read_snapshot(w.facilitator, w.board_id), plan=w.plan, item_ids=w.item_ids
        ).harvest,
        harvest_snapshot(await read_snapshot(w.facilitator, w.board_id)).harvest,
    ):
        rows = {s.label: s for s in harvested.sections if s.kind == "row"}
        assert rows["row 2"].fields == {
            "what": ["Pilot peer observation"],
            "who": ["Ms Diaz"],
            "when": ["March"],
            "evidence": ["Two cycles logged"],
        }
        assert rows["row 1"].fields["what"] == ["Share at staff meeting"]
        assert rows["row 1"].fields["who"] == []
        assert "row 3" not in rows
        assert harvested.unplaced == []
        assert harvested.template == "action-timeline"


async def test_conditions_self_assessment_ratings(make_client: MakeClient, tmp_path: Path) -> None:
    w = await Workshop.build(make_client, tmp_path, "conditions-self-assessment")
    key = "conditions/rows/vision-and-strategy"
    await w.sticky("Ana", "x", *await w.at(f"{key}/rating/level-3"))
    client = await w.as_("Ben")
    left, top = await w.frame_origin()
    x, y = await w.at(f"{key}/rating/level-2")
    await client.shapes.create(
        w.board_id,
        ShapeCreate(
            data=ShapeDataChange(shape="circle"),
            style=ShapeStyleChange(fill_color="#f16c7f"),
            position=PositionChange(x=x - left, y=y - top),
            geometry=ShapeGeometry(width=30, height=30),
            parent=ParentChange(id=w.frame_id),
        ),
    )
    await w.sticky("Cy", "Vision posted in every room", *await w.at(f"{key}/evidence"))
    harvested = harvest_snapshot(
        await read_snapshot(w.facilitator, w.board_id), plan=w.plan, item_ids=w.item_ids
    ).harvest
    condition = next(s for s in harvested.sections if s.label == "Vision and strategy")
    assert sorted(condition.fields["rating"]) == ["2", "3"]
    assert condition.fields["evidence"] == ["Vision posted in every room"]


async def test_see_hear_feel_and_purpose_map_prompts(
    make_client: MakeClient, tmp_path: Path
) -> None:
    w = await Workshop.build(make_client, tmp_path, "see-hear-feel")
    await w.sticky("Ana", "Teachers observing each other", *await w.at("shf/areas/see"))
    await w.sticky("Ben", "Students asking why", *await w.at("shf/areas/hear", 0.5, 0.7))
    harvested = harvest_snapshot(await read_snapshot(w.facilitator, w.board_id)).harvest
    notes = {n.prompt: [x.text for x in n.notes] for n in harvested.notes}
    assert notes["see"] == ["Teachers observing each other"]
    assert notes["hear"] == ["Students asking why"]
    assert notes["feel"] == []
    assert harvested.template == "see-hear-feel"

    p = await Workshop.build(make_client, tmp_path / "p", "purpose-map")
    await p.sticky(
        "Ana", "Every student reads by 3rd grade", *await p.at("purpose-map/vision/purpose")
    )
    await p.sticky("Ana", "Pilot", *await p.at("purpose-map/plan/rows/row-1/what"))
    mapped = harvest_snapshot(
        await read_snapshot(p.facilitator, p.board_id), plan=p.plan, item_ids=p.item_ids
    ).harvest
    purpose = {n.prompt: [x.text for x in n.notes] for n in mapped.notes}
    assert purpose["purpose"] == ["Every student reads by 3rd grade"]
    rows = [s for s in mapped.sections if s.kind == "row"]
    assert rows[0].fields["what"] == ["Pilot"]
