"""The page of ``boardsmith watch --web``: the live view, big, for projecting to the room.

A small read-only starlette app served on loopback only (``127.0.0.1``; requests for
any other host name are refused, so a web page elsewhere cannot read it through DNS
rebinding). It has four GET routes: the page, its script and stylesheet, and
``state.json``, the current view, which the page polls. The view is built from a
:class:`~boardsmith.harvest.watch.WatchView` alone: no token, no API URL, no
credential ever reaches it. Board text is put into the page with ``textContent`` only,
and a Content-Security-Policy allows nothing but the page's own files.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from boardsmith.harvest.watch import WatchView

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["LOOPBACK", "PageServer", "WatchHub", "create_page_app", "page_payload", "serve_page"]

LOOPBACK = "127.0.0.1"
_HOSTS = ["127.0.0.1", "localhost"]
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def page_payload(view: WatchView) -> dict[str, Any]:
    """What ``state.json`` serves: the view as plain data (names as shown: with
    ``--anonymise`` they are already pseudonyms)."""
    state = view.state
    most = max((t.picks for t in state.terms), default=0)
    return {
        "board": state.board_name or state.board_id,
        "refresh": view.refresh,
        "elapsed": round(view.elapsed, 1),
        "interval": view.interval.seconds,
        "stale": view.stale,
        "stale_for": None if view.stale_for is None else round(view.stale_for, 1),
        "error": view.error,
        "picks_range": state.picks_range,
        "done": state.done,
        "participants": [
            {"name": p.name, "picks": len(p.picks), "status": p.status, "why": p.why}
            for p in state.participants
        ],
        "terms": [
            {
                "term": t.term,
                "picks": t.picks,
                "dots": t.dots,
                "top": t.term in state.top,
                "tie": t.term in state.ties_at_cutoff,
            }
            for t in state.terms[:15]
        ],
        "most": most,
        "cutoff": state.cutoff,
        "ties": list(state.ties_at_cutoff),
        "runoff": state.runoff,
        "slots": len(state.slots),
        "filled": state.filled,
        "empty_prompts": list(state.empty_prompts),
    }


@dataclass
class WatchHub:
    """The latest view, handed from the watch loop to the page."""

    payload: dict[str, Any] = field(default_factory=lambda: {"refresh": 0})
    version: int = 0

    def publish(self, view: WatchView) -> None:
        """Show ``view`` on the page from its next poll on."""
        self.payload = page_payload(view)
        self.version += 1


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>boardsmith watch</title>
<link rel="stylesheet" href="page.css">
<script src="page.js" defer></script>
</head>
<body data-poll="{poll}">
<header><h1 id="board">boardsmith watch</h1><p id="status" role="status">waiting for the
first refresh</p></header>
<main>
<section><h2 id="people-title">Participants</h2><ul id="people"></ul></section>
<section><h2 id="tally-title">Tally</h2><ol id="tally"></ol><p id="tie"></p><p id="runoff"></p>
<p id="slots"></p><p id="prompts"></p></section>
</main>
</body>
</html>
"""

_CSS = """
:root { color-scheme: light; font-family: system-ui, sans-serif; }
body { margin: 0 2vw; font-size: 28px; line-height: 1.3; background: #fff; color: #111; }
h1 { font-size: 48px; margin: 16px 0 4px; }
h2 { font-size: 34px; margin: 16px 0 8px; }
#status { color: #555; margin: 0; }
#status.stale { color: #b00020; font-weight: bold; }
main { display: flex; flex-wrap: wrap; gap: 4vw; }
section { flex: 1 1 420px; min-width: 0; }
ul, ol { list-style: none; padding: 0; margin: 0; }
#people li { display: flex; justify-content: space-between; gap: 16px; padding: 6px 0;
  border-bottom: 1px solid #ddd; }
#people li.done { color: #0a6b2b; font-weight: bold; }
#people li.not-started { color: #777; }
#tally li { display: grid; grid-template-columns: minmax(0, 12em) 1fr 3em; gap: 12px;
  align-items: center; padding: 4px 0; }
#tally .term { overflow-wrap: anywhere; }
#tally .bar { height: 28px; background: #8ab4f8; min-width: 4px; }
#tally li.top .bar { background: #1a73e8; }
#tally li.tie .bar { background: #f29900; }
#tally li.top .term { font-weight: bold; }
#tie { color: #b06000; font-weight: bold; }
"""

