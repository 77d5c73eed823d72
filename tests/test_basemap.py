"""The offline country-border basemap geo/data/borders.geojson (see geo/data/BORDERS.md)."""

from __future__ import annotations

import hashlib
import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

BORDERS = Path(__file__).resolve().parents[1] / "geo" / "data" / "borders.geojson"
WORLD = box(-180.0, -90.0, 180.0, 90.0)
# The map box of the file before the outer zone was added (lon 10..80, lat 10..62). Inside
# it the shapes must stay as they were, because route lengths are measured against them.
OLD_BOX = (10.0, 10.0, 80.0, 62.0)
# Each country's area inside OLD_BOX (square degrees) in that earlier file (322,617 bytes,
# sha256 02cda3a7...), and a digest of its vertices strictly inside OLD_BOX.
OLD_BOX_AREAS = {
    "Afghanistan": 62.6023075000,
    "Akrotiri": 0.0103020000,
    "Albania": 3.0356470000,
    "Algeria": 2.8393480000,
    "Armenia": 3.1339180000,
    "Austria": 9.8161830000,
    "Azerbaijan": 9.1365575000,
    "Bahrain": 0.0524925000,
    "Baikonur": 0.7322930000,
    "Belarus": 28.1212990000,
    "Bosnia and Herz.": 5.8466345000,
    "Bulgaria": 12.4131685000,
    "Cameroon": 2.9483555000,
    "Central African Rep.": 1.3825860000,
    "Chad": 95.8482660000,
    "China": 34.1002025000,
    "Croatia": 6.2658250000,
    "Cyprus": 0.5320115000,
    "Cyprus U.N. Buffer Zone": 0.0312425000,
    "Czechia": 9.8271270000,
    "Denmark": 2.6400080000,
    "Dhekelia": 0.0144170000,
    "Djibouti": 1.8219415000,
    "Egypt": 90.7460605000,
    "Eritrea": 10.3268780000,
    "Estonia": 7.0889950000,
    "Ethiopia": 28.6200125000,
    "Finland": 12.9151920000,
    "Georgia": 7.5807855000,
    "Germany": 25.3748015000,
    "Greece": 13.6561990000,
    "Hungary": 11.0674170000,
    "India": 173.8060530000,
    "Iran": 156.0975535000,
    "Iraq": 42.2169175000,
    "Israel": 2.0842925000,
    "Italy": 24.5978285000,
    "Jordan": 8.3918115000,
    "Kazakhstan": 300.8933320000,
    "Kosovo": 1.1951060000,
    "Kuwait": 1.6265725000,
    "Kyrgyzstan": 21.3899975000,
    "Latvia": 9.5076700000,
    "Lebanon": 0.9810780000,
    "Libya": 146.5493885000,
    "Lithuania": 9.2058330000,
    "Macedonia": 2.7484290000,
    "Malta": 0.0307355000,
    "Moldova": 3.9475700000,
    "Montenegro": 1.5039785000,
    "N. Cyprus": 0.3383400000,
    "Niger": 48.3708035000,
    "Nigeria": 13.6146965000,
    "Norway": 6.4994540000,
    "Oman": 27.0134210000,
    "Pakistan": 81.6910445000,
    "Palestine": 0.6009345000,
    "Poland": 41.1861950000,
    "Qatar": 0.9931965000,
    "Romania": 27.3909955000,
    "Russia": 571.9522800000,
    "S. Sudan": 3.0170190000,
    "San Marino": 0.0048085000,
    "Saudi Arabia": 171.0943135000,
    "Serbia": 8.7342380000,
    "Siachen Glacier": 0.2050870000,
    "Slovakia": 5.9155555000,
    "Slovenia": 2.3640510000,
    "Somalia": 3.4261470000,
    "Somaliland": 5.5710540000,
    "Sudan": 153.8466520000,
    "Sweden": 31.9674410000,
    "Switzerland": 0.1720295000,
    "Syria": 18.3733490000,
    "Tajikistan": 14.6910585000,
    "Tunisia": 4.7351850000,
    "Turkey": 81.2794725000,
    "Turkmenistan": 49.0393590000,
    "Ukraine": 70.5237385000,
    "United Arab Emirates": 6.2765395000,
    "Uzbekistan": 48.4895740000,
    "Yemen": 38.2128485000,
    "Åland": 0.1376160000,
}
OLD_BOX_VERTICES_SHA256 = "28705409ea5494d2bc4cab0c678b6a15b7c9cc630c31a06175fea3029ee58c14"
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


