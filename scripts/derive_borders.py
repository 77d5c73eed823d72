"""Derive the offline country-border basemap ``geo/data/borders.geojson``.

The map must render with no network, so it carries its own small layer of
country borders, cut from Natural Earth's 1:10m "Admin 0 - Countries" (public
domain) in its default point of view, to the map region. Outside a core
Caucasus box it is simplified so that the file stays small; inside that box it
keeps the full detail of the source, because per-country route lengths are
measured against it (a pipeline that follows the Aras river must not wander
kilometres into Iran because of a simplified border).

Getting the source
------------------
The npm package ``world-atlas`` (pinned in ``package.json``, version 2.0.2,
ISC licence) redistributes Natural Earth 1:10m admin-0 countries (Natural
Earth version 4.1.0, default point of view, no simplification) as TopoJSON:
``node_modules/world-atlas/countries-10m.json``, object ``countries``, with the
geometry quantised to a 10**5 x 10**5 grid over the world (0.0036 degrees of
longitude, 0.0017 degrees of latitude). Each country has ``id``, its ISO
3166-1 numeric code as a three-digit string (absent where Natural Earth has
none), and ``properties.name``, Natural Earth's short ``NAME``. From the
repository root::

    npm ci
    python scripts/derive_borders.py

``--source`` takes another copy of ``countries-10m.json`` or a directory
holding one (such as an unpacked ``world-atlas`` package).

Reading TopoJSON
----------------
GDAL's TopoJSON driver (through pyogrio) decodes the file: it applies the
transform to the delta-encoded arcs, reverses negative arc references, exposes
the object ``countries`` as a layer with the string fields ``id`` and ``name``,
and drops the few rings that the quantisation collapsed to fewer than four
points (which empties the Vatican). tests/test_borders_source.py checks this
on a small hand-made topology and against the real file.

What it does
------------
1. Reads every feature of the ``countries`` layer and repairs invalid input
   geometry with ``make_valid`` (the quantisation leaves some self-touching
   rings).
2. Keeps the features intersecting the map box (lon 10..80, lat 10..62) and
   clips them to it.
3. Simplifies in two zones. Inside the core box (lon 38..51, lat 36.5..44:
   the South Caucasus, eastern Turkey, north-western Iran, the Caspian coast
   to Absheron) the clipped shape is kept as it is (CORE_TOLERANCE 0, no
   simplification). Outside it the clipped shape is simplified with
   ``simplify(TOLERANCE, preserve_topology=True)`` and the core box is cut out
   of the result; the union of the two pieces is the country. The seam runs
   along the straight box edges, which both pieces share exactly.
4. Snaps coordinates to a 10**-DECIMALS degree grid with ``set_precision``
   (which keeps polygons valid), orients rings per RFC 7946 (exterior
   counter-clockwise) and drops parts that collapsed.
5. Keeps two properties: ``name`` (the source's ``name``) and ``iso_a2``,
   the ISO 3166-1 alpha-2 code looked up from the numeric ``id`` in the table
   ISO_NUMERIC_TO_ALPHA2 below (the ISO 3166-1 codes of every country that
   reaches into the map box; the script stops if a numeric code in the box is
   missing from it). Features without a numeric code get their code from
   NAME_TO_ALPHA2 (Kosovo: the user-assigned ``XK`` that Natural Earth also
   uses) or ``null`` (Akrotiri, Dhekelia, N. Cyprus, Somaliland, the Cyprus
   U.N. Buffer Zone, Baikonur, Siachen Glacier).
6. Writes RFC 7946 GeoJSON (lon, lat; no ``crs``), features sorted by name,
   one feature per line, each serialised with
   ``json.dumps(sort_keys=True, separators=(",", ":"))``. The same source and
   the same shapely/GEOS give the same bytes on every run; ``--check`` verifies
   that the committed file matches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
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
SOURCE_FILE = "countries-10m.json"
DEFAULT_SOURCE = REPO_ROOT / "node_modules" / "world-atlas" / SOURCE_FILE
LAYER = "countries"

# Map region: Italy/Albania/Greece to India's west coast, the Gulf up to Moscow.
BBOX: tuple[float, float, float, float] = (10.0, 10.0, 80.0, 62.0)  # west, south, east, north
# Core region kept at full detail: the South Caucasus with the Aras valley, eastern
# Turkey, north-western Iran and the Caspian coast up to Absheron and Derbent.
CORE_BBOX: tuple[float, float, float, float] = (38.0, 36.5, 51.0, 44.0)
TOLERANCE = 0.02  # degrees, Douglas-Peucker with preserve_topology, outside the core box
CORE_TOLERANCE = 0.0  # degrees inside the core box; 0 keeps every source vertex
DECIMALS = 3  # ~110 m at the equator; finer than the source's 0.0036 x 0.0017 degree grid

# ISO 3166-1 numeric -> alpha-2 for every country that reaches into BBOX.
ISO_NUMERIC_TO_ALPHA2: dict[str, str] = {
    "004": "AF",  # Afghanistan
    "008": "AL",  # Albania
    "012": "DZ",  # Algeria
    "031": "AZ",  # Azerbaijan
    "040": "AT",  # Austria
    "048": "BH",  # Bahrain
    "051": "AM",  # Armenia
    "070": "BA",  # Bosnia and Herzegovina
    "100": "BG",  # Bulgaria
    "112": "BY",  # Belarus
    "120": "CM",  # Cameroon
    "140": "CF",  # Central African Republic
    "148": "TD",  # Chad
    "156": "CN",  # China
    "191": "HR",  # Croatia
    "196": "CY",  # Cyprus
    "203": "CZ",  # Czechia
    "208": "DK",  # Denmark
    "231": "ET",  # Ethiopia
    "232": "ER",  # Eritrea
    "233": "EE",  # Estonia
    "246": "FI",  # Finland
    "248": "AX",  # Åland Islands
    "262": "DJ",  # Djibouti
    "268": "GE",  # Georgia
    "275": "PS",  # Palestine
    "276": "DE",  # Germany
    "300": "GR",  # Greece
    "348": "HU",  # Hungary
    "356": "IN",  # India
    "364": "IR",  # Iran
    "368": "IQ",  # Iraq
    "376": "IL",  # Israel
    "380": "IT",  # Italy
    "398": "KZ",  # Kazakhstan
    "400": "JO",  # Jordan
    "414": "KW",  # Kuwait
    "417": "KG",  # Kyrgyzstan
    "422": "LB",  # Lebanon
    "428": "LV",  # Latvia
    "434": "LY",  # Libya
    "440": "LT",  # Lithuania
    "470": "MT",  # Malta
    "498": "MD",  # Moldova
    "499": "ME",  # Montenegro
    "512": "OM",  # Oman
    "562": "NE",  # Niger
    "566": "NG",  # Nigeria
    "578": "NO",  # Norway
    "586": "PK",  # Pakistan
    "616": "PL",  # Poland
    "634": "QA",  # Qatar
    "642": "RO",  # Romania
    "643": "RU",  # Russia
    "674": "SM",  # San Marino
    "682": "SA",  # Saudi Arabia
    "688": "RS",  # Serbia
    "703": "SK",  # Slovakia
    "705": "SI",  # Slovenia
    "706": "SO",  # Somalia
    "728": "SS",  # South Sudan
    "729": "SD",  # Sudan
    "752": "SE",  # Sweden
    "756": "CH",  # Switzerland
    "760": "SY",  # Syria
    "762": "TJ",  # Tajikistan
    "784": "AE",  # United Arab Emirates
    "788": "TN",  # Tunisia
    "792": "TR",  # Turkey
    "795": "TM",  # Turkmenistan
    "804": "UA",  # Ukraine
    "807": "MK",  # North Macedonia
    "818": "EG",  # Egypt
    "860": "UZ",  # Uzbekistan
    "887": "YE",  # Yemen
}
# Features that have no ISO 3166-1 numeric code in the source.
NAME_TO_ALPHA2: dict[str, str] = {"Kosovo": "XK"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_source(path: Path) -> Path:
    """The TopoJSON file itself, given the file or a directory holding it."""
    if path.is_dir():
        found = sorted(path.rglob(SOURCE_FILE))
        if not found:
            raise SystemExit(f"no {SOURCE_FILE} under {path}")
        path = found[0]
    if not path.is_file():
        hint = "\nrun `npm ci` in the repository root" if path == DEFAULT_SOURCE else ""
        raise SystemExit(f"source not found: {path}{hint}")
    package = path.parent / "package.json"
    version = ""
    if package.is_file():
        meta = json.loads(package.read_text(encoding="utf-8"))
        version = f" from {meta.get('name')} {meta.get('version')}"
    print(f"source: {path}{version} (sha256 {sha256(path)})", file=sys.stderr)
    return path


def text_or_none(value: Any) -> str | None:
    """A stripped string, or None for missing values (None, NaN, empty)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def iso_a2(numeric: str | None, name: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a source feature."""
    if numeric is None:
        return NAME_TO_ALPHA2.get(name)
    if numeric not in ISO_NUMERIC_TO_ALPHA2:
        raise SystemExit(f"{name}: ISO 3166-1 numeric {numeric} missing from ISO_NUMERIC_TO_ALPHA2")
    return ISO_NUMERIC_TO_ALPHA2[numeric]


def polygons_of(geom: BaseGeometry) -> list[Polygon]:
    """The non-empty polygon parts of any geometry (collections are flattened)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [part for sub in geom.geoms for part in polygons_of(sub)]
    return []


def simplify_zoned(
    clipped: BaseGeometry, core: Polygon, tolerance: float, core_tolerance: float
) -> BaseGeometry:
    """Full (or ``core_tolerance``) detail inside ``core``, ``tolerance`` outside it."""
    inner: BaseGeometry = MultiPolygon(polygons_of(clipped.intersection(core)))
    if core_tolerance > 0:
        inner = inner.simplify(core_tolerance, preserve_topology=True)
    outer = clipped.simplify(tolerance, preserve_topology=True).difference(core)
    return shapely.union(inner, MultiPolygon(polygons_of(outer)))


def process(
    geom: BaseGeometry,
    region: Polygon,
    core: Polygon,
    tolerance: float,
    core_tolerance: float,
    decimals: int,
) -> BaseGeometry:
    """Clip to the region, simplify by zone, snap to the grid and orient; may return empty."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    clipped = MultiPolygon(polygons_of(geom.intersection(region)))
    simplified = simplify_zoned(clipped, core, tolerance, core_tolerance)
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


def read_countries(source: Path) -> list[tuple[str | None, str | None, BaseGeometry | None]]:
    """(ISO numeric id, name, geometry) of every feature in the TopoJSON ``countries`` object."""
    layers = [str(name) for name, _ in pyogrio.list_layers(source)]
    if LAYER not in layers:
        raise SystemExit(f"{source}: no TopoJSON object {LAYER!r} (has {layers})")
    frame = pyogrio.read_dataframe(source, layer=LAYER)
    return [
        (text_or_none(row["id"]), text_or_none(row["name"]), row["geometry"])
        for row in frame.to_dict("records")
    ]


def derive(
    source: Path,
    tolerance: float = TOLERANCE,
    core_tolerance: float = CORE_TOLERANCE,
    decimals: int = DECIMALS,
) -> Iterator[dict[str, Any]]:
    """Yield the clipped, simplified features in name order."""
    region = box(*BBOX)
    core = box(*CORE_BBOX)
    features: list[dict[str, Any]] = []
    for numeric, name, geom in read_countries(source):
        if geom is None or geom.is_empty or not geom.intersects(region):
            continue
        if name is None:
            raise SystemExit(f"feature {numeric} without a name")
        out = process(geom, region, core, tolerance, core_tolerance, decimals)
        if out.is_empty:
            continue
        geometry = to_geojson_geometry(out, decimals)
        if not shape(geometry).is_valid:
            raise SystemExit(f"{name}: geometry invalid after rounding; change --decimals")
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "iso_a2": iso_a2(numeric, name)},
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
        default=DEFAULT_SOURCE,
        help=f"world-atlas {SOURCE_FILE} (TopoJSON) or a directory holding it "
        "(default: node_modules/world-atlas/, installed by `npm ci`)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--tolerance", type=float, default=TOLERANCE, help="degrees, outside the core box"
    )
    parser.add_argument(
        "--core-tolerance",
        type=float,
        default=CORE_TOLERANCE,
        help="degrees, inside the core box (0: no simplification)",
    )
    parser.add_argument("--decimals", type=int, default=DECIMALS)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if --output differs from what would be written",
    )
    args = parser.parse_args(argv)

    source = resolve_source(args.source)
    features = list(derive(source, args.tolerance, args.core_tolerance, args.decimals))
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
        f"tolerance {args.tolerance} (core {args.core_tolerance}), {args.decimals} decimals, "
        f"sha256 {hashlib.sha256(data).hexdigest()}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
