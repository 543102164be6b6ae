"""A loaded template: the validated spec plus where it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from boardsmith.errors import TemplateError
from boardsmith.templates.loader import SourceMap, load_yaml
from boardsmith.templates.schema import Parameter, TemplateSpec


@dataclass(frozen=True)
class Template:
    """A validated template file, ready for :func:`compile_plan`."""

    spec: TemplateSpec
    file: str
    source_hash: str
    source_map: SourceMap

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(self.spec.aliases)

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def description(self) -> str:
        return self.spec.description

    @property
    def version(self) -> int:
        return self.spec.version

    @property
    def parameters(self) -> dict[str, Parameter]:
        return dict(self.spec.parameters)


def load_template(path: str | Path) -> Template:
    """Read, parse and validate a template file; raises :class:`TemplateError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"{path}:0: no such template file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}:0: cannot read the template: {exc}") from None
    return load_template_text(text, str(path))


def load_template_text(text: str, file: str) -> Template:
    """Parse and validate template source ``text`` (``file`` names it in errors)."""
    # Imported here: the static checks live with the compiler that shares their scope rules.
    from boardsmith.templates.checks import check_template

    data, smap = load_yaml(text, file)
    if not isinstance(data, dict):
        raise TemplateError(f"{file}:1: a template must be a mapping of keys to values")
    try:
        spec = TemplateSpec.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, smap) from None
    template = Template(
        spec=spec,
        file=file,
        # Line endings are normalised so a CRLF checkout hashes (and checks) the same.
        source_hash=hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest(),
        source_map=smap,
    )
    check_template(template)
    return template


def _first_error(exc: ValidationError, smap: SourceMap) -> TemplateError:
    error = exc.errors(include_url=False)[0]
    loc = [part for part in error["loc"] if isinstance(part, str | int)]
    kind = error["type"]
    msg = str(error["msg"])
    if kind == "extra_forbidden":
        return smap.error(loc, "unknown key")
    if kind == "missing":
        return smap.error(loc, "required key is missing")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    elif msg.startswith("Assertion failed, "):
        msg = msg[len("Assertion failed, ") :]
    msg = msg[:1].lower() + msg[1:]
    if kind not in ("value_error", "assertion_error") and "input" in error:
        got = error["input"]
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        if len(shown) > 40:
            shown = shown[:37] + "..."
        msg = f"{msg} (got {shown})"
    return smap.error(loc, msg)
