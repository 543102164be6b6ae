"""Response models are lenient, request models strict and valid against Miro's spec."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from boardsmith.miro.models import (
    Board,
    BoardCreate,
    BoardUpdate,
    CardCreate,
    CardUpdate,
    Connector,
    ConnectorCreate,
    ConnectorUpdate,
    FrameCreate,
    FrameUpdate,
    Item,
    ItemCreateBase,
    ItemUpdate,
    MiroRequest,
    ShapeCreate,
    ShapeUpdate,
    StickyNote,
    StickyNoteCreate,
    StickyNoteUpdate,
    Tag,
    TagCreate,
    TagUpdate,
    TextCreate,
    TextUpdate,
    parse_item,
)
from tests import spec

from .conftest import item_json

BIG_ID = 3458764517517819001  # > 2**53: a float would round it


def test_integer_ids_become_exact_strings_from_raw_json() -> None:
    raw = f'{{"id": {BIG_ID}, "type": "sticky_note", "parent": {{"id": {BIG_ID + 1}}}}}'
    note = StickyNote.model_validate_json(raw)
    assert note.id == str(BIG_ID)
    assert note.parent is not None
    assert note.parent.id == str(BIG_ID + 1)
    assert parse_item(json.loads(raw)).id == "3458764517517819001"


def test_float_ids_that_lost_precision_are_rejected() -> None:
    with pytest.raises(ValidationError, match="lost precision"):
        Tag.model_validate({"id": float(BIG_ID), "title": "t"})
    assert Tag.model_validate({"id": 12.0, "title": "t"}).id == "12"


def test_responses_keep_unknown_fields_and_enum_values() -> None:
    note = parse_item(
        item_json(
            "1",
            style={"fillColor": "neon_green", "textAlign": "justify"},
            data={"content": "x", "shape": "hexagon"},
            tagIds=["5"],
        )
    )
    assert isinstance(note, StickyNote)
    assert note.style.fill_color == "neon_green"
    assert note.data.shape == "hexagon"
    assert note.model_extra == {"tagIds": ["5"]}
    assert note.position is not None
    assert note.position.relative_to == "canvas_center"
    assert note.created_by is not None
    assert note.created_by.id == "3458764517517852417"


def test_unknown_item_types_and_broken_typed_items_fall_back_to_item() -> None:
    assert type(parse_item({"id": "1", "type": "kanban", "data": {"x": 1}})) is Item
    odd = parse_item({"id": "2", "type": "sticky_note", "data": {"content": ["a", "list"]}})
    assert type(odd) is Item


def test_board_and_connector_parse_leniently() -> None:
    board = Board.model_validate(
        {"id": "uXj=", "name": "V", "description": "", "type": "board", "newThing": 1}
    )
    assert board.model_extra == {"newThing": 1}
    connector = Connector.model_validate({"id": 5, "startItem": {"id": 7}, "shape": "wavy"})
    assert (connector.id, connector.shape) == ("5", "wavy")


def test_requests_are_strict() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        StickyNoteCreate.model_validate({"data": {"content": "x", "colour": "red"}})
    with pytest.raises(ValidationError):
        StickyNoteCreate.model_validate({"style": {"fill_color": "neon"}})
    with pytest.raises(ValidationError, match="width or height"):
        StickyNoteCreate.model_validate({"geometry": {"width": 10, "height": 10}})
    with pytest.raises(ValidationError, match="position or snap_to"):
        ConnectorCreate.model_validate(
            {
                "start_item": {"id": "1", "snap_to": "top", "position": {"x": "0%", "y": "0%"}},
                "end_item": {"id": "2"},
            }
        )
    with pytest.raises(ValidationError):
        FrameCreate.model_validate({"parent": {"id": "1"}})  # frames cannot have a parent


def test_requests_serialise_camel_case_without_nulls() -> None:
    body = ShapeCreate.model_validate(
        {
            "data": {"content": "c", "shape": "circle"},
            "style": {"fill_color": "#ffffff", "font_size": 14, "border_width": 2.5},
            "position": {"x": 1, "y": 2},
        }
    ).to_body()
    assert body == {
        "data": {"content": "c", "shape": "circle"},
        "style": {"fillColor": "#ffffff", "fontSize": "14", "borderWidth": "2.5"},
        "position": {"x": 1.0, "y": 2.0},
    }
    assert "type" not in body
    assert StickyNoteCreate().to_bulk_body() == {"type": "sticky_note"}


CASES: list[tuple[str, str, MiroRequest]] = [
    ("POST", "/v2/boards", BoardCreate.model_validate({
        "name": "Vision", "description": "d", "team_id": 3074457350000000000,
        "policy": {"sharing_policy": {"access": "view"},
                   "permissions_policy": {"copy_access": "team_members"}},
    })),
    ("PATCH", "/v2/boards/{board_id}", BoardUpdate(name="Renamed")),
    ("POST", "/v2/boards/{board_id}/sticky_notes", StickyNoteCreate.model_validate({
        "data": {"content": "<p>hi</p>", "shape": "rectangle"},
        "style": {"fill_color": "light_yellow", "text_align": "center",
                  "text_align_vertical": "middle"},
        "position": {"x": 10, "y": -5}, "geometry": {"width": 199}, "parent": {"id": "12"},
    })),
    ("PATCH", "/v2/boards/{board_id}/sticky_notes/{item_id}", StickyNoteUpdate.model_validate({
        "data": {"content": "edit"}, "geometry": {"height": 228},
    })),
    ("POST", "/v2/boards/{board_id}/shapes", ShapeCreate.model_validate({
        "data": {"content": "lane", "shape": "round_rectangle"},
        "style": {"fill_color": "#e6e6e6", "fill_opacity": 0.5, "border_style": "dashed",
                  "border_width": 2, "font_family": "arial", "font_size": 14,
                  "text_align": "left", "text_align_vertical": "top"},
        "geometry": {"width": 300, "height": 100, "rotation": 0}, "parent": {"id": "12"},
    })),
    ("PATCH", "/v2/boards/{board_id}/shapes/{item_id}", ShapeUpdate.model_validate({
        "style": {"border_color": "#1a1a1a"},
    })),
    ("POST", "/v2/boards/{board_id}/texts", TextCreate.model_validate({
        "data": {"content": "Title"}, "style": {"font_size": 24, "text_align": "center"},
        "geometry": {"width": 400}, "position": {"x": 0, "y": 0},
    })),
    ("PATCH", "/v2/boards/{board_id}/texts/{item_id}", TextUpdate.model_validate({
        "data": {"content": "T"},
    })),
    ("POST", "/v2/boards/{board_id}/frames", FrameCreate.model_validate({
        "data": {"title": "Vision", "format": "custom", "type": "freeform"},
        "style": {"fill_color": "#ffffffff"}, "geometry": {"width": 800, "height": 600},
    })),
    ("PATCH", "/v2/boards/{board_id}/frames/{item_id}", FrameUpdate.model_validate({
        "data": {"title": "Renamed"},
    })),
    ("POST", "/v2/boards/{board_id}/cards", CardCreate.model_validate({
        "data": {"title": "Owner", "description": "d", "assignee_id": BIG_ID,
                 "due_date": "2026-11-30T12:00:00Z"},
        "style": {"card_theme": "#2d9bf0"}, "geometry": {"width": 320},
    })),
    ("PATCH", "/v2/boards/{board_id}/cards/{item_id}", CardUpdate.model_validate({
        "data": {"title": "New"},
    })),
    ("POST", "/v2/boards/{board_id}/connectors", ConnectorCreate.model_validate({
        "start_item": {"id": "1", "position": {"x": "50%", "y": "100%"}},
        "end_item": {"id": "2", "snap_to": "top"}, "shape": "elbowed",
        "captions": [{"content": "then", "position": "50%", "text_align_vertical": "top"}],
        "style": {"stroke_width": 2, "end_stroke_cap": "arrow", "stroke_style": "dashed"},
    })),
    ("PATCH", "/v2/boards/{board_id}/connectors/{connector_id}", ConnectorUpdate.model_validate({
        "shape": "straight",
    })),
    ("POST", "/v2/boards/{board_id}/tags", TagCreate(title="Ana", fill_color="violet")),
    ("PATCH", "/v2/boards/{board_id}/tags/{tag_id}", TagUpdate(title="Ben")),
    ("PATCH", "/v2/boards/{board_id}/items/{item_id}", ItemUpdate.model_validate({
        "position": {"x": 5, "y": 6}, "parent": {"id": "99"},
    })),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "template", "request_model"), CASES, ids=[f"{m} {t}" for m, t, _ in CASES]
)
def test_request_models_match_the_spec(
    method: str, template: str, request_model: MiroRequest
) -> None:
    body = request_model.to_body()
    assert body, "a representative request must not be empty"
    assert spec.validation_errors(spec.request_schema(method, template), body) == []


def test_bulk_request_matches_the_spec() -> None:
    body = [model.to_bulk_body() for _, _, model in CASES if isinstance(model, ItemCreateBase)]
    assert [b["type"] for b in body] == ["sticky_note", "shape", "text", "frame", "card"]
    schema = spec.request_schema("POST", "/v2/boards/{board_id}/items/bulk")
    assert spec.validation_errors(schema, body) == []
    assert spec.validation_errors(schema, []) != []  # 1-20 items per call


def test_the_spec_check_can_fail() -> None:
    schema = spec.request_schema("POST", "/v2/boards/{board_id}/tags")
    assert spec.validation_errors(schema, {"fillColor": "violet"}) != []  # title required
