"""One HTML-to-text function for the three places that read Miro content.

Until issue 19 there were three: ``boards.requests.normalise_text`` (for
comparisons and ``text_hash``), ``harvest.text.clean`` (what a person sees on a
sticky) and ``templates.escape.unescape_text`` (the compiler's inverse, for
``PlanItem.plain_text``). Their frozen copies below (``_legacy_*``) document how
they differed; the table says, per difference, what the one function does now.
The last tests prove that nothing boardsmith already compiled or stored changes:
on every built-in template the new function gives the legacy answers, and the
hashes that identify items already on boards keep their values.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest

from boardsmith.boards.requests import form_hash, item_text, normalise_text, sent_hash, text_hash
from boardsmith.harvest.text import clean
from boardsmith.templates import Plan, builtin_templates, compile_plan, unescape_text
from boardsmith.templates.escape import html_to_text
from tests.templates.helpers import compile_text

# --- the three implementations as they were (commit c4ca025) -------------------------

_B_TAG = re.compile(r"<[^>]*>")
_B_BLOCK_END = re.compile(r"</(p|div|li)>|<br\s*/?>", re.IGNORECASE)
_B_SPACE = re.compile(r"\s+")


def _legacy_normalise_text(content: str | None) -> str:
    if not content:
        return ""
    text = _B_BLOCK_END.sub(" ", content)
    text = html.unescape(_B_TAG.sub("", text))
    return _B_SPACE.sub(" ", text).strip()


_H_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|p|div|li)\b[^>]*>", re.IGNORECASE)
_H_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _legacy_clean(content: str) -> str:
    text = _H_BLOCK.sub("\n", content)
    text = html.unescape(_B_TAG.sub("", text))
    lines = (_H_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


_T_PARAGRAPH = re.compile(r"</p>\s*<p>|<br\s*/?>")
_T_TAGS = re.compile(r"</?p>")


def _legacy_unescape_text(content: str) -> str:
    return html.unescape(_T_TAGS.sub("", _T_PARAGRAPH.sub("\n", content)))


# --- the differences, and what the one function does -------------------------------
#
# Columns: content; then the answer of each mode: "exact" (PlanItem.plain_text,
# was unescape_text), "lines" (harvest, was clean), "flat" (comparisons and
# text_hash, was normalise_text). A trailing comment names the legacy answer
# where it differed, and why the new one is right.

CASES: list[tuple[str, str | None, str, str, str]] = [
    ("none", None, "", "", ""),
    ("empty", "", "", "", ""),
    ("plain", "Inclusive", "Inclusive", "Inclusive", "Inclusive"),
    # Entities are undone once, after the tags are gone: escaped markup stays text.
    ("entities", "a &amp; b &lt;i&gt;", "a & b <i>", "a & b <i>", "a & b <i>"),
    ("double-escaped", "&amp;lt;", "&lt;", "&lt;", "&lt;"),
    # &nbsp; is a space to a reader; exact keeps the character (the compiler's inverse).
    ("nbsp", "a&nbsp;b", "a\u00a0b", "a b", "a b"),
    # <br> is a line break in every mode (flat joins lines with a space).
    ("br", "a<br>b<br/>c<br />d", "a\nb\nc\nd", "a\nb\nc\nd", "a b c d"),
    # Legacy flat glued "a<BR class=x>b" into "ab" and exact kept the tag verbatim.
    ("br-attrs-case", "a<BR class='x'>b", "a\nb", "a\nb", "a b"),
    # The compiler's paragraphs: one line each, empty lines kept by exact only.
    ("paragraphs", "<p>one</p><p>two</p>", "one\ntwo", "one\ntwo", "one two"),
    ("empty-paragraph", "<p>a</p><p></p><p>b</p>", "a\n\nb", "a\nb", "a b"),
    ("paragraph-gap", "<p>a</p>\n <p>b</p>", "a\nb", "a\nb", "a b"),
    # Legacy flat glued "x<p>y" into "xy", and exact too: an opening block starts a line.
    ("opening-p", "x<p>y</p>", "x\ny", "x\ny", "x y"),
    # div/li are blocks like p (legacy exact kept them as text).
    ("div-li", "<div>a</div><ul><li>b</li><li>c</li></ul>", "a\nb\nc", "a\nb\nc", "a b c"),
    # Inline tags vanish without a space (legacy exact kept them as text).
    (
        "nested",
        "<p><strong>Bo<em>ld</em></strong>&nbsp;&amp; brave</p>",
        "Bold\u00a0& brave",
        "Bold & brave",
        "Bold & brave",
    ),
    # Whitespace: exact keeps it (it is the template's text); lines/flat collapse it.
    ("spaces", "  lots   of\tspace ", "  lots   of\tspace ", "lots of space", "lots of space"),
    ("raw-newlines", "a\r\nb\n\nc", "a\r\nb\n\nc", "a\nb\nc", "a b c"),
    # A zero-width space separates words for lines (as clean did); legacy flat kept it.
    ("zero-width-space", "a\u200bb", "a\u200bb", "a b", "a b"),
    ("space-run", "a \u200b\u00a0 b", "a \u200b\u00a0 b", "a b", "a b"),
    # Other Unicode whitespace is a space (legacy lines kept U+2028 inside the line).
    ("line-separator", "a\u2028b", "a\u2028b", "a b", "a b"),
]


@pytest.mark.parametrize(
    ("content", "exact", "lines", "flat"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_html_to_text_modes(content: str | None, exact: str, lines: str, flat: str) -> None:
    assert html_to_text(content, spacing="exact") == exact
    assert html_to_text(content) == lines
    assert html_to_text(content, spacing="flat") == flat


@pytest.mark.parametrize(
    ("content", "exact", "lines", "flat"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_three_callers_use_it(content: str | None, exact: str, lines: str, flat: str) -> None:
    assert unescape_text(content or "") == exact
    assert clean(content or "") == lines
    assert normalise_text(content) == flat


#: Where the legacy functions answered otherwise, by case id (all deliberate, see CASES).
CHANGED = {
    "exact": {"br-attrs-case", "opening-p", "div-li", "nested"},
    "lines": {"line-separator"},
    "flat": {"br-attrs-case", "opening-p", "zero-width-space", "space-run"},
}


def test_the_changes_from_the_legacy_functions_are_the_listed_ones() -> None:
    changed: dict[str, set[str]] = {"exact": set(), "lines": set(), "flat": set()}
    for name, content, exact, lines, flat in CASES:
        if _legacy_unescape_text(content or "") != exact:
            changed["exact"].add(name)
        if _legacy_clean(content or "") != lines:
            changed["lines"].add(name)
        if _legacy_normalise_text(content) != flat:
            changed["flat"].add(name)
    assert changed == CHANGED


# --- nothing compiled or stored changes ----------------------------------------------

#: A template whose texts hold what the compiler escapes and wraps: markup-like
#: names, entities, double spaces, empty and indented lines.
TRICKY = """\
name: tricky
title: "Tricky: {team}"
description: Texts that exercise escaping and paragraphs.
version: 1
parameters:
  team: {type: str, default: "A  &  <B>"}
  people: {type: "list[str]", default: ["<b>Ana</b>", "Ben & Cy", "  Dee  "]}
