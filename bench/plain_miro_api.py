"""Miro's official Python SDK reading a board, run as its own process (optional).

``python -m bench.plain_miro_api URL TOKEN BOARD`` reads every item with
``MiroApi.get_all_items`` (50 a page, one cursor stream), then the members and the
board, and prints ``{"items": n, "stickies": k}``. miro-api is a test extra;
``bench.bench_sidebyside`` skips it when the package is missing.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def read(url: str, token: str, board: str) -> dict[str, int]:
    """Every item through the SDK's own paginator, then members and the board."""
    from miro_api import MiroApi
    from miro_api.configuration import Configuration

    # The SDK reads its host from the default configuration when it is built.
    Configuration.set_default(Configuration(host=url))
    api = MiroApi(token)
    items: list[Any] = list(api.get_all_items(board, limit="50"))
    api.get_board_members(board, limit="50")
    api.get_specific_board(board)
    return {
        "items": len({item.id for item in items}),
        "stickies": sum(1 for item in items if item.type == "sticky_note"),
    }


def main(argv: list[str]) -> int:
    """``URL TOKEN BOARD``."""
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(read(*argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
