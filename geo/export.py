"""The exports: map.geojson (every feature with its properties and citations) and citations.csv.

map.geojson stays a plain RFC 7946 file that QGIS and geojson.io open. Above
GEOJSON_CITATIONS citations in all, each feature carries its count and only its
newest citations, and names the full tables (map.gpkg, citations.csv).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from shapely.geometry import mapping

from geo.articles import Article
from geo.bibliography import Bibliography, feature_sources
from geo.features import Feature
from geo.layers import Layer
from geo.mentions import Citation

# Above this many citations in all, map.geojson carries each feature's newest ones only
# (about 100 MB of GeoJSON: what desktop and web GIS still open comfortably).
GEOJSON_CITATIONS = 200_000
NEWEST_PER_FEATURE = 100
FULL_TABLES = ["map.gpkg (table citations)", "citations.csv"]


def export_geojson(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    bibliography: Bibliography,
) -> dict[str, Any]:
    """FeatureCollection of every feature with its properties, sources and citations."""
    features = list(geojson_features(layers, citations, articles, bibliography))
    return {"type": "FeatureCollection", "features": features}


def write_geojson(
    path: Path,
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    bibliography: Bibliography,
) -> None:
    """Write map.geojson a feature at a time: the same bytes as orjson.dumps of the
    whole collection, without holding it all in memory."""
    with path.open("wb") as out:
        out.write(b'{"type":"FeatureCollection","features":[')
        for i, feature in enumerate(geojson_features(layers, citations, articles, bibliography)):
            out.write(b"," if i else b"")
            # orjson writes UTF-8 bytes directly, about eight times faster than json.
            out.write(orjson.dumps(feature))
        out.write(b"]}\n")


def geojson_features(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    bibliography: Bibliography,
) -> Iterator[dict[str, Any]]:
    """Each feature of the export, one after the other."""
    by_id = {a.id: a for a in articles}
    cited: dict[str, list[Citation]] = {}
    for c in citations:
        cited.setdefault(c.feature_id, []).append(c)
    complete = len(citations) <= GEOJSON_CITATIONS
    for layer in layers:
        for f in layer.features:
            yield {
                "type": "Feature",
                "id": f.id,
                "properties": _properties(
                    layer, f, cited.get(f.id, []), by_id, bibliography, complete
                ),
                "geometry": mapping(f.geometry),
            }


def _properties(
    layer: Layer,
    feature: Feature,
    cited: list[Citation],
    by_id: dict[str, Article],
    bibliography: Bibliography,
    complete: bool = True,
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
    props["citation_count"] = len(cited)
    props["citations_complete"] = complete
    shown = cited if complete else _newest(cited, by_id)
    if not complete:
        props["full_citations"] = FULL_TABLES
    props["citations"] = [
        _citation(c, by_id[c.article_id])
        for c in sorted(shown, key=lambda c: (c.article_id, c.start))
    ]
    return props


def _newest(cited: list[Citation], by_id: dict[str, Article]) -> list[Citation]:
    """A feature's newest citations: by article date, then article and offset."""
    ranked = sorted(cited, key=lambda c: (by_id[c.article_id].date, c.article_id), reverse=True)
    return ranked[:NEWEST_PER_FEATURE]


CSV_COLUMNS = (
    "feature_id",
    "article",
    "outlet",
    "date",
    "title",
    "start",
    "end",
    "excerpt",
    "found_by",
    "curated",
    "refers_to",
)


def write_citations_csv(
    path: Path, citations: Sequence[Citation], articles: Sequence[Article]
) -> None:
    """Every citation as a CSV row, in article order: the full table beside the GeoJSON."""
    by_id = {a.id: a for a in articles}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for c in citations:
            # Tuples, not the GeoJSON's dictionaries: a large corpus has millions of rows.
            a = by_id[c.article_id]
            refers = a.text[c.antecedent[0] : c.antecedent[1]] if c.antecedent else ""
            excerpt = a.text[c.start : c.end]
            refers = refers if c.how == "reference" else ""
            row = (c.feature_id, a.id, a.outlet, a.date, a.title, c.start, c.end, excerpt)
            writer.writerow((*row, c.how, int(c.curated), refers))


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
