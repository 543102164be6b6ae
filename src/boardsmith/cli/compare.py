"""``boardsmith compare OLD NEW``: what changed between two boards."""

from __future__ import annotations

from boardsmith.cli.app import app
from boardsmith.cli.options import CompareFormatOpt, JsonOpt, NewBoard, OldBoard, OutOpt
from boardsmith.errors import UsageError

COMPARE_FORMATS = ("md", "json", "html")


@app.command(
    "compare",
    epilog=(
        "\b\nExamples:\n"
        "  boardsmith compare LAST_YEAR THIS_YEAR                 Markdown, to paste\n"
        "  boardsmith compare LAST_YEAR THIS_YEAR --format html --out changes.html\n"
        "  boardsmith compare PURPOSE_MAP TIMELINE --json"
    ),
)
def compare_command(
    old: OldBoard,
    new: NewBoard,
    fmt: CompareFormatOpt = "md",
    out: OutOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Compare two boards of one template (or where one starts from the other): the
    adjectives kept, new and dropped, the statements with their changed words, the
    condition ratings then and now, and the action plans."""
    import asyncio

    from boardsmith.cli.harvest import _check_format, _json_format, _write, harvest_for
    from boardsmith.harvest.compare import compare
    from boardsmith.harvest.rollup import board_labels

    fmt = _json_format(_check_format(fmt, COMPARE_FORMATS), json_out, text="md")
    if old == new:
        raise UsageError(f"NEW {new}: the same board as OLD; give two different boards")
    document, _ = asyncio.run(harvest_for([old, new]))
    before, after = document.boards
    labels = board_labels([before, after])
    record = compare(before, after, old_label=labels[0], new_label=labels[1])
    if fmt == "json":
        text = record.to_json()
    else:
        from boardsmith.render.compare_blocks import compare_blocks
        from boardsmith.render.report_html import to_html
        from boardsmith.render.report_md import to_markdown

        report = compare_blocks(record)
        text = to_markdown(report) if fmt == "md" else to_html(report)
    _write(text, out)
