"""Helpers for template tests: write a template file and expect its exact error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from boardsmith.errors import TemplateError
from boardsmith.templates import Plan, Template, compile_plan, load_template

MINIMAL = """\
name: tiny
title: "Tiny: {team}"
description: A small board for tests.
version: 1
parameters:
  team: {type: str, default: Team}
  people: {type: "list[str]", default: [Ana, Ben]}
  slots: {type: int, default: 3, min: 0, max: 50}
elements:
  - frame:
      key: board
      title: "Board of {team}"
      children:
        - text: {key: title, content: "Hello {team}", role: title}
        - repeat:
            for_each: people
            as: person
            body:
              shape:
                key: "lane-{person}"
                role: lane
                labels: {participant: "{person}"}
                width: 300
                height: 300
"""


def write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Template:
    return load_template(write(tmp_path, text))


def compile_text(tmp_path: Path, text: str, params: dict[str, object] | None = None) -> Plan:
    return compile_plan(load(tmp_path, text), params)


def _load_and_maybe_compile(path: Path, compile: bool) -> None:
    template = load_template(path)
    if compile:
        compile_plan(template)


def expect_error(tmp_path: Path, text: str, message: str, *, compile: bool = False) -> None:
    """Loading (and compiling) ``text`` fails with exactly ``file:LINE: message``."""
    path = write(tmp_path, text)
    with pytest.raises(TemplateError) as info:
        _load_and_maybe_compile(path, compile)
    actual, expected = str(info.value), f"{path}:{message}"
    assert actual == expected, f"\n got: {actual}\nwant: {expected}"
    assert "\n" not in str(info.value)
