"""The ranking rule is written once: ``tally --help`` and the README state it, and the
README's worked examples give what the code gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from boardsmith.cli.app import app
from boardsmith.harvest.constants import RANKING_RULE
from boardsmith.harvest.tally import DotVote, Pick, RunoffBallot, tally

README = Path(__file__).resolve().parents[2] / "README.md"


def _words(text: str) -> str:
    return " ".join(text.split())


def _examples() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- ranking-examples -->", 1)[1].strip().split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def _names(cell: str) -> list[str]:
    return [t.strip() for t in cell.split(",") if t.strip()]


def test_the_readme_states_the_rule_word_for_word() -> None:
    assert _words(RANKING_RULE) in _words(README.read_text(encoding="utf-8"))


def test_tally_help_states_the_rule() -> None:
    import boardsmith.cli.harvest  # noqa: F401  (registers the command)

    result = CliRunner().invoke(app, ["tally", "--help"], terminal_width=400)
    assert result.exit_code == 0
    shown = _words(re.sub(r"[│╭╮╰╯─]", " ", result.output))
    for step in re.split(r"\d\. ", RANKING_RULE)[1:]:
        assert _words(step)[:40] in shown


@pytest.mark.parametrize("row", _examples(), ids=lambda row: row[0][:40])
def test_the_readme_examples_rank_as_documented(row: list[str]) -> None:
    picks_cell, dots_cell, runoff_cell, top_cell, tie_cell = row
    picks = [
        Pick(person.strip(), word)
        for entry in picks_cell.split(";")
        for person, words in [entry.split(":")]
        for word in _names(words)
    ]
    people = list(dict.fromkeys(p.participant for p in picks))
    dots = [DotVote(None, word) for word in _names(dots_cell)]
    ballot = None
    if runoff_cell:
        votes = {v.rsplit(" ", 1)[0]: int(v.rsplit(" ", 1)[1]) for v in _names(runoff_cell)}
        ballot = RunoffBallot(region="runoff", votes=votes)
    record = tally(picks, dots, participants=people, top=2, runoff=ballot)
    assert record.top == _names(top_cell)
    assert record.ties_at_cutoff == _names(tie_cell)
