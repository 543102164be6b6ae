"""The emulator stays independent: it imports nothing from boardsmith but itself and errors."""

from __future__ import annotations

import ast
from pathlib import Path

import boardsmith.emulator

ALLOWED = ("boardsmith.emulator", "boardsmith.errors")


def test_emulator_imports_no_other_boardsmith_layer() -> None:
    root = Path(boardsmith.emulator.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith("boardsmith") and not n.startswith(ALLOWED)
            ]
    assert offenders == []
    assert len(list(root.rglob("*.py"))) > 10  # the scan really saw the package
