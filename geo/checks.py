"""Checks that span inputs: a feature against the map settings and the borders, the
gazetteer against the articles, a drawn length against the published one.

Each check is a small function that records problems; ``check_all`` runs them.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.articles import Article
from geo.basemap import country_names, near_countries
from geo.features import Feature
from geo.folding import phrase_keys
from geo.gazetteer import Entry, Gazetteer
from geo.layers import Layer
from geo.models import SEA, MapSettings, RouteCheck, RouteProperties, VisitProperties
from geo.passages import sentence_spans
from geo.problems import Problems


def check_all(
    layers: Sequence[Layer],
    settings: MapSettings | None,
    gazetteer: Gazetteer,
    articles: Sequence[Article],
    layers_dir: Path,
    problems: Problems,
) -> None:
    """Every cross-input check, each recording its own problems."""
    features = [f for layer in layers for f in layer.features]
    for feature in features:
        if settings is not None:
            check_region(feature, settings, problems)
            check_status(feature, settings, problems)
        check_countries(feature, problems)
        if settings is not None:
            check_length(feature, settings.route_check, problems)
            check_route_countries(feature, settings.route_check, problems)
    check_curated_quotes(gazetteer, articles, layers_dir, problems)
    check_shared_aliases(gazetteer, layers_dir, problems)
    check_exclusions(gazetteer, layers_dir, problems)


def _positions(geometry: BaseGeometry) -> list[tuple[float, float]]:
    parts = list(getattr(geometry, "geoms", [geometry]))
    coords: list[tuple[float, float]] = []
    for part in parts:
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        coords += [(float(x), float(y)) for ring in rings for x, y, *_ in ring.coords]
    return coords


def check_region(feature: Feature, settings: MapSettings, problems: Problems) -> None:
    """Every position lies in the map's region; a swapped pair is named as such."""
    region = settings.region
    for lon, lat in _positions(feature.geometry):
        if region.contains(lon, lat):
            continue
        hint = (
            " They look swapped: GeoJSON puts longitude first." if region.contains(lat, lon) else ""
        )
        problems.error(
            feature.path,
            f"feature '{feature.id}': coordinate [{lon}, {lat}] is far outside the region "
            f"(longitude {region.west}..{region.east}, latitude {region.south}..{region.north})."
            f"{hint}",
            feature.position("geometry", "coordinates"),
            code="geometry-outside-region",
        )
        return


