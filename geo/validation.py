"""From a model's validation errors to problems a user can act on.

Each pydantic error becomes one ``path:line:column: error: …`` problem at the
value it is about (an unknown key at the key itself), with a message that names
the field, says what it must be, and suggests the known key a typo resembles.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from geo.models import RESERVED_PROPERTIES
from geo.problems import Problems
from geo.sources import Located

M = TypeVar("M", bound=BaseModel)

_TYPE_WORDS = {
    "string_type": "text (put it in quotes)",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
}
_KINDS_OF_INPUT = {"dict": "a mapping", "list": "a list", "bool": "true/false"}
_SUFFIXES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-key",
    "literal_error": "unknown-value",
    "finite_number": "not-finite",
    "greater_than": "out-of-range",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "too_short": "too-short",
    "too_long": "too-long",
}


def validate(
    model: type[M],
    doc: Located,
    keys: tuple[Any, ...],
    problems: Problems,
    *,
    scope: str,
    subject: str = "",
) -> M | None:
    """doc's value at keys as model, or None with every problem recorded.

    scope names the kind of input in problem codes (``visit-missing-field``);
    subject prefixes messages (``feature 'tap': ``).
    """
    value = doc.value
    for key in keys:
        value = value[key]
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        for error in exc.errors():
            report(error, model, value, doc, keys, problems, scope=scope, subject=subject)
        return None


def report(
    error: ErrorDetails,
    model: type[BaseModel],
    value: Any,
    doc: Located,
    keys: tuple[Any, ...],
    problems: Problems,
    *,
    scope: str,
    subject: str,
) -> None:
    """Record one validation error as a problem at its position."""
    loc = data_path(value, error["loc"])
    field = _field_name(loc)
    kind = error["type"]
    if (
        kind == "extra_forbidden"
        and loc
        and loc[-1] in RESERVED_PROPERTIES
        and scope in ("route", "visit", "place", "area")
    ):
        message = f"property '{loc[-1]}' is reserved: the build computes it"
        code = "property-reserved"
    else:
        message = describe(error, model, loc, field)
        code = f"{scope}-{_SUFFIXES.get(kind, 'wrong-type' if kind in _TYPE_WORDS else kind)}"
    where = (*keys, *loc, "<key>") if kind == "extra_forbidden" else (*keys, *loc)
    problems.error(doc.path, subject + message, doc.at(*where), code=code)


def data_path(value: Any, loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """The part of a pydantic error location that indexes into the data.

    Unions add the name of each member tried to the location; those are not keys.
    """
    path: list[int | str] = []
    for part in loc:
        if _indexes(value, part):
            value = value[part]
        elif isinstance(value, Mapping) and isinstance(part, str) and part.isidentifier():
            # A missing or unknown key is still a key.
            value = None
        else:
            continue
        path.append(part)
    return tuple(path)


def _indexes(value: Any, part: int | str) -> bool:
    if isinstance(value, Mapping):
        return part in value
    return isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)


def _field_name(loc: tuple[int | str, ...]) -> str:
    names = [str(part) for part in loc if isinstance(part, str)]
    if loc and isinstance(loc[-1], int):
        return f"item {loc[-1] + 1} of '{names[-1]}'" if names else f"item {loc[-1] + 1}"
    return f"'{names[-1]}'" if names else "the document"


def describe(
    error: ErrorDetails, model: type[BaseModel], loc: tuple[int | str, ...], field: str
) -> str:
    """What is wrong with the value, in words, with a hint where one helps."""
    kind, ctx = error["type"], error.get("ctx") or {}
    hint = _description(model, loc)
    if kind == "missing":
        return f"{field} is required" + (f" ({hint})" if hint else "")
    if kind == "extra_forbidden":
        return _unknown_key(model, loc)
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{field} must be one of {', '.join(expected)}" + _suggest(
            error.get("input"), expected
        )
    if kind in _TYPE_WORDS:
        found = _KINDS_OF_INPUT.get(type(error.get("input")).__name__)
        wanted = _TYPE_WORDS[kind].split(" (")[0] if found else _TYPE_WORDS[kind]
        return (
            f"{field} must be {wanted}"
            + (f", not {found}" if found else "")
            + (f" ({hint})" if hint else "")
        )
    if kind == "finite_number":
        return f"{field} must be a finite number"
    if kind.startswith(("greater_than", "less_than")):
        return f"{field} {error['msg'].replace('Input should be', 'must be')}"
    if kind in ("too_short", "too_long"):
        return f"{field} {error['msg'].replace('List should have', 'must have')}"
    return f"{field} {error['msg']}" if loc else error["msg"]


def _unknown_key(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    parent = _model_at(model, loc[:-1])
    known = sorted(parent.model_fields) if parent else []
    message = f"unknown key '{loc[-1]}'"
    suggestion = _suggest(loc[-1], known)
    return message + (suggestion or (f" (known: {', '.join(known)})" if known else ""))


def _suggest(written: Any, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(written), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model that describes the value at loc, following fields, lists and mappings."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        if isinstance(part, str) and part in current.model_fields:
            current = _inner_model(current.model_fields[part].annotation)
        # An int indexes a list, a key not among the fields indexes a mapping:
        # both were unwrapped to the item model already.
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The model inside list[M], dict[str, M] or M | None."""
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def _description(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return ""
    parent = _model_at(model, loc[: max(i for i, p in enumerate(loc) if p == names[-1])])
    info = parent.model_fields.get(names[-1]) if parent else None
    return (info.description or "") if info else ""
