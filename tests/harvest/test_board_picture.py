"""``boardsmith preview BOARD`` draws the board as it is now, not the empty template."""

from __future__ import annotations

import asyncio
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.cli_helpers import run_cli as run

from .test_cli_harvest import _create, _fill_slot, _picks

SVG = "{http://www.w3.org/2000/svg}"


def _texts(path: Path) -> list[str]:
    root = ElementTree.fromstring(path.read_text())  # noqa: S314 (our own output)
    return [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]


def test_preview_of_a_board_shows_what_participants_put_on_it(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    board_id = _create(capsys)
    asyncio.run(_picks(home, board_id, {"Ana": ["Brave", "Calm"], "Ben": ["Kind"]}))
    asyncio.run(_fill_slot(home, board_id, "Wise"))
    by_id, by_url = tmp_path / "by-id.svg", tmp_path / "by-url.svg"
    code, out, err = run(capsys, "preview", board_id, "--out", str(by_id))
    assert code == 0, err
    assert (out, err.startswith(f"wrote {by_id} (")) == ("", True)
    url = f"https://miro.com/app/board/{board_id}/?share_link_id=123"
    code, out, err = run(capsys, "preview", url, "--out", str(by_url))
    assert code == 0, err
    assert by_id.read_bytes() == by_url.read_bytes()  # same board, same bytes
    texts = _texts(by_id)
    for written in ("Brave", "Calm", "Kind", "Wise"):
        assert written in texts
    empty = tmp_path / "empty.svg"
    code, out, err = run(capsys, "preview", "vision-board", "--out", str(empty))
    assert code == 0, err
    assert "Brave" not in _texts(empty)


def test_dots_are_drawn_over_the_stickies_they_vote_for() -> None:
    from boardsmith.harvest.snapshot import build_snapshot
    from boardsmith.render.board_svg import render_board

    def item(ident: str, kind: str, w: float, created: str, **data: str) -> dict[str, object]:
        return {
            "id": ident,
            "type": kind,
            "position": {"x": 0, "y": 0},
            "geometry": {"width": w, "height": w},
            "data": data,
            "createdAt": created,
        }

    # The dot was made first, the sticky later: the dot is still drawn on top.
    snapshot = build_snapshot(
        "b",
        [
            item("1", "shape", 32, "2026-01-01T00:00:00Z", shape="circle"),
            item("2", "sticky_note", 150, "2026-01-02T00:00:00Z", content="Bold"),
        ],
    )
    svg = render_board(snapshot)
    assert svg.index("<ellipse") > svg.index("Bold")
    assert render_board(snapshot) == svg


def test_preview_of_neither_a_template_nor_a_board_is_one_line(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "preview", "nosuch", "--out", str(tmp_path / "x.svg"))
    assert code == 2
    assert err.count("\n") == 1
    assert "TEMPLATE_OR_BOARD nosuch: no template of that name and no such board" in err
    code, _, err = run(
        capsys, "preview", "https://example.com/board/1", "--out", str(tmp_path / "x.svg")
    )
    assert code == 2
    assert "not a Miro board URL" in err
    board_id = _create(capsys)
    code, _, err = run(
        capsys, "preview", board_id, "--param", "top_n=2", "--out", str(tmp_path / "x.svg")
    )
    assert code == 2
    assert "--param applies to templates, not to boards" in err
    assert not (tmp_path / "x.svg").exists()  # nothing half-written
