"""``create NAME --from BOARD``: start a board from an earlier board's results."""

from __future__ import annotations

from typing import Any

from boardsmith.cli.output import note

__all__ = ["carried"]


def carried(template_name: str, board_id: str, given: dict[str, Any]) -> dict[str, Any]:
    """The parameters the template takes from ``board_id``'s harvest; values given on the
    command line win, and the user is told which."""
    import asyncio

    from boardsmith.cli.harvest import harvest_for
    from boardsmith.harvest.carry import carried_params, takes_from
    from boardsmith.templates import find_template

    template = find_template(template_name)
    takes_from(template)  # before the board is read, not after
    document, _ = asyncio.run(harvest_for([board_id]))
    values = carried_params(template, document.boards[0], flag=f"--from {board_id}")
    for name in sorted(set(values) & set(given)):
        note(f"--param {name}: given, so not taken from board {board_id}")
    taken = {k: v for k, v in values.items() if k not in given}
    for name, value in taken.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        note(f"from board {board_id}: {name} = {shown}")
    return taken
