"""``--param key=value`` parsing, typed by the template's declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardsmith.errors import UsageError
from boardsmith.templates import find_template, parse_params
from boardsmith.templates.params import first_duplicate, join_list, split_list
from tests.cli_helpers import run_cli as _run

VISION = find_template("vision-board")
FUTURE = find_template("future-ready")
_DEFAULT = FUTURE.spec.parameters["elements"].default
assert isinstance(_DEFAULT, list)
ELEMENTS: list[str] = _DEFAULT


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
         + ", ".join(VISION.spec.parameters)),
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


def test_quotes_keep_commas_inside_one_value() -> None:
    assert parse_params(VISION, ['participants="Ng, Ana", Ben ,"Cy ""CJ"" Lee"']) == {
        "participants": ["Ng, Ana", "Ben", 'Cy "CJ" Lee']
    }


def test_a_repeated_list_param_appends_one_value_each() -> None:
    # The repeatable form: each --param elements=NAME is one element, commas and all.
    pairs = [f"elements={name}" for name in ELEMENTS]
    assert parse_params(FUTURE, pairs) == {"elements": ELEMENTS}
    assert parse_params(VISION, ["participants=Ana", 'participants="Ng, Ben"']) == {
        "participants": ["Ana", "Ng, Ben"]
    }


def test_values_with_commas_can_be_given_quoted_in_one_param() -> None:
    quoted = ",".join(f'"{name}"' for name in ELEMENTS)
    assert parse_params(FUTURE, [f"elements={quoted}"]) == {"elements": ELEMENTS}
    # A comma next to a quoted value is a separator; plain values beside it are fine.
    assert parse_params(FUTURE, ['elements="A Shared, Forward-Thinking Vision",Culture']) == {
        "elements": ["A Shared, Forward-Thinking Vision", "Culture"]
    }
    # One unquoted value without a comma is just that value.
    assert parse_params(FUTURE, ["elements=Culture"]) == {"elements": ["Culture"]}


def test_the_default_element_names_have_commas() -> None:
    assert len(ELEMENTS) == 4
    assert sum("," in name for name in ELEMENTS) == 3


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        # The bug: unquoted, the names would split into fragments. Never silently.
        (["elements=A Shared, Forward-Thinking Vision,A Culture of Collaboration"],
         "--param elements: 'A Shared, Forward-Thinking Vision,A C...' is ambiguous, as its "
         'values may contain commas; quote each value ("A, B","C") or give '
         "--param elements=VALUE once per value"),
        (["elements=Vision,Culture"],
         "--param elements: 'Vision,Culture' is ambiguous, as its values may contain commas; "
         'quote each value ("A, B","C") or give --param elements=VALUE once per value'),
        # Repeated, a comma in a value of a list whose values have none: two names or one?
        (["participants=Ana,Ben", "participants=Cy"],
         "--param participants: 'Ana,Ben' has a comma, but --param participants given more "
         'than once takes one value each; quote it ("A, B") to keep the comma, or give each '
         "value its own --param participants"),
        (["elements=Culture", 'elements="A","B"'],
         "--param elements: '\"A\",\"B\"' holds several values, but --param elements given "
         "more than once takes one value each"),
        (['participants="Ana, Ben'],
         "--param participants: '\"Ana, Ben' has a quote that is never closed"),
        (['participants="Ana" Lee,Ben'],
         "--param participants: '\"Ana\" Lee,Ben' has text after a closing quote; "
         'put the whole value in quotes ("A, B")'),
        (['participants=Ana "Ben, Cy"'],
         "--param participants: 'Ana \"Ben, Cy\"' has a quote inside a value; put the whole "
         'value in quotes ("A, B"), with "" for a quote in it'),
        # Repeated values are still checked like any list.
        (["participants=Ana", "participants=ana"],
         "--param participants: 'ana' repeats 'Ana'; values must differ (ignoring case)"),
    ],
)  # fmt: skip
def test_ambiguous_list_values_are_errors_naming_the_flag(pairs: list[str], message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_params(FUTURE if pairs[0].startswith("elements") else VISION, pairs)
    assert str(info.value) == message
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 2


def test_preview_takes_element_names_with_commas_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repeated = [a for name in ELEMENTS[:2] for a in ("--param", f"elements={name}")]
    quoted = ",".join(f'"{name}"' for name in ELEMENTS[:2])
    pictures = []
    for n, params in enumerate((repeated, ["--param", f"elements={quoted}"])):
        out = tmp_path / f"{n}.svg"
        # Other elements than the four: their descriptions are the user's to give.
        params = [*params, "--param", "descriptions="]
        code, _, err = _run(capsys, "preview", "future-ready", *params, "--out", str(out))
        assert (code, err) == (0, f"wrote {out} (21 items)\n")  # 5 + 8 per element
        pictures.append(out.read_text(encoding="utf-8"))
    assert pictures[0] == pictures[1]
    assert ">A Shared, Forward-Thinking<" in pictures[0]
    assert "Transformative" not in pictures[0]


def test_create_refuses_an_ambiguous_list_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDSMITH_HOME", str(tmp_path))
    monkeypatch.setenv("BOARDSMITH_CONFIG", str(tmp_path / "config.toml"))
    unquoted = "elements=" + ",".join(ELEMENTS)
    code, out, err = _run(capsys, "create", "future-ready", "--param", unquoted, "--dry-run")
    assert code == 2
    assert out == ""
    assert err.startswith("error: --param elements: 'A Shared, Forward-Thinking Vision for")
    assert "is ambiguous" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "values",
    [ELEMENTS, ["Ana", "Ben"], ['Cy "CJ" Lee', "Dee, Jr"], []],
)
def test_a_joined_list_reads_back_unchanged(values: list[str]) -> None:
    commas = any("," in v for v in values)
    assert split_list("x", join_list(values), commas=commas) == (values or [""])


def test_show_gives_list_defaults_as_param_takes_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "templates", "show", "future-ready")
    assert code == 0
    assert (
        '  elements (list[str]) = "A Shared, Forward-Thinking Vision for Digital Learning",...'
        in out
    )
    code, out, _ = _run(capsys, "templates", "show", "vision-board")
    assert "  participants (list[str]) = Participant 1, Participant 2, Participant 3, " in out


def test_a_name_with_two_roles_is_still_one_person() -> None:
    from boardsmith.errors import UsageError
    from boardsmith.templates import find_template, parse_params

    template = find_template("conditions-self-assessment")
    given = parse_params(template, ["participants=Dana (principal), Ben (teacher)"])
    assert given["participants"] == ["Dana (principal)", "Ben (teacher)"]
    with pytest.raises(UsageError, match="'Dana \\(teacher\\)' repeats 'Dana \\(principal\\)'"):
        parse_params(template, ["participants=Dana (principal), Dana (teacher)"])


def test_param_errors_carry_the_name_and_problem_behind_the_message() -> None:
    from boardsmith.errors import UsageError
    from boardsmith.templates.params import ParamError, check_value
    from boardsmith.templates.schema import Parameter

    decl = Parameter.model_validate({"type": "int", "default": 1, "max": 5})
    with pytest.raises(ParamError) as info:
        check_value("slots", decl, 9)
    assert isinstance(info.value, UsageError)
    assert (info.value.name, info.value.flag) == ("slots", "--param slots")
    assert info.value.problem == "must be at most 5, got 9"
    assert info.value.message == "--param slots: must be at most 5, got 9"
    with pytest.raises(ParamError) as info:
        check_value("slots", decl, 9, flag="--slots")
    assert info.value.message == "--slots: must be at most 5, got 9"
    assert info.value.problem == "must be at most 5, got 9"


def test_a_bad_default_with_a_colon_in_it_is_reported_whole(tmp_path: Path) -> None:
    # The template check reports ParamError.problem (it used to cut the message text).
    from boardsmith.errors import TemplateError
    from tests.templates.helpers import MINIMAL, load

    text = MINIMAL.replace(
        "team: {type: str, default: Team}",
        'team: {type: str, default: "a: very long team name", max_length: 5}',
    )
    with pytest.raises(TemplateError, match=r"'a: very long team name' is longer than 5 char"):
        load(tmp_path, text)
