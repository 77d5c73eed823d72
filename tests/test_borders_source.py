"""Where the basemap comes from: world-atlas's Natural Earth 1:10m, default point of view.

See scripts/derive_borders.py and geo/data/BORDERS.md. The checks against the real
TopoJSON need ``node_modules/world-atlas`` (``npm ci``); outside CI they are skipped
when it is missing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
BORDERS = ROOT / "geo" / "data" / "borders.geojson"
SCRIPT = ROOT / "scripts" / "derive_borders.py"
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-10m.json"
OUTER_SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"

needs_source = pytest.mark.skipif(
    not SOURCE.is_file() and not os.environ.get("CI"),
    reason="node_modules/world-atlas is not installed: run `npm ci`",
)


@cache
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("derive_borders", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("derive_borders", module)
    spec.loader.exec_module(module)
    return module


@cache
def features() -> list[dict[str, Any]]:
    data = json.loads(BORDERS.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    result: list[dict[str, Any]] = data["features"]
    return result


@cache
def by_code() -> dict[str, BaseGeometry]:
    shapes: dict[str, BaseGeometry] = {}
    for feature in features():
        code = feature["properties"]["iso_a2"]
        if code is not None:
            assert code not in shapes, f"two features with iso_a2 {code}"
            shapes[code] = shape(feature["geometry"])
    return shapes


def polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    assert isinstance(geom, MultiPolygon)
    return list(geom.geoms)


def test_valid_geojson_polygons() -> None:
    assert features()
    for feature in features():
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == {"name", "iso_a2"}
        geom = shape(feature["geometry"])
        name = feature["properties"]["name"]
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, name
        assert geom.is_valid, name
        for part in polygons(geom):
            # RFC 7946: exterior rings counter-clockwise.
            assert part.exterior.is_ccw, name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("AZ", "Azerbaijan"),
        ("AM", "Armenia"),
        ("IR", "Iran"),
        ("GE", "Georgia"),
        ("TR", "Turkey"),
        ("RU", "Russia"),
        ("GR", "Greece"),
        ("AL", "Albania"),
        ("IT", "Italy"),
        ("IN", "India"),
    ],
)
def test_country_has_its_iso_code(code: str, name: str) -> None:
    names = {f["properties"]["name"]: f["properties"]["iso_a2"] for f in features()}
    assert names[name] == code


@pytest.mark.parametrize(
    ("place", "lat", "lon", "code"),
    [
        ("Nakhchivan", 39.21, 45.41, "AZ"),
        ("Baku", 40.41, 49.87, "AZ"),
        ("Meghri", 38.90, 46.24, "AM"),
        ("Yerevan", 40.18, 44.51, "AM"),
        ("Jolfa (Iran)", 38.94, 45.63, "IR"),
        ("Tbilisi", 41.72, 44.79, "GE"),
        ("Kars", 40.60, 43.10, "TR"),
        ("Derbent", 42.06, 48.29, "RU"),
    ],
)
def test_place_lies_in_country(place: str, lat: float, lon: float, code: str) -> None:
    point = Point(lon, lat)
    holders = [c for c, geom in by_code().items() if geom.contains(point)]
    assert holders == [code], place


def test_default_point_of_view() -> None:
    """Natural Earth's default view, not the German one: e.g. Northern Cyprus is its own feature."""
    kyrenia = Point(33.32, 35.33)
    holders = [f["properties"] for f in features() if shape(f["geometry"]).contains(kyrenia)]
    assert holders == [{"name": "N. Cyprus", "iso_a2": None}]


@pytest.mark.parametrize(
    ("first", "second", "degrees"),
    [
        ("AM", "IR", 0.39),
        ("AZ", "IR", 6.1),
        ("AM", "AZ", 7.9),
        ("GE", "RU", 7.9),
        ("TR", "IR", 4.4),
    ],
)
def test_core_borders_are_shared_exactly(first: str, second: str, degrees: float) -> None:
    """Inside the core box neighbours are not simplified apart: both copies of the border
    (the Aras for Armenia and Azerbaijan against Iran) are the same line, with no overlap."""
    a, b = by_code()[first], by_code()[second]
    assert a.boundary.intersection(b.boundary).length > degrees
    assert a.intersection(b).area == 0


def test_file_is_small() -> None:
    assert BORDERS.stat().st_size < 500_000


def _topology() -> dict[str, Any]:
    """Two unit squares sharing one arc, the right one using it reversed (~0)."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [40.0, 30.0]},
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "051", "properties": {"name": "L"}},
                    {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"name": "Kosovo"}},
                ],
            }
        },
        "arcs": [
            [[2, 0], [0, 4]],
            [[2, 4], [-2, 0], [0, -4], [2, 0]],
            [[2, 0], [2, 0], [0, 4], [-2, 0]],
        ],
    }


def test_topojson_decoding(tmp_path: Path) -> None:
    """GDAL's TopoJSON driver: transform, delta-encoded arcs, reversed arcs, string ids."""
    path = tmp_path / "countries-10m.json"
    path.write_text(json.dumps(_topology()), encoding="utf-8")
    rows = script().read_countries(path)
    assert [(numeric, name) for numeric, name, _ in rows] == [("051", "L"), (None, "Kosovo")]
    left, right = (geom for _, _, geom in rows)
    assert left.equals(box(40.0, 30.0, 41.0, 31.0))
    assert right.equals(box(41.0, 30.0, 42.0, 31.0))
    derived = list(script().derive(path))
    assert [f["properties"] for f in derived] == [
        {"name": "Kosovo", "iso_a2": "XK"},
        {"name": "L", "iso_a2": "AM"},
    ]


