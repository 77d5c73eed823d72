"""Each route against the borders: in its own countries, and near its published split."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString

from geo.features import Feature
from geo.lengths import length_by_country
from geo.models import SEA, RouteProperties
from tests.project import ALL_FEATURES

ROUTES = [f for f in ALL_FEATURES if isinstance(f.properties, RouteProperties)]
SPLIT_TOLERANCE = 0.15
FOREIGN_KM = 3.0


def _props(feature: Feature) -> RouteProperties:
    assert isinstance(feature.properties, RouteProperties)
    return feature.properties


@pytest.mark.parametrize("feature", ROUTES, ids=[f.id for f in ROUTES])
def test_a_route_stays_in_its_countries(feature: Feature) -> None:
    drawn = feature.length_by_country_km
    assert drawn is not None
    foreign = {
        code: round(km, 1)
        for code, km in drawn.items()
        if code != SEA and code not in _props(feature).countries and km > FOREIGN_KM
    }
    assert not foreign, f"{feature.id} runs inside {foreign} (km)"


@pytest.mark.parametrize("feature", ROUTES, ids=[f.id for f in ROUTES])
def test_a_route_matches_its_published_split(feature: Feature) -> None:
    drawn = feature.length_by_country_km or {}
    for part in _props(feature).published_length.split:
        km = drawn.get(part.where, 0.0)
        assert abs(km - part.value) <= part.value * SPLIT_TOLERANCE, (
            f"{feature.id}: drawn {km:.0f} km in {part.where}, published {part.value:g}"
        )


def test_the_splits_add_up_to_the_drawn_length() -> None:
    for feature in ROUTES:
        drawn = feature.length_by_country_km or {}
        assert sum(drawn.values()) == pytest.approx(feature.computed_length_km, rel=1e-6)


def test_a_line_across_a_border_is_split_between_the_countries() -> None:
    # Tbilisi to Yerevan: Georgia first, then Armenia; no sea on the way.
    drawn = length_by_country(LineString([(44.79, 41.72), (44.51, 40.18)]))
    assert set(drawn) == {"GE", "AM"}
    assert drawn["GE"] > 0 and drawn["AM"] > drawn["GE"]


def test_a_line_over_water_is_at_sea() -> None:
    # Across the Caspian from Baku towards Turkmenbashi: mostly sea.
    drawn = length_by_country(LineString([(49.9, 40.4), (52.9, 40.0)]))
    assert drawn[SEA] > 200
    assert next(iter(drawn)) == SEA


@pytest.mark.parametrize("feature_id", ["tap", "south-caucasus-pipeline", "baku-novorossiysk"])
def test_the_routes_with_a_published_split_carry_it(feature_id: str) -> None:
    [feature] = [f for f in ROUTES if f.id == feature_id]
    assert _props(feature).published_length.split
