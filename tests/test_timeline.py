"""The time slider's data: months of partial dates, article buckets, what each feature's
articles of each bucket cite, and the settings and arrowheads as validated data."""

from __future__ import annotations

from collections import defaultdict

import pytest
from pydantic import ValidationError

from geo.citation_store import recency_order
from geo.models import LayerConfig, MapSettings, Timeline, VisitProperties
from geo.problems import Problems
from geo.reader import reader_data
from geo.settings import load_settings
from geo.tagging import tag_articles
from geo.timeline import UNDATED, bucket, buckets_of, date_runs, month_span, timeline_data
from tests.project import LAYERS as LAYERS_DIR
from tests.project import PROJECT

ARTICLES, LAYERS, GAZETTEER, _ = PROJECT


@pytest.mark.parametrize(
    ("date", "span"),
    [
        ("2024-08-19", ("2024-08", "2024-08")),
        ("2017-02", ("2017-02", "2017-02")),
        ("2019", ("2019-01", "2019-12")),
    ],
)
def test_a_partial_date_covers_its_months(date: str, span: tuple[str, str]) -> None:
    assert month_span(date) == span


@pytest.mark.parametrize(
    ("date", "key"),
    [("2024-08-19", "2024-08"), ("2024-08", "2024-08"), ("2024", "2024"), ("undated", UNDATED)],
)
def test_an_article_is_counted_by_month_by_year_or_as_undated(date: str, key: str) -> None:
    assert bucket(date) == key


def test_articles_of_one_bucket_share_its_string() -> None:
    """A million articles of a few hundred months hold a few hundred strings, not a million."""
    dates = [f"2024-0{1 + i % 3}-{1 + i % 28:02}" for i in range(1000)]
    keys = buckets_of(dates)
    assert keys[:3] == ["2024-01", "2024-02", "2024-03"]
    assert len({id(k) for k in keys}) == 3


def test_newest_first_each_bucket_is_one_run() -> None:
    """So the runs map a rank to its bucket (reader.js searches them by rank)."""
    dates = ["2024-08-19", "2024-08", "2024-07-31", "2024", "2023-12-31", "2023", "undated"]
    ranked = sorted(dates, key=lambda d: d if d[:1].isdigit() else "", reverse=True)
    runs = date_runs(buckets_of(ranked))
    assert runs == [
        ["2024-08", 2],
        ["2024-07", 1],
        ["2024", 1],
        ["2023-12", 1],
        ["2023", 1],
        [UNDATED, 1],
    ]
    assert len({key for key, _ in runs}) == len(runs)


def test_the_reader_counts_each_features_citations_by_bucket() -> None:
    citations = [c for cs, _ in tag_articles(ARTICLES, GAZETTEER) for c in cs]
    table = reader_data(LAYERS, citations, ARTICLES, GAZETTEER)
    expected: dict[str, dict[str, set[tuple[str, int, int]]]] = defaultdict(
        lambda: defaultdict(set)
    )
    dates = {a.id: a.date for a in ARTICLES}
    for c in citations:
        expected[c.feature_id][bucket(dates[c.article_id])].add((c.article_id, c.start, c.end))
    assert set(table["cited"]) == set(expected)
    for feature_id, rows in table["cited"].items():
        for key, passages, articles in rows:
            spans = expected[feature_id][key]
            assert passages == len(spans)
            assert articles == len({s[0] for s in spans})
    assert sum(n for _, n in table["date_runs"]) == len(ARTICLES)
    order = [ARTICLES[i] for i in recency_order(ARTICLES)]
    assert [key for key, _ in table["date_runs"]] == list(
        dict.fromkeys(bucket(a.date) for a in order)
    )


def test_the_slider_spans_every_dated_feature_and_article() -> None:
    runs = date_runs(buckets_of(a.date for a in [ARTICLES[i] for i in recency_order(ARTICLES)]))
    data = timeline_data(LAYERS, runs, Timeline())
    assert data is not None
    visits = [f.properties for layer in LAYERS for f in layer.features]
    starts = [p.date_start for p in visits if isinstance(p, VisitProperties)]
    assert data["first"] == min(month_span(d)[0] for d in starts) == "2017-02"
    assert data["last"] == "2024-08"
    [row] = data["layers"]
    assert row["title"] == "Visits and meetings" and len(row["features"]) == 6
    assert data["n_articles"] == len(ARTICLES)
    assert data["step_months"] == 1 and data["play_window_months"] == 12


def test_nothing_dated_means_no_slider() -> None:
    undated = [layer for layer in LAYERS if layer.id != "visits"]
    assert timeline_data(undated, [[UNDATED, 3]], Timeline()) is None


def test_map_settings_take_the_timeline_as_data() -> None:
    problems = Problems()
    settings = load_settings(LAYERS_DIR, problems)
    assert settings is not None and not problems.errors
    assert settings.timeline == Timeline(step_months=1, play_window_months=12, play_interval_ms=700)
    assert "timeline" in MapSettings.model_json_schema()["properties"]
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Timeline(step_months=0)


def test_an_arrowhead_needs_a_line_layer() -> None:
    layer = {
        "title": "Places",
        "order": 1,
        "file": "places.geojson",
        "geometry": "point",
        "style": {"color": "#123456", "arrowhead": {"length": 10, "width": 8}},
    }
    with pytest.raises(ValidationError, match=r"style\.arrowhead needs a line layer"):
        LayerConfig.model_validate(layer)
    layer["geometry"] = "line"
    assert LayerConfig.model_validate(layer).style.arrowhead is not None
