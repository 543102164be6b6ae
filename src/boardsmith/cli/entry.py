"""The console script's entry point, kept free of heavy imports.

``boardsmith --version`` is answered here without importing typer or any
command module (scripts and CI call it often); everything else goes to
:func:`boardsmith.cli.app.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``boardsmith`` console script."""
    if sys.argv[1:] == ["--version"]:
        from boardsmith import __version__

        print(f"boardsmith {__version__}")
        return
    from boardsmith.cli.app import main as app_main

    app_main()