def test_geometries_valid_and_inside_the_world() -> None:
    for name, geom in countries().items():
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, name
        assert geom.is_valid, name
        assert WORLD.covers(geom), name


def rings(geom: BaseGeometry) -> list[list[tuple[float, float]]]:
    return [list(r.coords) for p in polygons(geom) for r in (p.exterior, *p.interiors)]


def test_inside_old_box_unchanged() -> None:
    """Clipped to the old map box, every country has the area it had there, to 1e-9 square
    degrees, and the same vertices strictly inside the box: the outer zone only adds land
    outside it, and the join along the box edges moves no edge inside."""
    clip = box(*OLD_BOX)
    areas = {name: geom.intersection(clip).area for name, geom in countries().items()}
    areas = {name: area for name, area in areas.items() if area > 0}
    assert set(areas) == set(OLD_BOX_AREAS)
    for name, area in OLD_BOX_AREAS.items():
        assert abs(areas[name] - area) < 1e-9, name
    west, south, east, north = OLD_BOX
    digest = hashlib.sha256()
    for name, geom in sorted(countries().items()):
        points = sorted(
            {
                (x, y)
                for ring in rings(geom)
                for x, y in ring
                if west < x < east and south < y < north
            }
        )
        if points:
            digest.update(json.dumps([name, points], separators=(",", ":")).encode())
    assert digest.hexdigest() == OLD_BOX_VERTICES_SHA256


def test_reaches_the_edges_of_the_world() -> None:
    """No clip edge to see when zoomed out: the land runs to the antimeridian on both sides,
    to Antarctica in the south and northern Greenland in the north."""
    west, south, east, north = shapely.union_all(list(countries().values())).bounds
    assert (west, east) == (-180.0, 180.0)
    assert south < -89.9
    assert north > 83.0
    for name in ["United States of America", "Brazil", "China", "Australia", "Antarctica"]:
        assert name in countries(), name


def test_no_ring_jumps_across_the_antimeridian() -> None:
    """world-atlas's rings run across the antimeridian (Chukotka, Fiji, Antarctica): in the
    file they are cut there, so Leaflet draws no line across the whole world."""
    for name, geom in countries().items():
        for ring in rings(geom):
            for (x0, y0), (x1, y1) in itertools.pairwise(ring):
                # Antarctica's cut closes along the pole, which Web Mercator never shows.
                if y0 < -89.9 and y1 < -89.9:
                    continue
                assert abs(x1 - x0) < 180, name
    russia = countries()["Russia"]
    assert russia.bounds[0] == -180.0 and russia.bounds[2] == 180.0
    assert russia.contains(Point(-175.0, 66.0))  # Chukotka east of the antimeridian
    assert 5000 < countries()["Antarctica"].area < 7000  # square degrees, down to the pole


@pytest.mark.parametrize(
    ("first", "second", "degrees"),
    [
        ("France", "Spain", 4.0),
        ("Brazil", "Argentina", 6.0),
        ("China", "Mongolia", 40.0),
        ("Canada", "United States of America", 80.0),
    ],
)
def test_outer_neighbours_meet(first: str, second: str, degrees: float) -> None:
    """The outer zone is simplified as one coverage: neighbours keep a common border, with
    no sea-coloured gap and no overlap between them."""
    a, b = countries()[first], countries()[second]
    assert a.boundary.intersection(b.boundary).length > degrees
    assert a.intersection(b).area < 1e-9


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
    # 322,617 bytes before the outer zone; at most 150 kB more with it.
    assert BORDERS.stat().st_size < 472_617
