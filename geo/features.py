"""Features: one GeoJSON Feature of a layer file, its id, properties and geometry checked.

Properties are validated by the model of the layer's kind (``geo.models``);
geometry by ``geo.geometry``. A feature with any problem is not drawn, and
each of its problems is recorded with its position.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.geometry import GeometryProblem, geodesic_length_km, parse_geometry
from geo.lengths import length_by_country
from geo.models import PROPERTIES_BY_KIND, BaseProperties, LayerConfig
from geo.problems import Problems
from geo.sources import Located, Position
from geo.types import FEATURE_ID
from geo.validation import validate


@dataclass(frozen=True)
class Feature:
    """One drawn feature: geometry, validated properties, and where it was written."""

    id: str
    layer_id: str
    geometry: BaseGeometry
    properties: BaseProperties
    computed_length_km: float | None
    path: str = ""
    # A route's drawn kilometres in each country it enters, and at sea (geo.lengths).
    length_by_country_km: dict[str, float] | None = field(default=None, compare=False)
    # Where it was written: its file and index, for positions of problems found later.
    source: tuple[Located, int] | None = field(default=None, compare=False, repr=False)

    def position(self, *keys: str | int) -> Position | None:
        """Position of a key of the feature in its file (computed only when asked)."""
        if self.source is None:
            return None
        doc, index = self.source
        return doc.at("features", index, *keys)


def load_feature(
    geo: Located,
    index: int,
    layer_id: str,
    config: LayerConfig,
    problems: Problems,
    seen_ids: dict[str, str],
) -> Feature | None:
    at = ("features", index)
    feature_id = _feature_id(geo, index, problems, seen_ids)
    if feature_id is None:
        return None
    props = _properties(geo, at, feature_id, config, problems)
    geometry = _geometry(geo, at, feature_id, config.geometry, problems)
    if props is None or geometry is None:
        return None
    length = geodesic_length_km(geometry) if config.geometry == "line" else None
    by_country = length_by_country(geometry) if config.feature_kind == "route" else None
    return Feature(
        feature_id, layer_id, geometry, props, length, str(geo.path), by_country, (geo, index)
    )


def _feature_id(
    geo: Located, index: int, problems: Problems, seen_ids: dict[str, str]
) -> str | None:
    """The feature's id, if it is a Feature with a valid id not used before."""
    path, at, raw = geo.path, ("features", index), geo.value["features"][index]
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        problems.error(
            path,
            f"feature #{index + 1} is not a GeoJSON Feature",
            geo.at(*at),
            code="geojson-not-a-feature",
        )
        return None
    feature_id = raw.get("id")
    if feature_id is not None and not isinstance(feature_id, str):
        problems.error(
            path,
            f"feature #{index + 1}: its id {json.dumps(feature_id)} is not text (write it in "
            f'quotes: "id": "{feature_id}")',
            geo.at(*at, "id"),
            code="feature-bad-id",
        )
        return None
    if not isinstance(feature_id, str) or not feature_id.strip():
        problems.error(
            path,
            f'feature #{index + 1} has no \'id\' (add "id": "some-id")',
            geo.at(*at),
            code="feature-no-id",
        )
        return None
    if not FEATURE_ID.fullmatch(feature_id):
        problems.error(
            path,
            f"feature id {feature_id!r} may use only letters, digits, '.', '_' and '-'",
            geo.at(*at, "id"),
            code="feature-bad-id",
        )
        return None
    if feature_id in seen_ids:
        problems.error(
            path,
            f"duplicate id '{feature_id}' (also in {seen_ids[feature_id]})",
            geo.at(*at, "id"),
            code="feature-duplicate-id",
        )
        return None
    seen_ids[feature_id] = str(path)
    return feature_id


def _properties(
    geo: Located, at: tuple[Any, ...], feature_id: str, config: LayerConfig, problems: Problems
) -> BaseProperties | None:
    kind = config.feature_kind
    if not isinstance(geo.value["features"][at[1]].get("properties"), dict):
        problems.error(
            geo.path,
            f"feature '{feature_id}' needs properties with a 'name'",
            geo.at(*at, "properties") or geo.at(*at),
            code=f"{kind}-no-properties",
        )
        return None
    return validate(
        PROPERTIES_BY_KIND[kind],
        geo,
        (*at, "properties"),
        problems,
        scope=kind,
        subject=f"feature '{feature_id}': ",
    )


def _geometry(
    geo: Located, at: tuple[Any, ...], feature_id: str, kind: str, problems: Problems
) -> BaseGeometry | None:
    raw = geo.value["features"][at[1]].get("geometry")
    try:
        return parse_geometry(raw, kind)
    except GeometryProblem as problem:
        key = "type" if problem.code == "geometry-type-not-allowed" else "coordinates"
        problems.error(
            geo.path,
            f"feature '{feature_id}': {problem}",
            geo.at(*at, "geometry", key),
            code=problem.code,
        )
        return None
