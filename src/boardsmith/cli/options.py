"""Options more than one command module takes, defined once so they read the same."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["NoWaitOpt"]

NoWaitOpt = Annotated[
    bool,
    typer.Option(
        "--no-wait",
        help="Fail at once (exit 3) when another boardsmith run is changing the board.",
    ),
]
