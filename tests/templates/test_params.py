"""``--param key=value`` parsing, typed by the template's declarations."""

from __future__ import annotations

import pytest

from boardsmith.errors import UsageError
from boardsmith.templates import find_template, parse_params
from boardsmith.templates.params import first_duplicate

VISION = find_template("vision-board")


def test_values_are_typed_by_the_declarations() -> None:
    parsed = parse_params(
        VISION,
        ["team=Blue = Green", "participants= Ana, Ben ,,Cy ", "top_n=3", "warm_up=no"],
    )
    assert parsed == {
        "team": "Blue = Green",
        "participants": ["Ana", "Ben", "Cy"],
        "top_n": 3,
        "warm_up": False,
    }


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("team", "--param 'team': expected key=value"),
        ("=x", "--param '=x': expected key=value"),
        ("colour=red", "--param colour: unknown parameter; template 'leadership-vision' takes: "
         "team, participants, top_n, picks_min, picks_max, dots_per_participant, warm_up, "
         "word_bank"),
        ("top_n=five", "--param top_n: expected a whole number, got 'five'"),
        ("top_n=0", "--param top_n: must be at least 1, got 0"),
        ("warm_up=maybe", "--param warm_up: expected true or false, got 'maybe'"),
        ("participants=,", "--param participants: needs at least 1 items, got 0"),
        ("participants=Ana,Ben,ana", "--param participants: 'ana' repeats 'Ana'; "
         "values must differ (ignoring case)"),
        ("participants=Ana, Ana ", "--param participants: 'Ana' is given more than once; "
         "values must differ (ignoring case)"),
    ],
)  # fmt: skip
def test_bad_pairs_name_the_flag_and_key(pair: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_params(VISION, [pair])
    assert str(info.value) == message
    assert info.value.exit_code == 2


def test_a_key_given_twice_is_an_error() -> None:
    with pytest.raises(UsageError, match=r"^--param team: given more than once$"):
        parse_params(VISION, ["team=a", "team=b"])


def test_values_that_are_not_unique_may_repeat() -> None:
    # word_bank does not declare unique: a repeated word is the facilitator's choice.
    assert parse_params(VISION, ["word_bank=Bold,bold"]) == {"word_bank": ["Bold", "bold"]}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        (["Ana", "Ben"], None),
        (["Ana", "", " ", "Ben"], None),
        (["Ana", "Ben", "ana"], (0, 2)),
        ([" Ben", "Ana", "Ana ", "ben"], (1, 2)),
        (["Straße", "STRASSE"], (0, 1)),
    ],
)
def test_first_duplicate_compares_trimmed_and_case_folded(
    values: list[str], expected: tuple[int, int] | None
) -> None:
    assert first_duplicate(values) == expected
