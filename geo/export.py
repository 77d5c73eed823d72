"""The GeoJSON export: every feature with its properties and its citations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shapely.geometry import mapping

from geo.articles import Article
from geo.bibliography import Bibliography, feature_sources
from geo.features import Feature
from geo.layers import Layer
from geo.mentions import Citation


def export_geojson(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    bibliography: Bibliography,
) -> dict[str, Any]:
    """FeatureCollection of every feature with its properties, sources and citations."""
    by_id = {a.id: a for a in articles}
    cited: dict[str, list[Citation]] = {}
    for c in citations:
        cited.setdefault(c.feature_id, []).append(c)
    features = [
        {
            "type": "Feature",
            "id": f.id,
            "properties": _properties(layer, f, cited.get(f.id, []), by_id, bibliography),
            "geometry": mapping(f.geometry),
        }
        for layer in layers
        for f in layer.features
    ]
    return {"type": "FeatureCollection", "features": features}


def _properties(
    layer: Layer,
    feature: Feature,
    cited: list[Citation],
    by_id: dict[str, Article],
    bibliography: Bibliography,
) -> dict[str, Any]:
    # Computed fields come last, so that no input property can stand in for them
    # (the loader also rejects inputs that try).
    props = {
        **feature.properties.model_dump(mode="json", exclude_unset=True),
        "id": feature.id,
        "layer": layer.id,
        "layer_title": layer.title,
    }
    if feature.computed_length_km is not None:
        props["computed_length_km"] = round(feature.computed_length_km, 1)
    if feature.length_by_country_km is not None:
        props["computed_length_by_country_km"] = {
            where: round(km, 1) for where, km in feature.length_by_country_km.items()
        }
    props["cited_sources"] = [bibliography.entry(i) for i in feature_sources(feature.properties)]
    props["citations"] = [
        _citation(c, by_id[c.article_id])
        for c in sorted(cited, key=lambda c: (c.article_id, c.start))
    ]
    return props


def _citation(c: Citation, article: Article) -> dict[str, Any]:
    return {
        "article": c.article_id,
        "title": article.title,
        "outlet": article.outlet,
        "date": article.date,
        "excerpt": article.text[c.start : c.end],
        "start": c.start,
        "end": c.end,
        "highlights": [list(h) for h in c.highlights],
        "curated": c.curated,
        "found_by": c.how,
        **(
            {"refers_to": article.text[c.antecedent[0] : c.antecedent[1]]}
            if c.how == "reference" and c.antecedent
            else {}
        ),
    }
