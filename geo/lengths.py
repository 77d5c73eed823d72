"""How much of a drawn route lies in each country, and at sea, measured on the borders.

The borders are the offline basemap (Natural Earth 1:10m, see geo/data/BORDERS.md).
A route's length in a country is the geodesic length of the part of its line inside
that country's shape; what lies in no country is at sea (or, for a route drawn along
a coast, just off it).
"""

from __future__ import annotations

from functools import cache

from shapely import STRtree
from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry

from geo.basemap import country_shapes
from geo.geometry import geodesic_length_km
from geo.models import SEA

# Parts shorter than this (km) are the noise of a line drawn along a border.
MIN_KM = 0.05


def length_by_country(line: BaseGeometry) -> dict[str, float]:
    """Kilometres of line inside each country it enters, and at sea, longest first."""
    codes, tree = _countries()
    inside: dict[str, float] = {}
    for i in tree.query(line):
        km = geodesic_length_km(_line_parts(tree.geometries[i].intersection(line)))
        if km >= MIN_KM:
            inside[codes[i]] = inside.get(codes[i], 0.0) + km
    sea = geodesic_length_km(line) - sum(inside.values())
    if sea >= MIN_KM:
        inside[SEA] = sea
    return dict(sorted(inside.items(), key=lambda item: -item[1]))


def _line_parts(geometry: BaseGeometry) -> BaseGeometry:
    """The lines of an intersection: a point where the line only touches has no length."""
    if geometry.geom_type != "GeometryCollection":
        return geometry
    parts = [
        line
        for part in getattr(geometry, "geoms", [])
        if "LineString" in part.geom_type
        for line in getattr(part, "geoms", [part])
    ]
    return MultiLineString(parts)


@cache
def _countries() -> tuple[list[str], STRtree]:
    shapes = country_shapes()
    return list(shapes), STRtree(list(shapes.values()))
