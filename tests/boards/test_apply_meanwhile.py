"""Work an apply run does while its calls are in flight: the same results, in time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from boardsmith.boards import apply
from boardsmith.boards.requests import form_hash, item_text, plan_look, sent_hash, text_hash
from boardsmith.boards.state import StateStore
from boardsmith.templates import compile_plan, find_template


def _run(tmp_path: Path) -> apply._Run:
    plan = compile_plan(find_template("vision-board"))
    state = apply.new_state(backend="emulator", board_id="b=", plan=plan)
    store = StateStore(tmp_path)
    return apply._Run(None, store, state, plan, progress=None, total=0, concurrency=8)  # type: ignore[arg-type]


def test_derived_parts_are_the_entry_functions_of_the_item(tmp_path: Path) -> None:
    run = _run(tmp_path)
    run.derive(run.plan.items)
    for item in run.plan.items:
        derived = run.derived(item)
        assert derived.hash == sent_hash(item)
        assert derived.content_hash == text_hash(item_text(item))
        assert derived.form_hash == form_hash(item)
        assert derived.look == plan_look(item)


def test_another_item_under_a_known_key_is_worked_out_afresh(tmp_path: Path) -> None:
    run = _run(tmp_path)
    item = next(i for i in run.plan.items if i.type == "sticky_note")
    run.derive([item])
    moved = item.model_copy(update={"content": "something else"})
    assert run.derived(moved).hash == sent_hash(moved) != sent_hash(item)


def test_meanwhile_runs_once_every_job_has_sent_its_call(tmp_path: Path) -> None:
    run = _run(tmp_path)
    events: list[str] = []

    def job(n: int) -> Callable[[], Awaitable[None]]:
        async def call() -> None:
            events.append(f"sent {n}")
            await asyncio.sleep(0.01)
            events.append(f"answered {n}")

        return call

    asyncio.run(run.run_all([job(n) for n in range(3)], meanwhile=lambda: events.append("work")))
    assert events[:4] == ["sent 0", "sent 1", "sent 2", "work"]
    assert sorted(events[4:]) == ["answered 0", "answered 1", "answered 2"]
