"""Readers for request JSON that turn every wrong type or value into a Miro 400.

Each reader takes the dotted ``field`` name used in ``context.fields`` so bulk
create can prefix it with the item's index.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from typing import Any

from boardsmith.emulator.errors import ApiError, invalid

JSON = dict[str, Any]

#: Coordinates and sizes beyond this are rejected (keeps every derived number finite).
MAX_COORD = 1e9
MAX_SIZE = 1e6


def parse_json(raw: bytes) -> Any:
    """The request body as JSON; a 400 for anything that is not valid JSON."""
    if not raw.strip():
        return None
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ApiError(
            400, "invalidParameters", "Request body is not valid JSON", {"fields": []}
        ) from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _as_float(value: float) -> float:
    # JSON integers are unbounded; beyond float range they are simply not finite.
    try:
        return float(value)
    except OverflowError:
        return math.inf


def obj(value: Any, field: str, *, required: bool = False) -> JSON:
    """An object field (``None`` -> ``{}`` unless required)."""
    if value is None:
        if required:
            raise invalid(field, "is required")
        return {}
    if not isinstance(value, dict):
        raise invalid(field, "must be an object")
    return value


def string(
    d: JSON,
    key: str,
    field: str,
    *,
    required: bool = False,
    enum: Collection[str] | None = None,
    max_len: int | None = None,
    min_len: int = 0,
) -> str | None:
    """An optional (or required) string, optionally from an enum or length-bounded."""
    value = d.get(key)
    name = f"{field}.{key}" if field else key
    if value is None:
        if required:
            raise invalid(name, "is required")
        return None
    if not isinstance(value, str):
        raise invalid(name, "must be a string")
    if enum is not None and value not in enum:
        raise invalid(name, f"must be one of {', '.join(sorted(enum))}")
    if max_len is not None and len(value) > max_len:
        raise invalid(name, f"must be at most {max_len} characters")
    if len(value) < min_len:
        raise invalid(name, f"must be at least {min_len} characters")
    return value


def number(
    d: JSON,
    key: str,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_min: bool = False,
) -> float | None:
    """An optional finite JSON number (booleans are not numbers)."""
    value = d.get(key)
    name = f"{field}.{key}" if field else key
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(name, "must be a number")
    num = _as_float(value)
    if not math.isfinite(num):
        raise invalid(name, "must be a finite number")
    if minimum is not None and (num < minimum or (exclusive_min and num == minimum)):
        raise invalid(
            name, f"must be {'greater than' if exclusive_min else 'at least'} {minimum:g}"
        )
    if maximum is not None and num > maximum:
        raise invalid(name, f"must be at most {maximum:g}")
    return num


def numeric_string(
    d: JSON, key: str, field: str, *, minimum: float, maximum: float | None = None
) -> str | None:
    """Miro's style numbers are strings (``"14"``); numbers are accepted and kept as text."""
    value = d.get(key)
    name = f"{field}.{key}" if field else key
    if value is None:
        return None
    if isinstance(value, bool):
        raise invalid(name, "must be a number given as a string")
    if isinstance(value, int | float):
        num = _as_float(value)
    elif isinstance(value, str):
        try:
            num = float(value)
        except ValueError:
            raise invalid(name, "must be a number given as a string") from None
    else:
        raise invalid(name, "must be a number given as a string")
    if not math.isfinite(num) or num < minimum or (maximum is not None and num > maximum):
        bound = f"between {minimum:g} and {maximum:g}" if maximum is not None else f">= {minimum:g}"
        raise invalid(name, f"must be {bound}")
    return f"{num:g}" if not isinstance(value, str) else value.strip()


def boolean(d: JSON, key: str, field: str) -> bool | None:
    """An optional boolean."""
    value = d.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise invalid(f"{field}.{key}" if field else key, "must be a boolean")
    return value


def query_int(
    query: dict[str, str], key: str, default: int, minimum: int, maximum: int | None
) -> int:
    """An integer query parameter within bounds (Miro answers 400 otherwise)."""
    raw = query.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(key, "must be an integer") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise invalid(key, f"must be {bound}")
    return value
