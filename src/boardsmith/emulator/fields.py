"""Every request field the emulator accepts, in one place, and the check that enforces it.

Each operation with a body names a :class:`Fields`: the tree of the fields Miro's spec
defines for that request (``tests/emulator/test_fields.py`` compares them with the spec).
A field outside the tree is rejected with Miro's 400 naming it, never ignored; so is a
JSON ``null`` anywhere (no request field in the spec is nullable) except where
:attr:`Fields.nullable` says otherwise. Every accepted field is stored and read back;
values the emulator cannot represent are rejected by the handlers' readers
(:mod:`boardsmith.emulator.validate`) with the reason. docs/emulator.md lists both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from boardsmith.emulator.errors import invalid


@dataclass(frozen=True)
class ListOf:
    """An array whose elements are objects with ``tree``'s fields."""

    tree: Tree


#: A field's sub-fields (an object), an array of objects, or ``None`` for a plain value.
Tree = Mapping[str, Union["Tree", ListOf, None]]


@dataclass(frozen=True)
class Fields:
    """What one operation's body may hold.

    ``required``: the spec marks the body required (no body answers 400).
    ``nullable``: dotted fields that may be ``null`` (emulator extensions, documented).
    ``refused``: dotted fields the spec knows for a sibling request but this one refuses,
    with the reason the 400 gives instead of "is not a field of this request".
    """

    tree: Tree
    required: bool = True
    nullable: frozenset[str] = frozenset()
    refused: Mapping[str, str] = field(default_factory=dict)


_POSITION: Tree = {"x": None, "y": None}
_PARENT: Tree = {"id": None}
_SIZE: Tree = {"width": None, "height": None}
_SIZE_ROTATION: Tree = {"width": None, "height": None, "rotation": None}

#: Item fields by type, shared by the typed endpoints and bulk create.
ITEM_TREES: dict[str, Tree] = {
    "sticky_note": {
        "data": {"content": None, "shape": None},
        "style": {"fillColor": None, "textAlign": None, "textAlignVertical": None},
        "position": _POSITION,
        "geometry": _SIZE,
        "parent": _PARENT,
    },
    "shape": {
        "data": {"content": None, "shape": None},
        "style": {
            k: None
            for k in (
                "borderColor",
                "borderOpacity",
                "borderStyle",
                "borderWidth",
                "color",
                "fillColor",
                "fillOpacity",
                "fontFamily",
                "fontSize",
                "textAlign",
                "textAlignVertical",
            )
        },
        "position": _POSITION,
        "geometry": _SIZE_ROTATION,
        "parent": _PARENT,
    },
    "text": {
        "data": {"content": None},
        "style": {
            k: None
            for k in ("color", "fillColor", "fillOpacity", "fontFamily", "fontSize", "textAlign")
        },
        "position": _POSITION,
        "geometry": {"width": None, "rotation": None},
        "parent": _PARENT,
    },
    "frame": {
        "data": {"format": None, "title": None, "type": None, "showContent": None},
        "style": {"fillColor": None},
        "position": _POSITION,
        "geometry": _SIZE,
    },
    "card": {
        "data": {"assigneeId": None, "description": None, "dueDate": None, "title": None},
        "style": {"cardTheme": None},
        "position": _POSITION,
        "geometry": _SIZE_ROTATION,
        "parent": _PARENT,
    },
}

#: Fields a type refuses although the spec has them for other item types.
ITEM_REFUSED: dict[str, dict[str, str]] = {
    "sticky_note": {"geometry.rotation": "sticky notes cannot be rotated"},
    "text": {"geometry.height": "text height follows its content; set width only"},
    "frame": {"parent": "frames cannot have a parent", "geometry.rotation": "frames cannot rotate"},
}


def item_fields(item_type: str) -> Fields:
    """The typed endpoints' body for ``item_type`` (the spec gives create and update the
    same fields)."""
    return Fields(ITEM_TREES[item_type], refused=ITEM_REFUSED.get(item_type, {}))


#: ``PATCH /items/{id}``; ``parent: null`` moves an item out of its frame (an extension:
#: Miro's spec has no way to do it, and boardsmith never sends it).
ITEM_MOVE = Fields({"parent": _PARENT, "position": _POSITION}, nullable=frozenset({"parent"}))

