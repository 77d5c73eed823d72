"""The store: every feature, article, citation and source in one GeoPackage (SQLite).

A GeoPackage is SQLite with a declared layout, so the same file opens in QGIS
(each map layer is a vector layer; articles, citations and sources are attribute
tables beside them) and in Datasette or the sqlite3 shell, which search the
excerpts through the FTS5 index ``citations_fts``. The vector layers are written
by pyogrio (GDAL's GPKG driver); the attribute tables with the standard library's
sqlite3 and registered in ``gpkg_contents``, as the GeoPackage specification
asks, so that QGIS lists them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import orjson

from geo.articles import ArticleInfo, info_of
from geo.bibliography import Bibliography, feature_sources
from geo.citation_store import ArticleLike, CitationStore
from geo.layers import Layer
from geo.models import RouteProperties, VisitProperties

SCHEMA = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    outlet TEXT NOT NULL,
    author TEXT,
    date TEXT NOT NULL,
    date_note TEXT,
    url TEXT,
    sha256 TEXT NOT NULL,
    characters INTEGER NOT NULL
);
CREATE TABLE citations (
    id INTEGER PRIMARY KEY,
    feature_id TEXT NOT NULL,
    layer TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    excerpt TEXT NOT NULL,
    highlights TEXT NOT NULL,
    found_by TEXT NOT NULL,
    curated INTEGER NOT NULL,
    refers_to TEXT
);
CREATE INDEX citations_by_feature ON citations(feature_id);
CREATE INDEX citations_by_article ON citations(article_id);
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    publisher TEXT NOT NULL,
    title TEXT NOT NULL,
    published TEXT,
    address TEXT,
    consulted TEXT,
    states TEXT
);
CREATE TABLE feature_sources (
    feature_id TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (feature_id, source_id)
);
-- content="citations" in double quotes: that is how Datasette finds the index.
CREATE VIRTUAL TABLE citations_fts USING fts5(
    excerpt, content="citations", content_rowid="id", tokenize="unicode61 remove_diacritics 2"
);
"""
ATTRIBUTE_TABLES = {
    "articles": "the articles of the corpus, with who published them and when",
    "citations": "every cited passage: feature, article, offsets, the verbatim excerpt",
    "sources": "the bibliography of layers/sources.yaml",
    "feature_sources": "which sources each feature cites",
}


def write_geopackage(
    path: Path, layers: Sequence[Layer], store: CitationStore, bibliography: Bibliography
) -> None:
    """Write the GeoPackage to path (a new file; the caller renames it into place),
    the citations streamed from the build's citation store."""
    counts = store.counts()
    articles = store.articles
    for layer in layers:
        if layer.features:
            frame = _layer_frame(layer, counts)
            frame.to_file(path, layer=layer.id, driver="GPKG", engine="pyogrio")
    with sqlite3.connect(path) as db:
        # A temporary file that is renamed into place when whole: no journal needed.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(SCHEMA)
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_article_row(a) for a in articles),
        )
        layer_of = {f.id: layer.id for layer in layers for f in layer.features}
        db.executemany(
            'INSERT INTO citations (feature_id, layer, article_id, start, "end", excerpt, '
            "highlights, found_by, curated, refers_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _citation_rows(store, layer_of),
        )
        db.execute("INSERT INTO citations_fts(citations_fts) VALUES ('rebuild')")
        db.executemany(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (_source_row(bibliography, i) for i in bibliography.sources),
        )
        db.executemany(
            "INSERT INTO feature_sources VALUES (?, ?)",
            (
                (f.id, source_id)
                for layer in layers
                for f in layer.features
                for source_id in feature_sources(f.properties)
            ),
        )
        db.executemany(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES (?, 'attributes', ?, ?)",
            ((name, name, text) for name, text in ATTRIBUTE_TABLES.items()),
        )
        # The same inputs make the same file: stamp the contents with the newest
        # article's date, not the clock.
        db.execute("UPDATE gpkg_contents SET last_change = ?", (_stamp(articles),))
    db.close()
    _settle_header(path)


# Offsets in SQLite's file header of the file change counter and of the number it was
# when the header's page count was last right ("version-valid-for"), big-endian.
CHANGE_COUNTER, VALID_FOR = 24, 92


def _settle_header(path: Path) -> None:
    """Set the header's change counter to 1 in the closed, new file.

    GDAL's driver commits its layers in one more or one fewer transaction from one run
    to the next, so that the counter alone made two builds of the same inputs differ
    (in about one build of four). Nothing has the file open, so no reader's cache
    depends on the counter; both fields equal, the header stays valid.
    """
    with path.open("r+b") as handle:
        for offset in (CHANGE_COUNTER, VALID_FOR):
            handle.seek(offset)
            handle.write((1).to_bytes(4, "big"))


def _stamp(articles: Sequence[ArticleLike]) -> str:
    dated = sorted(a.date for a in articles if a.date[:4].isdigit())
    day = (dated[-1] + "-01-01"[len(dated[-1]) - 4 :]) if dated else "1970-01-01"
    return f"{day}T00:00:00.000Z"


def _layer_frame(layer: Layer, counts: dict[str, int]) -> gpd.GeoDataFrame:
    rows = [_feature_row(layer, f.id, f.properties, counts.get(f.id, 0)) for f in layer.features]
    return gpd.GeoDataFrame(rows, geometry=[f.geometry for f in layer.features], crs="EPSG:4326")


def _feature_row(layer: Layer, feature_id: str, props: Any, cited: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "feature_id": feature_id,
        "layer": layer.id,
        "name": props.name,
        "countries": " ".join(props.countries),
        "citations": cited,
    }
    if isinstance(props, RouteProperties | VisitProperties):
        row["status"] = props.status
    if isinstance(props, RouteProperties):
        row["published_length_km"] = props.published_length.value
    if isinstance(props, VisitProperties):
        row["date_start"], row["date_end"] = props.date_start, props.date_end
    return row


def _article_row(article: ArticleLike) -> tuple[Any, ...]:
    info = article if isinstance(article, ArticleInfo) else info_of(article)
    return (
        info.id,
        info.title,
        info.outlet,
        info.author,
        info.date,
        info.date_note,
        info.url,
        info.sha256,
        info.characters,
    )


def _citation_rows(store: CitationStore, layer_of: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    ids = [a.id for a in store.articles]
    for feature_id, idx, start, end, excerpt, highlights, how, curated, refers in store.rows():
        yield (
            feature_id,
            layer_of.get(feature_id, ""),
            ids[idx],
            start,
            end,
            excerpt,
            _highlights(highlights),
            how,
            curated,
            refers,
        )


def _highlights(stored: str) -> str:
    """The highlights as "start-end;start-end": from the store's JSON [[start, end], ...]
    (integers only, as CitationStore.add writes them), rewritten as text, not parsed."""
    if stored.count("[") == 2:
        # One highlight, the usual case: "[[a,b]]".
        return stored[2:-2].replace(",", "-")
    return ";".join(f"{a}-{b}" for a, b in orjson.loads(stored))


def _source_row(bibliography: Bibliography, source_id: str) -> tuple[Any, ...]:
    s = bibliography.sources[source_id]
    return (source_id, s.kind, s.publisher, s.title, s.published, s.address, s.consulted, s.states)
