"""Enumerations Miro validates (from the OpenAPI spec and API-NOTES)."""

from __future__ import annotations

STICKY_COLORS = frozenset(
    [
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
)
STICKY_SHAPES = frozenset({"square", "rectangle"})
TEXT_ALIGN = frozenset({"left", "right", "center"})
TEXT_ALIGN_VERTICAL = frozenset({"top", "middle", "bottom"})
FONT_FAMILIES = frozenset(
    [
        "arial",
        "abril_fatface",
        "bangers",
        "eb_garamond",
        "georgia",
        "graduate",
        "gravitas_one",
        "fredoka_one",
        "nixie_one",
        "open_sans",
        "permanent_marker",
        "pt_sans",
        "pt_sans_narrow",
        "pt_serif",
        "rammetto_one",
        "roboto",
        "roboto_condensed",
        "roboto_slab",
        "caveat",
        "times_new_roman",
        "titan_one",
        "lemon_tuesday",
        "roboto_mono",
        "noto_sans",
        "plex_sans",
        "plex_serif",
        "plex_mono",
        "spoof",
        "tiempos_text",
        "formular",
    ]
)
BORDER_STYLES = frozenset({"normal", "dotted", "dashed"})
SHAPES = frozenset(
    [
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
) | frozenset(
    "flow_chart_" + s
    for s in [
        "connector",
        "magnetic_disk",
        "input_output",
        "decision",
        "delay",
        "display",
        "document",
        "magnetic_drum",
        "internal_storage",
        "manual_input",
        "manual_operation",
        "merge",
        "multidocuments",
        "note_curly_left",
        "note_curly_right",
        "note_square",
        "offpage_connector",
        "or",
        "predefined_process_2",
        "preparation",
        "process",
        "online_storage",
        "summing_junction",
        "terminator",
    ]
)
TAG_COLORS = frozenset(
    [
        "red",
        "light_green",
        "cyan",
        "yellow",
        "magenta",
        "green",
        "blue",
        "gray",
        "violet",
        "dark_green",
        "dark_blue",
        "black",
    ]
)
ITEM_TYPES = frozenset(
    [
        "text",
        "shape",
        "sticky_note",
        "image",
        "document",
        "card",
        "app_card",
        "preview",
        "frame",
        "embed",
        "doc_format",
        "data_table_format",
    ]
)
BULK_TYPES = frozenset(
    {"app_card", "text", "shape", "sticky_note", "image", "document", "card", "frame", "embed"}
)
#: Types the emulator can create (the rest of Miro's kinds are out of scope).
SUPPORTED_TYPES = frozenset({"sticky_note", "shape", "text", "frame", "card"})
CONNECTOR_SHAPES = frozenset({"straight", "elbowed", "curved"})
SNAP_TO = frozenset({"auto", "top", "right", "bottom", "left"})
STROKE_CAPS = frozenset(
    [
        "none",
        "stealth",
        "rounded_stealth",
        "diamond",
        "filled_diamond",
        "oval",
        "filled_oval",
        "arrow",
        "triangle",
        "filled_triangle",
        "erd_one",
        "erd_many",
        "erd_only_one",
        "erd_zero_or_one",
        "erd_one_or_many",
        "erd_zero_or_many",
    ]
)
TEXT_ORIENTATION = frozenset({"horizontal", "aligned"})
BOARD_SORTS = frozenset(
    {"default", "last_modified", "last_opened", "last_created", "alphabetically"}
)