_POLICY: Tree = {
    "permissionsPolicy": {
        "collaborationToolsStartAccess": None,
        "copyAccess": None,
        "sharingAccess": None,
    },
    "sharingPolicy": {
        "access": None,
        "inviteToAccountAndBoardLinkAccess": None,
        "organizationAccess": None,
        "teamAccess": None,
    },
}
_BOARD: Tree = {
    "name": None,
    "description": None,
    "policy": _POLICY,
    "teamId": None,
    "projectId": None,
}
BOARD_CREATE = Fields(_BOARD, required=False)
BOARD_UPDATE = Fields(_BOARD)
BOARD_COPY = Fields({k: v for k, v in _BOARD.items() if k != "projectId"}, required=False)

_END: Tree = {"id": None, "position": _POSITION, "snapTo": None}
CONNECTOR = Fields(
    {
        "startItem": _END,
        "endItem": _END,
        "shape": None,
        "captions": ListOf({"content": None, "position": None, "textAlignVertical": None}),
        "style": {
            k: None
            for k in (
                "color",
                "endStrokeCap",
                "fontSize",
                "startStrokeCap",
                "strokeColor",
                "strokeStyle",
                "strokeWidth",
                "textOrientation",
            )
        },
    }
)
TAG = Fields({"title": None, "fillColor": None})
MEMBERS_INVITE = Fields({"emails": None, "role": None, "message": None})
MEMBER_UPDATE = Fields({"role": None})


def check_body(fields: Fields, body: Any, *, absent: bool) -> None:
    """Miro's 400 for a body the spec makes invalid: missing when required, not an
    object, an unknown field, or a ``null``."""
    if absent:
        if fields.required:
            raise invalid("body", "is required")
        return
    if body is None:
        raise invalid("body", "must be an object, not null")
    if not isinstance(body, dict):
        raise invalid("body", "must be an object")
    check_object(body, fields, "")


def check_bulk_item(payload: Any, prefix: str) -> None:
    """One bulk-create element: its type's fields plus ``type`` (unknown types are the
    handler's to reject)."""
    if not isinstance(payload, dict):
        return
    item_type = payload.get("type")
    if not isinstance(item_type, str) or item_type not in ITEM_TREES:
        return
    check_object(payload, _bulk_fields(item_type), prefix)


#: Bulk elements' fields by item type, made on first use (a bulk call checks 20).
_BULK_FIELDS: dict[str, Fields] = {}


def _bulk_fields(item_type: str) -> Fields:
    found = _BULK_FIELDS.get(item_type)
    if found is None:
        base = item_fields(item_type)
        found = Fields({"type": None, **base.tree}, refused=base.refused)
        _BULK_FIELDS[item_type] = found
    return found


def check_object(node: Mapping[str, Any], fields: Fields, prefix: str) -> None:
    """Walk ``node`` against ``fields.tree``; field names in errors start with ``prefix``."""
    _walk(node, fields.tree, fields, prefix, "")


def _walk(node: Mapping[str, Any], tree: Tree, fields: Fields, prefix: str, path: str) -> None:
    # Every bulk element passes here: names are built only for an error, and a subtree
    # is told apart by ListOf and None (a Tree is either, or a Mapping) without asking
    # isinstance(..., Mapping), which goes through the ABC machinery.
    refused = fields.refused
    for key, value in node.items():
        dotted = f"{path}{key}"
        if refused and dotted in refused:
            raise invalid(prefix + dotted, refused[dotted])
        if key not in tree:
            raise invalid(prefix + dotted, "is not a field of this request")
        if value is None:
            if dotted in fields.nullable:
                continue
            raise invalid(prefix + dotted, "must not be null")
        _descend(tree[key], value, fields, prefix, dotted)


def _descend(
    sub: Tree | ListOf | None, value: Any, fields: Fields, prefix: str, dotted: str
) -> None:
    """Check one present, non-null value against its subtree: a list of objects, an object,
    or a leaf (whose list values must not hold null)."""
    if sub is None:
        if isinstance(value, list) and any(v is None for v in value):
            raise invalid(prefix + dotted, "must not hold null")
    elif isinstance(sub, ListOf):
        if isinstance(value, list):
            _elements(sub, value, fields, prefix, dotted)
    elif isinstance(value, dict):
        _walk(value, sub, fields, prefix, dotted + ".")


def _elements(sub: ListOf, value: list[Any], fields: Fields, prefix: str, dotted: str) -> None:
    """Check a present array of objects: no element null, each object against the tree."""
    for index, element in enumerate(value):
        if element is None:
            raise invalid(f"{prefix}{dotted}.{index}", "must not be null")
        if isinstance(element, dict):
            _walk(element, sub.tree, fields, prefix, f"{dotted}.{index}.")
