"""Reading listed items without the client's models gives the same Snapshot.

``read_snapshot`` used to validate every item into a model and dump it back to JSON;
it now reads an item as it arrived whenever that cannot differ. For any item at all
(well-formed, odd, or one the models reject), the Snapshot built from what
``_as_read`` returns must equal the one built from the models' round trip, and an
item the models reject must still be rejected.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from boardsmith.harvest.snapshot import SnapItem, Snapshot, _as_read, _read_plainly, build_snapshot
from boardsmith.miro.models import parse_item

ABSENT = object()
FRAME = {
    "id": "f1",
    "type": "frame",
    "position": {"x": 100, "y": 50, "origin": "center", "relativeTo": "canvas_center"},
    "geometry": {"width": 400, "height": 300},
    "data": {"title": "Lanes", "format": "custom", "type": "freeform"},
}


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(ABSENT), st.none(), values)


numbers = st.one_of(
    st.integers(-1000, 1000), st.floats(-1e4, 1e4, allow_nan=False), st.just("12"), st.booleans()
)
texts = st.one_of(st.text(max_size=8), st.integers(0, 9), st.booleans())
stamps = st.sampled_from(
    [
        "2026-12-01T12:00:00Z",
        "2026-12-01T12:00:00.123Z",
        "2026-12-01T12:00:00.123456+00:00",
        "2026-12-01T13:00:00+01:00",
        "2026-12-01",
        "yesterday",
        5,
    ]
)


def _obj(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    def build(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if v is not ABSENT}

    return st.fixed_dictionaries({k: _maybe(v) for k, v in fields.items()}).map(build)


ref = _obj(id=st.one_of(st.just("u1"), st.integers(1, 9)), type=texts)
item = st.fixed_dictionaries(
    {
        "id": st.one_of(st.just("9001"), st.integers(1, 10**20), st.just(1.0), st.booleans()),
        "type": st.sampled_from(
            ["sticky_note", "shape", "text", "frame", "card", "image", "sticky_note"]
        ),
        "position": _maybe(
            _obj(
                x=numbers,
                y=numbers,
                origin=st.one_of(st.just("center"), st.integers(0, 3)),
                relativeTo=st.sampled_from(["canvas_center", "parent_top_left", 3]),
            )
        ),
        "geometry": _maybe(_obj(width=numbers, height=numbers, rotation=numbers)),
        "data": _maybe(
            st.one_of(
                st.just("not an object"),
                _obj(
                    content=texts,
                    title=texts,
                    shape=texts,
                    showContent=st.one_of(st.booleans(), st.just("yes")),
                    assigneeId=st.one_of(st.just("7"), st.integers(1, 9)),
                    dueDate=stamps,
                ),
            )
        ),
        "style": _maybe(
            _obj(
                fillColor=texts,
                fill_color=texts,
                borderColor=texts,
                fontSize=st.one_of(st.just("14"), st.just(14), st.just(14.5), st.booleans()),
                textAlign=texts,
                color=texts,
            )
        ),
        "parent": _maybe(
            _obj(
                id=st.one_of(st.just("f1"), st.just("f2"), st.integers(1, 3)),
                links=_maybe(_obj(self=texts, related=texts)),
            )
        ),
        "createdBy": _maybe(ref),
        "modifiedBy": _maybe(ref),
        "createdAt": _maybe(stamps),
        "modifiedAt": _maybe(stamps),
        "created_at": _maybe(stamps),
        "links": _maybe(_obj(self=texts)),
    }
).map(lambda values: {k: v for k, v in values.items() if v is not ABSENT})


def _flat(snapshot: Snapshot) -> list[tuple[Any, ...]]:
    # text_style is left out of SnapItem's equality, so compare every field.
    return [dataclasses.astuple(i) for i in snapshot.items]


def _through_models(raw: dict[str, Any]) -> dict[str, Any]:
    dumped: dict[str, Any] = parse_item(raw).model_dump(mode="json", by_alias=True)
    return dumped


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(item)
def test_reading_an_item_plainly_builds_the_snapshot_the_models_build(raw: dict[str, Any]) -> None:
    try:
        expected = _through_models(raw)
    except ValidationError:
        assert _read_plainly(raw) is None
        with pytest.raises(ValidationError):
            _as_read(raw)
        return
    got = _as_read(raw)
    assert _flat(build_snapshot("b", [FRAME, got])) == _flat(build_snapshot("b", [FRAME, expected]))


def _emulator_sticky() -> dict[str, Any]:
    return {
        "id": "3458764612345678901",
        "type": "sticky_note",
        "position": {"x": 10.5, "y": 20, "origin": "center", "relativeTo": "parent_top_left"},
        "geometry": {"width": 199, "height": 228},
        "data": {"content": "<p>Joyful</p>", "shape": "square"},
        "style": {"fillColor": "light_yellow", "textAlign": "center"},
        "parent": {"id": "f1", "links": {"self": "http://x/v2/boards/b/items/f1"}},
        "createdBy": {"id": "3074457350000000001", "type": "user"},
        "createdAt": "2026-12-01T12:00:00Z",
        "modifiedBy": {"id": "3074457350000000001", "type": "user"},
        "modifiedAt": "2026-12-01T12:00:00.5Z",
        "links": {"self": "http://x/v2/boards/b/items/3458764612345678901"},
    }


def test_what_the_emulator_sends_is_read_plainly() -> None:
    raw = _emulator_sticky()
    plain = _read_plainly(raw)
    assert plain is not None
    assert plain["modifiedAt"] == _through_models(raw)["modifiedAt"]
    assert _flat(build_snapshot("b", [FRAME, plain])) == _flat(
        build_snapshot("b", [FRAME, _through_models(raw)])
    )


def _without(part: str, key: str) -> Any:
    def change(raw: dict[str, Any]) -> None:
        del raw[part][key]

    return change


def _set(part: str | None, key: str, value: Any) -> Any:
    def change(raw: dict[str, Any]) -> None:
        (raw if part is None else raw[part])[key] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _without("position", "relativeTo"),
        _set("position", "x", "12"),
        _set("position", "x", True),
        _set("geometry", "width", "199"),
        _set(None, "type", "shape"),
        _set(None, "type", "text"),
        _set(None, "type", "card"),
        _set(None, "type", "image"),
        _set("style", "fontSize", 14.0),
        _set("style", "fill_color", "red"),
        _set("data", "content", 5),
        _set(None, "data", None),
        _set(None, "style", None),
        _set(None, "created_at", "2020-01-01T00:00:00Z"),
        _set(None, "createdAt", "2026-12-01T13:00:00.000001+01:00"),
        _set(None, "createdAt", None),
        _set("createdBy", "id", 3074457350000000001),
        _set("parent", "id", 7),
        _set(None, "parent", None),
        _set(None, "position", None),
    ],
)
def test_each_odd_field_builds_the_snapshot_the_models_build(change: Any) -> None:
    raw = _emulator_sticky()
    change(raw)
    if raw["type"] in ("shape", "text"):
        raw["style"] = {**(raw.get("style") or {}), "fontSize": 14.0}
    try:
        expected = _through_models(raw)
    except ValidationError:
        with pytest.raises(ValidationError):
            _as_read(raw)
        return
    assert _flat(build_snapshot("b", [FRAME, _as_read(raw)])) == _flat(
        build_snapshot("b", [FRAME, expected])
    )


@pytest.mark.parametrize("raw", [_emulator_sticky(), FRAME, {"id": "x", "type": "text"}])
def test_a_built_item_is_the_item_its_constructor_builds(raw: dict[str, Any]) -> None:
    # build_snapshot fills an item's __dict__ itself; a field added to SnapItem must
    # be filled there too.
    (built,) = [i for i in build_snapshot("b", [FRAME, raw]).items if i.id == raw["id"]]
    names = [f.name for f in dataclasses.fields(SnapItem)]
    assert list(built.__dict__) == names
    again = SnapItem(**{name: getattr(built, name) for name in names})
    assert dataclasses.astuple(built) == dataclasses.astuple(again)
    assert built == again
    assert hash(built) == hash(again)


def test_items_of_one_shape_share_a_verdict_and_differing_ones_do_not() -> None:
    good = _emulator_sticky()
    odd = _emulator_sticky()
    odd["geometry"] = {"width": "199", "height": 228}
    assert _read_plainly(good) is not None
    assert _read_plainly(odd) is None
    assert _read_plainly(_emulator_sticky()) is not None
    odd_again = _emulator_sticky()
    odd_again["createdBy"] = {"id": 5, "type": "user"}
    assert _read_plainly(odd_again) is None


class _Dict(dict[str, Any]):
    """A dict that is not of type dict."""


def test_parts_of_another_mapping_type_are_told_apart_by_their_fields() -> None:
    good = _emulator_sticky()
    good["geometry"] = _Dict(width=199, height=228)
    odd = _emulator_sticky()
    odd["geometry"] = _Dict(width="199", height=228)
    assert _read_plainly(good) is not None
    assert _read_plainly(odd) is None


def test_an_item_whose_timestamps_need_no_rewrite_is_read_as_it_is() -> None:
    raw = _emulator_sticky()
    raw["modifiedAt"] = raw["createdAt"]
    assert _read_plainly(raw) is raw
