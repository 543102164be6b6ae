"""What a template takes from an earlier board: ``create NAME --from BOARD``.

Protocols build on each other: the group's five adjectives start the collaborative
planning brainstorm, a purpose map's action plan becomes the action timeline, a vision
statement is what a living-vision session revisits. A template's ``from:`` block says,
per kind of earlier board, which part of that board's harvest fills which parameter:

.. code-block:: yaml

    from:
      - template: purpose-map
        take: {section: Our first action plan, column: what}
        to: actions
      - template: leadership-vision
        take: result
        to: adjectives

``take`` is ``result`` (the group's top adjectives as written) or a section of the
earlier board's report, named by its heading (and, for a table, a column label). The
values go into the parameter ``to`` as if given with ``--param``, so the board is built,
checked and re-applied the same way.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CarryFrom", "SectionSource"]

_Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=60)]
_Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SectionSource(_Strict):
    """A section of the earlier board's report, by its heading; a table's column by label."""

    section: Annotated[str, Field(min_length=1, max_length=120)]
    column: _Ident | None = Field(default=None, description="table: the column to take")


class CarryFrom(_Strict):
    """One kind of earlier board, what to take from its harvest, and where it goes."""

    template: _Name = Field(description="The earlier board's template.")
    take: Literal["result"] | SectionSource = Field(
        description="result (the group's top adjectives) or {section: HEADING, column: ...}"
    )
    to: _Ident = Field(description="The parameter (str or list[str]) the values fill.")

    @model_validator(mode="before")
    @classmethod
    def _take_is_one_of_two(cls, data: Any) -> Any:
        # Without this, pydantic names both halves of the union and the user neither.
        take = data.get("take") if isinstance(data, dict) else None
        wrong = not isinstance(take, dict) or not take.keys() <= {"section", "column"}
        if take is not None and take != "result" and wrong:
            raise ValueError(
                f"take: expected result or {{section: HEADING, column: LABEL}}, got {take!r}"
            )
        return data
