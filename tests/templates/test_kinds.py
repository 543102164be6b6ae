"""Each element kind and each report ``show`` kind has its one entry in every layer.

The compiler and the template checks dispatch element kinds with one ``match``
each (mypy proves them exhaustive over ``schema.Element``); report kinds are
dispatched through tables, whose coverage is checked here.
"""

from __future__ import annotations

from typing import get_args

from boardsmith.harvest.report import FILL
from boardsmith.render.report_blocks import _SHOW
from boardsmith.templates.report_checks import KINDS
from boardsmith.templates.report_spec import SHOW_KINDS
from boardsmith.templates.schema import ELEMENT_KINDS, Element, Node


def test_every_element_kind_is_a_node_field_of_an_element_class() -> None:
    assert tuple(Node.model_fields) == ELEMENT_KINDS
    classes = {Node.model_fields[kind].annotation for kind in ELEMENT_KINDS}
    assert {c | None for c in get_args(Element)} == classes


def test_every_show_kind_is_checked_filled_and_rendered() -> None:
    assert tuple(KINDS) == SHOW_KINDS
    assert set(FILL) == set(SHOW_KINDS)
    assert set(_SHOW) == set(SHOW_KINDS)
