"""One test per rule of the input contract, a valid and an invalid input side by side.

Each invalid input must give exactly the problem code and message it is about,
at the position of the value (or of the key, for an unknown key).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from geo.models import (
    ArticleMeta,
    GazetteerEntry,
    LayerConfig,
    MapSettings,
    PlaceProperties,
    RouteProperties,
    Style,
    VisitProperties,
)
from geo.problems import Problems
from geo.sources import Located
from geo.validation import validate

ROUTE = {
    "name": "A pipeline",
    "status": "operating",
    "route_certainty": "waypoints",
    "route_note": "drawn through the towns",
    "published_length": {"value": 100, "unit": "km", "source": "operator-page"},
}
VISIT = {
    "name": "A visit",
    "visitor": "Someone",
    "origin": "Moscow",
    "destination": "Baku",
    "date_start": "2024-08-18",
    "date_end": "2024-08-19",
    "status": "took place",
    "route_certainty": "schematic",
    "route_note": "schematic",
}
LAYER = {
    "title": "Pipelines",
    "order": 1,
    "file": "pipelines.geojson",
    "geometry": "line",
    "style": {"color": "#b03a2e"},
}
SETTINGS = {
    "title": "A map",
    "description": "What the map shows, in a sentence.",
    "view": {"frame": {"west": 37.5, "south": 37.0, "east": 51.0, "north": 45.2}},
    "region": {"west": 5, "south": 5, "east": 85, "north": 65},
    "statuses": {"operating": {}},
    "approximate": {"opacity": 0.5, "extra_weight": 3},
}


def changed(base: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A deep copy of base with the value at path replaced (or removed, for DELETE)."""
    copy: dict[str, Any] = yaml.safe_load(yaml.safe_dump(base))
    target = copy
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return copy


DELETE = object()

