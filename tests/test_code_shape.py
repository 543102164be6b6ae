"""The code stays a model to read: no function in ``src/`` longer than 80 lines (issue 19).

Complexity has its ceiling in ruff's configuration (C901, ``max-complexity = 10`` in
pyproject.toml), which ``test_code_quality`` runs over the whole tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "boardsmith"
#: The longest function (``def`` to its last line) a module may hold.
MAX_LINES = 80


def _long_functions(root: Path) -> list[str]:
    long = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    long.append(f"{path.relative_to(root)}: {node.name} ({lines} lines)")
    return long


def test_no_function_in_src_is_longer_than_80_lines() -> None:
    assert _long_functions(SRC) == []


def test_the_check_sees_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    (tmp_path / "long.py").write_text(f"def long() -> None:\n{body}\n", encoding="utf-8")
    assert _long_functions(tmp_path) == [f"long.py: long ({MAX_LINES + 1} lines)"]
