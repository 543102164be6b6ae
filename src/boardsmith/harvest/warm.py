"""The stickies' texts, worked on while a board's pages are still arriving.

After a big board's last page, the harvest spent half its time on the term merger's
first look at each distinct text: its HTML, its items, their lemmas and their near
duplicates (0.5 s of 1.3 s at 10,000 stickies). Those answers are per-process caches
of pure functions (:func:`~boardsmith.harvest.view.warm_texts`), so they can be worked
out as each page arrives, between the page's request and its answer, and the harvest
after the last page finds them ready. The harvest itself is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boardsmith.harvest import preload
from boardsmith.miro.constants import DEFAULT_PAGE_SIZE

__all__ = ["TextWarmer"]


class TextWarmer:
    """``read_snapshot``'s ``on_read``: keeps each sticky's text and warms the caches a
    page's worth at a time, once the harvest's modules and dictionaries are loaded
    (never waiting for them: texts read before then wait for the next page)."""

    def __init__(self, batch: int = DEFAULT_PAGE_SIZE) -> None:
        self._batch = batch
        self._waiting: list[str] = []
        #: Texts warmed so far.
        self.warmed = 0

    def __call__(self, item: Mapping[str, Any]) -> None:
        """Take one read item (anything but a sticky with text is ignored)."""
        if item.get("type") != "sticky_note":
            return
        data = item.get("data")
        content = data.get("content") if isinstance(data, Mapping) else None
        if not isinstance(content, str) or not content:
            return
        self._waiting.append(content)
        if len(self._waiting) >= self._batch and preload.loaded():
            self._warm()

    def _warm(self) -> None:
        # Imported only once the preload has imported it: one module, one thread.
        from boardsmith.harvest.view import warm_texts

        if warm_texts(self._waiting):
            self.warmed += len(self._waiting)
            self._waiting = []
