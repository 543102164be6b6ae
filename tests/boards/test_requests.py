"""PlanItem -> request bodies: frame-relative positions, geometry rules, hashes."""

from __future__ import annotations

import pytest

from boardsmith.boards.requests import (
    Placement,
    connector_body,
    create_body,
    item_text,
    normalise_text,
    sent_hash,
    update_body,
)
from boardsmith.templates.plan import PlanItem

from .plans import frame, sticky


def test_child_positions_are_relative_to_the_frame_top_left() -> None:
    parent = frame("f", 100, 50, 1000, 800)
    child = sticky("f/s", -300, -200, parent="f", text="Bold")

    body = create_body(child, placement=Placement(5000, 7), parent=parent, parent_id="42")

    # frame top-left is (100-500, 50-400) = (-400, -350); the offset does not matter.
    assert body["position"] == {"x": 100, "y": 150}
    assert body["parent"] == {"id": "42"}
    assert body["type"] == "sticky_note"
    assert body["data"] == {"content": "Bold", "shape": "square"}
    # Stickies take only a width.
    assert body["geometry"] == {"width": 199}
    assert body["style"] == {"fillColor": "light_yellow"}


def test_top_level_positions_are_absolute_plus_offset() -> None:
    item = sticky("t", 10, 20, text="x")
    body = create_body(item, placement=Placement(1000, -5))
    assert body["position"] == {"x": 1010, "y": 15}
    assert "parent" not in body


def test_frame_body_uses_a_plain_title_and_full_geometry() -> None:
    item = PlanItem(
        key="f", type="frame", x=0, y=0, width=600, height=400, content="R&amp;D &lt;team&gt;"
    )
    body = create_body(item, placement=Placement())
    assert body["data"]["title"] == "R&D <team>"
    assert body["geometry"] == {"width": 600, "height": 400}
    assert item_text(item) == "R&D <team>"


def test_child_without_a_parent_id_is_refused() -> None:
    with pytest.raises(ValueError, match="no board id"):
        create_body(sticky("f/s", 0, 0, parent="f"), placement=Placement(), parent=frame("f", 0, 0))


def test_text_and_shape_geometry() -> None:
    text = PlanItem(key="t", type="text", x=0, y=0, width=300, height=40, content="Hi")
    shape = PlanItem(
        key="s", type="shape", x=0, y=0, width=300, height=40, content="", shape="round_rectangle"
    )
    assert create_body(text, placement=Placement())["geometry"] == {"width": 300}
    body = create_body(shape, placement=Placement())
    assert body["geometry"] == {"width": 300, "height": 40}
    assert body["data"] == {"content": "", "shape": "round_rectangle"}


def test_connector_body_uses_endpoint_ids() -> None:
    item = PlanItem(
        key="c", type="connector", x=0, y=0, width=0, height=0, start="a", end="b", content="then"
    )
    body = connector_body(item, {"a": "1", "b": "2"})
    assert body["startItem"]["id"] == "1"
    assert body["endItem"]["id"] == "2"
    assert body["captions"] == [{"content": "then"}]
    with pytest.raises(ValueError, match="connectors"):
        create_body(item, placement=Placement())


def test_update_body_carries_only_what_changed() -> None:
    parent = frame("f", 0, 0, 1000, 800)
    item = sticky("f/s", 0, 0, parent="f", text="New")
    content_only = update_body(
        item, placement=Placement(), parent=parent, parent_id="9", content=True, position=False
    )
    assert set(content_only) == {"data", "geometry", "style"}
    position_only = update_body(
        item, placement=Placement(), parent=parent, parent_id="9", content=False, position=True
    )
    assert position_only == {"position": {"x": 500, "y": 400}, "parent": {"id": "9"}}


def test_hash_ignores_position_but_not_content_or_style() -> None:
    a = sticky("k", 0, 0, text="A")
    assert sent_hash(a) == sent_hash(sticky("k", 50, 70, text="A"))
    assert sent_hash(a) != sent_hash(sticky("k", 0, 0, text="B"))
    restyled = a.model_copy(update={"style": {"fillColor": "red"}})
    assert sent_hash(a) != sent_hash(restyled)


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("<p>Bold</p>", "Bold"),
        ("Bold", "Bold"),
        ("<p>a &amp; b</p><p>c</p>", "a & b c"),
        ("  x \n y ", "x y"),
        (None, ""),
    ],
)
def test_normalise_text(raw: str | None, plain: str) -> None:
    assert normalise_text(raw) == plain
