"""The session recorder really catches responses that break Miro's spec."""

from __future__ import annotations

import json

import httpx

from tests.conftest import ConformanceRecorder


def _check(method: str, url: str, status: int, body: object) -> list[str]:
    recorder = ConformanceRecorder()
    recorder.start("probe")
    content = b"" if body is None else json.dumps(body).encode()
    recorder.check(httpx.Request(method, url), status, content)
    return recorder.finish()


def test_conforming_response_passes() -> None:
    tag = {"id": "3458764000000000001", "title": "x", "fillColor": "red", "type": "tag"}
    assert _check("GET", "https://api.miro.com/v2/boards/uXjVKabcdef=/tags/1", 200, tag) == []


def test_wrong_types_and_missing_fields_are_reported() -> None:
    tag = {"id": 3458764000000000001, "title": "x", "type": "tag"}
    problems = _check("GET", "https://api.miro.com/v2/boards/uXjVKabcdef=/tags/1", 200, tag)
    assert any("fillColor" in p for p in problems)
    assert any("id" in p for p in problems)


def test_body_on_204_and_undocumented_success_are_reported() -> None:
    url = "https://api.miro.com/v2/boards/uXjVKabcdef=/tags/1"
    assert _check("DELETE", url, 204, {"oops": 1})
    assert _check("GET", url, 201, {})


def test_problems_outside_tests_become_orphans() -> None:
    recorder = ConformanceRecorder()
    recorder.check(httpx.Request("DELETE", "https://api.miro.com/v2/boards/x"), 204, b"{}")
    recorder.start("next test")
    assert recorder.problems == []
    assert len(recorder.orphans) == 1
