"""One test per feature, as xyzservices tests each data entry: geometry, properties, citations."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import Point, shape

from geo.features import Feature
from geo.models import RouteProperties, VisitProperties
from tests.project import ALL_FEATURES, PROJECT

ARTICLES = {a.id: a for a in PROJECT[0]}
REQUIRED = {
    "pipelines": {"baku-novorossiysk", "tap", "tanap", "south-caucasus-pipeline"},
    "corridors": {"instc", "rasht-astara", "zangezur-corridor", "aras-corridor"},
    "areas": {"zangezur-area"},
    "visits": {"putin-baku-2024", "shoigu-baku-2024", "aliyev-moscow-2022"},
    "places": {
        "baku",
        "novorossiysk",
        "sangachal-terminal",
        "shah-deniz",
        "zagulba-residence",
        "alley-of-honour",
        "nakhchivan",
        "tehran",
        "moscow",
    },
}
# No article in the corpus names these as places: Sangachal is never named, and
# Astara only inside the name "Rasht-Astara railway". They are drawn because the
# routes start or end there.
UNCITED = {"sangachal-terminal", "astara"}
# Where each route must pass (lon, lat), within 25 km.
WAYPOINTS = {
    "baku-novorossiysk": [(49.48, 40.20), (49.11, 41.08), (40.12, 45.85), (37.78, 44.72)],
    "tap": [(26.31, 40.92), (24.41, 40.94), (20.99, 40.63), (19.56, 40.72), (18.40, 40.30)],
    "tanap": [(42.80, 41.56), (41.27, 39.90), (30.52, 39.78), (26.38, 40.92)],
    "south-caucasus-pipeline": [(49.48, 40.20), (46.36, 40.68), (42.80, 41.56)],
    "instc": [
        (72.85, 18.95),
        (56.27, 27.18),
        (51.39, 35.69),
        (50.00, 36.27),
        (49.58, 37.28),
        (48.87, 38.43),
        (49.87, 40.41),
        (48.29, 42.06),
        (47.50, 42.98),
        (48.04, 46.35),
        (37.62, 55.76),
    ],
    "rasht-astara": [(49.58, 37.28), (48.87, 38.43)],
    "zangezur-corridor": [(47.33, 39.45), (46.24, 38.90), (46.03, 38.91), (45.63, 38.96)],
    # Aghband; the drawn 55 km through Iran ends opposite Ordubad (see its route_note).
    "aras-corridor": [(46.567, 38.90)],
}


def feature_ids() -> list[str]:
    return [f.id for f in ALL_FEATURES]


def by_id(feature_id: str) -> Feature:
    return next(f for f in ALL_FEATURES if f.id == feature_id)


def test_inputs_load_without_problems() -> None:
    assert [str(p) for p in PROJECT[3].items] == []


def test_required_features_are_present() -> None:
    present = {layer.id: {f.id for f in layer.features} for layer in PROJECT[1]}
    for layer_id, ids in REQUIRED.items():
        assert ids <= present[layer_id], layer_id
    gerasimov = [i for i in present["visits"] if "gerasimov" in i]
    assert len(gerasimov) == 3


def km_between(geometry: Any, lon: float, lat: float) -> float:
    from pyproj import Geod

    nearest = geometry.interpolate(geometry.project(Point(lon, lat)))
    return Geod(ellps="WGS84").inv(lon, lat, nearest.x, nearest.y)[2] / 1000


@pytest.mark.parametrize("feature_id", feature_ids())
def test_feature(feature_id: str, exported: dict[str, Any]) -> None:
    feature = by_id(feature_id)
    props = feature.properties
    geometry = feature.geometry
    assert geometry.is_valid and not geometry.is_empty
    assert props.name.strip()
    for fact in props.facts:
        assert fact.label and str(fact.value) and fact.source, fact
    if feature.layer_id in ("pipelines", "corridors"):
        assert isinstance(props, RouteProperties)
        assert props.status in ("operating", "under construction", "planned", "proposed")
        assert props.published_length.source
        assert feature.computed_length_km is not None
        ratio = feature.computed_length_km / props.published_length.value
        # A route whose alignment is not public may miss the bends of the published figure.
        slack = 0.25 if props.route_certainty == "approximate" else 0.1
        assert 1 - slack <= ratio <= 1 + slack, f"drawn {feature.computed_length_km:.0f} km"
        # Not a straight line between endpoints.
        assert (
            len(
                shape(geometry).coords
                if geometry.geom_type == "LineString"
                else [c for g in geometry.geoms for c in g.coords]
            )
            > 4
        )
        for lon, lat in WAYPOINTS.get(feature_id, []):
            assert km_between(geometry, lon, lat) < 25, (lon, lat)
    if feature.layer_id == "visits":
        assert isinstance(props, VisitProperties)
        assert props.date_start <= props.date_end
        assert props.visitor and props.origin and props.destination
    [exported_feature] = [f for f in exported["features"] if f["id"] == feature_id]
    citations = exported_feature["properties"]["citations"]
    if feature_id in UNCITED:
        assert citations == []
    else:
        assert citations, f"{feature_id} has no citation"
    for c in citations:
        article = ARTICLES[c["article"]]
        assert c["excerpt"] == article.text[c["start"] : c["end"]]
        assert (c["title"], c["outlet"], c["date"]) == (article.title, article.outlet, article.date)
        for s, e in c["highlights"]:
            assert c["start"] <= s < e <= c["end"]
