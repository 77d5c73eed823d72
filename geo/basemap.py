"""The offline basemap: Natural Earth country shapes shipped in geo/data (see BORDERS.md)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

# Features may sit on a coast, offshore or on a border: allow this much (degrees, ~30 km).
NEAR = 0.3


def borders_text() -> str:
    """The basemap GeoJSON as text."""
    return resources.files("geo").joinpath("data", "borders.geojson").read_text(encoding="utf-8")


@cache
def countries() -> dict[str, BaseGeometry]:
    """Country geometries by ISO 3166 alpha-2 code."""
    shapes: dict[str, list[BaseGeometry]] = {}
    for feature in json.loads(borders_text())["features"]:
        code = feature["properties"].get("iso_a2")
        if code:
            shapes.setdefault(code, []).append(shape(feature["geometry"]))
    return {code: unary_union(parts) for code, parts in shapes.items()}


def near_countries(geometry: BaseGeometry, codes: list[str]) -> bool | None:
    """Whether geometry lies near the named countries; None when none of them is known."""
    known = [countries()[c] for c in codes if c in countries()]
    if not known:
        return None
    return unary_union(known).buffer(NEAR).covers(geometry)
