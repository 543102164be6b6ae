"""DESIGN's layer table, enforced: each part of ``src/boardsmith`` imports only the parts below it.

Every import counts, including those inside functions and ``if TYPE_CHECKING:`` blocks
(``ast.walk`` sees them all) and relative ones. The table is per folder (``miro``,
``harvest``, ...) and per top-level module (``errors``, ``config``, ...); a new folder
or module fails the test until it gets a row.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import boardsmith

ROOT = Path(boardsmith.__file__).parent

# part -> the other parts of boardsmith it may import (itself is always allowed).
# The shared leaves: ``errors`` (the BoardsmithError tree), ``private_files``
# (owner-only files for per-board state and history) and ``threads`` (blocking work
# awaited to the end) import nothing of boardsmith.
LAYERS: dict[str, frozenset[str]] = {
    "__init__": frozenset(),  # the version only
    "errors": frozenset(),
    "private_files": frozenset(),
    "threads": frozenset(),
    # The API client and the emulator stand alone: either could be its own package.
    "miro": frozenset({"errors"}),
    "emulator": frozenset({"errors"}),
    # Pure: template files in, plans out.
    "templates": frozenset({"errors"}),
    # Settings find the token, which may be a stored OAuth login (miro.oauth, token_store).
    "config": frozenset({"errors", "miro"}),
    "boards": frozenset({"errors", "private_files", "threads", "miro", "templates"}),
    "harvest": frozenset({"errors", "private_files", "threads", "miro", "templates"}),
    "render": frozenset({"errors", "templates", "harvest"}),
    # The pytest plugin and MiroEmulator: the emulator, with boardsmith's client on top.
    "testing": frozenset({"errors", "emulator", "miro"}),
    "cli": frozenset(
        {
            "__init__",
            "errors",
            "private_files",
            "threads",
            "config",
            "miro",
            "emulator",
            "templates",
            "boards",
            "harvest",
            "render",
            "testing",
        }
    ),
    "__main__": frozenset({"cli"}),
}

# Modules that would give the pure templates layer I/O beyond reading template files.
NO_IO_IN_TEMPLATES = ("httpx", "sqlite3", "socket", "urllib.request", "starlette", "uvicorn")

# (importer, imported) pairs that break the table today, each with the issue that
# will remove it. Empty: today's code follows the table.
KNOWN_EXCEPTIONS: frozenset[tuple[str, str]] = frozenset()


def _part(path: Path) -> str:
    """The table row a source file belongs to: its top folder, or its module name."""
    first = path.relative_to(ROOT).parts[0]
    return first.removesuffix(".py")


def _imports_in(source: str, package: list[str]) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in ``source``, a module of ``package``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.lineno, node.module or ""
                continue
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                yield node.lineno, ".".join([*base, node.module])
            else:  # ``from . import x``: each name may be a module
                for alias in node.names:
                    yield node.lineno, ".".join([*base, alias.name])


def _imported(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in the package's file ``path``."""
    package = [boardsmith.__name__, *path.relative_to(ROOT).parent.parts]
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _target(module: str) -> str | None:
    """The table row an imported boardsmith module belongs to; None outside boardsmith."""
    parts = module.split(".")
    if parts[0] != boardsmith.__name__:
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _sources() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def test_every_part_of_the_package_has_a_row() -> None:
    parts = {_part(path) for path in _sources()}
    assert parts - LAYERS.keys() == set(), "add the new folder or module to LAYERS"
    assert LAYERS.keys() - parts == set(), "a row names a part that no longer exists"


def test_no_layer_imports_outside_its_row() -> None:
    offenders = []
    for path in _sources():
        importer = _part(path)
        for line, module in _imported(path):
            imported = _target(module)
            if imported is None or imported == importer:
                continue
            if imported in LAYERS[importer] or (importer, imported) in KNOWN_EXCEPTIONS:
                continue
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {importer} imports {module}")
    assert offenders == []
    assert len(_sources()) > 100  # the scan really saw the package


def test_known_exceptions_are_still_needed() -> None:
    seen = {(_part(path), _target(module)) for path in _sources() for _, module in _imported(path)}
    assert KNOWN_EXCEPTIONS - seen == set(), "an exception the code no longer needs: drop it"


def test_templates_do_no_io_beyond_reading_files() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((ROOT / "templates").rglob("*.py"))
        for line, module in _imported(path)
        if module.startswith(NO_IO_IN_TEMPLATES)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import boardsmith.harvest.model", "boardsmith.harvest.model"),
        ("from boardsmith.miro import MiroClient", "boardsmith.miro"),
        ("from . import state", "boardsmith.boards.state"),
        ("from .state import StateStore", "boardsmith.boards.state"),
        ("from ..harvest import model", "boardsmith.harvest"),
        ("def f():\n    from boardsmith.cli import app", "boardsmith.cli"),
        ("if TYPE_CHECKING:\n    from boardsmith.render import chart", "boardsmith.render"),
    ],
    ids=["import", "from", "relative-name", "relative-module", "parent", "in-function", "typing"],
)
def test_the_scan_sees_every_kind_of_import(source: str, expected: str) -> None:
    found = [module for _, module in _imports_in(source, ["boardsmith", "boards"])]
    assert found == [expected]
