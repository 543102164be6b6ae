"""``boardsmith templates ...`` and ``boardsmith preview``: inspect, validate, build."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from boardsmith.cli.app import DEVELOPER_PANEL, app
from boardsmith.cli.options import (
    BuildOutOpt,
    DiffOpt,
    NewTemplateArg,
    NewTemplateDirOpt,
    PreviewOutOpt,
    PreviewParamOpt,
    PreviewTargetArg,
    TemplateDirsArg,
    TemplateFilesArg,
    TemplateNameArg,
)
from boardsmith.cli.output import note
from boardsmith.errors import BoardsmithError

if TYPE_CHECKING:
    from boardsmith.render.compiled import FolderBuild

templates_app = typer.Typer(
    name="templates",
    help="List, show, validate, build and start board templates.",
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
    from boardsmith.templates.registry import builtin_entries

    for template in builtin_entries():
        aliases = f" (alias {', '.join(template.aliases)})" if template.aliases else ""
        typer.echo(f"{template.name}{aliases}: {template.title.split(':')[0]}")


@templates_app.command("show")
def show(
    name: TemplateNameArg,
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
    paths: TemplateFilesArg,
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


#: ``templates check`` exits with this when the compiled outputs are stale (missing,
#: different or left over) but every template is valid; an invalid template exits 1.
#: A CI can so tell "someone forgot `templates build`" from "a template is broken".
STALE_EXIT = 5


class StaleOutputsError(BoardsmithError):
    """The compiled outputs differ from a fresh build (exit 5)."""

    exit_code = STALE_EXIT


def _builds(folders: list[Path] | None, out: Path | None) -> list[FolderBuild]:
    from boardsmith.errors import UsageError
    from boardsmith.render.compiled import build_folder

    if not folders:
        return [build_folder(None, out)]
    if out is not None and len(folders) > 1:
        raise UsageError(f"--out {out}: give one DIR with --out, not {len(folders)}")
    builds = []
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"DIR {folder}: no such folder")
        found = build_folder(folder, out)
        if not found.templates and not found.errors:
            raise UsageError(f"DIR {folder}: no template files (*.yaml, *.yml) in it")
        builds.append(found)
    return builds


def _dir_args(folders: list[Path] | None, out: Path | None) -> str:
    args = "".join(f" {folder}" for folder in folders or [])
    return args + (f" --out {out}" if out is not None else "")


@templates_app.command("build")
def build(
    folders: TemplateDirsArg = None,
    out: BuildOutOpt = None,
) -> None:
    """Write compiled/NAME.plan.json and NAME.svg for each template, and schema.json.

    Nothing is written when a template is invalid (exit 1): its old outputs stay.

    \b
    Examples:
      boardsmith templates build                  # the built-ins
      boardsmith templates build my-templates     # beside my-templates/*.yaml
      boardsmith templates build my-templates --out site/boards
    """
    from boardsmith.render.compiled import write_expected

    builds = _builds(folders, out)
    errors = [error for found in builds for error in found.errors]
    if errors:
        for error in errors:
            typer.echo(f"error: {error}", err=True)
        raise BoardsmithError(f"{len(errors)} template files are invalid; nothing was written")
    written = [path for found in builds for path in write_expected(found.root, found.expected)]
    for path in written:
        typer.echo(f"wrote {_relative(path)}" if path.exists() else f"removed {_relative(path)}")
    if not written:
        typer.echo("everything is up to date")


@templates_app.command("check")
def check(
    folders: TemplateDirsArg = None,
    out: BuildOutOpt = None,
    diff: DiffOpt = False,
) -> None:
    """Fail, naming the files, if the committed build outputs differ from a fresh build.

    Exit 5 when outputs are stale, missing or left over (run `templates build`);
    exit 1 when a template is invalid (its file:line is named).

    \b
    Examples:
      boardsmith templates check                      # in CI, after the tests
      boardsmith templates check my-templates --diff
    """
    from boardsmith.render.compiled import diff_text, stale_expected

    builds = _builds(folders, out)
    errors: list[str] = []
    problems = 0
    for found in builds:
        for error in found.errors:
            typer.echo(f"error: {error}", err=True)
        errors += found.errors
        # With an invalid template its outputs are unknown: its old files are not blamed.
        stale = stale_expected(found.root, found.expected, unexpected=not found.errors)
        for path, what in stale:
            typer.echo(f"{what}: {_relative(path)}", err=True)
            if diff:
                typer.echo(diff_text(path, what, found.expected, _relative(path)), nl=False)
        problems += len(stale)
    if errors:
        raise BoardsmithError(
            f"{len(errors)} template files are invalid"
            + (f" and {problems} compiled files are out of date" if problems else "")
        )
    if problems:
        raise StaleOutputsError(
            f"{problems} compiled template files are out of date",
            hint=f"run `boardsmith templates build{_dir_args(folders, out)}` and commit the result",
        )
    typer.echo("compiled templates are up to date")


@templates_app.command("new")
def new(
    name: NewTemplateArg,
    folder: NewTemplateDirOpt = Path("."),
) -> None:
    """Write NAME.yaml, a commented starter template that validates, builds and creates.

    \b
    Examples:
      boardsmith templates new team-check-in --dir my-templates
      boardsmith templates build my-templates   # compiled/, and schema.json for the editor
    """
    import re

    from boardsmith.errors import UsageError
    from boardsmith.templates import load_template_text
    from boardsmith.templates.schema import NAME_PATTERN

    if not re.fullmatch(NAME_PATTERN, name) or len(name) > 60:
        raise UsageError(
            f"NAME {name}: use lowercase letters, digits and single dashes, "
            "starting with a letter (e.g. team-check-in)"
        )
    path = folder / f"{name}.yaml"
    if path.exists():
        raise UsageError(f"NAME {name}: {path} already exists; it is left as it is")
    text = starter_template(name)
    load_template_text(text, str(path))  # the starter is always valid; a bug if not
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--dir {folder}: cannot write: {exc.strerror}") from None
    typer.echo(f"wrote {_relative(path)}")
    note(
        f"next: boardsmith templates build {folder} (writes {folder / 'schema.json'} for "
        f"your editor), then boardsmith create {path}"
    )


def starter_template(name: str) -> str:
    """The text of ``templates new NAME``: a small board with every part commented."""
    title = name.replace("-", " ").capitalize()
    return _STARTER.replace("@NAME@", name).replace("@TITLE@", title)


_STARTER = """\
# yaml-language-server: $schema=schema.json
# The line above lets an editor with the YAML language server (VS Code's YAML
# extension, neovim, Helix...) complete and check this file as you type, against
# schema.json, which `boardsmith templates build` writes beside the templates.
#
# @TITLE@: a starter board. Change it, then:
#   boardsmith templates validate @NAME@.yaml      # errors name file:line
#   boardsmith preview @NAME@.yaml --out board.svg # see the empty board
#   boardsmith templates build .                   # compiled/ plans and previews
#   boardsmith create @NAME@.yaml --param "people=Ana, Ben"
# The template language: board_templates/README.md in boardsmith.

