"""The HTML report of every built-in template, opened in a real headless Chromium.

What a coach does with the file: opens it from disk (offline, so it must fetch
nothing), reads it on a laptop at 100 % and at 200 % zoom (nothing may run off the
side, except a wide table scrolling in its own box), prints it on A4 or Letter, and
finds a flagged row by its words as well as its colour.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

from boardsmith.harvest.model import HarvestDocument
from boardsmith.render.blocks import (
    Entry,
    Figure,
    Heading,
    Items,
    Para,
    Report,
    Table,
)
from boardsmith.render.report import render_report
from boardsmith.render.report_html import STYLE, to_html
from tests.conftest import MakeClient
from tests.reports import browser as browser_mod
from tests.reports.browser import (
    A4_PX,
    MISSING_CHROMIUM,
    OVERFLOW_JS,
    PAPER_MM,
    PX_PER_MM,
    ZOOMED_PX,
    launched,
    require_chromium,
    when_missing,
)
from tests.reports.sessions import SESSIONS
from tests.reports.sessions_new import SESSIONS_NEW

if TYPE_CHECKING:
    from playwright.async_api import Browser, ConsoleMessage, Page, Route


def _print_size(paper: Literal["A4", "Letter"]) -> tuple[int, int]:
    """The paper less the report's own @page margins (width, height), in CSS px."""
    found = re.search(r"@page\s*{[^}]*margin:\s*([\d.]+)mm", STYLE)
    assert found, "the report's style sheet sets @page margins in mm"
    margins = 2 * float(found.group(1))
    width, height = PAPER_MM[paper]
    return int((width - margins) * PX_PER_MM), int((height - margins) * PX_PER_MM)


@dataclass
class Opened:
    """A report open in a page, with everything it asked the network for or complained of."""

    page: Page
    url: str
    out: Path
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    async def check(self, stage: str, found: list[str]) -> None:
        """Keep ``found`` (problems at ``stage``) with a screenshot that shows them."""
        if not found:
            return
        shot = self.out / f"{stage}.png"
        await self.page.screenshot(path=str(shot), full_page=True)
        self.problems += [f"{stage}: {p} (screenshot: {shot})" for p in found]


def _save(html: str, out: Path) -> Path:
    """The report on disk, opened from there as a coach would (and kept for a failure)."""
    out.mkdir(parents=True, exist_ok=True)
    report = out / "report.html"
    report.write_text(html, encoding="utf-8")
    return report


async def _open(chromium: Browser, html: str, out: Path, *, width: int, scale: float) -> Opened:
    report = _save(html, out)
    context = await chromium.new_context(
        viewport={"width": width, "height": round(PAPER_MM["A4"][1] * PX_PER_MM)},
        device_scale_factor=scale,
    )
    page = await context.new_page()
    opened = Opened(page=page, url=report.as_uri(), out=out)

    async def route(r: Route) -> None:
        # Aborted, not fetched: a report that reaches out must fail here, offline.
        if r.request.url == opened.url:
            await r.continue_()
        else:
            await r.abort()

    await page.route("**/*", route)
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            opened.errors.append(f"console error: {message.text}")

    page.on("console", console)
    await page.goto(opened.url, wait_until="load")
    return opened


async def _overflow(page: Page, width: int, *, tables_scroll: bool) -> list[str]:
    seen: dict[str, Any] = await page.evaluate(
        OVERFLOW_JS, {"width": width, "tablesScroll": tables_scroll}
    )
    found = [str(b) for b in seen["bad"]]
    if seen["scrollWidth"] > width:
        found.insert(0, f"page scrolls sideways: {seen['scrollWidth']} px > {width} px")
    return found


async def _headings(page: Page, title: str, expected: list[str]) -> list[str]:
    heads: list[list[Any]] = await page.evaluate(
        "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
        ".map(h => [Number(h.tagName[1]), h.textContent.trim()])"
    )
    found = []
    if [t for level, t in heads if level == 1] != [title]:
        found.append(f"h1 should be only {title!r}; headings are {heads}")
    texts = [t for level, t in heads if level > 1]
    found += [f"no heading {h!r}; headings are {texts}" for h in expected if h not in texts]
    # A screen reader's outline: a level may not be skipped on the way down.
    for (before, a), (level, b) in itertools.pairwise(heads):
        if level > before + 1:
            found.append(f"h{before} {a!r} is followed by h{level} {b!r}")
    return found


async def _accessible(page: Page) -> list[str]:
    found = []
    # Colour is never the only signal: a tinted row also says in words what is wrong.
    rows: list[list[Any]] = await page.evaluate(
        "() => [...document.querySelectorAll('tr.flagged')].map(tr => ["
        "tr.textContent.trim().slice(0, 40), "
        "(tr.querySelector('td.check')?.textContent || '').trim()])"
    )
    found += [f"flagged row {row!r} says nothing in its Check cell" for row, why in rows if not why]
    # A table that scrolls must be reachable by keyboard and say what it holds.
    wraps: list[list[Any]] = await page.evaluate(
        "() => [...document.querySelectorAll('.table-wrap')].map(w => [w.tabIndex, "
        "w.getAttribute('role'), "
        "(document.getElementById(w.getAttribute('aria-labelledby') || '')?.textContent || "
        "w.getAttribute('aria-label') || '').trim()])"
    )
    for i, (tab, role, name) in enumerate(wraps, 1):
        if tab != 0 or role != "region" or not name:
            found.append(f"table {i} is not a named, focusable region (tabindex {tab}, {role})")
    return found


