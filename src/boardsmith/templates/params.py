"""Template parameters: parsing ``--param key=value`` and resolving defaults."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from boardsmith.errors import UsageError
from boardsmith.templates.roles import name_of
from boardsmith.templates.schema import Parameter, ParamValue
from boardsmith.templates.template import Template

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class ParamError(UsageError):
    """A parameter value is wrong: ``problem`` says what, about parameter ``name``.

    The message is ``FLAG: PROBLEM``, where ``flag`` is where the value came from
    (``--param NAME`` unless a caller took it elsewhere, e.g. ``--participants``),
    so the CLI shows it as any usage error. Code that needs the parts (a template
    check pointing at a default) reads the fields, never the message.
    """

    def __init__(self, name: str, problem: str, *, flag: str | None = None) -> None:
        self.name = name
        self.problem = problem
        self.flag = flag or f"--param {name}"
        super().__init__(f"{self.flag}: {problem}")


class DuplicateValueError(ParamError):
    """A ``unique`` list parameter repeats a value; ``index`` is the repeat's position."""

    def __init__(self, name: str, problem: str, *, flag: str | None = None, index: int) -> None:
        super().__init__(name, problem, flag=flag)
        self.index = index


def parse_params(template: Template, pairs: Iterable[str]) -> dict[str, ParamValue]:
    """Turn ``["team=Blue", "participants=Ana, Ben"]`` into typed values.

    A list parameter given once is comma-separated (blank entries dropped), and
    double quotes keep a comma inside one value: ``"A, B",C`` is ``A, B`` and ``C``.
    Given more than once, each ``--param key=VALUE`` is one value, appended in order.
    A value is never split silently: when the parameter's own values contain commas
    (its default does), a comma between two unquoted values is an error, and so is
    a comma in one of several repeated values of a parameter whose values do not.
    Errors are :class:`ParamError` naming the ``--param`` flag and the key.
    """
    raws: dict[str, list[str]] = {}
    decls: dict[str, Parameter] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--param {pair!r}: expected key=value")
        decls[name] = decl = _declaration(template, name)
        if name in raws and decl.type != "list[str]":
            raise ParamError(name, "given more than once")
        raws.setdefault(name, []).append(raw)
    out: dict[str, ParamValue] = {}
    for name, given in raws.items():
        decl = decls[name]
        if decl.type != "list[str]":
            out[name] = _convert(name, decl, given[0])
        elif len(given) == 1:
            out[name] = check_value(name, decl, split_list(name, given[0], commas=has_commas(decl)))
        else:
            values = [_one_value(name, raw, commas=has_commas(decl)) for raw in given]
            out[name] = check_value(name, decl, values)
    return out


def has_commas(decl: Parameter) -> bool:
    """Whether a list parameter's values may contain commas: one of its defaults does."""
    default = decl.default
    return isinstance(default, list) and any("," in value for value in default)


def split_list(name: str, raw: str, *, commas: bool = False) -> list[str]:
    """The values of one ``--param name=RAW`` of a list parameter.

    Commas separate values; a value in double quotes keeps its commas (``""`` inside
    is one quote). With ``commas`` (the values may contain commas), a comma with an
    unquoted value on both sides could be either, so it is an error.
    """
    fields = _fields(name, raw)
    if commas:
        for (left, left_quoted), (right, right_quoted) in itertools.pairwise(fields):
            if not left_quoted and not right_quoted and left.strip() and right.strip():
                raise ParamError(
                    name,
                    f"{_short(raw)} is ambiguous, as its values may contain commas; "
                    f'quote each value ("A, B","C") or give --param {name}=VALUE once per value',
                )
    return [text for text, _ in fields]


def join_list(values: Sequence[str]) -> str:
    """``values`` as one ``--param`` value :func:`split_list` reads back unchanged.

    A value with a comma or a quote is put in double quotes (its quotes doubled), so
    ``["A, B", "C"]`` is ``"A, B", C`` and not the ambiguous ``A, B, C``.
    """
    return ", ".join(
        '"' + v.replace('"', '""') + '"' if "," in v or '"' in v else v for v in values
    )


def _one_value(name: str, raw: str, *, commas: bool) -> str:
    """One of several ``--param name=RAW``: the whole of RAW is one value."""
    flag = f"--param {name}"
    if raw.strip().startswith('"'):
        fields = _fields(name, raw)
        if len(fields) > 1:
            raise ParamError(
                name,
                f"{_short(raw)} holds several values, but {flag} given more than "
                "once takes one value each",
            )
        return fields[0][0]
    if "," in raw and not commas:
        raise ParamError(
            name,
            f"{_short(raw)} has a comma, but {flag} given more than once takes one "
            f'value each; quote it ("A, B") to keep the comma, or give each value its own {flag}',
        )
    return raw.strip()


def _fields(name: str, raw: str) -> list[tuple[str, bool]]:
    """``raw`` split at commas outside double quotes: each value and whether it was quoted."""
    fields: list[tuple[str, bool]] = []
    i, n = 0, len(raw)
    while True:
        i = _skip_blanks(raw, i)
        if i < n and raw[i] == '"':
            text, i = _quoted(name, raw, i + 1)
            fields.append((text, True))
        else:
            end = raw.find(",", i)
            end = n if end < 0 else end
            plain = raw[i:end].strip()
            if '"' in plain:
                # A quote inside a value is likely meant to keep commas: say so.
                raise ParamError(
                    name,
                    f"{_short(raw)} has a quote inside a value; put the whole value "
                    'in quotes ("A, B"), with "" for a quote in it',
                )
            fields.append((plain, False))
            i = end
        if i >= n:
            return fields
        i += 1  # the comma