elements:
  - frame:
      key: board
      title: "Board of {team}"
      children:
        - text:
            key: title
            content: "Hello {team}\\n\\n  second line  \\nthird &nbsp;"
        - repeat:
            for_each: people
            as: person
            body:
              sticky: {key: "s-{person}", content: "{person}\\n{person}"}
"""


def _plans(tmp_path: Path) -> list[Plan]:
    return [compile_plan(t) for t in builtin_templates()] + [compile_text(tmp_path, TRICKY)]


def test_compiled_content_reads_as_before(tmp_path: Path) -> None:
    for plan in _plans(tmp_path):
        for item in plan.items:
            assert item.plain_text == _legacy_unescape_text(item.content), item.key
            assert normalise_text(item.content) == _legacy_normalise_text(item.content), item.key
            assert clean(item.content) == _legacy_clean(item.content), item.key


def _digest(plan: Plan) -> str:
    h = hashlib.sha256()
    for i in plan.items:
        h.update(f"{i.key}|{sent_hash(i)}|{form_hash(i)}|{text_hash(item_text(i))}\n".encode())
    return h.hexdigest()[:16]


#: Per template, a digest of every item's sent_hash, form_hash and text_hash as
#: computed before issue 19 (states of existing boards hold these values: if they
#: changed, re-running ``create`` would see every item as edited).
HASHES = {
    "action-timeline": "387a778abc58e061",
    "barrier-analysis": "1bb95f2cc7f204c7",
    "collaborative-planning-vision": "17cf75d8782326ce",
    "conditions-self-assessment": "ab75a13610bfba61",
    "future-ready": "da31ee32a2a789da",
    "leadership-vision": "dc9d144d15ee9042",
    "living-vision": "c2b4ea13c69aa7ea",
    "purpose-map": "98e4f6a54de0d4f3",
    "see-hear-feel": "6bc8823c2e76f959",
    "tricky": "16eee468cfcbf5fd",
}


def test_hashes_of_existing_items_keep_their_values(tmp_path: Path) -> None:
    assert {plan.template: _digest(plan) for plan in _plans(tmp_path)} == HASHES
