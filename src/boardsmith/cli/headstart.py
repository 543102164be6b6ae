"""A head start for ``create`` / ``apply``: what the build needs after the first call.

The first call of a run (creating the board, or checking the one ``--board``
names) waits on the network, and the process has nothing else to do meanwhile:
it cannot build anything before it knows the board. A :class:`HeadStart` uses
that wait, in a thread, to import the build's modules (and the summary's), build
the client models of the plan's item types (pydantic builds them on first use)
and draw the emulator's SVG preview. It is joined before the build starts, so the thread and
the build never build the same model at once (older pydantic versions do not lock
a deferred build); concurrent imports are safe in any case.

Nothing here is needed for correctness: whatever fails or is not done, the build
does itself on first use and reports there.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boardsmith.templates import Plan


class HeadStart:
    """Prepares, in a daemon thread started at once, what building ``plan`` needs.

    ``preview``: also draw the plan's SVG preview (:attr:`svg`), for the emulator.
    """

    def __init__(self, plan: Plan, *, preview: bool) -> None:
        self.plan = plan
        self._preview = preview
        self._svg: str | None = None
        self._thread = threading.Thread(target=self._run, name="boardsmith-headstart", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            # Imported for the build and for the run's summary.
            from boardsmith.boards import apply, summary  # noqa: F401
            from boardsmith.miro.models.items import build_item_models

            build_item_models(item.type for item in self.plan.items)
            if self._preview:
                from boardsmith.render.plan_svg import render_plan

                self._svg = render_plan(self.plan)
        except Exception:  # noqa: S110  (the build does it again, and reports)
            pass

    def join(self) -> None:
        """Wait for the thread; call it before the build uses what it prepares."""
        self._thread.join()

    def svg_for(self, plan: Plan) -> str | None:
        """The preview drawn for ``plan``, if that is the plan it had and it got that far."""
        self.join()
        return self._svg if plan is self.plan else None
