"""``watch --web``: the page for the room, in headless Chromium (skips without one,
fails under CI=true; see ``tests/reports/browser.py``), and its app's rules."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import httpx
import pytest

from boardsmith.cli.watch import WatchOutput, run_watch
from boardsmith.harvest.watch import WatchSummary
from boardsmith.render.watch_page import LOOPBACK, WatchHub, create_page_app, serve_page
from tests.conftest import MakeClient
from tests.reports.browser import launched
from tests.watch.test_watch_e2e import PEOPLE, _workshop


@pytest.mark.slow
@pytest.mark.parametrize("anonymise", [False, True], ids=["names", "anonymised"])
async def test_the_page_shows_a_new_sticky_within_one_refresh(
    make_client: MakeClient, tmp_path: Path, anonymise: bool
) -> None:
    w, coach, source, store = await _workshop(make_client, tmp_path)
    hub = WatchHub()
    server = await serve_page(hub, port=0, poll_ms=100)
    assert server.url.startswith(f"http://{LOOPBACK}:")
    go = asyncio.Event()

    async def sleep(seconds: float) -> None:
        await go.wait()
        go.clear()

    watching = asyncio.ensure_future(
        run_watch(
            coach,
            source,
            budget=100_000,
            output=WatchOutput(json_events=True, out=io.StringIO(), page=hub),
            store=store,
            backend="emulator",
            max_refreshes=2,
            sleep=sleep,
            anonymise=anonymise,
            summary=WatchSummary(),
        )
    )
    try:
        async with launched() as chromium:
            page = await chromium.new_page()
            asked: list[str] = []
            page.on("request", lambda request: asked.append(request.url))
            await page.goto(server.url)
            title = page.locator("#people-title")
            await title.filter(has_text="0 of 3 done").wait_for(timeout=20_000)
            for fy, text in zip((0.1, 0.5, 0.9), ("Bold", "Caring", "Curious"), strict=True):
                await w.sticky("Ana", text, *await w.pick_at("Ana", 0.5, fy))
            go.set()  # the second and last refresh: whatever the page shows next is from it
            await title.filter(has_text="1 of 3 done").wait_for(timeout=20_000)
            await watching
            body = await page.inner_text("body")
            html = await page.content()
            size = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            bars = await page.locator("#tally .bar").count()
            await page.close()
    finally:
        watching.cancel()
        await server.stop()
    # Spelled as the participant wrote them (the report's spelling), not the tally's keys.
    assert "Bold" in body
    assert "Caring" in body
    assert "bold" not in body
    assert "prompts still empty" in body
    assert bars == 3
    assert size >= 24  # big type, to be read across the room
    assert "Fay" not in html  # the coach's token ("Fay:1") never reaches the page
    assert all(url.startswith(server.url) for url in asked)
    assert not any("Fay" in url for url in asked)
    if anonymise:
        for name in PEOPLE:
            assert name not in html
        assert "Participant A" in body
    else:
        assert "Ana" in body


async def test_the_app_is_read_only_and_answers_loopback_names_only() -> None:
    app = create_page_app(WatchHub())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert (await client.get("/state.json")).json() == {"refresh": 0, "version": 0}
        assert (await client.post("/state.json")).status_code == 405
        assert (
            await client.get("/state.json", headers={"host": "evil.example"})
        ).status_code == 400
        assert (await client.get("http://localhost/state.json")).status_code == 200
