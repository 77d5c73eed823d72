"""The GeoJSON export: every feature with its properties and its citations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shapely.geometry import mapping

from geo.articles import Article
from geo.layers import Layer
from geo.mentions import Citation


def export_geojson(
    layers: Sequence[Layer], citations: Sequence[Citation], articles: Sequence[Article]
) -> dict[str, Any]:
    """FeatureCollection of every feature with its properties and its citations."""
    by_id = {a.id: a for a in articles}
    cited: dict[str, list[Citation]] = {}
    for c in citations:
        cited.setdefault(c.feature_id, []).append(c)
    features = []
    for layer in layers:
        for f in layer.features:
            # Computed fields come last, so that no input property can stand in for them
            # (the loader also rejects inputs that try).
            props = {
                **f.properties.model_dump(mode="json", exclude_unset=True),
                "id": f.id,
                "layer": layer.id,
                "layer_title": layer.title,
            }
            if f.computed_length_km is not None:
                props["computed_length_km"] = round(f.computed_length_km, 1)
            props["citations"] = [
                {
                    "article": c.article_id,
                    "title": by_id[c.article_id].title,
                    "outlet": by_id[c.article_id].outlet,
                    "date": by_id[c.article_id].date,
                    "excerpt": by_id[c.article_id].text[c.start : c.end],
                    "start": c.start,
                    "end": c.end,
                    "highlights": [list(h) for h in c.highlights],
                    "curated": c.curated,
                }
                for c in sorted(cited.get(f.id, []), key=lambda c: (c.article_id, c.start))
            ]
            features.append(
                {
                    "type": "Feature",
                    "id": f.id,
                    "properties": props,
                    "geometry": mapping(f.geometry),
                }
            )
    return {"type": "FeatureCollection", "features": features}
