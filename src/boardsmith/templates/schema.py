"""The template language: pydantic models for a board template YAML file.

Every model forbids unknown keys and validates strictly (``width: "300"`` is an
error, not a silent conversion). An element is a one-key mapping naming its
kind, e.g. ``- sticky: {content: "Bold", role: word}``, so an error's field
path reads like the YAML (``elements[0].frame.children[2].sticky.color``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from boardsmith.templates.carry_spec import CarryFrom
from boardsmith.templates.report_spec import ReportSpec

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
IDENT_PATTERN = r"^[a-z][a-z0-9_]*$"


def _check_hex(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"'{value}' is not a colour; use a hex colour like #fff9b1")
    return value.lower()


HexColour = Annotated[
    str,
    AfterValidator(_check_hex),
    WithJsonSchema({"type": "string", "pattern": _HEX.pattern}),
]
StickyColour = Literal[
    "gray",
    "light_yellow",
    "yellow",
    "orange",
    "light_green",
    "green",
    "dark_green",
    "cyan",
    "light_pink",
    "pink",
    "violet",
    "red",
    "light_blue",
    "blue",
    "dark_blue",
    "black",
]
ShapeKind = Literal[
    "rectangle",
    "round_rectangle",
    "circle",
    "triangle",
    "rhombus",
    "parallelogram",
    "trapezoid",
    "pentagon",
    "hexagon",
    "octagon",
    "wedge_round_rectangle_callout",
    "star",
    "flow_chart_predefined_process",
    "cloud",
    "cross",
    "can",
    "right_arrow",
    "left_arrow",
    "left_right_arrow",
    "left_brace",
    "right_brace",
]
Align = Literal["start", "center", "end"]
TextAlign = Literal["left", "center", "right"]
Ident = Annotated[str, Field(pattern=IDENT_PATTERN)]
KeyTemplate = Annotated[str, Field(pattern=r"^[a-z0-9_{}-]+$", min_length=1)]
Size = Annotated[float, Field(gt=0, le=100_000)]
Spacing = Annotated[float, Field(ge=0, le=10_000)]
ParamValue = str | int | bool | list[str]
ParamType = Literal["str", "int", "bool", "list[str]"]


class _Strict(BaseModel):
    # Built on first use: the first validation builds each model once, forward
    # references (Node inside Frame, Row, ...) resolved by then; built at import, every
    # model made its own validator and TemplateSpec's build made them all again.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Parameter(_Strict):
    """A typed template parameter; every parameter has a default."""

    type: ParamType
    default: ParamValue
    description: str = ""
    min: int | None = Field(
        default=None, description="int: smallest value; list[str]: fewest items"
    )
    max: int | None = Field(default=None, description="int: largest value; list[str]: most items")
    max_length: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="str and list[str]: most characters in one value"
    )
    with_roles: bool = Field(
        default=False,
        description=(
            "list[str]: each value may carry a role in parentheses ('Ana (principal)'); "
            "in a repeat over it, {x} is the name and {x_role} the role"
        ),
    )
    unique: bool = Field(
        default=False,
        description=(
            "list[str]: no two values may be equal, ignoring case and surrounding spaces "
            "(e.g. one lane per participant)"
        ),
    )

    @model_validator(mode="after")
    def _default_matches_type(self) -> Parameter:
        ok = {
            "str": isinstance(self.default, str),
            "int": isinstance(self.default, int) and not isinstance(self.default, bool),
            "bool": isinstance(self.default, bool),
            "list[str]": isinstance(self.default, list),
        }[self.type]
        if not ok:
            article = "an" if self.type == "int" else "a"
            raise ValueError(f"default {self.default!r} is not {article} {self.type}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is larger than max {self.max}")
        if self.unique and self.type != "list[str]":
            raise ValueError(f"unique applies to list[str] parameters, not {self.type}")
        if self.with_roles and self.type != "list[str]":
            raise ValueError(f"with_roles applies to list[str] parameters, not {self.type}")
        return self


class _Common(_Strict):
    when: str | None = Field(
        default=None,
        description="Include only when this bool/int/list parameter is truthy ('!name' negates).",
    )


class _Drawable(_Common):
    key: KeyTemplate | None = Field(
        default=None, description="Key segment; may use loop variables like 'lane-{person}'."
    )
    role: Ident | None = Field(default=None, description="What harvest reads this item as.")
    labels: dict[Ident, str] = Field(
        default_factory=dict, description="Plain-text facts for harvest; may interpolate."
    )


class Text(_Drawable):
    """A text item. Only its width is sent; the height follows the content."""

    content: str
    width: Size = 400
    font_size: Annotated[int, Field(ge=6, le=400)] = 14
    color: HexColour = "#1a1a1a"
    align: TextAlign = "left"

    @model_validator(mode="after")
    def _wide_enough(self) -> Text:
        if self.width < 1.7 * self.font_size:
            raise ValueError(f"width {self.width:g} is below 1.7 x font_size ({self.font_size})")
        return self


class Sticky(_Drawable):
    """A sticky note. Miro fixes its aspect ratio, so only ``width`` is given."""

    content: str = ""
    width: Annotated[float, Field(ge=20, le=2000)] = 199
    shape: Literal["square", "rectangle"] = "square"
    color: StickyColour = "light_yellow"
    align: TextAlign = "center"


class Card(_Drawable):
    """A card: a titled item a team moves around, e.g. one action of a timeline.

    Harvest reads a card as it reads a sticky (its title is the note's text), so a
    card in a region is part of that region's notes.
    """

    content: str = Field(default="", description="The card's title; may interpolate.")
    width: Annotated[float, Field(ge=20, le=4000)] = 320
    height: Annotated[float, Field(ge=20, le=4000)] = 94
    theme: HexColour = Field(default="#2d9bf0", description="The card's colour.")


class Shape(_Drawable):
    """A shape: a box, an area, a dot. ``children`` are laid out on top of it."""

    shape: ShapeKind = "rectangle"
    content: str = ""
    width: Size | None = None
    height: Size | None = None
    fill: HexColour = "#ffffff"
    border: HexColour = "#1a1a1a"
    border_width: Annotated[float, Field(ge=1, le=24)] = 2
    border_style: Literal["normal", "dotted", "dashed"] = "normal"
    color: HexColour = "#1a1a1a"
    font_size: Annotated[int, Field(ge=6, le=400)] = 14
    align: TextAlign = "center"
    valign: Literal["top", "middle", "bottom"] = "middle"
    padding: Spacing = 20
    gap: Spacing = 16
    last_at_bottom: bool = Field(
        default=False,
        description=(
            "With a fixed height: the last child sits at the bottom (inside the padding) "
            "and the room left over stays free above it, e.g. a lane's picks area."
        ),
    )
    children: list[Node] = Field(default_factory=list)


class Frame(_Drawable):
    """A frame; its children are stacked in a column inside its padding."""

    key: KeyTemplate
    title: str
    fill: HexColour = "#ffffff"
    width: Annotated[float, Field(ge=100, le=100_000)] | None = None
    height: Annotated[float, Field(ge=100, le=100_000)] | None = None
    padding: Spacing = 60
    gap: Spacing = 40
    children: list[Node] = Field(default_factory=list)


class Row(_Common):
    """Children side by side, left to right."""

    key: KeyTemplate | None = None
    gap: Spacing = 24
    align: Align = "start"
    children: list[Node] = Field(default_factory=list)


class Column(_Common):
    """Children stacked top to bottom."""

    key: KeyTemplate | None = None
    gap: Spacing = 24
    align: Align = "start"
    children: list[Node] = Field(default_factory=list)


class Grid(_Common):
    """Children in equal cells, ``columns`` to a row, filled left to right."""

    key: KeyTemplate | None = None
    columns: Annotated[int, Field(ge=1, le=100)]
    gap: Spacing = 16
    children: list[Node] = Field(default_factory=list)


class Repeat(_Common):
    """One copy of ``body`` per item of a list parameter, or ``count`` copies.

    Inside the body, ``{<as>}`` is the item (or the 1-based number) and
    ``{<as>_n}`` its 1-based position. In keys, values become slugs.
    """

    model_config = ConfigDict(populate_by_name=True)

    key: KeyTemplate | None = None
    for_each: Ident | None = Field(default=None, description="A list[str] parameter.")
    count: Annotated[int, Field(ge=0, le=5000)] | Ident | None = Field(
        default=None, description="A number, or the name of an int parameter."
    )
    as_: Ident = Field(default="item", alias="as")
    layout: Literal["row", "column", "grid"] = "row"
    columns: Annotated[int, Field(ge=1, le=100)] = 8
    gap: Spacing = 24
    align: Align = "start"
    body: Node

    @model_validator(mode="after")
    def _one_source(self) -> Repeat:
        if (self.for_each is None) == (self.count is None):
            raise ValueError("give exactly one of for_each or count")
        return self


class Connector(_Common):
    """A line between two items, named by their full keys (may interpolate)."""

    key: KeyTemplate
    start: str
    end: str
    shape: Literal["straight", "elbowed", "curved"] = "curved"
    color: HexColour = "#1a1a1a"
    stroke_width: Annotated[float, Field(ge=1, le=24)] = 2
    role: Ident | None = None
    labels: dict[Ident, str] = Field(default_factory=dict)


ELEMENT_KINDS: tuple[str, ...] = (
    "frame",
    "text",
    "sticky",
    "card",
    "shape",
    "row",
    "column",
    "grid",
    "repeat",
    "connector",
)

Element = Frame | Text | Sticky | Card | Shape | Row | Column | Grid | Repeat | Connector


class Node(_Strict):
    """One element: a mapping with exactly one key naming its kind."""

    model_config = ConfigDict(
        json_schema_extra={"minProperties": 1, "maxProperties": 1},
    )

    frame: Frame | None = None
    text: Text | None = None
    sticky: Sticky | None = None
    card: Card | None = None
    shape: Shape | None = None
    row: Row | None = None
    column: Column | None = None
    grid: Grid | None = None
    repeat: Repeat | None = None
    connector: Connector | None = None

    @model_validator(mode="before")
    @classmethod
    def _exactly_one_kind(cls, data: Any) -> Any:
        if isinstance(data, dict):
            kinds = [k for k in data if k in ELEMENT_KINDS]
            if len(kinds) != 1:
                got = ", ".join(str(k) for k in data) or "nothing"
                raise ValueError(
                    f"an element needs exactly one of {', '.join(ELEMENT_KINDS)} (got {got})"
                )
        return data

    @property
    def kind(self) -> str:
        for name in ELEMENT_KINDS:
            if getattr(self, name) is not None:
                return name
        raise AssertionError("validated Node without a kind")  # pragma: no cover

    @property
    def element(self) -> Element:
        value: Element = getattr(self, self.kind)
        return value


class TemplateSpec(_Strict):
    """A whole template file."""

    name: Annotated[str, Field(pattern=NAME_PATTERN, max_length=60)]
    aliases: list[Annotated[str, Field(pattern=NAME_PATTERN, max_length=60)]] = Field(
        default_factory=list
    )
    title: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="Board name; may interpolate parameters."
    )
    description: str
    version: Annotated[int, Field(ge=1)]
    parameters: dict[Ident, Parameter] = Field(default_factory=dict)
    layout: Literal["row", "column"] = "row"
    gap: Spacing = 200
    elements: Annotated[list[Node], Field(min_length=1)]
    report: ReportSpec | None = Field(
        default=None, description="The report harvest writes for boards of this template."
    )
    from_: list[CarryFrom] = Field(
        default_factory=list,
        alias="from",
        description="What `create --from BOARD` takes from an earlier board, per its template.",
    )
