"""Layers: hand-written GeoJSON files and the YAML that titles, styles and orders them.

Each ``layers/NAME.yaml`` names its GeoJSON file, its title, order, geometry kind
and style, and lists for each feature id the aliases, curated citations and
exclusions that the gazetteer uses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from geo.basemap import near_countries
from geo.gazetteer import CuratedCitation, Entry
from geo.problems import Problems
from geo.sources import Located, load_json, load_yaml

GEOMETRY_KINDS = {
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
    "point": ("Point", "MultiPoint"),
}
# Properties the build adds to the export; an input may not set them.
RESERVED_PROPERTIES = frozenset({"id", "layer", "layer_title", "computed_length_km", "citations"})
STATUSES = ("operating", "under construction", "planned", "proposed", "took place")
CERTAINTIES = ("waypoints", "approximate", "schematic")
# The region the map covers: from Italy to Mumbai and up to Moscow, with room to spare.
REGION = (5.0, 5.0, 85.0, 65.0)
LAYER_KEYS = ("title", "order", "file", "geometry", "style", "features", "description")
ENTRY_KEYS = ("aliases", "citations", "exclusions")
_GEOD = Geod(ellps="WGS84")
FEATURE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
STYLE_NUMBERS = ("weight", "opacity", "fill_opacity", "radius")
CSS_COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}|[a-z]{3,20}")


@dataclass(frozen=True)
class Feature:
    """One drawn feature: geometry, properties as written, and its geodesic length."""

    id: str
    layer_id: str
    geometry: BaseGeometry
    properties: dict[str, Any]
    computed_length_km: float | None


@dataclass(frozen=True)
class Layer:
    """One layer: title, order, style and the features of its GeoJSON file."""

    id: str
    title: str
    order: int
    geometry_kind: str
    style: dict[str, Any]
    path: str = ""
    description: str = ""
    features: list[Feature] = field(default_factory=list)
    ids_in_file: tuple[str, ...] = ()


def geodesic_length_km(geometry: BaseGeometry) -> float:
    """Length of a line on the WGS84 ellipsoid, in kilometres."""
    return abs(_GEOD.geometry_length(geometry)) / 1000.0


def load_layers(folder: Path, problems: Problems) -> tuple[list[Layer], list[Entry]]:
    """Load every layer YAML in folder with its GeoJSON; return layers and gazetteer entries."""
    if not folder.is_dir():
        problems.error(folder, "layers folder not found (pass --layers DIR)")
        return [], []
    layers: list[Layer] = []
    entries: list[Entry] = []
    named_files: set[Path] = set()
    seen_ids: dict[str, str] = {}
    seen_titles: dict[str, Path] = {}
    unreadable: set[str] = set()
    for yaml_path in sorted(folder.glob("*.yaml")):
        doc = load_yaml(yaml_path, problems)
        config = _layer_config(doc, problems) if doc is not None else None
        if doc is None or config is None:
            # Its own error is reported; do not also call its GeoJSON an orphan.
            unreadable.add(yaml_path.stem)
            continue
        named_files.add((folder / config["file"]).resolve())
        if config["title"] in seen_titles:
            problems.error(
                yaml_path,
                f"title '{config['title']}' is also the title of {seen_titles[config['title']]}: "
                "the layer control needs a different title for each layer",
                doc.at("title"),
            )
            continue
        seen_titles[config["title"]] = yaml_path
        layer_entries = _entries(doc, config, problems)
        layer = _load_layer(folder, yaml_path.stem, config, doc, problems, seen_ids)
        if layer is None:
            continue
        # Ids present in the file, drawn or not: a feature dropped for a bad
        # geometry has its own error already.
        present = set(layer.ids_in_file)
        for feature_id in sorted(set(layer_entries) - present):
            problems.error(
                yaml_path,
                f"feature '{feature_id}' is listed here but not drawn in {config['file']}",
                doc.at("features", feature_id, "<key>"),
            )
        for feature in layer.features:
            entry = layer_entries.get(feature.id) or Entry(
                feature.id, (feature.properties["name"],)
            )
            entries.append(entry)
        layers.append(layer)
    for path in sorted(folder.glob("*.geojson")):
        if path.resolve() not in named_files and path.stem not in unreadable:
            problems.error(
                path, "no layer names this file: add a layer YAML with 'file: " + path.name + "'"
            )
    if not layers and not problems.errors:
        problems.error(folder, "no layers: the folder has no layer .yaml file")
    return sorted(layers, key=lambda layer: (layer.order, layer.id)), entries


def _layer_config(doc: Located, problems: Problems) -> dict[str, Any] | None:
    value = doc.value
    if not isinstance(value, dict):
        problems.error(
            doc.path, "a layer file must be a mapping (title, order, file, ...)", doc.at()
        )
        return None
    ok = True
    for key in value:
        if key not in LAYER_KEYS:
            problems.error(
                doc.path,
                f"unknown key '{key}' (known: {', '.join(LAYER_KEYS)})",
                doc.at(key, "<key>"),
            )
            ok = False
    for key, kind in (("title", str), ("file", str), ("order", int)):
        if not isinstance(value.get(key), kind) or isinstance(value.get(key), bool):
            problems.error(
                doc.path,
                f"'{key}' is required and must be {'a number' if kind is int else 'text'}",
                doc.at(key) or doc.at(),
            )
            ok = False
    if value.get("geometry") not in GEOMETRY_KINDS:
        problems.error(
            doc.path,
            f"'geometry' must be one of {', '.join(GEOMETRY_KINDS)}",
            doc.at("geometry") or doc.at(),
        )
        ok = False
    style = value.get("style", {})
    if not isinstance(style, dict) or not CSS_COLOR.fullmatch(str(style.get("color", ""))):
        problems.error(
            doc.path,
            "'style' must give at least a 'color' (#rrggbb or a CSS colour name)",
            doc.at("style") or doc.at(),
        )
        ok = False
    for key, val in style.items() if isinstance(style, dict) else []:
        if key in STYLE_NUMBERS and not (
            isinstance(val, int | float) and not isinstance(val, bool)
        ):
            problems.error(doc.path, f"style '{key}' must be a number", doc.at("style", key))
            ok = False
        elif key == "dash" and not re.fullmatch(r"[0-9]+( [0-9]+)*", str(val)):
            problems.error(
                doc.path,
                "style 'dash' must be numbers separated by spaces, such as \"6 4\"",
                doc.at("style", key),
            )
            ok = False
        elif key not in (*STYLE_NUMBERS, "dash", "color"):
            problems.error(
                doc.path,
                f"unknown style '{key}' (known: color, dash, {', '.join(STYLE_NUMBERS)})",
                doc.at("style", key, "<key>"),
            )
            ok = False
    if not isinstance(value.get("features", {}), dict):
        problems.error(doc.path, "'features' must map feature ids to aliases", doc.at("features"))
        ok = False
    return value if ok else None


def _text_list(doc: Located, keys: tuple[Any, ...], problems: Problems) -> tuple[str, ...]:
    value = doc.value
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.error(doc.path, f"'{keys[-1]}' must be a list of non-empty texts", doc.at(*keys))
        return ()
    return tuple(value)


def _entries(doc: Located, config: dict[str, Any], problems: Problems) -> dict[str, Entry]:
    entries = {}
    for feature_id, spec in (config.get("features") or {}).items():
        base = ("features", feature_id)
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            problems.error(doc.path, f"'{feature_id}' must be a mapping", doc.at(*base))
            continue
        for key in spec:
            if key not in ENTRY_KEYS:
                problems.error(
                    doc.path,
                    f"unknown key '{key}' for '{feature_id}' (known: {', '.join(ENTRY_KEYS)})",
                    doc.at(*base, key, "<key>"),
                )
        citations = []
        raw_citations = spec.get("citations") or []
        if not isinstance(raw_citations, list):
            problems.error(
                doc.path,
                f"'citations' of '{feature_id}' must be a list of {{article, quote}}",
                doc.at(*base, "citations"),
            )
            raw_citations = []
        for index, item in enumerate(raw_citations):
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("article"), str)
                or not isinstance(item.get("quote"), str)
                or not item["quote"].strip()
            ):
                problems.error(
                    doc.path,
                    "a citation needs 'article' (a file in seeds/) and a non-empty 'quote'",
                    doc.at(*base, "citations", index),
                )
                continue
            citations.append(
                CuratedCitation(
                    item["article"],
                    item["quote"],
                    str(doc.path),
                    doc.at(*base, "citations", index, "quote"),
                )
            )
        aliases = _text_list(doc, (*base, "aliases"), problems)
        exclusions = _text_list(doc, (*base, "exclusions"), problems)
        positions = {
            f"{kind}:{text}": doc.at(*base, kind, i) or (0, 0)
            for kind, texts in (("aliases", aliases), ("exclusions", exclusions))
            for i, text in enumerate(texts)
        }
        entries[str(feature_id)] = Entry(
            str(feature_id), aliases, tuple(citations), exclusions, str(doc.path), positions
        )
    return entries


def _load_layer(
    folder: Path,
    layer_id: str,
    config: dict[str, Any],
    doc: Located,
    problems: Problems,
    seen_ids: dict[str, str],
) -> Layer | None:
    path = folder / config["file"]
    if not path.is_file():
        problems.error(doc.path, f"file '{config['file']}' not found in {folder}", doc.at("file"))
        return None
    geo = load_json(path, problems)
    if geo is None:
        return None
    value = geo.value
    if not isinstance(value, dict) or value.get("type") != "FeatureCollection":
        problems.error(
            path,
            "not a GeoJSON FeatureCollection ('type' must be 'FeatureCollection')",
            geo.at("type"),
        )
        return None
    if not isinstance(value.get("features"), list):
        problems.error(path, "'features' must be a list", geo.at("features"))
        return None
    features = []
    for index, raw in enumerate(value["features"]):
        feature = _feature(geo, index, raw, layer_id, config["geometry"], problems, seen_ids)
        if feature is not None:
            features.append(feature)
    return Layer(
        id=layer_id,
        title=config["title"],
        order=config["order"],
        geometry_kind=config["geometry"],
        style=dict(config.get("style") or {}),
        path=str(path),
        description=str(config.get("description") or ""),
        features=features,
        ids_in_file=tuple(
            str(raw["id"]) for raw in value["features"] if isinstance(raw, dict) and "id" in raw
        ),
    )


def _feature(
    geo: Located,
    index: int,
    raw: Any,
    layer_id: str,
    kind: str,
    problems: Problems,
    seen_ids: dict[str, str],
) -> Feature | None:
    path, at = geo.path, ("features", index)
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        problems.error(path, f"feature #{index + 1} is not a GeoJSON Feature", geo.at(*at))
        return None
    feature_id = raw.get("id")
    if not isinstance(feature_id, str) or not feature_id.strip():
        problems.error(
            path, f'feature #{index + 1} has no \'id\' (add "id": "some-id")', geo.at(*at)
        )
        return None
    if not FEATURE_ID.fullmatch(feature_id):
        # Ids reach folium's templates, which branca renders twice: keep them plain.
        problems.error(
            path,
            f"feature id {feature_id!r} may use only letters, digits, '.', '_' and '-'",
            geo.at(*at, "id"),
        )
        return None
    if feature_id in seen_ids:
        problems.error(
            path, f"duplicate id '{feature_id}' (also in {seen_ids[feature_id]})", geo.at(*at, "id")
        )
        return None
    seen_ids[feature_id] = str(path)
    props = raw.get("properties")
    if not isinstance(props, dict) or not isinstance(props.get("name"), str):
        problems.error(
            path,
            f"feature '{feature_id}' needs properties with a 'name'",
            geo.at(*at, "properties"),
        )
        return None
    geometry = _geometry(geo, at, feature_id, kind, raw.get("geometry"), problems)
    if geometry is None:
        return None
    if not _properties_ok(geo, at, feature_id, kind, props, problems):
        return None
    misplaced = _misplaced(geometry, props.get("countries"))
    if misplaced:
        problems.error(
            path, f"feature '{feature_id}': {misplaced}", geo.at(*at, "geometry", "coordinates")
        )
        return None
    length = geodesic_length_km(geometry) if kind == "line" else None
    return Feature(feature_id, layer_id, geometry, props, length)


def _geometry(
    geo: Located, at: tuple[Any, ...], feature_id: str, kind: str, raw: Any, problems: Problems
) -> BaseGeometry | None:
    path = geo.path
    allowed = GEOMETRY_KINDS[kind]
    if not isinstance(raw, dict) or raw.get("type") not in allowed:
        found = raw.get("type") if isinstance(raw, dict) else raw
        problems.error(
            path,
            f"feature '{feature_id}': geometry type {found!r} is not allowed in a {kind} layer "
            f"(use {' or '.join(allowed)})",
            geo.at(*at, "geometry", "type"),
        )
        return None

    def coords_at() -> tuple[int, int] | None:
        return geo.at(*at, "geometry", "coordinates")

    try:
        positions = list(_positions(raw.get("coordinates")))
    except (TypeError, ValueError, OverflowError):
        problems.error(
            path,
            f"feature '{feature_id}': coordinates are not nested lists of numbers",
            coords_at(),
        )
        return None
    ok = True
    for lon, lat in positions:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.error(
                path,
                f"feature '{feature_id}': coordinate [{lon}, {lat}] is out of range "
                "(GeoJSON is [longitude, latitude] in degrees)",
                coords_at(),
            )
            return None
        if not _in_region(lon, lat):
            hint = (
                " They look swapped: GeoJSON puts longitude first." if _in_region(lat, lon) else ""
            )
            problems.error(
                path,
                f"feature '{feature_id}': coordinate [{lon}, {lat}] is far outside the region "
                f"(longitude {REGION[0]}..{REGION[2]}, latitude {REGION[1]}..{REGION[3]}).{hint}",
                coords_at(),
            )
            ok = False
            break
    if not ok:
        return None
    shape_problem = _shape_problem(raw)
    if shape_problem:
        problems.error(path, f"feature '{feature_id}': {shape_problem}", coords_at())
        return None
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
        problems.error(path, f"feature '{feature_id}': invalid geometry: {exc}", coords_at())
        return None
    if geometry.is_empty:
        problems.error(path, f"feature '{feature_id}': the geometry is empty", coords_at())
        return None
    if not geometry.is_valid:
        problems.error(
            path,
            f"feature '{feature_id}': invalid geometry: {explain_validity(geometry)}",
            coords_at(),
        )
        return None
    return geometry


def _anchor_points(geometry: BaseGeometry) -> list[Point]:
    """Where a feature must touch its countries: a point, a line's two ends, an area's inside."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    if parts[0].geom_type == "Point":
        return parts
    if parts[0].geom_type == "LineString":
        return [Point(parts[0].coords[0]), Point(parts[-1].coords[-1])]
    return [geometry.representative_point()]


