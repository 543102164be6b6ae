"""The report as Markdown that pastes cleanly into an email or a document.

Only what every Markdown reader shows the same way: headings, paragraphs, numbered
and bulleted lists, pipe tables and emphasis. Pictures are the HTML report's; the
Markdown says where to find them. Text people wrote is escaped, never interpreted.
"""

from __future__ import annotations

import re

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

__all__ = ["to_markdown"]

# Characters that would start Markdown syntax inside a sentence people wrote.
# An underscore inside a word ("student_centred") is never emphasis, so it stays bare.
_SPECIAL = re.compile(r"([\\`*\[\]<>|]|(?<!\w)_|_(?!\w))")
_LINE_START = re.compile(r"^(\s*)([-+#]|\d+[.)])(\s)")


def escape_md(text: str) -> str:
    """Text shown as typed: no emphasis, links, tables or lists made from it."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m[1]}{m[2][:-1]}\\{m[2][-1]}{m[3]}", text)


def _entry(entry: Entry, marker: str) -> list[str]:
    first = escape_md(entry.lines[0])
    if entry.strong:
        first = f"**{first}**"
    by = f" ({escape_md(entry.author)})" if entry.author else ""
    if len(entry.lines) == 1:
        return [f"{marker} {first}{by}"]
    # A sticky that is itself a list: its lines as a list under its author, numbers kept.
    pad = " " * (len(marker) + 1)
    head = f"{marker} {escape_md(entry.author)}:" if entry.author else f"{marker} On one sticky:"
    return [head] + [pad + line for line in _sublist(entry)]


def _sublist(entry: Entry) -> list[str]:
    numbered, items = entry.sub_items()
    if numbered:
        return [f"{n}. {escape_md(text)}" for n, text in items]
    return [f"- {escape_md(text)}" for _, text in items]


def _table(table: Table) -> list[str]:
    headers = list(table.headers)
    flagged = any(table.flags)
    if flagged:
        headers.append(table.flag_header)
    out = ["| " + " | ".join(escape_md(h) for h in headers) + " |"]
    out.append(
        "|"
        + "|".join(
            "---:" if i < len(table.numeric) and table.numeric[i] else "---"
            for i in range(len(headers))
        )
        + "|"
    )
    for i, row in enumerate(table.rows):
        cells = [escape_md(c).replace("\n", " / ") for c in row]
        if flagged:
            flag = table.flags[i] if i < len(table.flags) else ""
            cells.append(f"**{escape_md(flag)}**" if flag else "")
        out.append("| " + " | ".join(cells) + " |")
    return out


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * block.level + " " + escape_md(block.text)]
    if isinstance(block, Para):
        text = escape_md(block.text)
        if block.tone == "aside":
            return [f"_{text}_"]
        if block.tone == "flag":
            return [f"**Note:** {text}"]
        return [text]
    if isinstance(block, Items):
        lines: list[str] = []
        for n, entry in enumerate(block.entries, 1):
            lines += _entry(entry, f"{entry.number or n}." if block.ordered else "-")
        return lines
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return []
    if isinstance(block, Changes):
        marks = {"same": "{}", "added": "**{}**", "removed": "~~{}~~"}
        return [" ".join(marks[kind].format(escape_md(text)) for kind, text in block.words)]
    raise AssertionError(block)  # pragma: no cover


def to_markdown(report: Report) -> str:
    """The report as one Markdown document, ending with its footer."""
    parts = [[f"# {escape_md(report.title)}"]]
    parts += [lines for lines in (_block(b) for b in report.body) if lines]
    if report.footer:
        parts.append(["---"])
        parts.append([escape_md(line) + "  " for line in report.footer])
    text = "\n\n".join("\n".join(p) for p in parts)
    return text.rstrip() + "\n"
