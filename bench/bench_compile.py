"""Time compiling every built-in template: ``python -m bench.bench_compile``.

For each template: loading the YAML (parse + validate + checks), compiling with
default parameters, serialising the plan to JSON, and compiling a large variant
(every list parameter at 10x its default length, capped by its max). Prints a
table of medians in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from boardsmith.templates import Template, builtin_templates, compile_plan, load_template
from boardsmith.templates.schema import ParamValue


def _median_ms(func: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _large_params(template: Template) -> dict[str, ParamValue]:
    params: dict[str, ParamValue] = {}
    for name, decl in template.parameters.items():
        if decl.type == "list[str]" and isinstance(decl.default, list):
            size = len(decl.default) * 10
            if decl.max is not None:
                size = min(size, decl.max)
            params[name] = [f"{name} {n}" for n in range(size)]
    return params


def main(repeat: int = 30) -> None:
    """Print one row per built-in template."""
    header = f"{'template':32} {'items':>6} {'load ms':>8} {'compile ms':>11} {'json ms':>8}"
    header += f" {'large items':>12} {'large ms':>9}"
    print(header)
    print("-" * len(header))
    total = 0.0
    for template in builtin_templates():
        path = Path(template.file)
        load_ms = _median_ms(lambda p=path: load_template(p), repeat)  # type: ignore[misc]
        plan = compile_plan(template)
        compile_ms = _median_ms(lambda t=template: compile_plan(t), repeat)  # type: ignore[misc]
        json_ms = _median_ms(plan.to_json, repeat)
        large = _large_params(template)
        large_plan = compile_plan(template, large)
        large_ms = _median_ms(lambda t=template, p=large: compile_plan(t, p), max(3, repeat // 5))  # type: ignore[misc]
        total += compile_ms
        print(
            f"{template.name:32} {len(plan.items):>6} {load_ms:>8.2f} {compile_ms:>11.2f} "
            f"{json_ms:>8.2f} {len(large_plan.items):>12} {large_ms:>9.2f}"
        )
    print(f"\ncompiling all built-ins with defaults: {total:.2f} ms (medians of {repeat} runs)")


if __name__ == "__main__":
    main()
