"""The exports beside the page: map.geojson that GIS tools open at any size, citations.csv."""

from __future__ import annotations

import csv
import io

import pytest

from geo import export
from geo.build import BuildResult


def test_citations_csv_holds_every_citation_verbatim(built: BuildResult) -> None:
    [path] = [p for p in built.outputs if p.name == "citations.csv"]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == len(built.citations)
    texts = {a.id: a.text for a in built.articles}
    for row in rows:
        assert texts[row["article"]][int(row["start"]) : int(row["end"])] == row["excerpt"]


def test_a_small_corpus_exports_every_citation(built: BuildResult) -> None:
    doc = export.export_geojson(built.layers, built.citations, built.articles, built.bibliography)
    for feature in doc["features"]:
        props = feature["properties"]
        assert props["citations_complete"] is True
        assert props["citation_count"] == len(props["citations"])
        assert "full_citations" not in props


def test_a_large_corpus_exports_counts_and_the_newest_citations(
    built: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "GEOJSON_CITATIONS", 10)
    monkeypatch.setattr(export, "NEWEST_PER_FEATURE", 2)
    doc = export.export_geojson(built.layers, built.citations, built.articles, built.bibliography)
    dates = {a.id: a.date for a in built.articles}
    for feature in doc["features"]:
        props = feature["properties"]
        all_of_it = [c for c in built.citations if c.feature_id == feature["id"]]
        assert props["citation_count"] == len(all_of_it)
        assert props["citations_complete"] is False
        assert props["full_citations"] == ["map.gpkg (table citations)", "citations.csv"]
        assert len(props["citations"]) == min(2, len(all_of_it))
        newest = max((dates[c.article_id] for c in all_of_it), default=None)
        if newest is not None:
            assert max(c["date"] for c in props["citations"]) == newest
