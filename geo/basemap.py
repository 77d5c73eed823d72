"""The offline basemap: Natural Earth country shapes shipped in geo/data (see BORDERS.md)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from shapely.geometry import GeometryCollection, shape
from shapely.geometry.base import BaseGeometry

# Features may sit on a coast, offshore or on a border: allow this much (degrees, ~30 km).
NEAR = 0.3


def borders_text() -> str:
    """The basemap GeoJSON as text."""
    return resources.files("geo").joinpath("data", "borders.geojson").read_text(encoding="utf-8")


@cache
def _country_features() -> dict[str, list[dict[str, object]]]:
    features: dict[str, list[dict[str, object]]] = {}
    for feature in json.loads(borders_text())["features"]:
        code = feature["properties"].get("iso_a2")
        if code:
            features.setdefault(code, []).append(feature["geometry"])
    return features


@cache
def country(code: str) -> BaseGeometry | None:
    """The shape of a country by ISO 3166 alpha-2 code (None if the basemap lacks it)."""
    parts = [shape(geometry) for geometry in _country_features().get(code, [])]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else GeometryCollection(parts)


def near_countries(geometry: BaseGeometry, codes: list[str]) -> bool | None:
    """Whether geometry lies within NEAR of the named countries; None when none is known."""
    known = [shape for shape in map(country, codes) if shape is not None]
    if not known:
        return None
    return any(shape.distance(geometry) <= NEAR for shape in known)


@cache
def country_shapes() -> dict[str, BaseGeometry]:
    """Every country of the basemap by ISO alpha-2 code, its parts as one geometry."""
    return {code: shape for code in _country_features() if (shape := country(code)) is not None}


@cache
def country_names() -> dict[str, str]:
    """The basemap's English short name of each ISO alpha-2 code."""
    names: dict[str, str] = {}
    for feature in json.loads(borders_text())["features"]:
        props = feature["properties"]
        if props.get("iso_a2"):
            names.setdefault(props["iso_a2"], props.get("name") or props["iso_a2"])
    return names