name: @NAME@                   # lowercase-with-dashes; used by create and harvest
title: "@TITLE@: {team}"       # the board's name; {team} is a parameter
description: >-
  A board where each person writes their notes in their own lane, and the
  group agrees its next steps.
version: 1                     # bump when the board changes (apply updates boards)

parameters:                    # each has a type and a default; --param overrides
  team:
    type: str
    max_length: 40
    default: Our team
    description: Team name shown in the title.
  people:
    type: list[str]
    default: [Ana, Ben]
    min: 1
    max: 12
    unique: true               # "Ana,ana" is refused: one lane per person
    description: One lane each.

elements:                      # what the board holds; sizes and places are computed
  - frame:
      key: board               # every key inside starts with board/
      title: "@TITLE@: {team}"
      padding: 60
      gap: 40
      children:                # stacked top to bottom
        - text:
            key: title
            role: title
            content: "@TITLE@: {team}"
            font_size: 48
            width: 1400
        - text:
            key: intro
            role: instructions
            content: Write one idea per sticky in your lane, then agree the next steps together.
            font_size: 22
            width: 1400
        - row:
            key: lanes
            gap: 40
            children:
              - repeat:        # one lane per person
                  for_each: people
                  as: person   # {person} inside the body
                  body:
                    shape:
                      key: "lane-{person}"
                      role: prompt_notes      # harvest reads the stickies inside
                      labels: {prompt: "{person}"}
                      width: 440
                      height: 600
                      fill: "#ffffff"
                      border: "#7b92ff"
                      padding: 24
                      children:
                        - text: {key: heading, content: "{person}", font_size: 32, width: 390}
        - shape:
            key: next
            role: notes
            labels: {section: next_steps}
            width: 1400
            height: 400
            fill: "#f5f6f8"
            border: "#b384bb"
            padding: 24
            children:
              - text: {key: heading, content: Our next steps, font_size: 32, width: 1350}

report:                        # what `boardsmith harvest --format md|html` writes
  title: "@TITLE@: {team}"
  sections:
    - heading: What each of us wrote
      show: notes              # one list per lane, with authors
      from: {role: prompt_notes}
    - heading: Our next steps
      show: list               # every sticky of the area in one list
      from: {role: notes, labels: {section: next_steps}}
"""


@app.command("preview")
def preview(
    template: PreviewTargetArg,
    out: PreviewOutOpt,
    param: PreviewParamOpt = None,
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