def test_unknown_numeric_code_stops(tmp_path: Path) -> None:
    topology = _topology()
    topology["objects"]["countries"]["geometries"][0]["id"] = "999"
    path = tmp_path / "countries-10m.json"
    path.write_text(json.dumps(topology), encoding="utf-8")
    with pytest.raises(SystemExit, match="999"):
        list(script().derive(path))


def test_iso_table_is_well_formed() -> None:
    table: dict[str, str] = script().ISO_NUMERIC_TO_ALPHA2
    assert all(len(k) == 3 and k.isdigit() for k in table)
    assert all(len(v) == 2 and v.isalpha() and v.isupper() for v in table.values())
    assert len(set(table.values())) == len(table)


def vertices(geom: BaseGeometry) -> set[tuple[float, float]]:
    return {c for p in polygons(geom) for r in (p.exterior, *p.interiors) for c in r.coords}


def test_join_keeps_the_inner_piece_as_it_is() -> None:
    """Somalia at 10 N: the simplified inner piece ends in a slanted edge a hair above the
    box line, and the outer piece has a vertex 5e-5 degrees below that edge. An overlay
    union bends the edge through that vertex; join keeps it where it was."""
    frame = (10.0, 10.0, 80.0, 62.0)
    inner = Polygon([(48.941, 10.014), (50.899, 10.0), (51.4, 11.0), (48.941, 11.0)])
    outer = Polygon([(48.937, 10.0), (50.892, 10.0), (50.8, 9.0), (48.9, 9.0)])
    joined = script().join(inner, outer, frame)
    assert joined.is_valid
    assert joined.intersection(box(*frame)).symmetric_difference(inner).area == 0
    assert vertices(inner) <= vertices(joined)


def test_join_dissolves_the_shared_box_edge() -> None:
    """Two pieces of one country on either side of the box line, with different vertices
    on it, become one polygon without the line between them."""
    frame = (10.0, 10.0, 80.0, 62.0)
    inner = Polygon([(10.0, 40.0), (12.0, 40.0), (12.0, 44.0), (10.0, 44.0), (10.0, 42.5)])
    outer = Polygon([(8.0, 39.0), (10.0, 39.5), (10.0, 41.0), (10.0, 43.0), (8.0, 44.5)])
    joined = script().join(inner, outer, frame)
    assert joined.geom_type == "Polygon"
    assert joined.is_valid
    assert abs(joined.area - inner.area - outer.area) < 1e-12
    assert joined.intersection(box(*frame)).symmetric_difference(inner).area == 0


def test_cut_at_antimeridian() -> None:
    """A ring that runs across the antimeridian is cut there into two planar pieces."""
    chukotka = Polygon([(175.0, 65.0), (-175.0, 65.0), (-175.0, 68.0), (175.0, 68.0)])
    cut = script().cut_at_antimeridian(chukotka)
    assert cut.is_valid
    assert abs(cut.area - 30.0) < 1e-9  # 10 degrees by 3, not 350 by 3
    assert cut.bounds == (-180.0, 65.0, 180.0, 68.0)
    assert cut.contains(Point(178.0, 66.0)) and cut.contains(Point(-178.0, 66.0))
    assert not cut.contains(Point(0.0, 66.0))


def test_cut_at_antimeridian_closes_a_polar_ring() -> None:
    """Antarctica in world-atlas: a sliver ring around the pole whose hole is the coast.
    Rebuilt by the even-odd rule, it is the land between the coast and the pole."""
    sliver = [(-180.0, -89.999), *((float(x), -89.999) for x in range(170, -180, -10))]
    coast = [(-180.0, -70.0), *((float(x), -70.0) for x in range(-170, 180, 10))]
    cut = script().cut_at_antimeridian(Polygon(sliver[::-1], [coast]))
    assert cut.is_valid
    assert abs(cut.area - 360 * 19.999) < 1e-6
    assert cut.contains(Point(0.0, -80.0)) and cut.contains(Point(179.5, -80.0))
    assert not cut.contains(Point(0.0, -60.0))


@needs_source
def test_source_is_world_atlas_10m() -> None:
    package = json.loads((SOURCE.parent / "package.json").read_text(encoding="utf-8"))
    assert (package["name"], package["version"]) == ("world-atlas", "2.0.2")
    doc = (ROOT / "geo" / "data" / "BORDERS.md").read_text(encoding="utf-8")
    assert script().sha256(SOURCE) in doc
    assert script().sha256(OUTER_SOURCE) in doc


@needs_source
def test_check_reproduces_committed_file() -> None:
    assert script().main(["--check"]) == 0
