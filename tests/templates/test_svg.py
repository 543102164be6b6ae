"""SVG primitives and the plan preview."""

from __future__ import annotations

from xml.etree import ElementTree

from boardsmith.render.plan_svg import STICKY_FILL, render_plan
from boardsmith.render.svg import Svg, escape_xml, hyphen_pieces, num, wrap
from boardsmith.templates import Plan, PlanItem, compile_plan, find_template


def test_escape_and_numbers() -> None:
    assert (
        escape_xml("<a href=\"x\">'&'</a>")
        == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    )
    assert [num(v) for v in (12.0, 12.5, -0.001, 1 / 3, -2.255)] == [
        "12",
        "12.5",
        "0",
        "0.33",
        "-2.25",
    ]


def test_wrap_keeps_lines_within_the_width() -> None:
    lines = wrap("one two three four five six\nseven", width=10 * 0.55 * 10, font_size=10)
    assert lines == ["one two", "three four", "five six", "seven"]
    assert wrap("abcdefghijkl", width=5 * 0.55 * 10, font_size=10) == ["abcde", "fghij", "kl"]


def test_wrap_breaks_long_words_after_their_hyphens() -> None:
    ten_chars = 10 * 0.55 * 10
    assert wrap("Learning-oriented", width=ten_chars, font_size=10) == ["Learning-", "oriented"]
    # Pieces that fit together stay on one line; a word that fits is never split.
    assert wrap("a-b-c-d-e-f-g-h-ij-klm", width=ten_chars, font_size=10) == [
        "a-b-c-d-e-",
        "f-g-h-ij-",
        "klm",
    ]
    assert wrap("co-led team", width=ten_chars, font_size=10) == ["co-led", "team"]
    assert hyphen_pieces("Community-rooted") == ["Community-", "rooted"]
    assert hyphen_pieces("plain") == ["plain"]


def test_document_is_well_formed_and_escaped() -> None:
    svg = Svg(0, 0, 100, 50)
    svg.rect(1, 2, 3, 4, fill="#fff", stroke="#000")
    svg.text(0, 0, ["<script>&"], font_size=10)
    root = ElementTree.fromstring(svg.render())  # noqa: S314 - our own output
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["<script>&"]
    assert root.get("viewBox") == "0 0 100 50"


def test_preview_is_deterministic_and_uses_sticky_colours() -> None:
    plan = compile_plan(find_template("vision-board"), {"participants": ["Ana"]})
    first = render_plan(plan)
    assert render_plan(plan) == first
    ElementTree.fromstring(first)  # noqa: S314 - our own output
    stickies = plan.with_role("word")
    assert first.count(f'fill="{STICKY_FILL["light_yellow"]}"') >= len(stickies)
    assert "Leadership Vision: Leadership team" in first


def _sticky_text(content: str, width: float, height: float) -> tuple[float, int]:
    """The font size and line count a lone sticky's text is drawn with."""
    note = PlanItem(
        key="n", type="sticky_note", x=0, y=0, width=width, height=height, content=content
    )
    plan = Plan(template="t", title="t", version=1, source_hash="", params={}, items=(note,))
    svg = ElementTree.fromstring(render_plan(plan))  # noqa: S314 - our own output
    (text,) = [t for t in svg.iter("{http://www.w3.org/2000/svg}text") if "".join(t.itertext())]
    return float(text.attrib["font-size"]), len(list(text))


def test_sticky_text_fills_the_note_as_miro_sizes_it() -> None:
    # A rating on a small note reads at a glance, not at a ninth of the note's width.
    digit, _ = _sticky_text("3", 100, 100)
    assert digit >= 20
    # A word takes the largest size at which it fits one line.
    word, lines = _sticky_text("Courageous", 200, 228)
    assert lines == 1
    assert 10 * 0.55 * word <= 200 * 0.84
    assert word > 200 / 9
    # A long note shrinks until all its lines fit inside the note.
    sentence = "Teachers lead the professional development days now, every one of them"
    size, lines = _sticky_text(sentence, 100, 100)
    assert lines > 1
    assert lines * 1.4 * size <= 100 * 0.84
    assert size < digit