def _misplaced(geometry: BaseGeometry, codes: Any) -> str | None:
    """Why a feature is not in the countries it names (perhaps latitude and longitude swapped)."""
    if not isinstance(codes, list) or not codes:
        return None
    for point in _anchor_points(geometry):
        if near_countries(point, codes) is False:
            swapped = Point(point.y, point.x)
            if near_countries(swapped, codes):
                return (
                    f"position [{point.x}, {point.y}] is not in {', '.join(codes)}, but "
                    f"[{point.y}, {point.x}] is: the coordinates look swapped "
                    "(GeoJSON puts longitude first)"
                )
            return (
                f"position [{point.x}, {point.y}] is not in or near {', '.join(codes)} "
                "(check the coordinates and the 'countries' property)"
            )
    return None


_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _nested(coords: Any, depth: int) -> bool:
    """Whether coords are lists nested depth levels deep around [lon, lat] positions."""
    if depth == 0:
        return (
            isinstance(coords, list)
            and len(coords) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
        )
    return isinstance(coords, list) and bool(coords) and all(_nested(c, depth - 1) for c in coords)


def _shape_problem(raw: dict[str, Any]) -> str | None:
    """What shapely would silently repair or reject: bad nesting, short lines, unclosed rings."""
    kind, coords = raw["type"], raw["coordinates"]
    if not _nested(coords, _DEPTH[kind]):
        return (
            f"coordinates are not nested as a {kind} needs "
            f"({_DEPTH[kind] + 1} levels of lists around [longitude, latitude])"
        )
    lines = {"LineString": [coords], "MultiLineString": coords}.get(kind, [])
    for line in lines:
        if len({tuple(p[:2]) for p in line}) < 2:
            return "a line needs at least two distinct positions"
    polygons = {"Polygon": [coords], "MultiPolygon": coords}.get(kind, [])
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4:
                return "a polygon ring needs at least four positions (the last repeats the first)"
            if ring[0][:2] != ring[-1][:2]:
                return (
                    f"polygon ring is not closed: it starts at {ring[0][:2]} but ends at "
                    f"{ring[-1][:2]} (repeat the first position at the end)"
                )
    return None


