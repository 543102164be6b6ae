"""Small hand-built harvest documents for unit tests of exports and narrowing."""

from __future__ import annotations

from typing import Any

from boardsmith.harvest.model import (
    BoardHarvest,
    Bounds,
    NoteRecord,
    ParticipantRecord,
    Person,
    PromptNotes,
    RegionRecord,
    RulesRecord,
    StickyRecord,
    TopSlotRecord,
)
from boardsmith.harvest.result import choose
from boardsmith.harvest.tally import Pick, tally


def sticky(
    ident: str,
    text: str,
    *,
    region: str | None = "lane-ana",
    role: str | None = "lane",
    participant: str | None = "Ana",
    x: float = 10.0,
    y: float = -20.5,
) -> StickyRecord:
    return StickyRecord(
        id=ident,
        region=region,
        role=role,
        participant=participant,
        attributed_by="lane" if role == "lane" else "creator",
        pick=role == "lane" and participant is not None,
        raw=f"<p>{text}</p>",
        text=text,
        items=[text],
        terms=[text.casefold()] if role in ("lane", "top_slot") else [],
        from_template=False,
        colour="light_yellow",
        bounds=Bounds(x=x, y=y, width=100, height=114),
        created_by=Person(id="1", name=participant),
        created_at="2026-01-01T00:00:00Z",
    )


def board(
    *,
    board_id: str = "b1",
    slots: list[list[str]] | None = None,
    picks: list[tuple[str, str]] | None = None,
    stickies: list[StickyRecord] | None = None,
) -> BoardHarvest:
    picks = picks or [("Ana", "bold"), ("Ben", "bold"), ("Ana", "calm")]
    result = tally(
        [Pick(p, t) for p, t in picks], [], participants=["Ana", "Ben"], word_bank=[], top=2
    )
    slot_records = [
        TopSlotRecord(
            rank=i + 1,
            region=f"slot-{i + 1}",
            stickies=[f"s{i}-{j}" for j in range(len(texts))],
            texts=texts,
            terms=[t.casefold() for t in texts],
        )
        for i, texts in enumerate(slots or [[], []])
    ]
    return BoardHarvest(
        board_id=board_id,
        board_name="Lincoln",
        template="leadership-vision",
        template_version=1,
        located_by="state",
        participants=[ParticipantRecord(name="Ana", picks=["bold", "calm"])],
        regions=[
            RegionRecord(
                key="lane-ana",
                role="lane",
                label="Ana",
                labels={"participant": "Ana"},
                bounds=Bounds(x=0, y=0, width=400, height=900),
            )
        ],
        stickies=stickies
        if stickies is not None
        else [sticky("1", "bold"), sticky("2", "Calm | cool")],
        dots=[],
        tally=result,
        result=choose(result, slot_records),
        rules=RulesRecord(top_n=2, top_source="state"),
        top_slots=slot_records,
        notes=[
            PromptNotes(
                prompt="feels",
                region="feels",
                notes=[NoteRecord(sticky="3", text="we belong", participant="Ben")],
            )
        ],
        sections=[],
        unplaced=[],
        lists=[],
        item_count=3,
        warnings=[],
    )


def raw_item(item_id: str, kind: str, x: float, y: float, w: float, h: float, **extra: Any) -> Any:
    """An item as ``GET /items`` returns it: ``by`` and ``moved_by`` name its creator and
    last modifier (``fay``, the facilitator, unless given); other keys are copied."""
    return {
        "id": item_id,
        "type": kind,
        "position": {"x": x, "y": y},
        "geometry": {"width": w, "height": h},
        "createdBy": {"id": extra.pop("by", "fay")},
        "modifiedBy": {"id": extra.pop("moved_by", "fay")},
        **extra,
    }
