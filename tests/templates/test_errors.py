"""One test per way a template can be wrong: exact one-line message with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import MINIMAL, expect_error


def test_minimal_template_is_valid(tmp_path: Path) -> None:
    from .helpers import compile_text

    plan = compile_text(tmp_path, MINIMAL)
    assert [i.key for i in plan.items] == [
        "board",
        "board/title",
        "board/lane-ana",
        "board/lane-ben",
    ]


def test_unknown_top_level_key(tmp_path: Path) -> None:
    expect_error(tmp_path, MINIMAL + "colour: red\n", "25: colour: unknown key")


def test_unknown_key_inside_an_element(tmp_path: Path) -> None:
    text = MINIMAL.replace("        - text: {key: title,", "        - text: {size: 3, key: title,")
    expect_error(tmp_path, text, "14: elements[0].frame.children[0].text.size: unknown key")


def test_unknown_element_kind(tmp_path: Path) -> None:
    text = MINIMAL.replace("        - text: {key: title", "        - txet: {key: title")
    expect_error(
        tmp_path,
        text,
        "14: elements[0].frame.children[0]: an element needs exactly one of frame, text, "
        "sticky, card, shape, row, column, grid, repeat, connector (got txet)",
    )


def test_wrong_type(tmp_path: Path) -> None:
    text = MINIMAL.replace("width: 300", 'width: "300"')
    expect_error(
        tmp_path,
        text,
        "23: elements[0].frame.children[1].repeat.body.shape.width: "
        "input should be a valid number (got '300')",
    )


def test_bad_colour(tmp_path: Path) -> None:
    text = MINIMAL.replace("height: 300", "height: 300\n                fill: red")
    expect_error(
        tmp_path,
        text,
        "25: elements[0].frame.children[1].repeat.body.shape.fill: "
        "'red' is not a colour; use a hex colour like #fff9b1",
    )


def test_bad_sticky_colour(tmp_path: Path) -> None:
    text = MINIMAL + "  - sticky: {key: s, color: purple}\n"
    expect_error(
        tmp_path,
        text,
        "25: elements[1].sticky.color: input should be 'gray', 'light_yellow', 'yellow', "
        "'orange', 'light_green', 'green', 'dark_green', 'cyan', 'light_pink', 'pink', "
        "'violet', 'red', 'light_blue', 'blue', 'dark_blue' or 'black' (got 'purple')",
    )


def test_undefined_parameter_in_content(tmp_path: Path) -> None:
    text = MINIMAL.replace('"Hello {team}"', '"Hello {teem}"')
    expect_error(
        tmp_path,
        text,
        "14: elements[0].frame.children[0].text.content: '{teem}' is not a parameter "
        "or loop variable (known: people, slots, team)",
    )


def test_loop_variable_outside_its_repeat(tmp_path: Path) -> None:
    text = MINIMAL.replace('"Hello {team}"', '"Hello {person}"')
    expect_error(
        tmp_path,
        text,
        "14: elements[0].frame.children[0].text.content: '{person}' is not a parameter "
        "or loop variable (known: people, slots, team)",
    )


def test_undefined_list_parameter_in_for_each(tmp_path: Path) -> None:
    text = MINIMAL.replace("for_each: people", "for_each: peeple")
    expect_error(
        tmp_path,
        text,
        "16: elements[0].frame.children[1].repeat.for_each: 'peeple' is not a list[str] parameter",
    )


def test_count_must_name_an_int_parameter(tmp_path: Path) -> None:
    text = MINIMAL.replace("for_each: people", "count: team")
    expect_error(
        tmp_path,
        text,
        "16: elements[0].frame.children[1].repeat.count: 'team' is not an int parameter",
    )


def test_repeat_body_needs_a_key_per_copy(tmp_path: Path) -> None:
    text = MINIMAL.replace('key: "lane-{person}"', "key: lane")
    expect_error(
        tmp_path,
        text,
        "20: elements[0].frame.children[1].repeat.body.shape.key: "
        "a repeated element needs a key that uses {person} or {person_n}",
    )


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = MINIMAL.replace("version: 1\n", "version: 1\nversion: 2\n")
    expect_error(tmp_path, text, "5: version: duplicate key 'version'")


def test_duplicate_item_key(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        '        - text: {key: title, content: "Hello {team}", role: title}\n',
        '        - text: {key: title, content: "Hello {team}", role: title}\n'
        "        - text: {key: title, content: again}\n",
    )
    expect_error(
        tmp_path,
        text,
        "15: elements[0].frame.children[1].text: duplicate item key 'board/title'",
        compile=True,
    )


def test_child_outside_its_frame(tmp_path: Path) -> None:
    text = MINIMAL.replace('title: "Board of {team}"', 'title: "Board of {team}"\n      width: 500')
    expect_error(
        tmp_path,
        text,
        "10: elements[0].frame: the children need a width of 744 but the frame is 500; "
        "raise width or shrink the children (no child may lie outside its frame)",
        compile=True,
    )


def test_plan_too_large(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "slots: {type: int, default: 3, min: 0, max: 50}", "slots: {type: int, default: 6000}"
    )
    text += (
        "  - repeat: {count: slots, as: n, layout: grid, columns: 100,\n"
        '              body: {sticky: {key: "s-{n}"}}}\n'
    )
    expect_error(
        tmp_path,
        text,
        "9: elements: the plan has more than 5000 items; reduce the parameters",
        compile=True,
    )


def test_nested_frame(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "        - text: {key: title,",
        "        - frame: {key: inner, title: x}\n        - text: {key: title,",
    )
    expect_error(
        tmp_path,
        text,
        "14: elements[0].frame.children[0].frame: a frame cannot be placed inside a frame",
    )


def test_missing_required_key(tmp_path: Path) -> None:
    text = MINIMAL.replace("description: A small board for tests.\n", "")
    expect_error(tmp_path, text, "1: description: required key is missing")


def test_default_of_the_wrong_type(tmp_path: Path) -> None:
    text = MINIMAL.replace("default: 3, min: 0", "default: three, min: 0")
    expect_error(tmp_path, text, "8: parameters.slots: default 'three' is not an int")


def test_default_outside_its_limits(tmp_path: Path) -> None:
    text = MINIMAL.replace("default: 3, min: 0", "default: 99, min: 0")
    expect_error(tmp_path, text, "8: parameters.slots.default: must be at most 50, got 99")


def test_duplicate_in_a_unique_default_names_its_line(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        '  people: {type: "list[str]", default: [Ana, Ben]}\n',
        '  people:\n    type: "list[str]"\n    unique: true\n    default:\n'
        "      - Ana\n      - Ben\n      - ' ana'\n",
    )
    expect_error(
        tmp_path,
        text,
        "13: parameters.people.default[2]: 'ana' repeats 'Ana'; values must differ (ignoring case)",
    )


def test_unique_is_only_for_lists(tmp_path: Path) -> None:
    text = MINIMAL.replace("{type: str, default: Team}", "{type: str, default: Team, unique: true}")
    expect_error(
        tmp_path, text, "6: parameters.team: unique applies to list[str] parameters, not str"
    )


def test_bad_placeholder_syntax(tmp_path: Path) -> None:
    text = MINIMAL.replace('"Hello {team}"', '"Hello {Team Name}"')
    expect_error(
        tmp_path,
        text,
        "14: elements[0].frame.children[0].text.content: bad placeholder '{Team Name}'; "
        "write {name}, or {{ and }} for braces",
    )


def test_invalid_yaml(tmp_path: Path) -> None:
    import yaml

    # libyaml and the pure-Python parser word the same problem differently.
    problem = (
        "did not find expected ',' or ']'"
        if getattr(yaml, "__with_libyaml__", False)
        else "expected ',' or ']', but got ':'"
    )
    expect_error(tmp_path, "name: [unclosed\nversion: 1\n", f"2: invalid YAML: {problem}")


def test_python_tags_are_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace("version: 1", "version: !!python/object/apply:os.system [echo hi]")
    expect_error(
        tmp_path,
        text,
        "4: invalid YAML: the tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed (safe YAML only)",
    )


def test_python_scalar_tags_are_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace("version: 1", "version: !!python/name:os.system ''")
    expect_error(
        tmp_path,
        text,
        "4: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/name:os.system'",
    )


def test_empty_file(tmp_path: Path) -> None:
    expect_error(tmp_path, "", "1: the file is empty")


def test_not_a_mapping(tmp_path: Path) -> None:
    expect_error(tmp_path, "- a\n- b\n", "1: a template must be a mapping of keys to values")


def test_connector_to_a_missing_item(tmp_path: Path) -> None:
    text = MINIMAL + "  - connector: {key: c, start: board/title, end: board/nowhere}\n"
    expect_error(
        tmp_path,
        text,
        "25: elements[1].connector.end: 'board/nowhere' is no item; connect items",
        compile=True,
    )


def test_when_must_name_a_parameter(tmp_path: Path) -> None:
    text = MINIMAL.replace("- text: {key: title,", "- text: {when: show, key: title,")
    expect_error(
        tmp_path, text, "14: elements[0].frame.children[0].text.when: 'show' is not a parameter"
    )


def test_text_narrower_than_its_font(tmp_path: Path) -> None:
    text = MINIMAL.replace("- text: {key: title,", "- text: {width: 40, font_size: 30, key: title,")
    expect_error(
        tmp_path,
        text,
        "14: elements[0].frame.children[0].text: width 40 is below 1.7 x font_size (30)",
    )


def test_missing_file(tmp_path: Path) -> None:
    import pytest

    from boardsmith.errors import TemplateError
    from boardsmith.templates import load_template

    with pytest.raises(TemplateError, match=r"nope\.yaml:0: no such template file$"):
        load_template(tmp_path / "nope.yaml")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path: Path, quote: str) -> None:
    # Issue 16: the parser only notices at the end of the file (line 7 here).
    text = f"name: x\ntitle: {quote}unclosed\nversion: 1\nparameters: {{}}\nframes:\n  - a\n"
    expect_error(
        tmp_path,
        text,
        "2: invalid YAML: the quoted string that starts here (column 8) is never closed",
    )


def test_an_unclosed_quote_through_the_cli_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from boardsmith.cli.app import main

    path = tmp_path / "mine.yaml"
    path.write_text('name: x\ntitle: "unclosed\nversion: 1\nparameters: {}\nframes:\n  - a\n')
    with pytest.raises(SystemExit) as exited:
        main(["create", str(path)])
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {path}:2: invalid YAML: the quoted string that starts here (column 8) "
        "is never closed"
    ]