def _positions(coords: Any) -> list[tuple[float, float]]:
    if isinstance(coords, list) and coords and all(isinstance(c, int | float) for c in coords):
        if len(coords) < 2 or any(isinstance(c, bool) or not math.isfinite(c) for c in coords):
            raise ValueError("bad position")
        return [(float(coords[0]), float(coords[1]))]
    if not isinstance(coords, list) or not coords:
        raise ValueError("not a list")
    return [p for c in coords for p in _positions(c)]


def _in_region(lon: float, lat: float) -> bool:
    west, south, east, north = REGION
    return west <= lon <= east and south <= lat <= north


def _properties_ok(
    geo: Located,
    at: tuple[Any, ...],
    feature_id: str,
    kind: str,
    props: dict[str, Any],
    problems: Problems,
) -> bool:
    path, where = geo.path, geo.at(*at, "properties")
    ok = True

    def fail(message: str, key: str | None = None) -> None:
        nonlocal ok
        ok = False
        problems.error(
            path,
            f"feature '{feature_id}': {message}",
            geo.at(*at, "properties", key) if key else where,
        )

    for key in RESERVED_PROPERTIES & set(props):
        fail(f"property '{key}' is reserved: the build computes it", key)
    countries = props.get("countries")
    if countries is not None and not (
        isinstance(countries, list)
        and all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in countries)
    ):
        fail("'countries' must be a list of ISO 3166 alpha-2 codes such as \"AZ\"", "countries")
    if "status" in props and props["status"] not in STATUSES:
        fail(f"'status' must be one of {', '.join(STATUSES)}", "status")
    facts = props.get("facts", [])
    if not isinstance(facts, list) or not all(
        isinstance(f, dict)
        and {"label", "value", "source"} <= set(f)
        and all(isinstance(f[k], str) and f[k].strip() for k in ("label", "source"))
        and isinstance(f["value"], str | int | float)
        for f in facts
    ):
        fail("'facts' must be a list of {label, value, source}, label and source as text", "facts")
    if kind == "line":
        certainty = props.get("route_certainty")
        if certainty not in CERTAINTIES:
            fail(f"'route_certainty' must be one of {', '.join(CERTAINTIES)}", "route_certainty")
        if "status" not in props:
            fail("'status' is required for a line")
        if certainty != "schematic" or "published_length_km" in props:
            length = props.get("published_length_km")
            if not isinstance(length, int | float) or isinstance(length, bool) or length <= 0:
                fail("'published_length_km' (a positive number) is required for a route")
            if not isinstance(props.get("length_source"), str):
                fail("'length_source' (who publishes the length) is required for a route")
    return ok
