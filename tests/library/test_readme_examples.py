"""The README's library sections run as written, so they cannot rot.

"Use it from Python" runs block by block in one namespace, like a ``python -m asyncio``
session, against a served emulator reached through ``MIRO_API_URL``; a ``text`` block
right after a ``python`` block is that block's exact output. "Test your own Miro code
offline" is a test module of its own, run by a separate pytest as a user's project would.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest

from boardsmith.miro import MiroClient
from boardsmith.testing import MiroEmulator
from tests.harvest.workshop import Workshop

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[2] / "README.md"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)

#: Who put which adjectives in their lane on the board the harvest example reads.
PICKS = {
    "Ana": ["Bold", "Calm", "Joyful"],
    "Ben": ["bold", "Kind", "Joyful"],
    "Cy": ["Calm", "Curious", "Kind!"],
}


def section(title: str) -> tuple[str, int]:
    """The text of the README section ``## title`` and the line it starts on."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n") + 1
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else len(text)], text.count("\n", 0, start) + 1


def examples(title: str) -> list[tuple[int, str, str | None]]:
    """``(line, python source, expected output or None)`` per python block of a section."""
    body, first_line = section(title)
    found: list[tuple[int, str, str | None]] = []
    for match in _FENCE.finditer(body):
        lang, code = match.group(1), match.group(2)
        line = first_line + body.count("\n", 0, match.start()) + 1
        if lang == "python":
            found.append((line, code, None))
        elif lang == "text" and found and found[-1][2] is None:
            found[-1] = (found[-1][0], found[-1][1], code)
    assert found, f"README section {title!r} has no python examples"
    return found


async def _no_sleep(seconds: float) -> None:
    """Retry waits, skipped."""


async def _workshop_board(emulator: MiroEmulator, tmp_path: Path) -> str:
    """A vision board as `boardsmith create` makes it, with PICKS in the lanes."""
    opened: list[MiroClient] = []

    async def make_client(token: str = "Fay:1", **kwargs: Any) -> MiroClient:  # noqa: S107
        client = emulator.client(token.split(":", 1)[0], **kwargs)
        opened.append(client)
        return client

    workshop = await Workshop.build(
        make_client, tmp_path, "vision-board", {"participants": list(PICKS)}
    )
    try:
        for person, words in PICKS.items():
            for n, word in enumerate(words):
                await workshop.sticky(
                    person, word, *await workshop.pick_at(person, 0.5, 0.2 + 0.3 * n)
                )
    finally:
        for client in opened:
            await client.aclose()
    return workshop.board_id


async def test_use_it_from_python_runs_as_written(
    miro_emulator: MiroEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    board_id = await _workshop_board(miro_emulator, tmp_path)
    # The facilitator (who made the board) is the README's user: a token and a URL in the
    # environment, exactly as a user would set them.
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro_emulator.token("Fay"))
    monkeypatch.setenv("MIRO_API_URL", miro_emulator.base_url)
    monkeypatch.setenv("BOARD_ID", board_id)

    namespace: dict[str, Any] = {"__name__": "readme"}
    for line, code, expected in examples("Use it from Python"):
        compiled = compile(code, f"README.md:{line}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            result = eval(compiled, namespace)  # noqa: S307 - the README's own code
            if result is not None:
                await result
        if expected is not None:
            assert out.getvalue() == expected, f"README.md:{line} printed something else"

    # The example's client was the real thing: it went over HTTP as Fay.
    assert namespace["client"].base_url == miro_emulator.base_url
    created = miro_emulator.stats()["requests"]
    assert created["POST /v2/boards/{board_id}/items/bulk"] >= 2
    hopeful = [i for i in await _texts(miro_emulator, namespace["board"].id) if i == "Hopeful"]
    assert hopeful == ["Hopeful"]

    # The error example's two branches, with the faults that cause them.
    add_sticky = namespace["add_sticky"]
    board = namespace["board"].id
    async with miro_emulator.client("Fay", sleep=_no_sleep, max_retries=0) as client:
        namespace["client"] = client
        miro_emulator.set_faults(fail_after_commit=1.0, fail_mode="drop")
        await add_sticky(board, "Brave?")  # committed, answer lost: found, not made twice
        miro_emulator.set_faults(fail_after_commit=0.0, rate_429=1.0)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            await add_sticky(board, "Never")
        miro_emulator.set_faults(rate_429=0.0)
    assert out.getvalue().startswith("Miro is busy, try later: POST /v2/boards/")
    assert "429" in out.getvalue()
    assert miro_emulator.token("Fay") not in out.getvalue()
    texts = await _texts(miro_emulator, board)
    assert texts.count("Brave?") == 1
    assert "Never" not in texts


async def _texts(emulator: MiroEmulator, board_id: str) -> list[str]:
    async with emulator.http_client("Fay") as http:
        page = (await http.get(f"/v2/boards/{board_id}/items?type=sticky_note&limit=50")).json()
    return [item["data"]["content"] for item in page["data"]]


@pytest.mark.slow
def test_test_your_own_miro_code_offline_runs_as_a_users_tests(pytester: pytest.Pytester) -> None:
    blocks = examples("Test your own Miro code offline")
    pytester.makepyfile(test_users_code="\n\n".join(code for _, code, _ in blocks))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
