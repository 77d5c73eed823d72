"""Derive the offline country-border basemap ``geo/data/borders.geojson``.

The map must render with no network, so it carries its own small layer of
country borders from Natural Earth's "Admin 0 - Countries" (public domain) in its
default point of view, for the whole world, so that no clip edge shows however
far the reader zooms out. It is detailed where the map looks and coarse
elsewhere, so that the file stays small. Inside a core Caucasus box it keeps the
full 1:10m detail of the source, because per-country route lengths are measured
against it (a pipeline that follows the Aras river must not wander kilometres
into Iran because of a simplified border).

Getting the source
------------------
The npm package ``world-atlas`` (pinned in ``package.json``, version 2.0.2,
ISC licence) redistributes Natural Earth admin-0 countries (Natural Earth
version 4.1.0, default point of view) as TopoJSON:
``node_modules/world-atlas/countries-10m.json`` (1:10m, no simplification) and
``countries-50m.json`` (1:50m), object ``countries``, with the geometry
quantised to a 10**5 x 10**5 grid over the world (0.0036 degrees of longitude,
0.0017 degrees of latitude). Each country has ``id``, its ISO 3166-1 numeric
code as a three-digit string (absent where Natural Earth has none), and
``properties.name``, Natural Earth's short ``NAME``. The geometry is spherical:
rings that cross the antimeridian (Chukotka, Fiji) run straight from 179.9 to
-179.9, and Antarctica's coast is a hole in a sliver ring around the South Pole.
From the repository root::

    npm ci
    python scripts/derive_borders.py

``--source`` takes another copy of ``countries-10m.json`` or a directory
holding one (such as an unpacked ``world-atlas`` package); ``--outer-source``
likewise for ``countries-50m.json`` (default: beside the 1:10m file).

Reading TopoJSON
----------------
GDAL's TopoJSON driver (through pyogrio) decodes the file: it applies the
transform to the delta-encoded arcs, reverses negative arc references, exposes
the object ``countries`` as a layer with the string fields ``id`` and ``name``,
and drops the few rings that the quantisation collapsed to fewer than four
points (which empties the Vatican at 1:10m). tests/test_borders_source.py checks
this on a small hand-made topology and against the real file.

What it does
------------
1. Reads every feature of the ``countries`` layer of both files.
2. Zones, nested, each simplified on its own, the inner boxes cut out of the
   outer zones' shapes so that the pieces meet along the straight box edges,
   which both sides share exactly:

   - core box (CORE_BBOX, lon 38..51, lat 36.5..44: the South Caucasus, eastern
     Turkey, north-western Iran, the Caspian coast to Absheron): the 1:10m shape
     clipped to it, not simplified (CORE_TOLERANCE 0).
   - map box (BBOX, lon 10..80, lat 10..62) outside the core: the 1:10m shape
     (repaired with ``make_valid``) clipped to the map box, simplified with
     ``simplify(TOLERANCE, preserve_topology=True)``, the core box cut out and
     the core piece put back by union. Together these two zones are the file as
     it was before the outer zone was added: inside BBOX it has not changed,
     vertex for vertex.
   - outer zone (EXTENT, the whole world, outside BBOX): the 1:50m shape, cut at
     the antimeridian (each ring unwrapped, closed along the pole if it goes
     round one, folded back into -180..180 and the polygon rebuilt by the
     even-odd rule), islands smaller than OUTER_MIN_AREA left out unless they
     are the country's largest part or reach into BBOX, all countries
     simplified together with ``coverage_simplify(OUTER_TOLERANCE)`` so that
     neighbours keep one common border, and BBOX cut out.

3. Snaps coordinates to a 10**-DECIMALS degree grid with ``set_precision``
   (which keeps polygons valid) in each piece, and joins the map-box piece and
   the outer piece of a country (``join``): each gets the other's vertices on
   the lines of BBOX, and ``coverage_union`` dissolves the segments they then
   share, with no noding, so no vertex inside BBOX moves. (An overlay union
   moved edges of Somalia and Switzerland onto a vertex of the other piece a
   hair away.) Orients rings per RFC 7946 (exterior counter-clockwise) and
   drops parts that collapsed. A feature of the 1:10m file that the 1:50m file
   lacks keeps only its part inside BBOX (Gibraltar and a few reefs and
   bases have none).
4. Keeps two properties: ``name`` (the source's ``name``) and ``iso_a2``,
   the ISO 3166-1 alpha-2 code looked up from the numeric ``id`` in the table
   ISO_NUMERIC_TO_ALPHA2 below (every numeric code in the source; the script
   stops if one is missing from it, or if two features get the same code).
   Features without a numeric code get their code from NAME_TO_ALPHA2 (Kosovo:
   the user-assigned ``XK`` that Natural Earth also uses) or ``null`` (Akrotiri,
   Dhekelia, N. Cyprus, Somaliland, the Cyprus U.N. Buffer Zone, Baikonur,
   Siachen Glacier, Indian Ocean Ter.); NO_ALPHA2 gives ``null`` to Ashmore and
   Cartier Is., which carries Australia's numeric code.
5. Writes RFC 7946 GeoJSON (lon, lat; no ``crs``), features sorted by name,
   one feature per line, each serialised with
   ``json.dumps(sort_keys=True, separators=(",", ":"))``. The same sources and
   the same shapely/GEOS give the same bytes on every run; ``--check`` verifies
   that the committed file matches.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyogrio
import shapely
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO_ROOT / "geo" / "data" / "borders.geojson"
SOURCE_FILE = "countries-10m.json"
OUTER_SOURCE_FILE = "countries-50m.json"  # same package, same Natural Earth version
DEFAULT_SOURCE = REPO_ROOT / "node_modules" / "world-atlas" / SOURCE_FILE
LAYER = "countries"

# Three nested zones, (west, south, east, north) in degrees. Each is simplified on its own
# and the inner boxes are cut out of the outer zones' shapes, so the pieces meet along the
# straight edges of CORE_BBOX and BBOX, which both sides share exactly.
# The whole world, so that no clip edge shows however far the reader zooms out.
EXTENT: tuple[float, float, float, float] = (-180.0, -90.0, 180.0, 90.0)
# The map region at regional detail: Italy/Albania/Greece to India's west coast, the Gulf up
# to Moscow. Inside it the file is what it was before the outer zone was added, vertex for
# vertex: route lengths per country are measured against it.
BBOX: tuple[float, float, float, float] = (10.0, 10.0, 80.0, 62.0)
# Core region kept at full detail: the South Caucasus with the Aras valley, eastern
# Turkey, north-western Iran and the Caspian coast up to Absheron and Derbent.
CORE_BBOX: tuple[float, float, float, float] = (38.0, 36.5, 51.0, 44.0)
TOLERANCE = 0.02  # degrees, Douglas-Peucker with preserve_topology, in BBOX outside the core
CORE_TOLERANCE = 0.0  # degrees inside the core box; 0 keeps every source vertex
# Outside BBOX: the 1:50m source, coarse (a coast is typically 0.2 to 0.8 degrees off,
# 1 to 4 pixels at zoom 3), simplified as one coverage with Visvalingam-Whyatt.
OUTER_TOLERANCE = 0.35  # degrees
OUTER_MIN_AREA = 0.1  # square degrees: smaller islands outside BBOX are left out
DECIMALS = 3  # ~110 m at the equator; finer than the source's 0.0036 x 0.0017 degree grid

# ISO 3166-1 numeric -> alpha-2 for every numeric code in the source.
ISO_NUMERIC_TO_ALPHA2: dict[str, str] = {
    "004": "AF",  # Afghanistan
    "008": "AL",  # Albania
    "010": "AQ",  # Antarctica
    "012": "DZ",  # Algeria
    "016": "AS",  # American Samoa
    "020": "AD",  # Andorra
    "024": "AO",  # Angola
    "028": "AG",  # Antigua and Barbuda
    "031": "AZ",  # Azerbaijan
    "032": "AR",  # Argentina
    "036": "AU",  # Australia
    "040": "AT",  # Austria
    "044": "BS",  # Bahamas
    "048": "BH",  # Bahrain
    "050": "BD",  # Bangladesh
    "051": "AM",  # Armenia
    "052": "BB",  # Barbados
    "056": "BE",  # Belgium
    "060": "BM",  # Bermuda
    "064": "BT",  # Bhutan
    "068": "BO",  # Bolivia
    "070": "BA",  # Bosnia and Herzegovina
    "072": "BW",  # Botswana
    "076": "BR",  # Brazil
    "084": "BZ",  # Belize
    "086": "IO",  # British Indian Ocean Territory
    "090": "SB",  # Solomon Islands
    "092": "VG",  # Virgin Islands, British
    "096": "BN",  # Brunei Darussalam
    "100": "BG",  # Bulgaria
    "104": "MM",  # Myanmar
    "108": "BI",  # Burundi
    "112": "BY",  # Belarus
    "116": "KH",  # Cambodia
    "120": "CM",  # Cameroon
    "124": "CA",  # Canada
    "132": "CV",  # Cabo Verde
    "136": "KY",  # Cayman Islands
    "140": "CF",  # Central African Republic
    "144": "LK",  # Sri Lanka
    "148": "TD",  # Chad
    "152": "CL",  # Chile
    "156": "CN",  # China
    "158": "TW",  # Taiwan
    "170": "CO",  # Colombia
    "174": "KM",  # Comoros
    "178": "CG",  # Congo
    "180": "CD",  # Congo, The Democratic Republic of the
    "184": "CK",  # Cook Islands
    "188": "CR",  # Costa Rica
    "191": "HR",  # Croatia
    "192": "CU",  # Cuba
    "196": "CY",  # Cyprus
    "203": "CZ",  # Czechia
    "204": "BJ",  # Benin
    "208": "DK",  # Denmark
    "212": "DM",  # Dominica
    "214": "DO",  # Dominican Republic
    "218": "EC",  # Ecuador
    "222": "SV",  # El Salvador
    "226": "GQ",  # Equatorial Guinea
    "231": "ET",  # Ethiopia
    "232": "ER",  # Eritrea
    "233": "EE",  # Estonia
    "234": "FO",  # Faroe Islands
    "238": "FK",  # Falkland Islands (Malvinas)
    "239": "GS",  # South Georgia and the South Sandwich Islands
    "242": "FJ",  # Fiji
    "246": "FI",  # Finland
    "248": "AX",  # Åland Islands
    "250": "FR",  # France
    "258": "PF",  # French Polynesia
    "260": "TF",  # French Southern Territories
    "262": "DJ",  # Djibouti
    "266": "GA",  # Gabon
    "268": "GE",  # Georgia
    "270": "GM",  # Gambia
    "275": "PS",  # Palestine
    "276": "DE",  # Germany
    "288": "GH",  # Ghana
    "292": "GI",  # Gibraltar
    "296": "KI",  # Kiribati
    "300": "GR",  # Greece
    "304": "GL",  # Greenland
    "308": "GD",  # Grenada
    "316": "GU",  # Guam
    "320": "GT",  # Guatemala
    "324": "GN",  # Guinea
    "328": "GY",  # Guyana
    "332": "HT",  # Haiti
    "334": "HM",  # Heard Island and McDonald Islands
    "336": "VA",  # Holy See (Vatican City State)
    "340": "HN",  # Honduras
    "344": "HK",  # Hong Kong
    "348": "HU",  # Hungary
    "352": "IS",  # Iceland
    "356": "IN",  # India
    "360": "ID",  # Indonesia
    "364": "IR",  # Iran
    "368": "IQ",  # Iraq
    "372": "IE",  # Ireland
    "376": "IL",  # Israel
    "380": "IT",  # Italy
    "384": "CI",  # Côte d'Ivoire
    "388": "JM",  # Jamaica
    "392": "JP",  # Japan
    "398": "KZ",  # Kazakhstan
    "400": "JO",  # Jordan
    "404": "KE",  # Kenya
    "408": "KP",  # North Korea
    "410": "KR",  # South Korea
    "414": "KW",  # Kuwait
    "417": "KG",  # Kyrgyzstan
    "418": "LA",  # Laos
    "422": "LB",  # Lebanon
    "426": "LS",  # Lesotho
    "428": "LV",  # Latvia
    "430": "LR",  # Liberia
    "434": "LY",  # Libya
    "438": "LI",  # Liechtenstein
    "440": "LT",  # Lithuania
    "442": "LU",  # Luxembourg
    "446": "MO",  # Macao
    "450": "MG",  # Madagascar
    "454": "MW",  # Malawi
    "458": "MY",  # Malaysia
    "462": "MV",  # Maldives
    "466": "ML",  # Mali
    "470": "MT",  # Malta
    "478": "MR",  # Mauritania
    "480": "MU",  # Mauritius
    "484": "MX",  # Mexico
    "492": "MC",  # Monaco
    "496": "MN",  # Mongolia
    "498": "MD",  # Moldova
    "499": "ME",  # Montenegro
    "500": "MS",  # Montserrat
    "504": "MA",  # Morocco
    "508": "MZ",  # Mozambique
    "512": "OM",  # Oman
    "516": "NA",  # Namibia
    "520": "NR",  # Nauru
    "524": "NP",  # Nepal
    "528": "NL",  # Netherlands
    "531": "CW",  # Curaçao
    "533": "AW",  # Aruba
    "534": "SX",  # Sint Maarten (Dutch part)
    "540": "NC",  # New Caledonia
    "548": "VU",  # Vanuatu
    "554": "NZ",  # New Zealand
    "558": "NI",  # Nicaragua
    "562": "NE",  # Niger
    "566": "NG",  # Nigeria
    "570": "NU",  # Niue
    "574": "NF",  # Norfolk Island
    "578": "NO",  # Norway
    "580": "MP",  # Northern Mariana Islands
    "581": "UM",  # United States Minor Outlying Islands
    "583": "FM",  # Micronesia, Federated States of
    "584": "MH",  # Marshall Islands
    "585": "PW",  # Palau
    "586": "PK",  # Pakistan
    "591": "PA",  # Panama
    "598": "PG",  # Papua New Guinea
    "600": "PY",  # Paraguay
    "604": "PE",  # Peru
    "608": "PH",  # Philippines
    "612": "PN",  # Pitcairn
    "616": "PL",  # Poland
    "620": "PT",  # Portugal
    "624": "GW",  # Guinea-Bissau
    "626": "TL",  # Timor-Leste
    "630": "PR",  # Puerto Rico
    "634": "QA",  # Qatar
    "642": "RO",  # Romania
    "643": "RU",  # Russia
    "646": "RW",  # Rwanda
    "652": "BL",  # Saint Barthélemy
    "654": "SH",  # Saint Helena, Ascension and Tristan da Cunha
    "659": "KN",  # Saint Kitts and Nevis
    "660": "AI",  # Anguilla
    "662": "LC",  # Saint Lucia
    "663": "MF",  # Saint Martin (French part)
    "666": "PM",  # Saint Pierre and Miquelon
    "670": "VC",  # Saint Vincent and the Grenadines
    "674": "SM",  # San Marino
    "678": "ST",  # Sao Tome and Principe
    "682": "SA",  # Saudi Arabia
    "686": "SN",  # Senegal
    "688": "RS",  # Serbia
    "690": "SC",  # Seychelles
    "694": "SL",  # Sierra Leone
    "702": "SG",  # Singapore
    "703": "SK",  # Slovakia
    "704": "VN",  # Vietnam
    "705": "SI",  # Slovenia
    "706": "SO",  # Somalia
    "710": "ZA",  # South Africa
    "716": "ZW",  # Zimbabwe
    "724": "ES",  # Spain
    "728": "SS",  # South Sudan
    "729": "SD",  # Sudan
    "732": "EH",  # Western Sahara
    "740": "SR",  # Suriname
    "748": "SZ",  # Eswatini
    "752": "SE",  # Sweden
    "756": "CH",  # Switzerland
    "760": "SY",  # Syria
    "762": "TJ",  # Tajikistan
    "764": "TH",  # Thailand
    "768": "TG",  # Togo
    "776": "TO",  # Tonga
    "780": "TT",  # Trinidad and Tobago
    "784": "AE",  # United Arab Emirates
    "788": "TN",  # Tunisia
    "792": "TR",  # Turkey
    "795": "TM",  # Turkmenistan
    "796": "TC",  # Turks and Caicos Islands
    "798": "TV",  # Tuvalu
    "800": "UG",  # Uganda
    "804": "UA",  # Ukraine
    "807": "MK",  # North Macedonia
    "818": "EG",  # Egypt
    "826": "GB",  # United Kingdom
    "831": "GG",  # Guernsey
    "832": "JE",  # Jersey
    "833": "IM",  # Isle of Man
    "834": "TZ",  # Tanzania
    "840": "US",  # United States
    "850": "VI",  # Virgin Islands, U.S.
    "854": "BF",  # Burkina Faso
    "858": "UY",  # Uruguay
    "860": "UZ",  # Uzbekistan
    "862": "VE",  # Venezuela
    "876": "WF",  # Wallis and Futuna
    "882": "WS",  # Samoa
    "887": "YE",  # Yemen
    "894": "ZM",  # Zambia
}
# Features that have no ISO 3166-1 numeric code in the source.
NAME_TO_ALPHA2: dict[str, str] = {"Kosovo": "XK"}
# Features that carry another country's numeric code: Natural Earth gives Ashmore and
# Cartier Islands Australia's 036 but no alpha-2 of its own. They get null, so that each
# alpha-2 code names one feature.
NO_ALPHA2: frozenset[str] = frozenset({"Ashmore and Cartier Is."})


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_source(path: Path, filename: str = SOURCE_FILE) -> Path:
    """The TopoJSON file itself, given the file or a directory holding it."""
    if path.is_dir():
        found = sorted(path.rglob(filename))
        if not found:
            raise SystemExit(f"no {filename} under {path}")
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
    if name in NO_ALPHA2:
        return None
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


def oriented(geom: BaseGeometry) -> BaseGeometry:
    """RFC 7946 rings, parts in a stable order (largest first, ties by first vertex)."""
    parts = [orient(p, sign=1.0) for p in polygons_of(geom) if p.area > 0]
    parts.sort(key=lambda p: (-p.area, p.exterior.coords[0]))
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def with_edge_vertices(
    geom: BaseGeometry, frame: tuple[float, float, float, float], points: set[tuple[float, float]]
) -> BaseGeometry:
    """``geom`` with ``points`` inserted into its segments that lie on the lines of ``frame``.

    Such a segment is axis-parallel, so the inserted points lie on it exactly: the shape
    does not change, and no vertex is added off those lines.
    """
    west, south, east, north = frame

    def on_line(a: tuple[float, float], b: tuple[float, float]) -> int | None:
        if a[0] == b[0] and a[0] in (west, east):
            return 1  # vertical: order by y
        if a[1] == b[1] and a[1] in (south, north):
            return 0  # horizontal: order by x
        return None

    def ring(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
        out = [coords[0]]
        for a, b in itertools.pairwise(coords):
            axis = on_line(a, b)
            if axis is not None:
                lo, hi = sorted((a[axis], b[axis]))
                between = sorted(
                    (p for p in points if p[1 - axis] == a[1 - axis] and lo < p[axis] < hi),
                    key=lambda p: p[axis],
                    reverse=a[axis] > b[axis],
                )
                out.extend(between)
            out.append(b)
        return out

    parts = [
        Polygon(
            ring(list(p.exterior.coords)),
            [ring(list(hole.coords)) for hole in p.interiors],
        )
        for p in polygons_of(geom)
    ]
    return MultiPolygon(parts)


def edge_vertices(
    geom: BaseGeometry, frame: tuple[float, float, float, float]
) -> set[tuple[float, float]]:
    """The vertices of ``geom`` on the lines of ``frame``."""
    west, south, east, north = frame
    return {
        (x, y)
        for p in polygons_of(geom)
        for r in (p.exterior, *p.interiors)
        for x, y in r.coords
        if x in (west, east) or y in (south, north)
    }


def join(
    inner: BaseGeometry, outer: BaseGeometry, frame: tuple[float, float, float, float]
) -> BaseGeometry:
    """The union of two pieces that meet only along the lines of ``frame``.

    A general overlay union may move an edge of one piece onto a vertex of the other that
    lies a hair from it; here each piece gets the other's vertices on the frame's lines,
    so that the shared stretches match segment for segment, and the coverage union
    dissolves them without noding: every vertex inside the frame stays as it was.
    """
    inner_points, outer_points = edge_vertices(inner, frame), edge_vertices(outer, frame)
    pieces = [
        *polygons_of(with_edge_vertices(inner, frame, outer_points)),
        *polygons_of(with_edge_vertices(outer, frame, inner_points)),
    ]
    return shapely.coverage_union_all(pieces)


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
    return oriented(snapped)


def unwrapped(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring's coordinates with longitudes shifted by 360 where an edge jumps more than 180.

    world-atlas's geometry is spherical: a ring that crosses the antimeridian (Chukotka,
    Fiji) runs straight from 179.9 to -179.9. Unwrapped, it runs on to 180.1 instead. A
    ring around a pole (Antarctica) ends 360 degrees from where it began; it is closed
    along the pole's latitude.
    """
    out = [coords[0]]
    shift = 0.0
    for (x0, _), (x1, y1) in itertools.pairwise(coords):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append((x1 + shift, y1))
    if shift:
        pole = -90.0 if sum(y for _, y in out) < 0 else 90.0
        out = [*out, (out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def folded(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` with what lies beyond lon -180 or 180 moved back by 360 degrees."""
    pieces = []
    for offset in (-360.0, 0.0, 360.0):
        part = geom.intersection(box(-180.0 - offset, -90.0, 180.0 - offset, 90.0))
        if not part.is_empty:
            pieces.append(translate(part, xoff=offset))
    return shapely.union_all(pieces)


def cut_at_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """A planar geometry within lon -180..180 for a spherical one (see ``unwrapped``).

    A polygon whose rings cross the antimeridian is rebuilt by the even-odd rule from
    its rings, each unwrapped and folded back into -180..180 on its own (in world-atlas,
    Antarctica's coast is the hole of a sliver ring around the pole).
    """
    pieces: list[BaseGeometry] = []
    for polygon in polygons_of(geom):
        rings = [list(polygon.exterior.coords), *(list(r.coords) for r in polygon.interiors)]
        if not any(abs(b[0] - a[0]) > 180 for r in rings for a, b in itertools.pairwise(r)):
            pieces.append(polygon)
            continue
        shape_: BaseGeometry = Polygon()
        for ring in rings:
            region = folded(shapely.make_valid(Polygon(unwrapped(ring))))
            shape_ = shape_.symmetric_difference(region)
        pieces.append(shape_)
    return shapely.union_all(pieces)


def outer_pieces(
    shapes: list[BaseGeometry],
    extent: Polygon,
    region: Polygon,
    tolerance: float,
    min_area: float,
    decimals: int,
) -> list[BaseGeometry]:
    """The parts of ``shapes`` outside ``region``, clipped to ``extent``, simplified together.

    The shapes (world-atlas's countries, decoded from one topology) form a coverage:
    neighbours share their borders vertex for vertex. ``coverage_simplify`` simplifies each
    shared border once for both sides (Visvalingam-Whyatt, ``tolerance`` in degrees), so
    that simplified neighbours still meet, with no gap or overlap between them. Parts
    smaller than ``min_area`` are left out first, unless the part is the country's largest
    (so that no small country, such as Liechtenstein, leaves a hole between its
    neighbours) or reaches into the region (or its outer half would end in a straight
    line on the region's edge).
    """
    kept: list[BaseGeometry] = []
    for geom in shapes:
        geom = cut_at_antimeridian(geom)
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        parts = polygons_of(geom.intersection(extent))
        largest = max(parts, key=lambda p: p.area, default=None)
        kept.append(
            MultiPolygon(
                [p for p in parts if p is largest or p.area >= min_area or p.intersects(region)]
            )
        )
    simplified = shapely.coverage_simplify(kept, tolerance)
    return [
        shapely.set_precision(MultiPolygon(polygons_of(g.difference(region))), 10.0**-decimals)
        for g in simplified
    ]


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
    outer_source: Path | None = None,
    tolerance: float = TOLERANCE,
    core_tolerance: float = CORE_TOLERANCE,
    outer_tolerance: float = OUTER_TOLERANCE,
    outer_min_area: float = OUTER_MIN_AREA,
    decimals: int = DECIMALS,
) -> Iterator[dict[str, Any]]:
    """Yield the clipped, simplified features in name order.

    ``source`` (1:10m) gives the shapes inside BBOX, ``outer_source`` (1:50m; default:
    ``source`` itself) those outside it. A feature is matched across the two by its
    numeric code and name.
    """
    extent = box(*EXTENT)
    region = box(*BBOX)
    core = box(*CORE_BBOX)
    outer_rows = [
        ((numeric, name), geom)
        for numeric, name, geom in read_countries(outer_source or source)
        if geom is not None and not geom.is_empty
    ]
    outer_shapes = dict(
        zip(
            (key for key, _ in outer_rows),
            outer_pieces(
                [geom for _, geom in outer_rows],
                extent,
                region,
                outer_tolerance,
                outer_min_area,
                decimals,
            ),
            strict=True,
        )
    )
    features: list[dict[str, Any]] = []
    for numeric, name, geom in read_countries(source):
        if geom is None or geom.is_empty:
            continue
        if name is None:
            raise SystemExit(f"feature {numeric} without a name")
        inner: BaseGeometry = Polygon()
        if geom.intersects(region):
            inner = process(geom, region, core, tolerance, core_tolerance, decimals)
        outer: BaseGeometry = outer_shapes.get((numeric, name), Polygon())
        out = oriented(join(inner, outer, BBOX)) if not outer.is_empty else inner
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
    codes = [f["properties"]["iso_a2"] for f in features if f["properties"]["iso_a2"]]
    shared = sorted({c for c in codes if codes.count(c) > 1})
    if shared:
        raise SystemExit(f"alpha-2 codes on more than one feature (see NO_ALPHA2): {shared}")
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
    parser.add_argument(
        "--outer-source",
        type=Path,
        help=f"world-atlas {OUTER_SOURCE_FILE} for the zone outside the map box, or a "
        "directory holding it (default: beside the source)",
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
    parser.add_argument(
        "--outer-tolerance",
        type=float,
        default=OUTER_TOLERANCE,
        help="degrees, outside the map box (1:50m source)",
    )
    parser.add_argument(
        "--outer-min-area",
        type=float,
        default=OUTER_MIN_AREA,
        help="square degrees: smaller islands outside the map box are left out",
    )
    parser.add_argument("--decimals", type=int, default=DECIMALS)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if --output differs from what would be written",
    )
    args = parser.parse_args(argv)

    source = resolve_source(args.source)
    outer_source = resolve_source(args.outer_source or source.parent, OUTER_SOURCE_FILE)
    features = list(
        derive(
            source,
            outer_source,
            args.tolerance,
            args.core_tolerance,
            args.outer_tolerance,
            args.outer_min_area,
            args.decimals,
        )
    )
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
        f"tolerance {args.tolerance} (core {args.core_tolerance}, outer {args.outer_tolerance}), "
        f"{args.decimals} decimals, "
        f"sha256 {hashlib.sha256(data).hexdigest()}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
