"""The roll-up benchmark runs end to end at a tiny size with no latency, so the script
cannot rot; its lower bound is checked exactly.

No ``__init__.py`` here, for the reason given in ``test_bench_smoke.py``.
"""

from __future__ import annotations

import pytest
from bench.bench_harvest import Board

from bench import bench_rollup
from boardsmith.templates import Plan


@pytest.mark.slow
def test_rollup_bench_runs_and_accounts_for_every_board(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = bench_rollup.main(
        ["--latency-ms", "0", "--boards", "3", "--stickies", "10", "--memory-boards", "2"]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.out + captured.err
    assert "FAIL" not in captured.err
    row = next(line for line in captured.out.splitlines() if line.startswith("|      3 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert int(cells[3]) >= int(cells[6])  # roll-up calls are never below the bound's
    # The plain reader makes exactly the bound's item pages, and no members or board call.
    assert int(cells[5]) + 2 * 3 == int(cells[6])
    assert "peak MiB" in captured.out


def _board(items: int, largest: int) -> Board:
    plan = Plan(template="", title="", version=0, source_hash="", params={}, items=())
    return Board("b", plan, {}, items=items, stickies=largest, frames=1, largest_type=largest)


def test_lower_bound_is_the_higher_of_floor_and_budget() -> None:
    # 50 boards of 323 items: 7 pages each plus members and the board (Level 1): 450
    # calls at 8 in flight = 57 waves.
    boards = [_board(323, 245)] * 50
    bound = bench_rollup.lower_bound(boards, 0.1, 8, 100_000)
    assert (bound.pages, bound.calls) == (350, 450)
    assert bound.credits == 350 * 100 + 100 * 50
    assert bound.floor == pytest.approx(5.7)
    assert bound.budget == pytest.approx(0.1)  # 40,000 credits fit the first window
    assert bound.seconds == pytest.approx(5.7)
    # A tenth of the budget: 10,000 credits a window, the last call starts at 3 min; 20 s
    # into the first window, the fourth window opens 20 s sooner.
    tight = bench_rollup.lower_bound(boards, 0.1, 8, 10_000)
    assert tight.budget == pytest.approx(180.1)
    assert tight.seconds == pytest.approx(180.1)
    late = bench_rollup.lower_bound(boards, 0.1, 8, 10_000, window_offset=20.0)
    assert late.budget == pytest.approx(160.1)
    # Two pages of members a board: 50 more calls.
    assert bench_rollup.lower_bound(boards, 0.1, 8, 100_000, member_pages=[2] * 50).calls == 500


def test_one_board_needs_two_round_trips_once_a_type_needs_two_pages() -> None:
    # 9 calls fit two waves; no chain longer than two is certain for a complete reader.
    assert bench_rollup.lower_bound([_board(323, 245)], 0.1, 8, 100_000).floor == (
        pytest.approx(0.2)
    )
    assert bench_rollup.lower_bound([_board(40, 30)], 0.1, 8, 100_000).floor == (pytest.approx(0.1))


def test_a_served_floor_above_what_miro_allows_is_the_bound() -> None:
    bound = bench_rollup.lower_bound([_board(323, 245)] * 50, 0.1, 8, 100_000)
    bound.served = 7.5
    assert bound.miro == pytest.approx(5.7)  # the floor: Miro's rules alone
    assert bound.seconds == 7.5
    bound.served = 4.0  # a server faster than the rules allow changes nothing
    assert bound.seconds == pytest.approx(5.7)
