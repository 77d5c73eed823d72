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

from geo.bibliography import Bibliography, feature_sources
from geo.citation_store import ArticleLike, CitationStore
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
    articles: Sequence[ArticleLike],
    bibliography: Bibliography,
) -> dict[str, Any]:
    """FeatureCollection of every feature with its properties, sources and citations."""
    with CitationStore.in_memory(citations, articles) as store:
        features = list(geojson_features(layers, store, bibliography))
    return {"type": "FeatureCollection", "features": features}


def write_geojson(
    path: Path, layers: Sequence[Layer], store: CitationStore, bibliography: Bibliography
) -> None:
    """Write map.geojson a feature at a time: the same bytes as orjson.dumps of the
    whole collection, without holding it all in memory."""
    with path.open("wb") as out:
        out.write(b'{"type":"FeatureCollection","features":[')
        for i, feature in enumerate(geojson_features(layers, store, bibliography)):
            out.write(b"," if i else b"")
            # orjson writes UTF-8 bytes directly, about eight times faster than json.
            out.write(orjson.dumps(feature))
        out.write(b"]}\n")


def geojson_features(
    layers: Sequence[Layer], store: CitationStore, bibliography: Bibliography
) -> Iterator[dict[str, Any]]:
    """Each feature of the export, one after the other, its citations read from the store."""
    counts = store.counts()
    complete = sum(counts.values()) <= GEOJSON_CITATIONS
    for layer in layers:
        for f in layer.features:
            rows = store.feature_citations(f.id, None if complete else NEWEST_PER_FEATURE)
            cited = [_citation(row, store.articles[row[0]]) for row in rows]
            yield {
                "type": "Feature",
                "id": f.id,
                "properties": _properties(
                    layer, f, counts.get(f.id, 0), cited, bibliography, complete
                ),
                "geometry": mapping(f.geometry),
            }


def _properties(
    layer: Layer,
    feature: Feature,
    count: int,
    shown: list[dict[str, Any]],
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
    props["citation_count"] = count
    props["citations_complete"] = complete
    if not complete:
        props["full_citations"] = FULL_TABLES
    props["citations"] = shown
    return props


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


def write_citations_csv(path: Path, store: CitationStore) -> None:
    """Every citation as a CSV row, in article order: the full table beside the GeoJSON."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        # Each article's columns made once, not once per citation; the rows are tuples,
        # not the GeoJSON's dictionaries, written by writerows in C: a large corpus has
        # millions of them.
        columns = [(a.id, a.outlet, a.date, a.title) for a in store.articles]
        writer.writerows(
            (feature_id, *columns[idx], start, end, excerpt, how, curated, refers or "")
            for feature_id, idx, start, end, excerpt, _, how, curated, refers in store.rows()
        )


def _citation(row: tuple[Any, ...], article: ArticleLike) -> dict[str, Any]:
    _, start, end, excerpt, highlights, curated, how, refers = row
    return {
        "article": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "date": article.date,
        "excerpt": excerpt,
        "start": start,
        "end": end,
        "highlights": orjson.loads(highlights),
        "curated": bool(curated),
        "found_by": how,
        **({"refers_to": refers} if refers is not None else {}),
    }
