"""The GeoPackage store: the map's features, articles, citations and sources in SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyogrio
import pytest

from geo.build import BuildResult
from geo.citation_store import CitationStore
from geo.store import write_geopackage


@pytest.fixture(scope="module")
def store(built: BuildResult) -> Path:
    [path] = [p for p in built.outputs if p.name == "map.gpkg"]
    return path


def rows(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, args).fetchall()


def test_each_map_layer_is_a_vector_layer_qgis_can_open(store: Path, built: BuildResult) -> None:
    layers = {name: kind for name, kind in pyogrio.list_layers(store)}
    for layer in built.layers:
        frame = pyogrio.read_dataframe(store, layer=layer.id)
        assert sorted(frame["feature_id"]) == sorted(f.id for f in layer.features)
        assert frame.crs.to_epsg() == 4326
        assert layers[layer.id] is not None
    assert rows(store, "PRAGMA application_id") == [(0x47504B47,)]  # "GPKG"


def test_the_tables_hold_what_the_map_shows(store: Path, built: BuildResult) -> None:
    assert rows(store, "SELECT count(*) FROM citations") == [(len(built.citations),)]
    assert rows(store, "SELECT count(*) FROM articles") == [(len(built.articles),)]
    assert rows(store, "SELECT count(*) FROM sources") == [(len(built.bibliography.sources),)]
    texts = {a.id: a.text for a in built.articles}
    for article, start, end, excerpt in rows(
        store, 'SELECT article_id, start, "end", excerpt FROM citations'
    ):
        assert texts[article][start:end] == excerpt
    counted = dict(rows(store, "SELECT feature_id, citations FROM pipelines"))
    assert counted["tap"] == sum(c.feature_id == "tap" for c in built.citations)
    tables = {name for (name,) in rows(store, "SELECT table_name FROM gpkg_contents")}
    assert {"articles", "citations", "sources", "feature_sources"} <= tables


def test_the_excerpts_are_searchable(store: Path, built: BuildResult) -> None:
    found = rows(
        store,
        "SELECT c.feature_id, c.excerpt FROM citations_fts f JOIN citations c ON c.id = f.rowid "
        "WHERE citations_fts MATCH ?",
        "Novorossiysk",
    )
    expected = [c for c in built.citations if "novorossiysk" in _excerpt(built, c).lower()]
    assert found and len(found) == len(expected)
    # Diacritics fold: "Turkgozu" finds "Türkgözü" if any excerpt has it.
    assert rows(store, "SELECT count(*) FROM citations_fts WHERE citations_fts MATCH 'turkgozu'")


def _excerpt(built: BuildResult, c: Any) -> str:
    text = next(a.text for a in built.articles if a.id == c.article_id)
    return text[c.start : c.end]


def test_datasette_opens_it_and_searches_the_excerpts(store: Path) -> None:
    from datasette.app import Datasette

    async def search() -> dict[str, Any]:
        ds = Datasette([str(store)])
        response = await ds.client.get("/map/citations.json?_search=Novorossiysk&_shape=objects")
        assert response.status_code == 200
        result: dict[str, Any] = response.json()
        return result

    # In a thread of its own: other tests (Dask, Playwright) may leave an event loop
    # running in this one.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, search()).result()
    assert result["rows"]
    assert all("novorossiysk" in row["excerpt"].lower() for row in result["rows"])


def test_the_same_citations_make_the_same_file(tmp_path: Path, built: BuildResult) -> None:
    # GDAL's commits once varied the header's change counter in one write of four.
    store = CitationStore.in_memory(built.citations, built.articles)
    files = []
    for n in range(8):
        path = tmp_path / f"{n}.gpkg"
        write_geopackage(path, built.layers, store, built.bibliography)
        files.append(path.read_bytes())
    store.close()
    assert all(data == files[0] for data in files)
    with sqlite3.connect(tmp_path / "0.gpkg") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
