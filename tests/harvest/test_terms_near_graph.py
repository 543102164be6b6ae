"""The process-wide near-duplicate graph: exactly the near duplicates a scan finds, and
a merger's decisions do not depend on what other mergers (other boards, earlier
refreshes of a watch) put into the graph before it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardsmith.harvest import text
from boardsmith.harvest.text import NearGraph, TermMerger, is_near_duplicate
from tests.harvest.test_text_fuzzy_index import (
    BANK,
    ENGLISH,
    ScanningMerger,
    _board,
    _decisions,
)

FORMS = st.lists(st.text(alphabet="abcdeé", min_size=5, max_size=14), max_size=80)


@settings(max_examples=60, deadline=None)
@given(FORMS)
def test_the_graph_holds_exactly_the_near_duplicates(forms: list[str]) -> None:
    graph = NearGraph()
    for form in forms:
        graph.add(form)
    distinct = list(dict.fromkeys(forms))
    for form in distinct:
        expected = {k for k in distinct if k != form and is_near_duplicate(form, k)}
        assert set(graph.add(form)) == expected


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=200),
)
def test_a_merger_decides_alike_after_other_boards_filled_the_graph(
    seed: int, other: int, size: int
) -> None:
    # Another board (or an earlier refresh) holding near duplicates of this one's forms.
    polluter = TermMerger(languages=ENGLISH)
    for item in _board(other, 300):
        polluter.add(item)
    items = _board(seed, size)
    assert _decisions(TermMerger(BANK, languages=ENGLISH), items) == _decisions(
        ScanningMerger(BANK, languages=ENGLISH), items
    )


def test_a_full_graph_is_replaced_for_new_mergers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "NEAR_GRAPH_SIZE", 3)
    monkeypatch.setattr(NearGraph, "_current", None)
    early = TermMerger(languages=ENGLISH)
    groups = [early.add(w) for w in ("idea 1", "idea 2", "idea 3", "idea 4", "idea 5")]
    # The graph filled up while ``early`` was using it: it keeps it, typos still merge.
    assert len({id(g) for g in groups}) == 1
    late = TermMerger(languages=ENGLISH)
    assert late.add("idea 7") is late.add("idea 8")
    # ``late`` started a fresh graph: it holds only what ``late`` indexed.
    assert len(NearGraph.shared()) == 2
