"""One entry point for the report: a harvest document written as Markdown or HTML.

The HTML embeds, per board, the picture of the board as the group left it (drawn from
the snapshot the harvest read) and the tally chart; the Markdown carries the same words
without the pictures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from boardsmith.harvest.model import HarvestDocument
from boardsmith.harvest.snapshot import Snapshot
from boardsmith.render.board_svg import render_board
from boardsmith.render.chart import tally_chart_svg
from boardsmith.render.report_blocks import report_blocks
from boardsmith.render.report_html import to_html
from boardsmith.render.report_md import to_markdown

__all__ = ["ReportFormat", "render_report"]

ReportFormat = Literal["md", "html"]


def render_report(
    document: HarvestDocument,
    fmt: ReportFormat,
    *,
    snapshots: Mapping[str, Snapshot] | None = None,
    title: str | None = None,
) -> str:
    """The document's report; ``snapshots`` (by board id) give the HTML its pictures."""
    if fmt == "md":
        return to_markdown(report_blocks(document, title=title))
    pictures = {
        board_id: render_board(snapshot, pixel_width=960)
        for board_id, snapshot in (snapshots or {}).items()
    }
    charts = {
        board.board_id: tally_chart_svg(board.tally, top=board.result.top)
        for board in document.boards
        if board.tally.terms
    }
    return to_html(report_blocks(document, pictures=pictures, charts=charts, title=title))
