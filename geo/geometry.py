"""Geometry: a feature's GeoJSON geometry parsed, checked and measured.

geojson-pydantic parses the structure (types, nesting, closed rings, enough
positions); its errors are reworded here to say what to change. shapely then
checks validity (self-intersections), and pyproj measures geodesic length.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

import shapely
from geojson_pydantic import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon
from pydantic import Field, TypeAdapter, ValidationError
from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

ALLOWED = {
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
    "point": ("Point", "MultiPoint"),
}
_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "line": TypeAdapter(Annotated[LineString | MultiLineString, Field(discriminator="type")]),
    "polygon": TypeAdapter(Annotated[Polygon | MultiPolygon, Field(discriminator="type")]),
    "point": TypeAdapter(Annotated[Point | MultiPoint, Field(discriminator="type")]),
}
_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
_GEOD = Geod(ellps="WGS84")


class GeometryProblem(ValueError):
    """Why a geometry cannot be drawn, with a stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_geometry(raw: Any, kind: str) -> BaseGeometry:
    """The shapely geometry of a GeoJSON geometry in a layer of kind; GeometryProblem if bad."""
    check_type(raw, kind)
    positions = _positions(raw.get("coordinates"), _DEPTH[raw["type"]], raw["type"])
    for lon, lat in positions:
        check_range(lon, lat)
    try:
        _ADAPTERS[kind].validate_python(raw)
    except ValidationError as exc:
        raise _reworded(exc, raw) from None
    check_distinct(raw)
    return _valid_shape(raw)


def check_type(raw: Any, kind: str) -> None:
    """The geometry type must be one that the layer draws."""
    allowed = ALLOWED[kind]
    if not isinstance(raw, dict) or raw.get("type") not in allowed:
        found = raw.get("type") if isinstance(raw, dict) else raw
        raise GeometryProblem(
            "geometry-type-not-allowed",
            f"geometry type {found!r} is not allowed in a {kind} layer "
            f"(use {' or '.join(allowed)})",
        )


def check_range(lon: float, lat: float) -> None:
    """A position is [longitude, latitude] in degrees."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryProblem(
            "geometry-out-of-range",
            f"coordinate [{lon}, {lat}] is out of range "
            "(GeoJSON is [longitude, latitude] in degrees)",
        )


def check_distinct(raw: dict[str, Any]) -> None:
    """A line needs two different positions; shapely would accept one repeated."""
    lines = {"LineString": [raw["coordinates"]], "MultiLineString": raw["coordinates"]}
    for line in lines.get(raw["type"], []):
        if len({tuple(p[:2]) for p in line}) < 2:
            raise GeometryProblem(
                "geometry-short-line", "a line needs at least two distinct positions"
            )


def _valid_shape(raw: dict[str, Any]) -> BaseGeometry:
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeometryProblem("geometry-invalid", f"invalid geometry: {exc}") from None
    if geometry.is_empty:
        raise GeometryProblem("geometry-empty", "the geometry is empty")
    if not geometry.is_valid:
        raise GeometryProblem("geometry-invalid", f"invalid geometry: {explain_validity(geometry)}")
    return geometry


def _positions(coords: Any, depth: int, geometry_type: str) -> list[tuple[float, float]]:
    """Every [lon, lat] of coords nested depth levels deep; GeometryProblem if nested wrongly."""
    if depth == 0:
        if not _is_position(coords):
            raise GeometryProblem("geometry-bad-nesting", nesting_message(geometry_type))
        return [(float(coords[0]), float(coords[1]))]
    if not isinstance(coords, list) or not coords:
        raise GeometryProblem("geometry-bad-nesting", nesting_message(geometry_type))
    return [p for c in coords for p in _positions(c, depth - 1, geometry_type)]


def _is_position(coords: Any) -> bool:
    return (
        isinstance(coords, list)
        and 2 <= len(coords) <= 3
        and all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
            for c in coords
        )
    )


def _reworded(exc: ValidationError, raw: dict[str, Any]) -> GeometryProblem:
    """geojson-pydantic's first error, said as what to change."""
    error = exc.errors()[0]
    text = str(error.get("msg", ""))
    if "linear rings" in text.lower() and "same start and end" in text.lower():
        ring = _unclosed_ring(raw)
        return GeometryProblem(
            "geometry-unclosed-ring",
            f"polygon ring is not closed: it starts at {ring[0][:2]} but ends at "
            f"{ring[-1][:2]} (repeat the first position at the end)",
        )
    if error["type"] == "too_short":
        if raw["type"] in ("Polygon", "MultiPolygon"):
            return GeometryProblem(
                "geometry-short-ring",
                "a polygon ring needs at least four positions (the last repeats the first)",
            )
        return GeometryProblem(
            "geometry-short-line", "a line needs at least two distinct positions"
        )
    return GeometryProblem("geometry-invalid", f"invalid geometry: {text}")


def _unclosed_ring(raw: dict[str, Any]) -> list[list[float]]:
    polygons = [raw["coordinates"]] if raw["type"] == "Polygon" else raw["coordinates"]
    rings: list[list[list[float]]] = [
        ring for polygon in polygons for ring in polygon if ring[0][:2] != ring[-1][:2]
    ]
    return rings[0]


def nesting_message(geometry_type: str) -> str:
    """What a geometry type's coordinates must look like."""
    return (
        f"coordinates are not nested as a {geometry_type} needs "
        f"({_DEPTH[geometry_type] + 1} levels of lists around [longitude, latitude])"
    )


def geodesic_length_km(geometry: BaseGeometry) -> float:
    """Length of a line on the WGS84 ellipsoid, in kilometres."""
    return float(abs(_GEOD.geometry_length(geometry))) / 1000.0
