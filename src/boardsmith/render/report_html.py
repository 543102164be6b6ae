"""The report as one self-contained HTML file a coach can open, send and print.

Everything is inline: the style sheet, the tally chart and the picture of the board
(SVG), so the file fetches nothing and shows the same offline. The layout is a single
readable column that reflows at any zoom, prints on A4 and Letter, and never uses
colour as the only signal: a flagged row also says why in words.
"""

from __future__ import annotations

import re
from html import escape

from boardsmith.render.blocks import (
    Block,
    Changes,
    Entry,
    Figure,
    Heading,
    Items,
    Para,
    Report,
    Table,
)

__all__ = ["STYLE", "to_html"]

STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #c9ccd1; --flag: #8a1c00; }
* { box-sizing: border-box; }
html { font-size: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); line-height: 1.5; margin: 0 auto; padding: 1.5rem; max-width: 48rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--rule);
  padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; }
h4, h5 { font-size: 1rem; margin: 1rem 0 .3rem; }
/* A word longer than the column (a long name, a pasted link) wraps instead of pushing
   the page sideways at 200 % zoom. */
h1, h2, h3, h4, h5, p, li, figcaption { overflow-wrap: anywhere; }
.aside { color: var(--muted); font-style: italic; }
.flag { border-left: .3rem solid var(--flag); padding: .2rem .6rem; }
.flag strong { color: var(--flag); }
.by { color: var(--muted); }
ol, ul { padding-left: 1.6rem; }
li { margin: .2rem 0; }
.table-wrap { overflow-x: auto; }
.table-wrap:focus-visible { outline: 2px solid #1f5fbf; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .95rem; }
th, td { border: 1px solid var(--rule); padding: .35rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f1f3f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.flagged td { background: #fff4e5; }
td.check { font-weight: 600; color: var(--flag); }
figure { margin: 1rem 0; }
ins { text-decoration: underline; font-weight: 600; }
del { text-decoration: line-through; color: var(--muted); }
.changes ins::before { content: "+"; }
.changes del::before { content: "\\2212"; }
figure svg { display: block; width: 100%; height: auto; max-width: 100%;
  border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: .9rem; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--rule); padding-top: .6rem;
  color: var(--muted); font-size: .85rem; }
@page { size: auto; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2, h3, h4 { break-after: avoid; }
  table, figure, li { break-inside: avoid; }
  /* Paper cannot scroll: a wide table shows in full, so its words must wrap to fit. */
  .table-wrap { overflow: visible; }
  th, td { overflow-wrap: anywhere; }
  /* A tall board drawn full width runs past the page and splits; whole and smaller. */
  figure svg { width: auto; max-height: 190mm; margin: 0 auto; }
  tr.flagged td { background: none; }
}
"""


def _value(number: int | None) -> str:
    """An ``<li>``'s own number, when a person wrote one."""
    return f' value="{number}"' if number is not None else ""


def _entry(entry: Entry) -> str:
    value = _value(entry.number)
    if len(entry.lines) > 1:
        # A sticky that is itself a list: its lines as a list under its author.
        numbered, items = entry.sub_items()
        tag = "ol" if numbered else "ul"
        inner = "".join(
            f"<li{f' value={chr(34)}{n}{chr(34)}' if n is not None else ''}>{escape(text)}</li>"
            for n, text in items
        )
        head = f"{escape(entry.author)}:" if entry.author else "On one sticky:"
        return f"<li{value}>{head}<{tag}>{inner}</{tag}></li>"
    first = escape(entry.lines[0])
    if entry.strong:
        first = f"<strong>{first}</strong>"
    by = f' <span class="by">({escape(entry.author)})</span>' if entry.author else ""
    return f"<li{value}>{first}{by}</li>"


def _table(table: Table, label: str) -> str:
    flagged = any(table.flags)

    def cls(i: int) -> str:
        return ' class="num"' if i < len(table.numeric) and table.numeric[i] else ""

    head = "".join(f'<th scope="col"{cls(i)}>{escape(h)}</th>' for i, h in enumerate(table.headers))
    if flagged:
        head += '<th scope="col">Check</th>'
    rows = []
    for r, row in enumerate(table.rows):
        flag = table.flags[r] if r < len(table.flags) else ""
        cells = "".join(
            f"<td{cls(i)}>{escape(c).replace(chr(10), '<br>')}</td>" for i, c in enumerate(row)
        )
        if flagged:
            cells += f'<td class="check">{escape(flag)}</td>'
        row_cls = ' class="flagged"' if flag else ""
        rows.append(f"<tr{row_cls}>{cells}</tr>")
    return (
        f'<div class="table-wrap" role="region" tabindex="0" {label}>'
        f"<table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _block(block: Block) -> str:
    if isinstance(block, Para):
        if block.tone == "flag":
            return f'<p class="flag"><strong>Note:</strong> {escape(block.text)}</p>'
        cls = ' class="aside"' if block.tone == "aside" else ""
        return f"<p{cls}>{escape(block.text)}</p>"
    if isinstance(block, Items):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(_entry(e) for e in block.entries) + f"</{tag}>"
    if isinstance(block, Changes):
        tags = {"same": "{}", "added": "<ins>{}</ins>", "removed": "<del>{}</del>"}
        words = " ".join(tags[kind].format(escape(text)) for kind, text in block.words)
        return f'<p class="changes">{words}</p>'
    if isinstance(block, Figure):
        return (
            f'<figure class="{block.kind}" role="img" aria-label="{escape(block.caption)}">'
            f"{block.svg}<figcaption>{escape(block.caption)}</figcaption></figure>"
        )
    raise AssertionError(block)  # pragma: no cover


class _Outline:
    """Headings as a screen reader walks them, and the name each table takes from one."""

    def __init__(self) -> None:
        self.level = 1  # the title's <h1>
        self.ids: set[str] = set()
        self.last: str | None = None

    def heading(self, block: Heading) -> str:
        # A level may not be skipped on the way down (h2 then h4 loses the reader);
        # deeper blocks are shown one level below the heading they follow.
        level = max(2, min(block.level, self.level + 1, 5))
        self.level = level
        slug = re.sub(r"\W+", "-", block.text.lower()).strip("-") or "section"
        anchor, n = slug, 1
        while anchor in self.ids:
            n += 1
            anchor = f"{slug}-{n}"
        self.ids.add(anchor)
        self.last = anchor
        return f'<h{level} id="{anchor}">{escape(block.text)}</h{level}>'

    def table(self, block: Table) -> str:
        # A table that scrolls sideways (at high zoom) must be reachable by keyboard,
        # so its box is a focusable region, named by the heading it sits under.
        label = f'aria-labelledby="{self.last}"' if self.last else 'aria-label="Table"'
        return _table(block, label)


def to_html(report: Report) -> str:
    """The report as one HTML document: inline CSS and SVG, nothing fetched."""
    outline = _Outline()
    parts = []
    for b in report.body:
        if isinstance(b, Heading):
            parts.append(outline.heading(b))
        elif isinstance(b, Table):
            parts.append(outline.table(b))
        else:
            parts.append(_block(b))
    body = "\n".join(parts)
    footer = "".join(f"<p>{escape(line)}</p>" for line in report.footer)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<main>\n<h1>{escape(report.title)}</h1>\n{body}\n</main>\n"
        f"<footer>{footer}</footer>\n</body>\n</html>\n"
    )
