"""``boardsmith compare OLD NEW``: this year's vision against last year's."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from boardsmith.harvest.compare import word_changes
from tests.cli_helpers import run_cli as run
from tests.harvest.test_cli_harvest import _create, _fill_slot, _picks
from tests.reports.test_carry_forward import _write

STATEMENT = "cpv/vision-statement"
VALUES = "cpv/shared-values"


def _planning(capsys: pytest.CaptureFixture[str], home: Path, notes: dict[str, str]) -> str:
    code, out, err = run(capsys, "create", "collaborative-planning-vision", "--json")
    assert code == 0, err
    board: str = json.loads(out)["board_id"]
    asyncio.run(_write(home, board, "collaborative-planning-vision", notes))
    return board


def test_word_changes_mark_what_was_added_and_removed() -> None:
    changes = word_changes(
        "Every teacher plans with peers", "Every teacher plans and reflects with peers"
    )
    assert [(c.kind, c.text) for c in changes] == [
        ("same", "Every teacher plans"),
        ("added", "and reflects"),
        ("same", "with peers"),
    ]


def test_statements_values_and_adjectives_then_and_now(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = _planning(capsys, home, {STATEMENT: "Every teacher plans with peers", VALUES: "Trust"})
    new = _planning(
        capsys, home, {STATEMENT: "Every teacher plans and reflects with peers", VALUES: "Care"}
    )
    code, out, err = run(capsys, "compare", old, new)
    assert code == 0, err
    assert "## Our vision statement" in out
    assert "| Every teacher plans with peers | Every teacher plans and reflects with peers |" in out
    assert "Every teacher plans **and reflects** with peers" in out
    assert "| Care | new |" in out
    assert "| Trust | dropped |" in out
    code, out, err = run(capsys, "compare", old, new, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "boardsmith.compare"
    (text,) = data["texts"]
    assert [w["kind"] for w in text["words"]] == ["same", "added", "same"]
    page = tmp_path / "changes.html"
    code, _, err = run(capsys, "compare", old, new, "--format", "html", "--out", str(page))
    assert code == 0, err
    assert "<ins>and reflects</ins>" in page.read_text(encoding="utf-8")


def test_the_groups_adjectives_kept_new_and_dropped(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _create(capsys), _create(capsys)
    asyncio.run(_picks(home, old, {"Ana": ["Bold", "Kind"]}))
    asyncio.run(_fill_slot(home, old, "Kind"))
    asyncio.run(_picks(home, new, {"Ana": ["Bold", "Calm"]}))
    asyncio.run(_fill_slot(home, new, "Calm"))
    code, out, err = run(capsys, "compare", old, new, "--json")
    assert code == 0, err
    adjectives = json.loads(out)["adjectives"]
    assert (adjectives["kept"], adjectives["new"], adjectives["dropped"]) == (
        [],
        ["Calm"],
        ["Kind"],
    )


def test_boards_with_nothing_alike_are_one_clear_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vision = _create(capsys)
    code, out, _ = run(capsys, "create", "see-hear-feel", "--json")
    other = json.loads(out)["board_id"]
    code, _, err = run(capsys, "compare", vision, other)
    assert code == 2
    assert (
        "compare two boards of one template, or of templates where one starts from the other" in err
    )
    code, _, err = run(capsys, "compare", vision, vision)
    assert code == 2
    assert "the same board as OLD" in err


def test_a_board_that_chooses_no_adjectives_has_dropped_none() -> None:
    """A living-vision revisit started from a vision board carries its words; it does not
    choose any, so the comparison says nothing about adjectives rather than "dropped"."""
    from boardsmith.harvest.compare import compare
    from boardsmith.harvest.tally import tally
    from boardsmith.render.compare_blocks import compare_blocks
    from boardsmith.render.report_md import to_markdown
    from tests.harvest.factories import board

    vision = board(slots=[["Bold"], ["Calm"]])
    assert vision.result.top == ["bold", "calm"]
    empty = tally([], [], participants=[], word_bank=[], top=5)
    revisit = board(board_id="b2", slots=[]).model_copy(
        update={"template": "living-vision", "word_bank": [], "top_slots": [], "tally": empty}
    )
    revisit = revisit.model_copy(
        update={"result": revisit.result.model_copy(update={"top": [], "texts": []})}
    )
    change = compare(vision, revisit, old_label="2025", new_label="2026")
    assert change.adjectives is None
    text = to_markdown(compare_blocks(change))
    assert "dropped" not in text
    assert "Nothing to set side by side yet" in text
    # Two vision boards still compare their adjectives.
    again = compare(
        vision, board(board_id="b3", slots=[["Bold"], []]), old_label="a", new_label="b"
    )
    assert again.adjectives is not None