_JS = """
'use strict';
const poll = Number(document.body.dataset.poll) || 1000;
let shown = -1;
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}
const words = {'not-started': 'not started', picking: 'still picking', done: 'done',
  'too-many': 'too many'};
function draw(s) {
  document.getElementById('board').textContent = s.board;
  const status = document.getElementById('status');
  if (s.stale) {
    status.className = 'stale';
    status.textContent = `STALE: this view is ${Math.round(s.stale_for)} s old (${s.error})`;
  } else {
    status.className = '';
    status.textContent = `refresh ${s.refresh}, every ${s.interval} s`;
  }
  const range = s.picks_range ? ` (picks ${s.picks_range})` : '';
  document.getElementById('people-title').textContent =
    `Participants: ${s.done} of ${s.participants.length} done${range}`;
  const people = document.getElementById('people');
  people.replaceChildren(...s.participants.map(p => {
    const li = el('li', p.status);
    li.append(el('span', 'name', p.name),
      el('span', 'state', `${p.picks} · ${words[p.status]}${p.why ? ' · why' : ''}`));
    return li;
  }));
  document.getElementById('tally-title').textContent = `Tally (top ${s.cutoff})`;
  const tally = document.getElementById('tally');
  tally.replaceChildren(...s.terms.map(t => {
    const li = el('li', t.tie ? 'tie' : (t.top ? 'top' : ''));
    const bar = el('span', 'bar');
    bar.style.width = `${s.most ? (100 * t.picks / s.most) : 0}%`;
    const track = el('span', 'track');
    track.append(bar);
    li.append(el('span', 'term', t.term), track, el('span', 'count', String(t.picks)));
    return li;
  }));
  if (!s.terms.length) tally.append(el('li', 'none', 'no adjectives picked yet'));
  document.getElementById('tie').textContent =
    s.ties.length ? `tie at the cut-off: ${s.ties.join(', ')}` : '';
  document.getElementById('runoff').textContent = s.runoff || '';
  document.getElementById('slots').textContent =
    s.slots ? `top slots: ${s.filled} of ${s.slots} filled` : '';
  document.getElementById('prompts').textContent =
    s.empty_prompts.length ? `prompts still empty: ${s.empty_prompts.join(', ')}` : '';
}
async function tick() {
  try {
    const answer = await fetch('state.json', {cache: 'no-store'});
    if (answer.ok) {
      const s = await answer.json();
      if (s.refresh > 0 && s.version !== shown) { shown = s.version; draw(s); }
    }
  } catch (e) { /* the watch ended or restarts: keep the last view */ }
  setTimeout(tick, poll);
}
tick();
"""


def create_page_app(hub: WatchHub, *, poll_ms: int = 1000) -> Starlette:
    """The read-only page app; it polls ``state.json`` every ``poll_ms``."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    headers = {
        "Content-Security-Policy": _CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }

    async def page(request: Request) -> Response:
        return Response(
            _PAGE.replace("{poll}", str(poll_ms)), media_type="text/html", headers=headers
        )

    async def script(request: Request) -> Response:
        return Response(_JS, media_type="text/javascript", headers=headers)

    async def style(request: Request) -> Response:
        return Response(_CSS, media_type="text/css", headers=headers)

    async def state(request: Request) -> Response:
        return JSONResponse({**hub.payload, "version": hub.version}, headers=headers)

    return Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/page.js", script, methods=["GET"]),
            Route("/page.css", style, methods=["GET"]),
            Route("/state.json", state, methods=["GET"]),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=_HOSTS)],
    )


@dataclass
class PageServer:
    """A running page: its URL and how to stop it."""

    url: str
    server: Any
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Stop serving (waits for the server to finish)."""
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((LOOPBACK, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    sock.setblocking(False)
    return sock


async def serve_page(hub: WatchHub, *, port: int = 0, poll_ms: int = 1000) -> PageServer:
    """Serve the page on ``127.0.0.1:port`` (0: a free port) in the running loop.

    Raises ``OSError`` when the port is taken. uvicorn's own signal handling is left
    out: Ctrl-C belongs to the watch, which stops the page with it.
    """
    import uvicorn

    class _Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    sock = _bind(port)
    config = uvicorn.Config(
        create_page_app(hub, poll_ms=poll_ms),
        log_level="warning",
        lifespan="off",
        access_log=False,
    )
    server = _Server(config)
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
        await asyncio.sleep(0.01)
    bound = sock.getsockname()[1]
    return PageServer(url=f"http://{LOOPBACK}:{bound}/", server=server, task=task)
