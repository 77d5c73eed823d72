"""The page's data table: excerpts stored once, newest first, compressed losslessly."""

from __future__ import annotations

import base64
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from geo.build import BuildResult, run_build
from geo.popups import EXCERPTS_PER_CHUNK, popup_data
from geo.render import feature_style, legend_items
from tests.project import LAYERS, SEEDS


def excerpts_of(data: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for chunk in data["excerpt_chunks"]:
        rows += json.loads(gzip.decompress(base64.b64decode(chunk)))
    return rows


def test_each_excerpt_is_stored_once(built: BuildResult) -> None:
    data = popup_data(built.layers, built.citations, built.articles, built.bibliography)
    rows = excerpts_of(data)
    spans = {(c.article_id, c.start, c.end) for c in built.citations}
    assert len(rows) == len(spans) < len(built.citations)
    assert all(len(chunk) > 0 for chunk in data["excerpt_chunks"])
    assert len(rows) <= EXCERPTS_PER_CHUNK * len(data["excerpt_chunks"])


def test_references_point_at_the_right_text(built: BuildResult) -> None:
    data = popup_data(built.layers, built.citations, built.articles, built.bibliography)
    rows = excerpts_of(data)
    texts = {a.id: a.text for a in built.articles}
    for feature in data["features"].values():
        for number, highlights, article, *refers_to in feature["citations"]:
            start, end, text = rows[number]
            full = texts[data["articles"][article]["id"]]
            assert full[start:end] == text
            for s, e in highlights:
                assert start <= s < e <= end
            # A reference back carries the words it refers to, from earlier in the article.
            assert all(r and r in full[:start] for r in refers_to)


def test_newest_articles_come_first(built: BuildResult) -> None:
    data = popup_data(built.layers, built.citations, built.articles, built.bibliography)
    dates = [data["articles"][ref[2]]["date"] for ref in data["features"]["baku"]["citations"]]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2024-08-19"


def test_the_export_opens_in_gdal(built: BuildResult) -> None:
    """QGIS reads GeoJSON through GDAL; so does geopandas (pyogrio)."""
    import geopandas

    frame = geopandas.read_file(built.outputs[1])
    assert len(frame) == sum(len(layer.features) for layer in built.layers)
    assert frame.crs.to_epsg() == 4326
    assert {"LineString", "Polygon", "Point"} <= set(frame.geometry.geom_type)
    assert frame.loc[frame["id"] == "tap", "citations"].notna().all()


def test_a_new_status_and_legend_row_are_a_data_change(tmp_path: Path) -> None:
    """Adding a status or a legend row touches map.yaml only, and the map follows it."""
    layers = tmp_path / "layers"
    shutil.copytree(LAYERS, layers)
    settings = layers / "map.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "  took place: {}\n",
            '  took place: {}\n  suspended:\n    dash: "4 4"\n    legend: suspended\n',
        )
        + "  - label: a row added as data\n    color: '#123456'\n",
        encoding="utf-8",
    )
    geojson = layers / "pipelines.geojson"
    geojson.write_text(
        geojson.read_text(encoding="utf-8").replace(
            '"status": "operating"', '"status": "suspended"', 1
        ),
        encoding="utf-8",
    )
    result = run_build(SEEDS, layers, tmp_path / "out")
    labels = [row["label"] for row in legend_items(result.layers, result.settings)]
    assert "suspended" in labels and labels[-1] == "a row added as data"
    suspended = [
        (layer, f)
        for layer in result.layers
        for f in layer.features
        if getattr(f.properties, "status", None) == "suspended"
    ]
    assert len(suspended) == 1
    layer, feature = suspended[0]
    assert feature_style(layer, feature, result.settings)["dashArray"] == "4 4"
