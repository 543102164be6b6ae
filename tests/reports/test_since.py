"""A district's roll-up against last year's: schools matched by label, nothing guessed."""

from __future__ import annotations

from boardsmith.harvest.model import (
    BoardChoice,
    ConditionRollup,
    RollupRecord,
    SharedChoice,
)
from boardsmith.harvest.since import since, unmatched
from boardsmith.render.blocks import Report
from boardsmith.render.report_md import to_markdown
from boardsmith.render.since_blocks import since_blocks


def _choice(label: str, *texts: str, source: str = "group") -> BoardChoice:
    return BoardChoice(
        board_id=f"id-{label}",
        label=label,
        source=source,  # type: ignore[arg-type]
        terms=[t.casefold() for t in texts],
        texts=list(texts),
    )


def _rollup(
    choices: list[BoardChoice], boards: list[str] | None = None, **extra: object
) -> RollupRecord:
    shared: dict[str, SharedChoice] = {}
    for c in choices:
        for term, text in zip(c.terms, c.texts, strict=True):
            old = shared.get(term)
            shared[term] = SharedChoice(
                term=term, text=text, boards=[*(old.boards if old else []), c.label]
            )
    return RollupRecord(
        boards=boards if boards is not None else [c.label for c in choices],
        choices=choices,
        shared=sorted(shared.values(), key=lambda s: -len(s.boards)),
        **extra,  # type: ignore[arg-type]
    )


LAST = _rollup(
    [
        _choice("North High", "Bold", "Kind", "Curious"),
        _choice("South Middle", "Bold", "Calm"),
        _choice("East Elementary", "Kind"),
    ]
)
THIS = _rollup(
    [
        _choice("north high", "Bold", "Kind", "Brave"),  # the same school, spelled otherwise
        _choice("South Middle", "Calm", "Open", source="runoff"),
        _choice("West Academy", "Bold"),
    ]
)


def test_each_school_matched_by_label_says_what_it_kept_took_up_and_let_go() -> None:
    change = since(LAST, THIS, then_label="2025", now_label="2026")
    north, south = change.schools
    assert (north.label, north.kept, north.new, north.dropped) == (
        "north high",
        ["Bold", "Kind"],
        ["Brave"],
        ["Curious"],
    )
    assert (south.kept, south.new, south.dropped) == (["Calm"], ["Open"], ["Bold"])
    assert (south.then_source, south.now_source) == ("group", "runoff")
    assert change.only_then == ["East Elementary"]
    assert change.only_now == ["West Academy"]


def test_the_district_counts_boards_per_adjective_then_and_now() -> None:
    change = since(LAST, THIS)
    counts = {a.text: (len(a.then), len(a.now)) for a in change.adjectives}
    assert counts == {
        "Bold": (2, 2),
        "Kind": (2, 1),
        "Brave": (0, 1),
        "Calm": (1, 1),
        "Open": (0, 1),
        "Curious": (1, 0),
    }
    # Last year's labels are shown under this year's spelling: one school, one name.
    bold = next(a for a in change.adjectives if a.text == "Bold")
    assert bold.then == ["north high", "South Middle"]
    # Most boards now first, then most boards then.
    assert [a.text for a in change.adjectives][:2] == ["Bold", "Kind"]


def test_conditions_then_and_now_per_school_under_one_name() -> None:
    def rated(per: dict[str, float | None], below: list[str], median: float) -> ConditionRollup:
        return ConditionRollup(
            condition="Shared influence",
            per_board=per,
            median=median,
            low=1,
            high=4,
            below=below,
            middle=2.5,
        )

    last = _rollup(
        [_choice("North High", "Bold")], ratings=[rated({"North High": 2.0}, ["North High"], 2.0)]
    )
    this = _rollup([_choice("north high", "Bold")], ratings=[rated({"north high": 3.0}, [], 3.0)])
    (shift,) = since(last, this).ratings
    assert (shift.then, shift.now) == (2.0, 3.0)
    assert shift.then_below == ["north high"]
    assert shift.now_below == []
    assert shift.per_school == {"north high": (2.0, 3.0)}


def test_lists_with_no_school_in_common_say_how_to_match_them() -> None:
    change = since(_rollup([_choice("Board 1", "Bold")]), _rollup([_choice("Board 9", "Bold")]))
    assert change.schools == []
    (problem,) = unmatched(change)
    assert "same label in both files" in problem
    assert unmatched(since(LAST, THIS)) == ()


def test_the_report_reads_then_and_now_in_plain_words() -> None:
    change = since(LAST, THIS, then_label="schools-2025.txt", now_label="schools-2026.txt")
    text = to_markdown(Report(title="District", body=tuple(since_blocks(change)), footer=()))
    assert "## Since schools-2025.txt" in text
    assert "3 boards. Now: schools-2026.txt, 3 boards. 2 schools are on both lists" in text
    assert "| Curious | 1 | 0 | dropped |" in text
    assert "| Brave | 0 | 1 | new |" in text
    assert "| Kind | 2 | 1 | -1 |" in text
    assert "| north high | Bold, Kind | Brave | Curious | the group / the group |" in text
    assert "| South Middle | Calm | Open | Bold | the group / a runoff |" in text
    assert "On schools-2025.txt's list only: East Elementary." in text
    assert "New on schools-2026.txt's list: West Academy." in text


def test_schools_without_adjectives_either_time_get_no_table_of_choices() -> None:
    """Conditions boards only: the report compares the ratings, not a column of blanks."""
    rated = ConditionRollup(
        condition="Vision and strategy",
        per_board={"Lake Middle": 1.0},
        median=1.0,
        low=1,
        high=1,
        below=["Lake Middle"],
        middle=2.5,
    )
    last = _rollup([], boards=["Lake Middle"], ratings=[rated])
    this = _rollup([], boards=["Lake Middle"], ratings=[rated.model_copy(update={"median": 2.0})])
    change = since(last, this)
    assert [s.label for s in change.schools] == ["Lake Middle"]
    text = to_markdown(Report(title="District", body=tuple(since_blocks(change)), footer=()))
    assert "Each school's choice" not in text
    assert "no choice" not in text
    assert "| Vision and strategy | 1 | 2 | up 1 |" in text
    # One school with a choice brings the table back, the others' rows with it.
    mixed = since(
        _rollup([_choice("North High", "Bold")], boards=["North High", "Lake Middle"]),
        _rollup([_choice("North High", "Bold")], boards=["North High", "Lake Middle"]),
    )
    text = to_markdown(Report(title="District", body=tuple(since_blocks(mixed)), footer=()))
    assert "### Each school's choice, then and now" in text
    assert "| Lake Middle | (no choice either time) |" in text
