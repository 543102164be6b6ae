"""The ``card`` element: schema, compiler, preview, the emulator and harvest."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from boardsmith.render.plan_svg import render_plan
from boardsmith.templates import compile_plan, load_template
from tests.cli_helpers import run_cli as run

from .helpers import expect_error, write

# An action timeline whose rows are cards: one per carried action, moved into "Doing".
TIMELINE = """\
name: card-timeline
title: "Timeline: {team}"
description: Actions as cards.
version: 1
parameters:
  team: {type: str, default: Team}
  actions: {type: "list[str]", default: [Plan the retreat, Book a room]}
elements:
  - frame:
      key: plan
      title: "Timeline: {team}"
      children:
        - repeat:
            for_each: actions
            as: action
            body:
              card: {key: "action-{action_n}", content: "{action}", theme: "#ff9d48"}
        - shape:
            key: doing
            role: notes
            labels: {section: doing}
            width: 800
            height: 400
            children:
              - text: {key: heading, content: Doing, font_size: 28, width: 700}
report:
  sections:
    - heading: What we are doing
      show: list
      from: {role: notes, labels: {section: doing}}
"""


def test_a_card_compiles_to_a_card_item(tmp_path: Path) -> None:
    plan = compile_plan(load_template(write(tmp_path, TIMELINE)), {"actions": ["A <b>", "B"]})
    cards = [item for item in plan.items if item.type == "card"]
    assert [(c.key, c.content, c.width, c.height) for c in cards] == [
        ("plan/action-1", "A &lt;b&gt;", 320, 94),
        ("plan/action-2", "B", 320, 94),
    ]
    assert cards[0].style == {"cardTheme": "#ff9d48"}
    assert cards[1].left >= cards[0].right  # a repeat lays its cards side by side
    svg = render_plan(plan)
    assert svg.count('stroke="#ff9d48"') == 2
    assert "A &amp;lt;b&amp;gt;" not in svg  # escaped once, not twice
    assert "A &lt;b&gt;" in svg


def test_a_card_error_names_its_line(tmp_path: Path) -> None:
    expect_error(
        tmp_path,
        TIMELINE.replace('theme: "#ff9d48"', "theme: orange"),
        "17: elements[0].frame.children[0].repeat.body.card.theme: "
        "'orange' is not a colour; use a hex colour like #fff9b1",
    )


def test_the_schema_offers_the_card(tmp_path: Path) -> None:
    import jsonschema
    import yaml

    from boardsmith.render.compiled import language_schema

    validator = jsonschema.Draft202012Validator(json.loads(language_schema()))
    data = yaml.safe_load(TIMELINE)
    assert list(validator.iter_errors(data)) == []
    data["elements"][0]["frame"]["children"][0]["repeat"]["body"]["card"]["colour"] = "red"
    assert list(validator.iter_errors(data)) != []


async def _add_card(home: Path, board_id: str) -> None:
    """Ana adds a card of her own in the "Doing" area."""
    from boardsmith.emulator import EmulatorTransport, create_app
    from boardsmith.miro import MiroClient
    from boardsmith.miro.models import (
        CardCreate,
        CardDataChange,
        ParentChange,
        PositionChange,
    )

    app = create_app(home / "emulator.sqlite3")
    try:
        async with MiroClient(token="Ana:1", transport=EmulatorTransport(app)) as client:
            frames = [i async for i in client.items.list(board_id, type="frame")]
            frame = frames[0]
            plan = compile_plan(load_template(home.parent / "t" / "card-timeline.yaml"))
            doing, top = plan.by_key["plan/doing"], plan.by_key["plan"]
            await client.cards.create(
                board_id,
                CardCreate(
                    data=CardDataChange(title="Ask the district"),
                    position=PositionChange(x=doing.x - top.left, y=doing.y - top.top),
                    parent=ParentChange(id=frame.id),
                ),
            )
    finally:
        app.close()


@pytest.mark.slow
def test_cards_are_created_and_harvested_as_notes(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDSMITH_TEMPLATE_PATH", str(tmp_path / "t"))
    (tmp_path / "t").mkdir()
    path = write(tmp_path / "t", TIMELINE, "card-timeline.yaml")
    code, out, err = run(capsys, "create", str(path), "--json")
    assert code == 0, err
    created = json.loads(out)
    assert created["by_type"]["card"]["create"] == 2
    board_id = created["board_id"]
    asyncio.run(_add_card(home, board_id))
    code, out, err = run(capsys, "harvest", board_id, "--json")
    assert code == 0, err
    doc = json.loads(out)
    texts = sorted(s["text"] for s in doc["boards"][0]["stickies"])
    assert texts == ["Ask the district", "Book a room", "Plan the retreat"]
    code, out, err = run(capsys, "harvest", board_id, "--format", "md")
    assert code == 0, err
    section = out.split("## What we are doing\n", 1)[1]
    assert "Ask the district" in section.split("##", 1)[0]
