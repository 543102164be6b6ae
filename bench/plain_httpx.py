"""The plain httpx reader and writer a beginner would write, run as their own process.

``python -m bench.plain_httpx read URL TOKEN BOARD`` reads every item of a board in
one sequential cursor stream (50 a page), then its members and its name, and prints
``{"items": n, "stickies": k, "seconds": s}`` (``s``: the item pages alone);
``stream`` instead of ``read`` reads only the stickies, the measured floor of a
complete sticky read on that server. ``python -m bench.plain_httpx write URL TOKEN FILE``
creates a board and the items listed in ``FILE`` (JSON written by
``bench.bench_sidebyside``) one call per item, in order, and prints the board id.

Only httpx and the standard library are imported: this is the baseline boardsmith's
own start-up, parsing and harvest are compared with.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import httpx

ENDPOINTS = {
    "frame": "frames",
    "sticky_note": "sticky_notes",
    "shape": "shapes",
    "text": "texts",
    "card": "cards",
}


def read(url: str, token: str, board: str, kind: str | None = None) -> dict[str, Any]:
    """Every item (of ``kind``, if given), then the members and the board, one
    request after another; ``seconds`` is the time of the item pages alone."""
    headers = {"Authorization": f"Bearer {token}"}
    items: list[dict[str, Any]] = []
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        base = {"limit": "50"} if kind is None else {"limit": "50", "type": kind}
        params = dict(base)
        start = time.perf_counter()
        while True:
            page = client.get(f"/v2/boards/{board}/items", params=params)
            page.raise_for_status()
            body = page.json()
            items.extend(body.get("data") or [])
            cursor = body.get("cursor")
            if not body.get("data") or not cursor:
                break
            params = {**base, "cursor": cursor}
        seconds = time.perf_counter() - start
        client.get(f"/v2/boards/{board}/members", params={"limit": "50"}).raise_for_status()
        client.get(f"/v2/boards/{board}").raise_for_status()
    return {
        "items": len({item["id"] for item in items}),
        "stickies": sum(1 for item in items if item.get("type") == "sticky_note"),
        "seconds": seconds,
    }


def write(url: str, token: str, path: str) -> str:
    """A board, then each item with its own call (frames first, as listed)."""
    with open(path, encoding="utf-8") as file:
        spec = json.load(file)
    headers = {"Authorization": f"Bearer {token}"}
    ids: dict[str, str] = {}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        made = client.post("/v2/boards", json={"name": spec["name"]})
        made.raise_for_status()
        board = str(made.json()["id"])
        for entry in spec["items"]:
            body = dict(entry["body"])
            kind = body.pop("type", None)
            if entry.get("parent"):
                body["parent"] = {"id": ids[entry["parent"]]}
            if entry["kind"] == "connector":
                body["startItem"] = {**body["startItem"], "id": ids[body["startItem"]["id"]]}
                body["endItem"] = {**body["endItem"], "id": ids[body["endItem"]["id"]]}
                endpoint = "connectors"
            else:
                endpoint = ENDPOINTS[str(kind)]
            done = client.post(f"/v2/boards/{board}/{endpoint}", json=body)
            done.raise_for_status()
            ids[entry["key"]] = str(done.json()["id"])
    return board


def main(argv: list[str]) -> int:
    """``read URL TOKEN BOARD`` or ``write URL TOKEN FILE``."""
    if len(argv) != 4 or argv[0] not in ("read", "stream", "write"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, url, token, target = argv
    if mode in ("read", "stream"):
        print(json.dumps(read(url, token, target, "sticky_note" if mode == "stream" else None)))
    else:
        print(json.dumps({"board": write(url, token, target)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
