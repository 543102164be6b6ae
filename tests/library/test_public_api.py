"""The public API: what each package's ``__all__`` promises stays there, resolves, is
documented and typed. Removing or renaming a name below is a breaking change: bump the
version and say so in CHANGELOG.md, then update this list."""

from __future__ import annotations

import importlib
import importlib.resources
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PUBLIC: dict[str, set[str]] = {
    "boardsmith.miro": {
        "DEFAULT_BASE_URL", "APIError", "AmbiguousWriteError", "AuthenticationError",
        "BadRequestError", "BulkItemError", "ClientStats", "ConflictError", "ConnectError",
        "ForbiddenError", "MiroClient", "MiroError", "NotFoundError", "RateLimitError",
        "ServerError", "StaticToken", "TimeoutError", "TokenSource", "TransportError",
        "errors", "models",
    },
    "boardsmith.miro.models": {
        "AnyItem", "Board", "BoardCreate", "BoardMember", "BoardPermissionsPolicy",
        "BoardPolicyChange", "BoardSharingPolicy", "BoardUpdate", "BulkItemCreate",
        "Caption", "CaptionChange", "Card", "CardCreate", "CardData", "CardDataChange",
        "CardStyle", "CardStyleChange", "CardUpdate", "Connector", "ConnectorCreate",
        "ConnectorEnd", "ConnectorEndChange", "ConnectorStyle", "ConnectorStyleChange",
        "ConnectorUpdate", "CreatedBy", "CursorPage", "FixedRatioGeometry", "Frame",
        "FrameCreate", "FrameData", "FrameDataChange", "FrameStyle", "FrameStyleChange",
        "FrameUpdate", "Geometry", "GeometryChange", "Id", "Item", "ItemBase",
        "ItemCreateBase", "ItemUpdate", "Links", "MiroRequest", "MiroResponse",
        "OffsetPage", "PageLinks", "ParentChange", "ParentRef", "Position",
        "PositionChange", "RelativeOffset", "Shape", "ShapeCreate", "ShapeData",
        "ShapeDataChange", "ShapeStyle", "ShapeStyleChange", "ShapeUpdate", "SizeGeometry",
        "StickyNote", "StickyNoteCreate", "StickyNoteData", "StickyNoteDataChange",
        "StickyNoteStyle", "StickyNoteStyleChange", "StickyNoteUpdate", "Tag", "TagColor",
        "TagCreate", "TagUpdate", "Text", "TextCreate", "TextData", "TextDataChange",
        "TextStyle", "TextStyleChange", "TextUpdate", "UserRef", "WidthGeometry",
        "parse_item",
    },
    "boardsmith.miro.resources": {
        "BoardsResource", "CardsResource", "ConnectorsResource", "FramesResource",
        "ItemsResource", "MembersResource", "ShapesResource", "StickyNotesResource",
        "TagsResource", "TextsResource",
    },
    "boardsmith.templates": {
        "MAX_ITEMS", "REGION_ROLES", "Plan", "PlanItem", "Region", "Template", "builtin_dir",
        "builtin_templates", "compile_plan", "escape_text", "find_template", "load_template",
        "load_template_text", "parse_params", "resolve_params", "slugify", "sticky_height",
        "unescape_text",
    },
    "boardsmith.harvest.api": {
        "BoardHarvest", "BoardSource", "HarvestDocument", "HarvestResult", "HarvestWarning",
        "HistoryStore", "Progress", "Snapshot", "TallyRecord", "aggregate", "detect_template",
        "harvest_boards", "harvest_snapshot", "read_snapshot",
    },
    "boardsmith.emulator": {
        "EmulatorApp", "EmulatorTransport", "Faults", "create_app", "default_db_path",
    },
    "boardsmith.testing": {"MiroEmulator"},
}  # fmt: skip


#: Public names of modules whose other names are private (no ``__all__`` of their own).
PUBLIC_MEMBERS: dict[str, set[str]] = {
    "boardsmith.config": {"Settings", "load_settings", "token_source_for"},
}


@pytest.mark.parametrize("module", sorted(PUBLIC_MEMBERS))
def test_public_members_of_other_modules_stay_documented(module: str) -> None:
    package = importlib.import_module(module)
    for name in sorted(PUBLIC_MEMBERS[module]):
        assert inspect.getdoc(getattr(package, name)), f"{module}.{name} lost its docstring"


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_no_public_name_disappears(module: str) -> None:
    exported = set(importlib.import_module(module).__all__)
    missing = PUBLIC[module] - exported
    assert not missing, f"{module} no longer exports {sorted(missing)}: a breaking change"


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_every_exported_name_resolves_and_public_callables_are_documented(module: str) -> None:
    package = importlib.import_module(module)
    undocumented = []
    for name in package.__all__:
        value = getattr(package, name)  # AttributeError: __all__ names a missing object
        if (inspect.isclass(value) or inspect.isfunction(value)) and not inspect.getdoc(value):
            undocumented.append(name)
        if inspect.isclass(value) and value.__module__.startswith("boardsmith."):
            undocumented += [
                f"{name}.{attr}"
                for attr, member in inspect.getmembers(value, inspect.isfunction)
                if not attr.startswith("_")
                and member.__module__.startswith("boardsmith.")
                and not (member.__doc__ or "").strip()
            ]
    assert not undocumented, f"{module}: no docstring on {undocumented}"


def test_the_package_says_it_is_typed() -> None:
    assert importlib.resources.files("boardsmith").joinpath("py.typed").is_file()


def test_the_reference_covers_every_public_module() -> None:
    pages = "\n".join(p.read_text() for p in (ROOT / "docs" / "reference").glob("*.md"))
    for module in [*PUBLIC, *PUBLIC_MEMBERS]:
        assert f"::: {module}\n" in pages, f"no API reference page renders {module}"
