"""Value types that the input models share, each with one rule and one message.

Each rule raises a ``PydanticCustomError`` whose type is the stable problem code
(``bad-date``, ``bad-country-code`` …) and whose message says how to fix it, so
the message reaches the user as written here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from urllib.parse import urlparse

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

FEATURE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SOURCE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CSS_COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}|[a-z]{3,20}")
_DASH = re.compile(r"[0-9]+( [0-9]+)*")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# Articles and events this map is about; a year outside is a typo.
YEARS = (1900, 2100)


def _text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty-text", "must not be empty")
    return value


def _feature_id(value: str) -> str:
    # Ids reach folium's templates, which branca renders twice: keep them plain.
    if not FEATURE_ID.fullmatch(value):
        raise PydanticCustomError(
            "bad-feature-id", "may use only letters, digits, '.', '_' and '-'"
        )
    return value


def _source_id(value: str) -> str:
    if not _SOURCE_ID.fullmatch(value):
        raise PydanticCustomError(
            "bad-source-id",
            'must be a source id of sources.yaml: lower-case words joined by "-", '
            'such as "trend-2021-09-28"',
        )
    return value


def _one_or_more(value: object) -> object:
    # A single source may be written as a string: `source: trend-2021-09-28`.
    return [value] if isinstance(value, str) else value


def _country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise PydanticCustomError(
            "bad-country-code", 'must be an ISO 3166 alpha-2 code in capitals, such as "AZ"'
        )
    return value


def _color(value: str) -> str:
    if not _CSS_COLOR.fullmatch(value):
        raise PydanticCustomError("bad-colour", "must be #rrggbb or a CSS colour name")
    return value


def _dash(value: str) -> str:
    if not _DASH.fullmatch(value):
        raise PydanticCustomError("bad-dash", 'must be numbers separated by spaces, such as "6 4"')
    return value


def _partial_date(value: str) -> str:
    found = _PARTIAL_DATE.fullmatch(value)
    if not found:
        raise PydanticCustomError(
            "bad-date", "must be a date written YYYY, YYYY-MM or YYYY-MM-DD (quote it in YAML)"
        )
    year, month, day = (int(part) if part else None for part in found.groups())
    assert year is not None
    if not YEARS[0] <= year <= YEARS[1]:
        raise PydanticCustomError(
            "bad-date",
            "year {year} is outside {low}..{high}",
            {"year": year, "low": YEARS[0], "high": YEARS[1]},
        )
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise PydanticCustomError(
            "bad-date", "is not a calendar date: {why}", {"why": str(exc)}
        ) from None
    return value


def _web_address(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise PydanticCustomError("bad-url", "must start with http:// or https://")
    return value


Text = Annotated[str, AfterValidator(_text)]
FeatureId = Annotated[str, AfterValidator(_feature_id)]
SourceId = Annotated[str, AfterValidator(_source_id), Field(examples=["trend-2021-09-28"])]
_SOURCE_ID_SCHEMA = {"type": "string", "pattern": f"^{_SOURCE_ID.pattern}$"}
# One source id or a list of them, as a list; at least one.
SourceIds = Annotated[
    list[SourceId],
    BeforeValidator(_one_or_more),
    Field(min_length=1),
    WithJsonSchema(
        {
            "anyOf": [
                _SOURCE_ID_SCHEMA,
                {"type": "array", "items": _SOURCE_ID_SCHEMA, "minItems": 1},
            ]
        }
    ),
]
CountryCode = Annotated[str, AfterValidator(_country), Field(examples=["AZ"])]
CssColor = Annotated[str, AfterValidator(_color), Field(examples=["#1f5fa8"])]
DashPattern = Annotated[str, AfterValidator(_dash), Field(examples=["6 4"])]
PartialDate = Annotated[
    str, AfterValidator(_partial_date), Field(examples=["2024-08-19", "2024-08", "2024"])
]
WebAddress = Annotated[str, AfterValidator(_web_address)]
PositiveNumber = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


def date_key(value: str) -> tuple[int, int, int]:
    """A partial date as a sortable (year, month, day), missing parts as 0."""
    parts = [int(p) for p in value.split("-")] + [0, 0]
    return parts[0], parts[1], parts[2]


class Strict(BaseModel):
    """Unknown keys are errors, and no value is coerced from another type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