def check_status(feature: Feature, settings: MapSettings, problems: Problems) -> None:
    """A route's or visit's status is one that map.yaml declares."""
    props = feature.properties
    if not isinstance(props, RouteProperties | VisitProperties):
        return
    if props.status in settings.statuses:
        return
    known = list(settings.statuses)
    close = difflib.get_close_matches(props.status, known, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    problems.error(
        feature.path,
        f"feature '{feature.id}': 'status' must be one of {', '.join(known)}{hint}; "
        "add a new status to map.yaml",
        feature.position("properties", "status"),
        code="feature-unknown-status",
    )


def _anchor_points(geometry: BaseGeometry) -> list[Point]:
    """Where a feature must touch its countries: a point, a line's two ends, an area's inside."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    if parts[0].geom_type == "Point":
        return parts
    if parts[0].geom_type == "LineString":
        return [Point(parts[0].coords[0]), Point(parts[-1].coords[-1])]
    return [geometry.representative_point()]


def check_countries(feature: Feature, problems: Problems) -> None:
    """A feature lies in (or near) the countries it names; swapped coordinates are named."""
    codes = feature.properties.countries
    if not codes:
        return
    for point in _anchor_points(feature.geometry):
        if near_countries(point, codes) is not False:
            continue
        if near_countries(Point(point.y, point.x), codes):
            message = (
                f"position [{point.x}, {point.y}] is not in {', '.join(codes)}, but "
                f"[{point.y}, {point.x}] is: the coordinates look swapped "
                "(GeoJSON puts longitude first)"
            )
        else:
            message = (
                f"position [{point.x}, {point.y}] is not in or near {', '.join(codes)} "
                "(check the coordinates and the 'countries' property)"
            )
        problems.error(
            feature.path,
            f"feature '{feature.id}': {message}",
            feature.position("geometry", "coordinates"),
            code="geometry-wrong-country",
        )
        return


def check_length(feature: Feature, limits: RouteCheck, problems: Problems) -> None:
    """Warn where a drawn route's length strays from the published one (map.yaml's limits)."""
    props = feature.properties
    if feature.computed_length_km is None or not isinstance(props, RouteProperties):
        return
    published = props.published_length.value
    ratio = feature.computed_length_km / published
    approximate = props.route_certainty == "approximate"
    tolerance = limits.approximate_length_tolerance if approximate else limits.length_tolerance
    if abs(ratio - 1) > tolerance:
        problems.warning(
            feature.path,
            f"feature '{feature.id}': drawn length {feature.computed_length_km:.0f} km is "
            f"{ratio:.0%} of the published {published:g} km, more than {tolerance:.0%} apart "
            "(redraw the route)",
            feature.position(),
            code="route-length-mismatch",
        )


def check_route_countries(feature: Feature, limits: RouteCheck, problems: Problems) -> None:
    """A route stays in its countries, and near its published split between them."""
    drawn = feature.length_by_country_km
    props = feature.properties
    if drawn is None or not isinstance(props, RouteProperties):
        return
    names = country_names()
    for code, km in drawn.items():
        if code == SEA or code in props.countries or km <= limits.foreign_km:
            continue
        problems.warning(
            feature.path,
            f"feature '{feature.id}': the drawn route runs {km:.1f} km inside "
            f"{names.get(code, code)} ({code}), which is not in its countries "
            f"{', '.join(props.countries)} (at most {limits.foreign_km:g} km allowed; redraw it)",
            feature.position("geometry"),
            code="route-enters-country",
        )
    for i, part in enumerate(props.published_length.split):
        km = drawn.get(part.where, 0.0)
        allowed = max(part.value * limits.split_tolerance, limits.split_slack_km)
        if abs(km - part.value) <= allowed:
            continue
        where = "at sea" if part.where == SEA else f"in {names.get(part.where, part.where)}"
        problems.warning(
            feature.path,
            f"feature '{feature.id}': drawn {km:.0f} km {where}, published {part.value:g} km "
            f"({km / part.value:.0%}; more than {limits.split_tolerance:.0%} apart)",
            feature.position("properties", "published_length", "split", i),
            code="route-split-mismatch",
        )


def check_curated_quotes(
    gazetteer: Gazetteer, articles: Sequence[Article], layers_dir: Path, problems: Problems
) -> None:
    """A curated quote must be verbatim in its article; one of an absent article is skipped."""
    by_id = {a.id: a for a in articles}
    for entry in gazetteer.entries.values():
        for citation in entry.citations:
            article = by_id.get(citation.article)
            where = citation.path or layers_dir
            if article is None:
                # Curated citations belong to a corpus; building from another
                # folder of articles skips them rather than failing.
                problems.warning(
                    where,
                    f"feature '{entry.feature_id}': curated citation names article "
                    f"'{citation.article}', which is not in the seeds folder (skipped)",
                    citation.position,
                    code="curated-article-absent",
                )
            elif citation.quote not in article.text:
                problems.error(
                    where,
                    f"feature '{entry.feature_id}': curated quote {citation.quote[:60]!r} is not "
                    f"verbatim in {citation.article}; closest passage: "
                    f"{closest_passage(article.text, citation.quote)!r}",
                    citation.position,
                    code="curated-quote-not-verbatim",
                )


def check_shared_aliases(gazetteer: Gazetteer, layers_dir: Path, problems: Problems) -> None:
    """Warn about an alias that two features share: a mention would cite both."""
    owners: dict[tuple[str, ...], list[tuple[str, Entry, str]]] = {}
    for entry in gazetteer.entries.values():
        for alias in entry.aliases:
            owners.setdefault(phrase_keys(alias.name), []).append(
                (entry.feature_id, entry, alias.name)
            )
    for _, users in sorted(owners.items()):
        features = sorted({feature_id for feature_id, _, _ in users})
        if len(features) > 1:
            _, entry, written = users[-1]
            problems.warning(
                entry.path or layers_dir,
                f"alias '{written}' is shared by features {', '.join(features)}: "
                "a mention will cite all of them",
                entry.positions.get(f"aliases:{written}"),
                code="alias-shared",
            )


def check_exclusions(gazetteer: Gazetteer, layers_dir: Path, problems: Problems) -> None:
    """Warn about an exclusion that holds none of its feature's names: it blocks nothing.

    Exclusions are look-alikes for articles yet to come ("East Zangezur"), so an
    exclusion that no article holds yet is fine; one that could never block a
    match is a mistake.
    """
    for entry in gazetteer.entries.values():
        names = [p.keys for p in gazetteer.patterns_of(entry.feature_id) if not p.exclusion]
        for exclusion in entry.exclusions:
            keys = phrase_keys(exclusion)
            if keys in names:
                problems.error(
                    entry.path or layers_dir,
                    f"feature '{entry.feature_id}': exclusion '{exclusion}' is one of its own "
                    "names, so it blocks every match of that name (remove it, or make it "
                    "longer: the phrase around the name that is not the feature)",
                    entry.positions.get(f"exclusions:{exclusion}"),
                    code="exclusion-is-a-name",
                )
                continue
            if not any(_contains(keys, name) for name in names):
                problems.warning(
                    entry.path or layers_dir,
                    f"feature '{entry.feature_id}': exclusion '{exclusion}' holds none of the "
                    "feature's names, so it never blocks a match (remove it or fix its spelling)",
                    entry.positions.get(f"exclusions:{exclusion}"),
                    code="exclusion-blocks-nothing",
                )


def _contains(keys: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(keys[i : i + len(part)] == part for i in range(len(keys) - len(part) + 1))


def closest_passage(text: str, quote: str) -> str:
    """The sentence of text most like quote (for error messages)."""
    sentences = [text[a:b] for a, b in sentence_spans(text, 0, len(text))]
    best = max(
        sentences,
        key=lambda s: difflib.SequenceMatcher(None, s, quote, autojunk=False).ratio(),
        default="",
    )
    return best[:160]