async def _figures(page: Page, height: float) -> list[str]:
    """Each figure's box has its drawing's shape and, at most ``height`` px tall, fits a page."""
    # The box inside the border (clientWidth): an SVG keeps its drawing's shape in any
    # box, so a box of the wrong shape shows as blank bands inside the frame.
    seen: list[list[Any]] = await page.evaluate(
        "() => [...document.querySelectorAll('figure')].map(f => {"
        "const svg = f.querySelector('svg'), vb = svg.viewBox.baseVal;"
        "const box = svg.clientWidth / svg.clientHeight;"
        "return [f.className, f.getBoundingClientRect().height, box,"
        " vb && vb.height ? vb.width / vb.height : box]})"
    )
    found = []
    for kind, tall, box, drawing in seen:
        if tall > height:
            found.append(f"the {kind} figure is {tall:.0f} px tall, more than {height:.0f} px")
        if abs(box / drawing - 1) > 0.01:
            found.append(
                f"the {kind} figure's box is {box:.3f} wide per tall, its drawing {drawing:.3f}"
            )
    return found


def _flagged_rows(document: HarvestDocument) -> int:
    count = 0
    for board in document.boards:
        for s in board.report.sections if board.report else []:
            if s.empty:
                continue
            if s.show == "table" and s.table is not None:
                count += sum(1 for row in s.table.rows if row.missing)
            if s.show == "ratings":
                count += sum(1 for c in s.ratings if c.apart)
    return count


async def _in_print(chromium: Browser, html: str, out: Path) -> list[str]:
    found = []
    for paper in ("A4", "Letter"):
        width = _print_size(paper)[0]
        opened = await _open(chromium, html, out, width=width, scale=1)
        # Print shows every table in full (nothing scrolls on paper), so all must fit.
        await opened.page.emulate_media(media="print")
        fits = await _overflow(opened.page, width, tables_scroll=False)
        fits += await _figures(opened.page, _print_size(paper)[1])
        await opened.check(f"print-{paper}", fits)
        pdf = await opened.page.pdf(format=paper)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        if not pdf.startswith(b"%PDF") or pages < 1:
            found.append(f"print-{paper}: no PDF ({len(pdf)} bytes, {pages} pages)")
        found += opened.problems + opened.errors
        await opened.page.context.close()
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", [*SESSIONS, *SESSIONS_NEW])
async def test_report_in_chromium(name: str, make_client: MakeClient, tmp_path: Path) -> None:
    async with launched() as chromium:
        _, document, results = await {**SESSIONS, **SESSIONS_NEW}[name](make_client, tmp_path)
        html = render_report(
            document, "html", snapshots={r.harvest.board_id: r.snapshot for r in results}
        )
        report = document.boards[0].report
        assert report is not None
        expected = [s.heading for s in report.sections if not s.empty]
        out = tmp_path / "browser"

        screen = await _open(chromium, html, out, width=A4_PX, scale=1)
        page = screen.page
        await screen.check("a4", await _overflow(page, A4_PX, tables_scroll=False))
        await screen.check("headings", await _headings(page, report.title, expected))
        board = page.locator("figure.board svg")
        box = await board.bounding_box() if await board.count() == 1 else None
        if box is None or not await board.is_visible():
            await screen.check("board", ["the picture of the board is missing or hidden"])
        elif box["width"] < A4_PX / 2 or box["height"] < 100:
            await screen.check("board", [f"the picture of the board is only {box}"])
        if await page.get_by_role("img", name="The board as the group left it.").count() != 1:
            await screen.check("board", ["the board's picture is not an image with a name"])
        await screen.check("a11y", await _accessible(page))
        await screen.check("figures", await _figures(page, float("inf")))
        flagged = await page.locator("tr.flagged").count()
        if flagged != _flagged_rows(document):
            await screen.check("flags", [f"{flagged} rows flagged, {_flagged_rows(document)} due"])

        zoomed = await _open(chromium, html, out, width=ZOOMED_PX, scale=2)
        await zoomed.check("zoom-200", await _overflow(zoomed.page, ZOOMED_PX, tables_scroll=True))

        printed = await _in_print(chromium, html, out)

        problems = screen.problems + zoomed.problems + printed + screen.errors + zoomed.errors
        stray = [u for u in screen.requests + zoomed.requests if u != screen.url]
        problems += [f"fetched {u} (the report must be self-contained)" for u in stray]
        assert not problems, f"{name} in Chromium ({out / 'report.html'}):\n" + "\n".join(problems)


