"""The compiler: escaping, stable keys, determinism, layout and parameters in content."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardsmith.errors import UsageError
from boardsmith.templates import MAX_ITEMS, Plan, compile_plan, find_template, unescape_text
from boardsmith.templates.layout import text_height

from .helpers import MINIMAL, compile_text, expect_error

VISION = find_template("leadership-vision")


def test_participant_names_are_shown_literally() -> None:
    plan = compile_plan(VISION, {"participants": ["<b>Ana</b>", "Ana & Ben"], "team": "R&D <x>"})
    names = [i for i in plan.items if i.key.endswith("/name")]
    assert [n.content for n in names] == ["&lt;b&gt;Ana&lt;/b&gt;", "Ana &amp; Ben"]
    assert [n.plain_text for n in names] == ["<b>Ana</b>", "Ana & Ben"]
    # Labels are data for harvest, not markup: they keep the raw text.
    assert [lane.labels["participant"] for lane in plan.with_role("lane")] == [
        "<b>Ana</b>",
        "Ana & Ben",
    ]
    assert plan.by_key["vision"].content == "Leadership Vision: R&amp;D &lt;x&gt;"
    assert plan.title == "Leadership Vision: R&D <x>"


def test_multi_line_text_becomes_paragraphs(tmp_path: Path) -> None:
    text = MINIMAL.replace('"Hello {team}"', '"a < b\\nc & d"')
    item = compile_text(tmp_path, text).by_key["board/title"]
    assert item.content == "<p>a &lt; b</p><p>c &amp; d</p>"
    assert item.plain_text == "a < b\nc & d"


def test_double_braces_are_literal(tmp_path: Path) -> None:
    text = MINIMAL.replace('"Hello {team}"', '"{{team}} is {team}"')
    assert compile_text(tmp_path, text).by_key["board/title"].content == "{team} is Team"


def test_same_input_gives_byte_identical_json() -> None:
    params = {"participants": ["Ana", "Ben"], "team": "Blue", "top_n": 4}
    reordered = {"top_n": 4, "team": "Blue", "participants": ["Ana", "Ben"]}
    assert compile_plan(VISION, params).to_json() == compile_plan(VISION, reordered).to_json()


def test_keys_do_not_depend_on_unrelated_list_positions() -> None:
    before = compile_plan(VISION, {"participants": ["Ana", "Ben", "Cy"]})
    after = compile_plan(VISION, {"participants": ["Ben", "Cy"]})
    lanes_before = {i.key for i in before.items if "/lane-ben" in i.key or "/lane-cy" in i.key}
    lanes_after = {i.key for i in after.items if "/lane-" in i.key}
    assert lanes_before == lanes_after
    words = compile_plan(VISION, {"word_bank": ["Bold", "Kind", "Open"]})
    fewer = compile_plan(VISION, {"word_bank": ["Kind", "Open"]})
    assert {w.key for w in fewer.with_role("word")} < {w.key for w in words.with_role("word")}


def test_names_with_equal_slugs_get_distinct_keys() -> None:
    # Equal names are refused (participants is unique); different names can share a slug.
    plan = compile_plan(VISION, {"participants": ["Ana", "Ana!", "ana?"]})
    assert [lane.key for lane in plan.with_role("lane")] == [
        "vision/lanes/lane-ana",
        "vision/lanes/lane-ana-2",
        "vision/lanes/lane-ana-3",
    ]


def test_dots_belong_to_their_lane_and_owner() -> None:
    plan = compile_plan(VISION, {"participants": ["Ana"], "dots_per_participant": 2})
    dots = plan.with_role("dot")
    assert [(d.key, d.labels["owner"], d.shape) for d in dots] == [
        ("vision/lanes/lane-ana/dots/dot-1", "Ana", "circle"),
        ("vision/lanes/lane-ana/dots/dot-2", "Ana", "circle"),
    ]


def test_unknown_or_badly_typed_params_are_usage_errors() -> None:
    with pytest.raises(UsageError, match=r"^--param colour: unknown parameter; template"):
        compile_plan(VISION, {"colour": "red"})
    with pytest.raises(UsageError, match=r"^--param top_n: must be at most 12, got 13$"):
        compile_plan(VISION, {"top_n": 13})
    with pytest.raises(UsageError, match=r"^--param participants: expected a list of text"):
        compile_plan(VISION, {"participants": "Ana"})
    with pytest.raises(UsageError, match=r"^--param participants: needs at least 1 items, got 0"):
        compile_plan(VISION, {"participants": [" ", ""]})


def test_largest_allowed_vision_board_stays_under_the_item_limit() -> None:
    words = [f"word {n}" for n in range(400)]
    people = [f"P{n}" for n in range(40)]
    params = {"word_bank": words, "participants": people, "dots_per_participant": 10, "top_n": 12}
    plan = compile_plan(VISION, params)
    assert len(plan.with_role("word")) == 400
    assert len(plan.with_role("dot")) == 400
    assert len(plan.items) < MAX_ITEMS


def test_grid_places_cells_left_to_right_then_down(tmp_path: Path) -> None:
    text = MINIMAL + (
        "  - grid:\n"
        "      columns: 2\n"
        "      gap: 10\n"
        "      children:\n"
        "        - sticky: {key: a, width: 100}\n"
        "        - sticky: {key: b, width: 100}\n"
        "        - sticky: {key: c, width: 100}\n"
    )
    plan = compile_text(tmp_path, text)
    a, b, c = (plan.by_key[k] for k in "abc")
    assert b.x - a.x == pytest.approx(110)
    assert a.y == pytest.approx(b.y)
    assert c.x == pytest.approx(a.x)
    assert c.y - a.y == pytest.approx(100 * 228 / 199 + 10, abs=0.01)
    assert a.parent is None


def test_last_at_bottom_puts_the_last_child_at_the_bottom(tmp_path: Path) -> None:
    text = MINIMAL + (
        "  - shape:\n"
        "      key: box\n"
        "      height: 600\n"
        "      padding: 20\n"
        "      gap: 10\n"
        "      last_at_bottom: true\n"
        "      children:\n"
        "        - shape: {key: a, width: 100, height: 50}\n"
        "        - shape: {key: b, width: 100, height: 50}\n"
        "        - shape: {key: c, width: 100, height: 80}\n"
    )
    plan = compile_text(tmp_path, text)
    box, a, b, c = (plan.by_key[k] for k in ("box", "box/a", "box/b", "box/c"))
    assert a.top == pytest.approx(box.top + 20)
    assert b.top == pytest.approx(a.bottom + 10)
    assert c.bottom == pytest.approx(box.bottom - 20)
    # Without it the children stack from the top.
    plain = compile_text(tmp_path, text.replace("      last_at_bottom: true\n", ""))
    assert plain.by_key["box/c"].top == pytest.approx(plain.by_key["box/b"].bottom + 10)


def test_last_at_bottom_still_needs_room_for_every_child(tmp_path: Path) -> None:
    text = MINIMAL + (
        "  - shape:\n"
        "      key: box\n"
        "      height: 100\n"
        "      last_at_bottom: true\n"
        "      children:\n"
        "        - shape: {key: a, width: 100, height: 50}\n"
        "        - shape: {key: b, width: 100, height: 50}\n"
    )
    expect_error(
        tmp_path,
        text,
        "25: elements[1].shape: the children need a height of 156 but the shape is 100; "
        "raise height or shrink the children (no child may lie outside its shape)",
        compile=True,
    )


def test_whole_board_is_centred_on_the_origin(tmp_path: Path) -> None:
    plan = compile_text(tmp_path, MINIMAL)
    frame = plan.by_key["board"]
    assert (frame.x, frame.y) == (0, 0)


def test_text_height_follows_the_emulator_rule() -> None:
    # 100 chars at 14px in a 200px box: ceil(100 * 0.55 * 14 / 200) = 4 lines of 19.6px.
    assert text_height(["x" * 100], 14, 200) == pytest.approx(4 * 1.4 * 14)
    assert text_height([""], 14, 200) == pytest.approx(1.4 * 14)


def test_connectors_join_items_and_come_last(tmp_path: Path) -> None:
    text = MINIMAL + "  - connector: {key: link, start: board/lane-ana, end: board/lane-ben}\n"
    plan = compile_text(tmp_path, text)
    last = plan.items[-1]
    assert (last.type, last.start, last.end, last.parent) == (
        "connector",
        "board/lane-ana",
        "board/lane-ben",
        None,
    )


def test_when_false_drops_the_element() -> None:
    plan = compile_plan(VISION, {"warm_up": False})
    assert not any(i.key.startswith("vision/warm-up") for i in plan.items)
    assert "vision/warm-up/questions" in compile_plan(VISION).by_key


def test_regions_carry_absolute_bounds() -> None:
    plan = compile_plan(VISION, {"participants": ["Ana"]})
    (lane,) = [r for r in plan.regions() if r.role == "lane"]
    item = plan.by_key[lane.key]
    assert (lane.left, lane.top, lane.right, lane.bottom) == (
        item.x - item.width / 2,
        item.y - item.height / 2,
        item.x + item.width / 2,
        item.y + item.height / 2,
    )
    assert lane.labels == {"participant": "Ana"}


names = st.lists(
    st.text(min_size=1, max_size=30).filter(lambda s: s.strip() and "," not in s),
    min_size=1,
    max_size=12,
    # Participants must differ (trimmed, ignoring case); equal slugs may still occur.
    unique_by=lambda s: s.strip().casefold(),
)


@settings(max_examples=40, deadline=None)
@given(people=names)
def test_any_names_compile_to_a_valid_escaped_plan(people: list[str]) -> None:
    plan = compile_plan(VISION, {"participants": people})
    assert len(plan.by_key) == len(plan.items)
    lanes = plan.with_role("lane")
    assert [lane.labels["participant"] for lane in lanes] == [p.strip() for p in people]
    for item in plan.items:
        bare = item.content.replace("<p>", "").replace("</p>", "")
        assert "<" not in bare
        assert ">" not in bare
        if item.key.endswith("/name"):
            assert unescape_text(item.content) in [p.strip() for p in people]
        if item.parent is not None:
            frame = plan.by_key[item.parent]
            assert frame.left <= item.left
            assert item.right <= frame.right
            assert frame.top <= item.top
            assert item.bottom <= frame.bottom
    assert Plan.from_json(plan.to_json()) == plan


def test_region_at_finds_the_innermost_region() -> None:
    plan = compile_plan(find_template("purpose-map"))
    purpose = plan.by_key["purpose-map/vision/purpose"]
    region = plan.region_at(purpose.x, purpose.y)
    assert region is not None
    assert (region.key, region.role, region.labels["prompt"]) == (
        "purpose-map/vision/purpose",
        "prompt_notes",
        "purpose",
    )
    section = plan.region_at(purpose.x, purpose.y, roles={"section"})
    assert section is not None
    assert section.key == "purpose-map/vision"
    assert plan.region_at(10**6, 10**6) is None


def test_suffixed_slugs_never_collide_with_real_ones() -> None:
    plan = compile_plan(VISION, {"participants": ["6", "6!", "6:2"]})
    assert [lane.key for lane in plan.with_role("lane")] == [
        "vision/lanes/lane-6",
        "vision/lanes/lane-6-2",
        "vision/lanes/lane-6-2-2",
    ]


def test_source_hash_ignores_line_endings(tmp_path: Path) -> None:
    from boardsmith.templates import load_template

    unix = tmp_path / "unix.yaml"
    unix.write_bytes(MINIMAL.encode())
    dos = tmp_path / "dos.yaml"
    dos.write_bytes(MINIMAL.replace("\n", "\r\n").encode())
    assert load_template(unix).source_hash == load_template(dos).source_hash
    changed = tmp_path / "changed.yaml"
    changed.write_bytes(MINIMAL.replace("Team", "Crew").encode())
    assert load_template(changed).source_hash != load_template(unix).source_hash
