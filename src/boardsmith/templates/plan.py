"""The compiled board: a frozen, ordered list of items with stable keys.

A :class:`Plan` is what ``compile_plan`` produces and what ``boards/`` applies
and ``harvest/`` reads regions from. Coordinates are always ABSOLUTE item
centres on the canvas (y grows downward); ``boards/`` converts children to
frame-relative positions when it sends them.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from boardsmith.templates.escape import unescape_text
from boardsmith.templates.geometry import CentredBox, inside
from boardsmith.templates.report_spec import ReportSpec

ItemType = Literal["frame", "sticky_note", "shape", "text", "card", "connector"]
ParamValue = str | int | bool | list[str]

#: Roles that mark an area of the board whose contents harvest reads by geometry.
REGION_ROLES: frozenset[str] = frozenset(
    {
        "lane",
        "why",
        "word_bank",
        "top_slot",
        "prompt_notes",
        "notes",
        "section",
        "cell",
        "column",
        "step",
        "condition",
        "rating",
        "evidence",
    }
)

#: Miro's sticky note aspect ratios: height = width * ratio.
STICKY_RATIO: dict[str, float] = {"square": 228 / 199, "rectangle": 228 / 350}


def sticky_height(width: float, shape: str) -> float:
    """The height Miro gives a sticky note of ``width`` (only width is ever sent)."""
    return round(width * STICKY_RATIO[shape], 2)


class PlanItem(CentredBox, BaseModel):
    """One item of the board, in Miro's terms, with absolute centre coordinates.

    ``content`` is already escaped for Miro's HTML subset (for frames it is the
    title; use :attr:`plain_text` where Miro expects plain text). ``style``
    holds Miro style fields in Miro's value formats (sticky ``fillColor`` enum
    names, hex colours for shapes and frames, ``fontSize`` as a string).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    type: ItemType
    parent: str | None = None
    x: float
    y: float
    width: float
    height: float
    content: str = ""
    shape: str | None = None
    style: dict[str, str] = Field(default_factory=dict)
    role: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    start: str | None = None
    end: str | None = None

    @property
    def plain_text(self) -> str:
        """``content`` with the HTML escaping undone (what a reader sees)."""
        return unescape_text(self.content)


class Region(BaseModel):
    """An area of the board with a meaning for harvest, in absolute bounds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    role: str
    labels: dict[str, str]
    parent: str | None
    left: float
    top: float
    right: float
    bottom: float

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies inside the region (edges included)."""
        return inside(self.left, self.top, self.right, self.bottom, x, y)


class Plan(BaseModel):
    """A compiled board template: what to create, in creation order (frames first).

    ``version`` is the template author's integer version; ``source_hash`` is
    the SHA-256 of the template file, so a change that forgot to bump the
    version is still visible.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str
    title: str
    version: int
    source_hash: str
    params: dict[str, ParamValue]
    items: tuple[PlanItem, ...]
    report: ReportSpec | None = Field(
        default=None, description="the template's report, its headings interpolated"
    )

    @cached_property
    def by_key(self) -> dict[str, PlanItem]:
        """Items by their key."""
        return {item.key: item for item in self.items}

    @cached_property
    def position(self) -> dict[str, int]:
        """Each item's index in creation order, by key (``items.index`` is linear)."""
        return {item.key: n for n, item in enumerate(self.items)}

    @cached_property
    def region_items(self) -> list[PlanItem]:
        """The items that are regions (see :meth:`regions`), in plan order."""
        return [i for i in self.items if i.role is not None and i.role in REGION_ROLES]

    def regions(self) -> list[Region]:
        """Items whose role marks an area (lane, word bank, top slot, ...), in plan order."""
        return [
            Region(
                key=item.key,
                role=item.role,
                labels=dict(item.labels),
                parent=item.parent,
                left=item.left,
                top=item.top,
                right=item.right,
                bottom=item.bottom,
            )
            for item in self.items
            if item.role is not None and item.role in REGION_ROLES
        ]

    def region_at(
        self, x: float, y: float, roles: frozenset[str] | set[str] | None = None
    ) -> Region | None:
        """The innermost region (smallest area) containing the point, optionally by role.

        Regions nest (a prompt area inside a section), so the smallest one is
        the most specific place a sticky was put.
        """
        found = [
            r for r in self.regions() if r.contains(x, y) and (roles is None or r.role in roles)
        ]
        if not found:
            return None
        return min(found, key=lambda r: (r.right - r.left) * (r.bottom - r.top))

    def with_role(self, role: str) -> list[PlanItem]:
        """Items carrying ``role``, in plan order."""
        return [item for item in self.items if item.role == role]

    def to_json(self) -> str:
        """Deterministic JSON: sorted keys, 2-space indent, geometry rounded to 0.01."""
        data = self.model_dump(mode="json")
        for item in data["items"]:
            for name in ("x", "y", "width", "height"):
                item[name] = _fixed(item[name])
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Parse what :meth:`to_json` wrote."""
        return cls.model_validate_json(text)


def _fixed(value: float) -> float | int:
    # Integral coordinates are written as integers so "120" never flips to "120.0".
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return int(rounded)
    return rounded
