"""Every way a template can be wrong, one row each: the exact one-line message with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .helpers import MINIMAL, compile_text, expect_error


def _edit(old: str, new: str) -> str:
    """MINIMAL with ``old`` replaced; a row whose edit no longer applies fails loudly."""
    assert old in MINIMAL, f"the row's edit no longer matches MINIMAL: {old!r}"
    return MINIMAL.replace(old, new)


def _row(case_id: str, text: str, message: str, *, compile: bool = False) -> object:
    return pytest.param(text, message, compile, id=case_id)


# libyaml and the pure-Python parser word the same problem differently.
_UNCLOSED_LIST = (
    "did not find expected ',' or ']'"
    if getattr(yaml, "__with_libyaml__", False)
    else "expected ',' or ']', but got ':'"
)
_UNCLOSED_QUOTE = "2: invalid YAML: the quoted string that starts here (column 8) is never closed"

# (id, template text, expected "LINE: message" after the file name, compile as well as load)
CASES = [
    _row("unknown-top-level-key", MINIMAL + "colour: red\n", "25: colour: unknown key"),
    _row(
        "unknown-key-inside-an-element",
        _edit("        - text: {key: title,", "        - text: {size: 3, key: title,"),
        "14: elements[0].frame.children[0].text.size: unknown key",
    ),
    _row(
        "unknown-element-kind",
        _edit("        - text: {key: title", "        - txet: {key: title"),
        "14: elements[0].frame.children[0]: an element needs exactly one of frame, text, "
        "sticky, card, shape, row, column, grid, repeat, connector (got txet)",
    ),
    _row(
        "wrong-type",
        _edit("width: 300", 'width: "300"'),
        "23: elements[0].frame.children[1].repeat.body.shape.width: "
        "input should be a valid number (got '300')",
    ),
    _row(
        "bad-colour",
        _edit("height: 300", "height: 300\n                fill: red"),
        "25: elements[0].frame.children[1].repeat.body.shape.fill: "
        "'red' is not a colour; use a hex colour like #fff9b1",
    ),
    _row(
        "bad-sticky-colour",
        MINIMAL + "  - sticky: {key: s, color: purple}\n",
        "25: elements[1].sticky.color: input should be 'gray', 'light_yellow', 'yellow', "
        "'orange', 'light_green', 'green', 'dark_green', 'cyan', 'light_pink', 'pink', "
        "'violet', 'red', 'light_blue', 'blue', 'dark_blue' or 'black' (got 'purple')",
    ),
    _row(
        "undefined-parameter-in-content",
        _edit('"Hello {team}"', '"Hello {teem}"'),
        "14: elements[0].frame.children[0].text.content: '{teem}' is not a parameter "
        "or loop variable (known: people, slots, team)",
    ),
    _row(
        "loop-variable-outside-its-repeat",
        _edit('"Hello {team}"', '"Hello {person}"'),
        "14: elements[0].frame.children[0].text.content: '{person}' is not a parameter "
        "or loop variable (known: people, slots, team)",
    ),
    _row(
        "undefined-list-parameter-in-for-each",
        _edit("for_each: people", "for_each: peeple"),
        "16: elements[0].frame.children[1].repeat.for_each: 'peeple' is not a list[str] parameter",
    ),
    _row(
        "count-must-name-an-int-parameter",
        _edit("for_each: people", "count: team"),
        "16: elements[0].frame.children[1].repeat.count: 'team' is not an int parameter",
    ),
    _row(
        "repeat-body-needs-a-key-per-copy",
        _edit('key: "lane-{person}"', "key: lane"),
        "20: elements[0].frame.children[1].repeat.body.shape.key: "
        "a repeated element needs a key that uses {person} or {person_n}",
    ),
    _row(
        "duplicate-yaml-key",
        _edit("version: 1\n", "version: 1\nversion: 2\n"),
        "5: version: duplicate key 'version'",
    ),
    _row(
        "duplicate-item-key",
        _edit(
            '        - text: {key: title, content: "Hello {team}", role: title}\n',
            '        - text: {key: title, content: "Hello {team}", role: title}\n'
            "        - text: {key: title, content: again}\n",
        ),
        "15: elements[0].frame.children[1].text: duplicate item key 'board/title'",
        compile=True,
    ),
    _row(
        "child-outside-its-frame",
        _edit('title: "Board of {team}"', 'title: "Board of {team}"\n      width: 500'),
        "10: elements[0].frame: the children need a width of 744 but the frame is 500; "
        "raise width or shrink the children (no child may lie outside its frame)",
        compile=True,
    ),
    _row(
        "plan-too-large",
        _edit(
            "slots: {type: int, default: 3, min: 0, max: 50}", "slots: {type: int, default: 6000}"
        )
        + "  - repeat: {count: slots, as: n, layout: grid, columns: 100,\n"
        '              body: {sticky: {key: "s-{n}"}}}\n',
        "9: elements: the plan has more than 5000 items; reduce the parameters",
        compile=True,
    ),
    _row(
        "nested-frame",
        _edit(
            "        - text: {key: title,",
            "        - frame: {key: inner, title: x}\n        - text: {key: title,",
        ),
        "14: elements[0].frame.children[0].frame: a frame cannot be placed inside a frame",
    ),
    _row(
        "missing-required-key",
        _edit("description: A small board for tests.\n", ""),
        "1: description: required key is missing",
    ),
    _row(
        "default-of-the-wrong-type",
        _edit("default: 3, min: 0", "default: three, min: 0"),
        "8: parameters.slots: default 'three' is not an int",
    ),
    _row(
        "default-outside-its-limits",
        _edit("default: 3, min: 0", "default: 99, min: 0"),
        "8: parameters.slots.default: must be at most 50, got 99",
    ),
    _row(
        "duplicate-in-a-unique-default-names-its-line",
        _edit(
            '  people: {type: "list[str]", default: [Ana, Ben]}\n',
            '  people:\n    type: "list[str]"\n    unique: true\n    default:\n'
            "      - Ana\n      - Ben\n      - ' ana'\n",
        ),
        "13: parameters.people.default[2]: 'ana' repeats 'Ana'; values must differ (ignoring case)",
    ),
    _row(
        "unique-is-only-for-lists",
        _edit("{type: str, default: Team}", "{type: str, default: Team, unique: true}"),
        "6: parameters.team: unique applies to list[str] parameters, not str",
    ),
    _row(
        "bad-placeholder-syntax",
        _edit('"Hello {team}"', '"Hello {Team Name}"'),
        "14: elements[0].frame.children[0].text.content: bad placeholder '{Team Name}'; "
        "write {name}, or {{ and }} for braces",
    ),
    _row(
        "invalid-yaml",
        "name: [unclosed\nversion: 1\n",
        f"2: invalid YAML: {_UNCLOSED_LIST}",
    ),
    _row(
        "python-tags-are-refused",
        _edit("version: 1", "version: !!python/object/apply:os.system [echo hi]"),
        "4: invalid YAML: the tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed (safe YAML only)",
    ),
    _row(
        "python-scalar-tags-are-refused",
        _edit("version: 1", "version: !!python/name:os.system ''"),
        "4: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/name:os.system'",
    ),
    _row("empty-file", "", "1: the file is empty"),
    _row("not-a-mapping", "- a\n- b\n", "1: a template must be a mapping of keys to values"),
    _row(
        "connector-to-a-missing-item",
        MINIMAL + "  - connector: {key: c, start: board/title, end: board/nowhere}\n",
        "25: elements[1].connector.end: 'board/nowhere' is no item; connect items",
        compile=True,
    ),
    _row(
        "when-must-name-a-parameter",
        _edit("- text: {key: title,", "- text: {when: show, key: title,"),
        "14: elements[0].frame.children[0].text.when: 'show' is not a parameter",
    ),
    _row(
        "text-narrower-than-its-font",
        _edit("- text: {key: title,", "- text: {width: 40, font_size: 30, key: title,"),
        "14: elements[0].frame.children[0].text: width 40 is below 1.7 x font_size (30)",
    ),
    # Issue 16: the parser only notices at the end of the file (line 7 here).
    *(
        _row(
            f"unclosed-{kind}-quote-is-reported-where-it-opens",
            f"name: x\ntitle: {quote}unclosed\nversion: 1\nparameters: {{}}\nframes:\n  - a\n",
            _UNCLOSED_QUOTE,
        )
        for kind, quote in (("double", '"'), ("single", "'"))
    ),
]


@pytest.mark.parametrize(("text", "message", "compile"), CASES)
def test_a_wrong_template_names_its_line_and_problem(
    tmp_path: Path, text: str, message: str, compile: bool
) -> None:
    expect_error(tmp_path, text, message, compile=compile)


def test_minimal_template_is_valid(tmp_path: Path) -> None:
    plan = compile_text(tmp_path, MINIMAL)
    assert [i.key for i in plan.items] == [
        "board",
        "board/title",
        "board/lane-ana",
        "board/lane-ben",
    ]


def test_missing_file(tmp_path: Path) -> None:
    from boardsmith.errors import TemplateError
    from boardsmith.templates import load_template

    with pytest.raises(TemplateError, match=r"nope\.yaml:0: no such template file$"):
        load_template(tmp_path / "nope.yaml")


def test_an_unclosed_quote_through_the_cli_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from boardsmith.cli.app import main

    path = tmp_path / "mine.yaml"
    path.write_text('name: x\ntitle: "unclosed\nversion: 1\nparameters: {}\nframes:\n  - a\n')
    with pytest.raises(SystemExit) as exited:
        main(["create", str(path)])
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"error: {path}:{_UNCLOSED_QUOTE}"]
