"""``boardsmith config show``: the effective configuration and where each value came from."""

from __future__ import annotations

import json
import sys

import typer

from boardsmith.cli.app import DEVELOPER_PANEL, app
from boardsmith.cli.options import FormatOpt, PrintJsonOpt, wants_json

config_app = typer.Typer(
    name="config",
    help="Show boardsmith's effective configuration.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(config_app, rich_help_panel=DEVELOPER_PANEL)


@config_app.command("show")
def show(
    as_json: PrintJsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Print every setting (secrets redacted) with its source: flag, env, file or default.

    \b
    Examples:
      boardsmith config show
      BOARDSMITH_CONFIG=workshop.toml boardsmith config show
      boardsmith config show --json | jq -r .api_url.value
    """
    as_json = wants_json(as_json, fmt)
    from boardsmith.config import describe, load_settings, token_origin

    settings = load_settings()
    rows = [*describe(settings), ("token", token_origin(settings), "")]
    if as_json:
        typer.echo(
            json.dumps(
                {name: {"value": value, "source": source} for name, value, source in rows},
                indent=2,
            )
        )
        return
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table("setting", "value", "source")
        for row in rows:
            # Text, not markup: paths and values may contain square brackets.
            table.add_row(*(Text(cell) for cell in row))
        Console().print(table)
        return
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        typer.echo(f"{name:<{width}}  {value}" + (f"  [{source}]" if source else ""))