# A report written to break the layout: words longer than a column, a table wider
# than a page, markup in the people's own words (escaped, it fetches nothing).
_LONG = "Schulentwicklungsverbundsarbeitsgemeinschaftsprotokollnotiz"
_HOSTILE = Report(
    title=f"{_LONG} <img src='https://example.invalid/t.png'>",
    body=(
        Heading(2, "Plan"),
        Para(f"{_LONG}{_LONG} <script>console.error('ran')</script>"),
        Items((Entry(lines=(_LONG, "https://example.invalid/" + "x" * 120), author="Ana"),)),
        Table(
            headers=tuple(f"Column {_LONG[: 8 + i]}" for i in range(9)),
            rows=(tuple(f"{_LONG} {i}" for i in range(9)), tuple("" for _ in range(9))),
            flags=("", "nothing filled in"),
        ),
        Heading(4, "Deeper than the outline allows"),
        Figure(
            "board",
            "The board as the group left it.",
            '<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="300" '
            'viewBox="0 0 4000 300"><rect width="4000" height="300" fill="#eee"/></svg>',
        ),
    ),
    footer=(f"board {_LONG}{_LONG}",),
)


@pytest.mark.slow
async def test_a_report_built_to_overflow_still_fits(tmp_path: Path) -> None:
    async with launched() as chromium:
        html = to_html(_HOSTILE)
        out = tmp_path / "browser"
        screen = await _open(chromium, html, out, width=A4_PX, scale=1)
        await screen.check("a4", await _overflow(screen.page, A4_PX, tables_scroll=True))
        await screen.check("a11y", await _accessible(screen.page))
        await screen.check("headings", await _headings(screen.page, _HOSTILE.title, ["Plan"]))
        zoomed = await _open(chromium, html, out, width=ZOOMED_PX, scale=2)
        await zoomed.check("zoom-200", await _overflow(zoomed.page, ZOOMED_PX, tables_scroll=True))
        printed = await _in_print(chromium, html, out)
        problems = screen.problems + zoomed.problems + printed + screen.errors + zoomed.errors
        stray = [u for u in screen.requests + zoomed.requests if u != screen.url]
        problems += [f"fetched {u}" for u in stray]
        assert not problems, f"in Chromium ({out / 'report.html'}):\n" + "\n".join(problems)


@pytest.mark.slow
async def test_the_checks_see_what_a_broken_report_does(tmp_path: Path) -> None:
    """The checks above are not vacuous: a fetch, an error and a wide line are all seen."""
    html = (
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        "<h1>t</h1><h3>skipped a level</h3>"
        '<img src="https://example.invalid/x.png" alt=""><img src="local.png" alt="">'
        "<script>console.error('from the page'); undefined_name();</script>"
        f'<p style="white-space: nowrap">{_LONG * 3}</p>'
        '<table><tr class="flagged"><td class="check"></td></tr></table>'
        "</body></html>"
    )
    async with launched() as chromium:
        opened = await _open(chromium, html, tmp_path / "browser", width=A4_PX, scale=1)
        overflow = await _overflow(opened.page, A4_PX, tables_scroll=False)
        headings = await _headings(opened.page, "t", ["Plan"])
        flags = await _accessible(opened.page)
        await opened.check("broken", overflow)
    assert sorted(opened.requests) == sorted(
        [opened.url, "https://example.invalid/x.png", (tmp_path / "browser/local.png").as_uri()]
    )
    assert any("from the page" in e for e in opened.errors)
    assert any("undefined_name" in e for e in opened.errors)
    assert overflow[0].startswith("page scrolls sideways")
    assert any("p holds" in o for o in overflow)
    assert headings == [
        "no heading 'Plan'; headings are ['skipped a level']",
        "h1 't' is followed by h3 'skipped a level'",
    ]
    assert flags == ["flagged row '' says nothing in its Check cell"]
    assert (tmp_path / "browser" / "broken.png").stat().st_size > 0
    assert str(tmp_path / "browser" / "broken.png") in opened.problems[0]


@pytest.mark.parametrize(
    ("ci", "outcome"), [(None, "skip"), ("", "skip"), ("false", "skip"), ("true", "fail")]
)
def test_a_missing_browser_skips_here_and_fails_under_ci(
    ci: str | None, outcome: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = {} if ci is None else {"CI": ci}
    monkeypatch.setattr(browser_mod, "DEBIAN_CHROMIUM", tmp_path / "no-chromium")
    assert when_missing(env) == outcome
    expected = pytest.fail.Exception if outcome == "fail" else pytest.skip.Exception
    with pytest.raises(expected, match="apt-get install chromium"):
        require_chromium(env, which=lambda _: None)


def test_the_browser_is_found_on_path_or_where_debian_puts_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert require_chromium({"CI": "true"}, which=lambda _: "/opt/bin/chromium") == (
        "/opt/bin/chromium"
    )
    debian = tmp_path / "chromium"
    debian.write_text("")
    monkeypatch.setattr(browser_mod, "DEBIAN_CHROMIUM", debian)
    assert require_chromium({"CI": "true"}, which=lambda _: None) == str(debian)
    assert "Debian/Ubuntu" in MISSING_CHROMIUM