# (rule, model, valid input, invalid input, expected code, expected message part)
RULES: list[tuple[str, type[BaseModel], dict[str, Any], dict[str, Any], str, str]] = [
    (
        "date-is-partial-iso",
        ArticleMeta,
        {"date": "2024-08"},
        {"date": "yesterday"},
        "metadata-bad-date",
        "'date' must be a date written YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    (
        "date-is-on-the-calendar",
        ArticleMeta,
        {"date": "2024-02-29"},
        {"date": "2024-02-30"},
        "metadata-bad-date",
        "'date' is not a calendar date: day is out of range for month",
    ),
    (
        "date-year-in-range",
        ArticleMeta,
        {"date": "2026"},
        {"date": "9999-12-31"},
        "metadata-bad-date",
        "'date' year 9999 is outside 1900..2100",
    ),
    (
        "date-is-text",
        ArticleMeta,
        {"date": "2024-08-19"},
        {"date": 2024},
        "metadata-wrong-type",
        "'date' must be text (put it in quotes)",
    ),
    (
        "url-is-http",
        ArticleMeta,
        {"url": "https://example.org/a"},
        {"url": "javascript:alert(1)"},
        "metadata-bad-url",
        "'url' must start with http:// or https://",
    ),
    (
        "metadata-unknown-key",
        ArticleMeta,
        {"outlet": "Trend"},
        {"outlet": "Trend", "autor": "X"},
        "metadata-unknown-key",
        "unknown key 'autor' (did you mean 'author'?)",
    ),
    (
        "text-not-blank",
        ArticleMeta,
        {"title": "A headline"},
        {"title": "   "},
        "metadata-empty-text",
        "'title' must not be empty",
    ),
    (
        "style-colour",
        Style,
        {"color": "#1f5fa8"},
        {"color": "rgb(1, 2, 3)"},
        "style-bad-colour",
        "'color' must be #rrggbb or a CSS colour name",
    ),
    (
        "style-dash",
        Style,
        {"color": "red", "dash": "6 4"},
        {"color": "red", "dash": "6,4"},
        "style-bad-dash",
        "'dash' must be numbers separated by spaces",
    ),
    (
        "style-finite",
        Style,
        {"color": "red", "radius": 6},
        {"color": "red", "radius": float("inf")},
        "style-not-finite",
        "'radius' must be a finite number",
    ),
    (
        "style-opacity-fraction",
        Style,
        {"color": "red", "opacity": 0.5},
        {"color": "red", "opacity": 5},
        "style-out-of-range",
        "'opacity' must be less than or equal to 1",
    ),
    (
        "style-unknown-key",
        Style,
        {"color": "red", "weight": 2},
        {"color": "red", "wieght": 2},
        "style-unknown-key",
        "unknown key 'wieght' (did you mean 'weight'?)",
    ),
    (
        "layer-geometry-kind",
        LayerConfig,
        LAYER,
        changed(LAYER, ("geometry",), "lines"),
        "layer-unknown-value",
        "'geometry' must be one of line, polygon, point (did you mean 'line'?)",
    ),
    (
        "layer-order-is-a-number",
        LayerConfig,
        LAYER,
        changed(LAYER, ("order",), "1"),
        "layer-wrong-type",
        "'order' must be a whole number",
    ),
    (
        "layer-feature-id",
        LayerConfig,
        changed(LAYER, ("features",), {"tap": {"aliases": ["TAP"]}}),
        changed(LAYER, ("features",), {"x{{7*7}}": {"aliases": ["TAP"]}}),
        "layer-bad-feature-id",
        "may use only letters, digits",
    ),
    (
        "gazetteer-unknown-key",
        GazetteerEntry,
        {"aliases": ["TAP"]},
        {"alises": ["TAP"]},
        "gazetteer-unknown-key",
        "unknown key 'alises' (did you mean 'aliases'?)",
    ),
    (
        "gazetteer-aliases-are-texts",
        GazetteerEntry,
        {"aliases": ["TAP"]},
        {"aliases": "TAP"},
        "gazetteer-wrong-type",
        "'aliases' must be a list",
    ),
    (
        "gazetteer-citation-needs-quote",
        GazetteerEntry,
        {"citations": [{"article": "a.txt", "quote": "the line"}]},
        {"citations": [{"article": "a.txt"}]},
        "gazetteer-missing-field",
        "'quote' is required (a verbatim passage of that article)",
    ),
    (
        "route-needs-length",
        RouteProperties,
        ROUTE,
        changed(ROUTE, ("published_length",), DELETE),
        "route-missing-field",
        "'published_length' is required",
    ),
    (
        "route-length-positive",
        RouteProperties,
        ROUTE,
        changed(ROUTE, ("published_length", "value"), -3),
        "route-out-of-range",
        "'value' must be greater than 0",
    ),
    (
        "route-length-finite",
        RouteProperties,
        ROUTE,
        changed(ROUTE, ("published_length", "value"), float("nan")),
        "route-not-finite",
        "'value' must be a finite number",
    ),
    (
        "route-length-unit",
        RouteProperties,
        ROUTE,
        changed(ROUTE, ("published_length", "unit"), "miles"),
        "route-unknown-value",
        "'unit' must be one of km",
    ),
    (
        "route-certainty",
        RouteProperties,
        ROUTE,
        changed(ROUTE, ("route_certainty",), "aproximate"),
        "route-unknown-value",
        "(did you mean 'approximate'?)",
    ),
    (
        "route-country-codes",
        RouteProperties,
        changed(ROUTE, ("countries",), ["AZ", "GE"]),
        changed(ROUTE, ("countries",), ["AZ", "Georgia"]),
        "route-bad-country-code",
        "item 2 of 'countries' must be an ISO 3166 alpha-2 code",
    ),
    (
        "route-fact-needs-source",
        RouteProperties,
        changed(ROUTE, ("facts",), [{"label": "Operator", "value": "SOCAR", "source": "trend"}]),
        changed(ROUTE, ("facts",), [{"label": "Operator", "value": "SOCAR"}]),
        "route-missing-field",
        "'source' is required",
    ),
    (
        "route-reserved-property",
        RouteProperties,
        ROUTE,
        changed(ROUTE, ("computed_length_km",), 12),
        "property-reserved",
        "property 'computed_length_km' is reserved: the build computes it",
    ),
    (
        "visit-needs-visitor",
        VisitProperties,
        VISIT,
        changed(VISIT, ("visitor",), DELETE),
        "visit-missing-field",
        "'visitor' is required",
    ),
    (
        "visit-ends-after-start",
        VisitProperties,
        VISIT,
        changed(VISIT, ("date_end",), "2024-08-17"),
        "visit-ends-before-start",
        "date_end 2024-08-17 is before date_start 2024-08-18",
    ),
    (
        "visit-is-schematic",
        VisitProperties,
        VISIT,
        changed(VISIT, ("route_certainty",), "waypoints"),
        "visit-unknown-value",
        "'route_certainty' must be one of schematic",
    ),
    (
        "place-type-is-text",
        PlaceProperties,
        {"name": "Baku", "place_type": "city"},
        {"name": "Baku", "place_type": {"kind": "city"}},
        "place-wrong-type",
        "'place_type' must be text, not a mapping",
    ),
    (
        "settings-frame-range",
        MapSettings,
        SETTINGS,
        changed(SETTINGS, ("view", "frame", "north"), 95),
        "settings-out-of-range",
        "'north' must be less than or equal to 90",
    ),
    (
        "settings-frame-inside-out",
        MapSettings,
        SETTINGS,
        changed(SETTINGS, ("view", "frame", "south"), 46),
        "settings-box-inside-out",
        "a box's west must be less than its east and its south less than its north",
    ),
    (
        "settings-status-style",
        MapSettings,
        changed(SETTINGS, ("statuses", "planned"), {"dash": "10 8"}),
        changed(SETTINGS, ("statuses", "planned"), {"dashes": "10 8"}),
        "settings-unknown-key",
        "unknown key 'dashes' (did you mean 'dash'?)",
    ),
]


