"""--anonymise: every name becomes the same pseudonym in every format and on every board."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from boardsmith.harvest.anonymise import Pseudonyms, names_in
from boardsmith.harvest.exports import to_csv
from boardsmith.harvest.model import BoardHarvest, HarvestDocument, NoteRecord
from boardsmith.render.report import render_report
from tests.conftest import MakeClient
from tests.reports.sessions import SESSIONS

PEOPLE = ("Ana", "Ben", "Cy", "Dana", "Dee")


def test_pseudonyms_are_sorted_stable_and_spreadsheet_lettered() -> None:
    names = Pseudonyms(["Cy", "ana", "Ben", "Ana"])
    assert [names.of(n) for n in ("Ana", "ANA", "Ben", "Cy")] == [
        "Participant A",
        "Participant A",
        "Participant B",
        "Participant C",
    ]
    assert names.of("nobody") == "nobody"
    many = Pseudonyms(f"Person {i:02d}" for i in range(28))
    assert many.of("Person 25") == "Participant Z"
    assert many.of("Person 26") == "Participant AA"


def test_names_are_replaced_as_whole_words_and_as_slugs() -> None:
    names = Pseudonyms(["Ana", "Ana María"])
    assert names.text("Ana's idea; ask ana") == "Participant A's idea; ask Participant A"
    assert names.text("Banana stays") == "Banana stays"  # only whole words
    assert names.text("Ana María agrees") == "Participant B agrees"  # the longer name first
    assert names.text("vision/lanes/lane-ana/why") == "vision/lanes/lane-participant-a/why"


async def test_every_format_and_the_picture_lose_every_name(
    make_client: MakeClient, tmp_path: Path
) -> None:
    _, document, results = await SESSIONS["leadership-vision"](make_client, tmp_path)
    snapshots = {r.harvest.board_id: r.snapshot for r in results}
    names = Pseudonyms(names_in([document], snapshots.values()))
    assert {"Ana", "Ben", "Cy"} <= names_in([document])
    hidden = names.document(document)
    pictures = {k: names.snapshot(v) for k, v in snapshots.items()}
    outputs = {
        "json": hidden.to_json(),
        "csv": to_csv(hidden),
        "md": render_report(hidden, "md"),
        "html": render_report(hidden, "html", snapshots=pictures),
    }
    for fmt, text in outputs.items():
        for person in ("Ana", "Ben", "Cy", "Fay"):  # Fay is the facilitator who built it
            assert f"{person}" not in text.replace("Participant", ""), (fmt, person)
    # The same person has the same pseudonym everywhere: Ana (sorted first) is A.
    assert "| Participant A | Joyful, Bold, Caring | Students come first, always |" in outputs["md"]
    data = json.loads(outputs["json"])
    assert data["boards"][0]["participants"][0]["name"] == "Participant A"
    assert HarvestDocument.model_validate(data) == hidden  # still a valid document


async def test_two_boards_of_one_run_share_the_pseudonyms(
    make_client: MakeClient, tmp_path: Path
) -> None:
    _, first, _ = await SESSIONS["action-timeline"](make_client, tmp_path / "a")
    _, second, _ = await SESSIONS["see-hear-feel"](make_client, tmp_path / "b")
    both = HarvestDocument(boards=[*first.boards, *second.boards])
    hidden = Pseudonyms(names_in([both])).document(both)
    ana = [
        n.participant for b in hidden.boards for n in _notes(b) if n.text.startswith(("Adv", "Stu"))
    ]
    # Ana wrote "Advisory ..." and "Student survey" on one board, "Students ..." on the other.
    assert ana == ["Participant A"] * 3


def _notes(board: BoardHarvest) -> Iterator[NoteRecord]:
    report = board.report
    assert report is not None
    for section in report.sections:
        for group in section.groups:
            yield from group.notes
        if section.table is not None:
            for row in section.table.rows:
                for notes in row.cells.values():
                    yield from notes
