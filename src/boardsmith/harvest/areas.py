"""What a person calls an area of the board: "Ana's lane", "top box 2", "How it feels".

Reports and warnings name areas in these words, never by their template keys
(``vision/lanes/lane-ana``): a coach reads them, not a developer.
"""

from __future__ import annotations

from collections.abc import Mapping

from boardsmith.templates import Plan

__all__ = ["area_name", "column_heading", "humanise"]


def humanise(label: str) -> str:
    """``problem_of_practice`` → ``Problem of practice``."""
    words = label.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _heading(plan: Plan | None, key: str) -> str | None:
    if plan is None:
        return None
    heading = plan.by_key.get(f"{key}/heading")
    if heading is not None and heading.plain_text.strip():
        return heading.plain_text.strip()
    return None


def column_heading(plan: Plan | None, column: str) -> str:
    """A column's heading as the board shows it (its header's text)."""
    for item in plan.items if plan is not None else ():
        if item.role == "column" and item.labels.get("column") == column and item.plain_text:
            return item.plain_text.strip()
    return humanise(column)


def area_name(plan: Plan | None, key: str, role: str, labels: Mapping[str, str]) -> str:
    """The area's name in plain words, from its role, labels and heading on the board."""
    return (
        _role_name(plan, role, labels)
        or _heading(plan, key)
        or _label_name(labels)
        or humanise(key.rsplit("/", 1)[-1])
    )


def _role_name(plan: Plan | None, role: str, labels: Mapping[str, str]) -> str | None:
    """The name a role gives its areas ("Ana's lane", "top box 2"), when it has one."""
    who = labels.get("participant")
    if role == "lane" and who:
        return f"{who}'s lane"
    if role == "why" and who:
        return f"{who}'s \u201cwhy\u201d box"
    if role == "word_bank":
        return "the word bank"
    if role == "top_slot" and labels.get("rank"):
        return f"top box {labels['rank']}"
    if role == "cell" and labels.get("row"):
        return f"row {labels['row']}, {column_heading(plan, labels.get('column', ''))}"
    condition = labels.get("condition")
    if role == "rating" and condition:
        return f"{condition}, level {labels.get('level', '?')}"
    if role == "evidence" and condition:
        return f"the evidence for {condition}"
    return None


def _label_name(labels: Mapping[str, str]) -> str | None:
    """The area's title, else its first naming label in plain words."""
    if labels.get("title"):
        return labels["title"]
    for name in ("prompt", "section", "step", "column", "condition"):
        if labels.get(name):
            return humanise(labels[name])
    return None