def located(value: Any, tmp_path: Path) -> Located:
    """value written as YAML, parsed back with positions, as the build reads a file."""
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
    return Located(tmp_path / "input.yaml", yaml.safe_load(text), text)


def scope_of(model: type[BaseModel]) -> str:
    return {
        ArticleMeta: "metadata",
        Style: "style",
        LayerConfig: "layer",
        GazetteerEntry: "gazetteer",
        RouteProperties: "route",
        VisitProperties: "visit",
        PlaceProperties: "place",
        MapSettings: "settings",
    }[model]


@pytest.mark.parametrize(
    ("rule", "model", "valid", "invalid", "code", "message"), RULES, ids=[r[0] for r in RULES]
)
def test_rule(
    tmp_path: Path,
    rule: str,
    model: type[BaseModel],
    valid: dict[str, Any],
    invalid: dict[str, Any],
    code: str,
    message: str,
) -> None:
    good = Problems()
    assert validate(model, located(valid, tmp_path), (), good, scope=scope_of(model)) is not None
    assert good.items == []
    bad = Problems()
    assert validate(model, located(invalid, tmp_path), (), bad, scope=scope_of(model)) is None
    [problem] = bad.items
    assert problem.code == code
    assert message in problem.message
    assert problem.line is not None and problem.column is not None


@pytest.mark.parametrize(
    ("through", "valid"),
    [
        (["Kalaleh"], True),
        ([{"place": "Iran", "context": ["Nakhchivan"]}], True),
        # A place that needs a context must say which; and only place and context.
        ([{"place": "Iran", "context": []}], False),
        ([{"place": "Iran"}], False),
        ([{"place": "Iran", "context": ["Nakhchivan"], "near": 3}], False),
    ],
)
def test_a_passed_place_with_its_context(through: list[object], valid: bool) -> None:
    from pydantic import ValidationError

    from geo.rules import RouteRule

    rule = {"ends": [["Aghband"], ["Julfa"]], "heads": ["road"], "through": through}
    if valid:
        RouteRule.model_validate(rule)
    else:
        with pytest.raises(ValidationError):
            RouteRule.model_validate(rule)
