"""``boardsmith templates ...`` and ``boardsmith preview``: inspect, validate, build."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from boardsmith.cli.app import DEVELOPER_PANEL, app
from boardsmith.cli.output import note

templates_app = typer.Typer(
    name="templates",
    help="List, show, validate and build the board templates.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(templates_app, name="templates", rich_help_panel=DEVELOPER_PANEL)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@templates_app.command("list")
def list_templates() -> None:
    """List the built-in templates.

    \b
    Examples:
      boardsmith templates list
    """
    from boardsmith.templates import builtin_templates

    for template in builtin_templates():
        aliases = f" (alias {', '.join(template.aliases)})" if template.aliases else ""
        typer.echo(f"{template.name}{aliases}: {template.spec.title.split(':')[0]}")


@templates_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Template name, alias or file.", metavar="TEMPLATE")],
) -> None:
    """Show a template's description, parameters and what its default board holds.

    \b
    Examples:
      boardsmith templates show vision-board
      boardsmith templates show my-templates/offsite.yaml
    """
    from collections import Counter

    from boardsmith.templates import compile_plan, find_template
    from boardsmith.templates.params import join_list

    template = find_template(name)
    spec = template.spec
    typer.echo(f"{spec.name} (version {spec.version})")
    if spec.aliases:
        typer.echo(f"aliases: {', '.join(spec.aliases)}")
    typer.echo(f"title: {spec.title}")
    typer.echo(spec.description)
    typer.echo("parameters:")
    for pname, decl in spec.parameters.items():
        # Lists as --param takes them: a name with commas is quoted, never run together.
        default = join_list(decl.default) if isinstance(decl.default, list) else decl.default
        shown = str(default)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        typer.echo(f"  {pname} ({decl.type}) = {shown}")
        if decl.description:
            typer.echo(f"      {decl.description}")
    plan = compile_plan(template)
    types = Counter(item.type for item in plan.items)
    roles = Counter(item.role for item in plan.items if item.role)
    typer.echo(
        f"default board: {len(plan.items)} items ("
        + ", ".join(f"{n} {t}" for t, n in sorted(types.items()))
        + ")"
    )
    typer.echo("roles: " + ", ".join(f"{r} x{n}" for r, n in sorted(roles.items())))


@templates_app.command("validate")
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Template files to check.", metavar="FILE")],
) -> None:
    """Load and compile (with default parameters) each template file.

    \b
    Examples:
      boardsmith templates validate my-templates/offsite.yaml
      boardsmith templates validate src/boardsmith/board_templates/*.yaml
    """
    from boardsmith.errors import BoardsmithError
    from boardsmith.templates import compile_plan, load_template

    failed = 0
    for path in paths:
        try:
            plan = compile_plan(load_template(path))
        except BoardsmithError as exc:
            failed += 1
            typer.echo(f"error: {exc}", err=True)
        else:
            typer.echo(f"ok {path}: {plan.template}, {len(plan.items)} items")
    if failed:
        # A BoardsmithError (not typer.Exit) so the exit status survives app.main().
        raise BoardsmithError(f"{failed} of {len(paths)} template files are invalid")


@templates_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of the template language (for editors).

    \b
    Examples:
      boardsmith templates schema > boardsmith-template.schema.json
    """
    from boardsmith.render.compiled import language_schema

    typer.echo(language_schema(), nl=False)


@templates_app.command("build")
def build() -> None:
    """Write compiled/NAME.plan.json and NAME.svg for each built-in, and schema.json.

    \b
    Examples:
      boardsmith templates build
    """
    from boardsmith.render.compiled import write_outputs

    written = write_outputs()
    for path in written:
        typer.echo(f"wrote {_relative(path)}" if path.exists() else f"removed {_relative(path)}")
    if not written:
        typer.echo("everything is up to date")


@templates_app.command("check")
def check() -> None:
    """Fail, naming the files, if the committed build outputs differ from a fresh build.

    \b
    Examples:
      boardsmith templates check    # in CI, after the tests
    """
    from boardsmith.errors import BoardsmithError
    from boardsmith.render.compiled import stale_outputs

    problems = stale_outputs()
    if problems:
        for path, what in problems:
            typer.echo(f"{what}: {_relative(path)}", err=True)
        raise BoardsmithError(
            f"{len(problems)} compiled template files are out of date",
            hint="run `boardsmith templates build` and commit the result",
        )
    typer.echo("compiled templates are up to date")


@app.command("preview")
def preview(
    template: Annotated[
        str,
        typer.Argument(
            help="Template name, alias or file (the empty board), or a board id or URL "
            "(the board as it is now).",
            metavar="TEMPLATE_OR_BOARD",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the SVG.", metavar="FILE")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help=(
                "A template parameter (repeatable). A list is comma-separated, "
                '"A, B",C keeps a quoted comma, and repeating --param KEY=VALUE adds one '
                "value each."
            ),
            metavar="KEY=VALUE",
        ),
    ] = None,
) -> None:
    """Draw a board as an SVG picture: a template's empty board, or a board as it is now.

    \b
    Examples:
      boardsmith preview vision-board --out empty.svg
      boardsmith preview vision-board --param participants=Ana,Ben --out empty.svg
      boardsmith preview uXjVK123abc= --out finished.svg
    """
    from boardsmith.errors import UsageError
    from boardsmith.render.plan_svg import render_plan
    from boardsmith.templates import compile_plan, find_template, parse_params

    url = "://" in template or template.lower().startswith(("miro.com/", "www.miro.com/"))
    try:
        if url:
            raise UsageError(template)  # a board's address, never a template file
        found = find_template(template)
    except UsageError:
        if param:
            raise UsageError(
                f"TEMPLATE_OR_BOARD {template}: no template of that name "
                "(--param applies to templates, not to boards)"
            ) from None
        svg, count = _board_picture(template)
    else:
        plan = compile_plan(found, parse_params(found, param or []))
        svg, count = render_plan(plan), len(plan.items)
    try:
        out.write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write: {exc.strerror}") from None
    note(f"wrote {out} ({count} items)")


def _board_picture(value: str) -> tuple[str, int]:
    """The SVG of the board ``value`` names (an id or URL), and how many items it holds."""
    import asyncio

    from boardsmith.cli.backend import open_backend
    from boardsmith.cli.options import board_ref
    from boardsmith.config import load_settings
    from boardsmith.errors import UsageError
    from boardsmith.harvest.snapshot import read_snapshot
    from boardsmith.miro.errors import BadRequestError, NotFoundError
    from boardsmith.render.board_svg import render_board

    board_id = board_ref(value, flag="TEMPLATE_OR_BOARD")

    async def read() -> tuple[str, int]:
        async with open_backend(load_settings()) as backend:
            try:
                snapshot = await read_snapshot(backend.client, board_id)
            except (NotFoundError, BadRequestError):
                raise UsageError(
                    f"TEMPLATE_OR_BOARD {value}: no template of that name and no such board "
                    f"on {backend.where} (`boardsmith templates list` names the templates)"
                ) from None
        return render_board(snapshot), len(snapshot.items)

    return asyncio.run(read())
