"""Headless Chromium for the HTML report, with the policy for when there is none.

Playwright drives the Chromium the system package manager installed (Debian's
``chromium``): CI reaches package registries only, so a browser download at run time
(``playwright install``) would fail there, and locally it would test a browser no
coach uses. Where Chromium is missing the browser tests skip, saying how to install
it; under CI a skip would let the report's layout go untested, so it fails instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser

#: Where Debian's package puts it, for a PATH that lacks /usr/bin (some CI shells).
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

MISSING_CHROMIUM = (
    "the HTML report's browser tests need Chromium: install it with "
    "`apt-get install chromium` on Debian/Ubuntu (Playwright drives that one and "
    "downloads no browser of its own)"
)
MISSING_PLAYWRIGHT = "the HTML report's browser tests need Playwright: `pip install -e '.[test]'`"


def find_chromium(which: Callable[[str], str | None] = shutil.which) -> str | None:
    """The system Chromium's path, or None."""
    found = which("chromium")
    if found:
        return found
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.is_file() else None


def when_missing(env: Mapping[str, str] = os.environ) -> Literal["skip", "fail"]:
    """What a test does without a browser: skip on a laptop, fail under CI."""
    return "fail" if env.get("CI", "").strip().lower() in ("true", "1", "yes") else "skip"


def require_chromium(
    env: Mapping[str, str] = os.environ, which: Callable[[str], str | None] = shutil.which
) -> str:
    """The Chromium to launch; skips or fails the calling test (see :func:`when_missing`)."""
    path = find_chromium(which)
    if path is not None:
        return path
    if when_missing(env) == "fail":
        pytest.fail(MISSING_CHROMIUM + " (CI=true: a missing browser is a failure)")
    pytest.skip(MISSING_CHROMIUM)


@asynccontextmanager
async def launched() -> AsyncIterator[Browser]:
    """A headless system Chromium, or the skip/fail of :func:`require_chromium`."""
    executable = require_chromium()
    try:
        from playwright.async_api import async_playwright
    except ImportError:  # pragma: no cover - playwright is in the [test] extra
        if when_missing() == "fail":
            pytest.fail(MISSING_PLAYWRIGHT)
        pytest.skip(MISSING_PLAYWRIGHT)
    async with async_playwright() as pw:
        # --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
        chromium = await pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            await chromium.close()


#: 96 CSS px per inch, 25.4 mm per inch.
PX_PER_MM = 96 / 25.4
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: A4's width on screen at 100 % (the width the report is designed for), and at 200 % zoom.
A4_PX = round(PAPER_MM["A4"][0] * PX_PER_MM)
ZOOMED_PX = A4_PX // 2

# Every element, outside an SVG's drawing (clipped by its <svg>) and, when tables may
# scroll, outside a .table-wrap, must lie within [0, width] and hold its content; a
# list of those that do not.
OVERFLOW_JS = """
({width, tablesScroll}) => {
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const svg = el.closest('svg');
    if (svg && svg !== el) continue;
    if (tablesScroll && el.parentElement && el.parentElement.closest('.table-wrap')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className ? '.' + el.className : '');
    const text = (el.textContent || '').trim().slice(0, 40);
    if (r.left < -0.5 || r.right > width + 0.5) {
      bad.push(`${name} spans ${Math.round(r.left)}..${Math.round(r.right)} px: ${text}`);
    } else if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
               && getComputedStyle(el).overflowX === 'visible') {
      // The box fits but its words run out of it (a long word that cannot wrap).
      bad.push(`${name} holds ${el.scrollWidth} px in ${el.clientWidth} px: ${text}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, bad: bad.slice(0, 10)};
}
"""