def _skip_blanks(raw: str, i: int) -> int:
    while i < len(raw) and raw[i] in " \t":
        i += 1
    return i


def _quoted(name: str, raw: str, i: int) -> tuple[str, int]:
    """The quoted value starting after the quote at ``i - 1``, and where the next field starts.

    ``""`` is one quote; after the closing quote only blanks may come before a comma.
    """
    text: list[str] = []
    n = len(raw)
    while True:
        if i >= n:
            raise ParamError(name, f"{_short(raw)} has a quote that is never closed")
        if raw[i] == '"':
            if raw[i + 1 : i + 2] != '"':
                break
            text.append('"')
            i += 2
            continue
        text.append(raw[i])
        i += 1
    i = _skip_blanks(raw, i + 1)
    if i < n and raw[i] != ",":
        raise ParamError(
            name,
            f'{_short(raw)} has text after a closing quote; put the whole value in quotes ("A, B")',
        )
    return "".join(text), i


def _short(raw: str) -> str:
    text = raw.strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")


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

    Errors are :class:`ParamError` starting with ``flag`` (default ``--param NAME``;
    the CLI passes its own flag, e.g. ``--participants``, for values it took there).
    """
    return _CHECKS[decl.type](_Checked(name, decl, flag), value)


@dataclass(frozen=True)
class _Checked:
    """The parameter a value is checked for, and the flag its errors name."""

    name: str
    decl: Parameter
    flag: str | None

    def error(self, problem: str) -> ParamError:
        return ParamError(self.name, problem, flag=self.flag)


def _check_str(p: _Checked, value: object) -> ParamValue:
    if not isinstance(value, str):
        raise p.error(f"expected text, got {value!r}")
    _check_length(p, value)
    return value


def _check_bool(p: _Checked, value: object) -> ParamValue:
    if not isinstance(value, bool):
        raise p.error(f"expected true or false, got {value!r}")
    return value


def _check_int(p: _Checked, value: object) -> ParamValue:
    if not isinstance(value, int) or isinstance(value, bool):
        raise p.error(f"expected a whole number, got {value!r}")
    if p.decl.min is not None and value < p.decl.min:
        raise p.error(f"must be at least {p.decl.min}, got {value}")
    if p.decl.max is not None and value > p.decl.max:
        raise p.error(f"must be at most {p.decl.max}, got {value}")
    return value


def _check_list(p: _Checked, value: object) -> ParamValue:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise p.error(f"expected a list of text, got {value!r}")
    items = [v.strip() for v in value if v.strip()]
    for item in items:
        _check_length(p, item)
    if p.decl.min is not None and len(items) < p.decl.min:
        raise p.error(f"needs at least {p.decl.min} items, got {len(items)}")
    if p.decl.max is not None and len(items) > p.decl.max:
        raise p.error(f"takes at most {p.decl.max} items, got {len(items)}")
    if p.decl.unique:
        _check_unique(p, value)
    return items


def _check_unique(p: _Checked, value: Sequence[str]) -> None:
    # "Ana (principal)" and "Ana (teacher)" are one person, so one lane.
    twice = first_duplicate([name_of(v) for v in value] if p.decl.with_roles else value)
    if twice is None:
        return
    first, again = value[twice[0]].strip(), value[twice[1]].strip()
    what = (
        f"{first!r} is given more than once" if first == again else f"{again!r} repeats {first!r}"
    )
    raise DuplicateValueError(
        p.name, f"{what}; values must differ (ignoring case)", flag=p.flag, index=twice[1]
    )


#: One checker per parameter type (a new type is one entry here and one in schema.ParamType).
_CHECKS: dict[str, Callable[[_Checked, object], ParamValue]] = {
    "str": _check_str,
    "bool": _check_bool,
    "int": _check_int,
    "list[str]": _check_list,
}


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


def _check_length(p: _Checked, text: str) -> None:
    # Long values would overflow the boxes laid out for them; say so about the value.
    if p.decl.max_length is not None and len(text) > p.decl.max_length:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise p.error(f"{shown!r} is longer than {p.decl.max_length} characters")


def _declaration(template: Template, name: str) -> Parameter:
    decl = template.spec.parameters.get(name)
    if decl is None:
        known = ", ".join(template.spec.parameters) or "no parameters"
        raise ParamError(name, f"unknown parameter; template '{template.name}' takes: {known}")
    return decl


def _convert(name: str, decl: Parameter, raw: str) -> ParamValue:
    text = raw.strip()
    if decl.type == "str":
        value: ParamValue = text
    elif decl.type == "int":
        try:
            value = int(text)
        except ValueError:
            raise ParamError(name, f"expected a whole number, got {text!r}") from None
    elif decl.type == "bool":
        lowered = text.lower()
        if lowered not in _TRUE | _FALSE:
            raise ParamError(name, f"expected true or false, got {text!r}")
        value = lowered in _TRUE
    else:
        value = split_list(name, raw, commas=has_commas(decl))
    return check_value(name, decl, value)
