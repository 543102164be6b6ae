"""The console script's entry point, kept free of heavy imports.

``boardsmith --version`` is answered here without importing typer or any
command module (scripts and CI call it often); everything else goes to
:func:`boardsmith.cli.app.main`.
"""

from __future__ import annotations

import sys


def skip_httpx_cli() -> None:
    """Keep httpx from importing its own command-line client in this process.

    ``import httpx`` imports ``httpx._main`` whenever click and rich are installed (as
    they are beside typer), and with it rich's console, click and pygments: a third of
    httpx's import time, for a command boardsmith never runs. A ``None`` in
    ``sys.modules`` makes that import fail, which httpx expects: its ``httpx.main``
    becomes a stub. Done only before httpx is imported, and only in the CLI's process.
    """
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def main() -> None:
    """Entry point of the ``boardsmith`` console script."""
    skip_httpx_cli()
    if sys.argv[1:] == ["--version"]:
        from boardsmith import __version__

        print(f"boardsmith {__version__}")
        return
    from boardsmith.cli.app import main as app_main

    app_main()
