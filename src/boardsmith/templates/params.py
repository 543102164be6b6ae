"""Template parameters: parsing ``--param key=value`` and resolving defaults."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from boardsmith.errors import UsageError
from boardsmith.templates.schema import Parameter, ParamValue
from boardsmith.templates.template import Template

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_params(template: Template, pairs: Iterable[str]) -> dict[str, ParamValue]:
    """Turn ``["team=Blue", "participants=Ana, Ben"]`` into typed values.

    List parameters are comma-separated (blank entries dropped). Errors are
    :class:`UsageError` naming the ``--param`` flag and the key.
    """
    out: dict[str, ParamValue] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--param {pair!r}: expected key=value")
        decl = _declaration(template, name)
        if name in out:
            raise UsageError(f"--param {name}: given more than once")
        out[name] = _convert(name, decl, raw)
    return out


def resolve_params(template: Template, given: Mapping[str, object]) -> dict[str, ParamValue]:
    """Every declared parameter with its value: given (checked) or the default."""
    for name in given:
        _declaration(template, name)
    resolved: dict[str, ParamValue] = {}
    for name, decl in template.spec.parameters.items():
        value = given.get(name, decl.default)
        resolved[name] = check_value(name, decl, value)
    return resolved


def check_value(
    name: str, decl: Parameter, value: object, *, flag: str | None = None
) -> ParamValue:
    """Validate ``value`` against the declaration; returns a normalised copy.

    Errors are :class:`UsageError` starting with ``flag`` (default ``--param NAME``;
    the CLI passes its own flag, e.g. ``--participants``, for values it took there).
    """
    flag = flag or f"--param {name}"
    if decl.type == "str":
        if not isinstance(value, str):
            raise UsageError(f"{flag}: expected text, got {value!r}")
        _check_length(flag, decl, value)
        return value
    if decl.type == "bool":
        if not isinstance(value, bool):
            raise UsageError(f"{flag}: expected true or false, got {value!r}")
        return value
    if decl.type == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise UsageError(f"{flag}: expected a whole number, got {value!r}")
        if decl.min is not None and value < decl.min:
            raise UsageError(f"{flag}: must be at least {decl.min}, got {value}")
        if decl.max is not None and value > decl.max:
            raise UsageError(f"{flag}: must be at most {decl.max}, got {value}")
        return value
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{flag}: expected a list of text, got {value!r}")
    items = [v.strip() for v in value if v.strip()]
    for item in items:
        _check_length(flag, decl, item)
    if decl.min is not None and len(items) < decl.min:
        raise UsageError(f"{flag}: needs at least {decl.min} items, got {len(items)}")
    if decl.max is not None and len(items) > decl.max:
        raise UsageError(f"{flag}: takes at most {decl.max} items, got {len(items)}")
    if decl.unique:
        twice = first_duplicate(value)
        if twice is not None:
            first, again = value[twice[0]].strip(), value[twice[1]].strip()
            what = (
                f"{first!r} is given more than once"
                if first == again
                else f"{again!r} repeats {first!r}"
            )
            raise DuplicateValueError(
                f"{flag}: {what}; values must differ (ignoring case)", index=twice[1]
            )
    return items


class DuplicateValueError(UsageError):
    """A ``unique`` list parameter repeats a value; ``index`` is the repeat's position."""

    def __init__(self, message: str, *, index: int) -> None:
        super().__init__(message)
        self.index = index


def first_duplicate(values: Sequence[str]) -> tuple[int, int] | None:
    """Indexes of the first value that repeats an earlier one, and of that earlier one.

    Values compare trimmed and case-folded ("Ana", " ana" are the same lane);
    blank values are skipped, as list parameters drop them. Returns
    ``(earlier, repeat)`` or ``None``.
    """
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        norm = value.strip().casefold()
        if not norm:
            continue
        if norm in seen:
            return seen[norm], index
        seen[norm] = index
    return None


def _check_length(flag: str, decl: Parameter, text: str) -> None:
    # Long values would overflow the boxes laid out for them; say so about the value.
    if decl.max_length is not None and len(text) > decl.max_length:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise UsageError(f"{flag}: {shown!r} is longer than {decl.max_length} characters")


def _declaration(template: Template, name: str) -> Parameter:
    decl = template.spec.parameters.get(name)
    if decl is None:
        known = ", ".join(template.spec.parameters) or "no parameters"
        raise UsageError(
            f"--param {name}: unknown parameter; template '{template.name}' takes: {known}"
        )
    return decl


def _convert(name: str, decl: Parameter, raw: str) -> ParamValue:
    flag = f"--param {name}"
    text = raw.strip()
    if decl.type == "str":
        value: ParamValue = text
    elif decl.type == "int":
        try:
            value = int(text)
        except ValueError:
            raise UsageError(f"{flag}: expected a whole number, got {text!r}") from None
    elif decl.type == "bool":
        lowered = text.lower()
        if lowered not in _TRUE | _FALSE:
            raise UsageError(f"{flag}: expected true or false, got {text!r}")
        value = lowered in _TRUE
    else:
        value = [part.strip() for part in raw.split(",") if part.strip()]
    return check_value(name, decl, value)
