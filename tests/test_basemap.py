"""The offline country-border basemap geo/data/borders.geojson (see geo/data/BORDERS.md)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

BORDERS = Path(__file__).resolve().parents[1] / "geo" / "data" / "borders.geojson"
CLIP_BOX = box(10.0, 10.0, 80.0, 62.0)
NAKHCHIVAN = Point(45.41, 39.21)
BAKU = Point(49.87, 40.41)
REQUIRED_COUNTRIES = [
    "Azerbaijan",
    "Armenia",
    "Georgia",
    "Iran",
    "Russia",
    "Turkey",
    "India",
    "Italy",
    "Greece",
    "Albania",
]


@cache
def collection() -> dict[str, Any]:
    return json.loads(BORDERS.read_text(encoding="utf-8"))


@cache
def countries() -> dict[str, BaseGeometry]:
    return {f["properties"]["name"]: shape(f["geometry"]) for f in collection()["features"]}


def polygons(geom: BaseGeometry) -> list[Polygon]:
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]


def test_is_feature_collection() -> None:
    data = collection()
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    assert data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == {"name", "iso_a2"}


def test_geometries_valid_and_inside_clip_box() -> None:
    for name, geom in countries().items():
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, name
        assert geom.is_valid, name
        assert CLIP_BOX.covers(geom), name


@pytest.mark.parametrize("name", REQUIRED_COUNTRIES)
def test_country_present(name: str) -> None:
    assert name in countries()


def test_azerbaijan_keeps_nakhchivan_exclave() -> None:
    parts = polygons(countries()["Azerbaijan"])
    assert len(parts) >= 2
    with_nakhchivan = [p for p in parts if p.contains(NAKHCHIVAN)]
    with_baku = [p for p in parts if p.contains(BAKU)]
    assert len(with_nakhchivan) == 1
    assert len(with_baku) == 1
    assert with_nakhchivan[0] is not with_baku[0]


def test_baku_not_in_armenia() -> None:
    assert not countries()["Armenia"].contains(BAKU)


def test_file_is_small() -> None:
    assert BORDERS.stat().st_size < 1_000_000
