"""The thresholds harvest decides with, in one place so they are named and tuned once."""

from __future__ import annotations

#: Share of a sticky's area that must overlap a region when its centre is outside.
BORDER_OVERLAP = 0.25

#: Reading order groups items into rows this many board units tall (then left to right).
READING_ROW = 10.0

#: How far (board units) an item may sit from where it was and still count as unmoved.
MOVE_TOLERANCE = 1.0

#: A shape larger than this (either side, board units) is never a dot or a marker.
DOT_MAX_SIZE = 120.0

#: A dot may differ from the template's dot by this share of its width or height.
DOT_SIZE_TOLERANCE = 0.5

#: Title of the frame ``narrow --runoff`` creates; harvest reads its votes back.
RUNOFF_TITLE = "Runoff vote"


#: The whole ranking rule, as ``tally --help`` and the README state it (a test checks both).
#: It lives here, with no imports, so the CLI can show it without loading harvest.
RANKING_RULE = (
    "Adjectives are ranked by: 1. how many participants picked them (a person counts once "
    "per adjective, wherever the group later moved the sticky); 2. dot votes (each lane dot "
    "counts once, for the sticky it was put on); 3. runoff votes, only among the adjectives "
    "tied at the cut-off that are on the board's runoff; 4. word-bank order (bank words "
    "before new ones); 5. alphabetically. Steps 1-3 are votes: adjectives equal on all three "
    "across the cut-off are a tie the group settles (or `narrow --runoff`). Once the group "
    "has filled the top slots, what they hold is the result and this ranking is the proposal."
)


def reading_order(top: float, left: float, ident: str) -> tuple[float, float, str]:
    """Sort key: rows of :data:`READING_ROW` from the top, then left to right, then id."""
    return (round(top / READING_ROW), left, ident)
