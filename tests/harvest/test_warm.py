"""A board's texts are worked on while its pages arrive, and the harvest says the same.

The warmed answers are per-process caches of pure functions (the cleaned text and its
items, each form's lemma, each form's near duplicates), so a harvest after warming
must equal one from cold caches, typo merges included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from boardsmith.harvest import api, preload, text, view
from boardsmith.harvest.api import BoardSource, harvest_boards, harvest_snapshot
from boardsmith.harvest.snapshot import Snapshot, read_snapshot
from boardsmith.harvest.text import NearGraph
from boardsmith.harvest.warm import TextWarmer
from tests.conftest import MakeClient
from tests.harvest.workshop import Workshop

#: Lane picks with typos and inflections the merger folds into one term each.
PICKS = {
    "Ana": ["Collaborative", "Joyful"],
    "Ben": ["Colaborative", "Joyfull"],
    "Cy": ["Collaboratives", "Inclusive"],
}


def _cold() -> None:
    """Every cache a warmer fills, emptied (as in a fresh process)."""
    NearGraph.reset()
    for cached in (view._read_text, text.compact, text._analysis, text._lemma_of_form):
        cached.cache_clear()


async def _board(make_client: MakeClient, tmp_path: Path) -> Workshop:
    workshop = await Workshop.build(make_client, tmp_path, params={"participants": list(PICKS)})
    for person, words in PICKS.items():
        for n, word in enumerate(words):
            x, y = await workshop.pick_at(person, fy=0.3 + 0.4 * n)
            await workshop.sticky(person, word, x, y)
    return workshop


async def test_a_warmed_harvest_equals_a_cold_one(make_client: MakeClient, tmp_path: Path) -> None:
    workshop = await _board(make_client, tmp_path)
    snapshot = await read_snapshot(workshop.facilitator, workshop.board_id)

    def harvested() -> Any:
        return harvest_snapshot(snapshot, plan=workshop.plan, item_ids=workshop.item_ids)

    preload.harvest_modules()
    _cold()
    cold = harvested()
    _cold()
    contents = [i.content for i in snapshot.of_type("sticky_note")]
    text.preload_dictionaries()
    preload_done = text._preloading
    assert preload_done is not None
    preload_done.join(30)
    assert view.warm_texts(contents)
    assert len(NearGraph.shared()) > 0
    warm = harvested()
    assert warm.harvest == cold.harvest
    merged = {t.term: t.picks for t in cold.harvest.tally.terms}
    assert merged["collaborative"] == 3  # the typo and the plural merged, warm or cold
    assert merged["joyful"] == 2


def test_nothing_is_warmed_until_the_dictionaries_are_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(text, "_preloading", None)
    _cold()
    assert not text.warm_terms(["Collaborative"])
    assert len(NearGraph.shared()) == 0


def _sticky(content: object, kind: str = "sticky_note") -> dict[str, Any]:
    return {"id": "1", "type": kind, "data": {"content": content}}


def test_the_warmer_takes_sticky_texts_a_page_at_a_time_once_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batches: list[list[str]] = []

    def warm_texts(texts: list[str]) -> bool:
        batches.append(list(texts))
        return True

    monkeypatch.setattr(view, "warm_texts", warm_texts)
    ready = False
    monkeypatch.setattr(preload, "loaded", lambda: ready)
    warmer = TextWarmer(batch=2)
    for item in (
        _sticky("Bold"),
        _sticky("Frame title", kind="frame"),
        _sticky(""),
        _sticky(None),
        _sticky("Kind"),
        _sticky("Brave"),
    ):
        warmer(item)
    assert batches == []  # the modules are not loaded yet: kept for later
    ready = True
    warmer(_sticky("Calm"))
    assert batches == [["Bold", "Kind", "Brave", "Calm"]]
    assert warmer.warmed == 4


async def test_one_board_is_read_with_a_warmer_a_collection_without(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    warmers: list[object] = []

    async def read(client: object, board_id: str, **options: Any) -> Snapshot:
        warmers.append(options["on_read"])
        return Snapshot(board_id=board_id, items=[])

    monkeypatch.setattr(api, "read_snapshot", read)
    client = await make_client(token="Coach:6", concurrency=4)
    await harvest_boards(client, [BoardSource("b0")])
    assert isinstance(warmers.pop(), TextWarmer)
    await harvest_boards(client, [BoardSource(f"b{n}") for n in range(5)])
    assert warmers == [None] * 5
