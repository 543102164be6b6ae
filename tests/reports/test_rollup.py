"""Several boards, each board first: a district's roll-up and collections of boards."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from boardsmith.harvest.model import BoardHarvest
from boardsmith.harvest.rollup import rollup
from tests.cli_helpers import run_cli as run
from tests.harvest.factories import board
from tests.harvest.test_cli_harvest import _create, _fill_slot, _picks


def _district(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> tuple[Path, list[str]]:
    """North chose Bold in its first slot; South only has a tally, tied at the cut-off."""
    north, south = _create(capsys), _create(capsys)
    asyncio.run(_picks(home, north, {"Ana": ["Bold", "Kind"], "Ben": ["Bold", "Calm"]}))
    asyncio.run(_fill_slot(home, north, "Bold"))
    asyncio.run(_picks(home, south, {"Ana": ["Bold", "Wise"], "Cy": ["Calm", "Open"]}))
    listing = tmp_path / "district.txt"
    listing.write_text(
        f"# our schools\n{north} North High\n\nhttps://miro.com/app/board/{south}/  South Middle\n",
        encoding="utf-8",
    )
    return listing, [north, south]


def test_each_groups_choice_counts_once_per_board(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    listing, (_north, south) = _district(home, capsys, tmp_path)
    code, out, err = run(capsys, "tally", "--boards-from", str(listing), "--json")
    assert code == 0, err
    data = json.loads(out)["rollup"]
    assert data["boards"] == ["North High", "South Middle"]
    by_board = {c["label"]: c for c in data["choices"]}
    assert by_board["North High"]["source"] == "group"
    assert by_board["North High"]["texts"] == ["Bold"]
    assert by_board["South Middle"]["source"] == "proposal"
    # South: bold 1, calm 1, open 1, wise 1: all tied for its 3 places.
    assert by_board["South Middle"]["unsettled"]
    # The same terms as the report spells them, for the sentence a coach reads.
    unsettled = by_board["South Middle"]["unsettled"]
    assert [t.casefold() for t in by_board["South Middle"]["unsettled_texts"]] == unsettled
    assert by_board["South Middle"]["unsettled_texts"] != unsettled  # "Calm", not "calm"
    shared = {s["text"].casefold(): s["boards"] for s in data["shared"]}
    assert shared["bold"] == ["North High", "South Middle"]

    code, out, err = run(capsys, "tally", "--boards-from", str(listing))
    assert code == 0, err
    assert out.index("What the groups chose") < out.index("Every participant's picks, pooled")
    assert f"settle it with `boardsmith narrow {south} --runoff`" in out
    tie_line = next(line for line in out.splitlines() if "are tied at the cut-off" in line)
    assert "Calm" in tie_line
    assert "calm" not in tie_line
    assert "narrow BOARD_ID" not in out  # no advice that works on no board


def test_the_report_leads_with_the_boards_choices_and_names_them_by_label(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    listing, _ = _district(home, capsys, tmp_path)
    code, out, err = run(capsys, "harvest", "--boards-from", str(listing), "--format", "md")
    assert code == 0, err
    assert "## Across 2 boards" in out
    assert "| North High | Bold | the group's choice |" in out
    assert "| Bold | 2 | North High, South Middle (proposed) |" in out
    assert "## North High: Leadership Vision: Leadership team" in out
    assert out.index("### What the groups chose") < out.index("### Every participant's picks")


def test_a_board_that_cannot_be_read_is_named_and_the_rest_still_report(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    listing, (_north, _south) = _district(home, capsys, tmp_path)
    listing.write_text(listing.read_text() + "uXjVGone00= Closed School\n", encoding="utf-8")
    code, out, err = run(capsys, "harvest", "--boards-from", str(listing), "--json")
    assert code == 4
    document = json.loads(out)
    assert [b["label"] for b in document["boards"]] == ["North High", "South Middle"]
    assert document["failed"] == [
        {"board_id": "uXjVGone00=", "label": "Closed School", "reason": "no such board"}
    ]
    assert err.strip().splitlines()[-1] == (
        "error: 1 of 3 boards could not be read (Closed School: no such board); "
        "the others are in the output"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("https://example.com/board/x School\n", "--boards-from {path}:1: https://example.com"),
        ("uXjVa= A\n\nuXjVa= B\n", "--boards-from {path}:3: board uXjVa= is listed twice"),
        ("# nothing\n\n", "--boards-from {path}: lists no boards"),
    ],
)
def test_a_bad_collection_file_names_its_line(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "boards.txt"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "tally", "--boards-from", str(path))
    assert code == 2
    assert message.format(path=path) in err


def test_no_board_at_all_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "tally")
    assert code == 2
    assert "give a board id or URL, or --boards-from FILE" in err


def _rated(board_id: str, label: str, levels: list[int]) -> BoardHarvest:
    from boardsmith.harvest.model import (
        ConditionRatings,
        Rating,
        ReportRecord,
        ReportSectionRecord,
    )

    condition = ConditionRatings(
        condition="Shared influence",
        ratings=[Rating(level=n, participant=f"P{n}", by="sticky") for n in levels],
        median=sorted(levels)[len(levels) // 2] if len(levels) % 2 else None,
        low=min(levels),
        high=max(levels),
        apart=max(levels) - min(levels) >= 2,
        evidence=[],
        levels=4,
    )
    report = ReportRecord(
        title=label,
        sections=[
            ReportSectionRecord(heading="Ratings", show="ratings", ratings=[condition], empty=False)
        ],
        not_filled=[],
    )
    return board(board_id=board_id).model_copy(update={"label": label, "report": report})


def test_condition_ratings_roll_up_per_board_and_overall() -> None:
    boards = [_rated("b1", "North", [1, 2, 2]), _rated("b2", "South", [3, 4, 4])]
    (shared,) = rollup(boards).ratings
    assert shared.per_board == {"North": 2.0, "South": 4.0}
    assert (shared.median, shared.low, shared.high) == (2.5, 1, 4)
    assert shared.middle == 2.5
    assert shared.below == ["North"]  # its median 2 is below the middle of a 1-4 scale


def test_since_last_years_list_says_what_each_school_changed(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    this_year, (north, south) = _district(home, capsys, tmp_path)
    old_north, old_east = _create(capsys), _create(capsys)
    asyncio.run(_picks(home, old_north, {"Ana": ["Kind", "Calm"], "Ben": ["Kind", "Bold"]}))
    asyncio.run(_fill_slot(home, old_north, "Kind"))
    asyncio.run(_picks(home, old_east, {"Cy": ["Wise", "Calm"]}))
    last_year = tmp_path / "schools-2025.txt"
    last_year.write_text(f"{old_north} north high\n{old_east} East Elementary\n", encoding="utf-8")

    code, out, err = run(
        capsys,
        "harvest",
        "--boards-from",
        str(this_year),
        "--since",
        str(last_year),
        "--format",
        "md",
    )
    assert code == 0, err
    # This year's roll-up first, then what changed; last year's boards are not reported
    # as boards of this year.
    assert "## Across 2 boards" in out
    assert out.index("## Across 2 boards") < out.index("## Since schools-2025")
    # The pooled picks stay under this year's roll-up, before what changed.
    assert out.index("### Every participant's picks") < out.index("## Since schools-2025")
    assert "1 school is on both lists" in out
    # Kept nothing, took up Bold, let go Kind; both times the group's own choice.
    assert "| North High | none | Bold | Kind | the group / the group |" in out
    assert "On schools-2025's list only: East Elementary." in out
    assert "New on district's list: South Middle." in out
    assert "| Kind | 1 | 0 | dropped |" in out
    assert old_north not in out.split("## Since")[0]

    code, out, err = run(
        capsys, "harvest", "--boards-from", str(this_year), "--since", str(last_year), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [b["board_id"] for b in data["boards"]] == [north, south]
    assert data["rollup"]["boards"] == ["North High", "South Middle"]
    (school,) = data["since"]["schools"]
    assert (school["label"], school["new"], school["dropped"]) == ("North High", ["Bold"], ["Kind"])


def test_since_refuses_a_board_on_both_lists(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    this_year, (north, _south) = _district(home, capsys, tmp_path)
    last_year = tmp_path / "last.txt"
    last_year.write_text(f"\n{north} North High\n", encoding="utf-8")
    code, _, err = run(
        capsys, "harvest", "--boards-from", str(this_year), "--since", str(last_year)
    )
    assert code == 2
    assert f"--since {last_year}: board {north} is also on this time's list" in err
