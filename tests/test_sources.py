"""The bibliography: every figure on the map names a document a reader can look up."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from geo.bibliography import SOURCES_FILE, readable_date
from geo.build import BuildResult
from geo.models import Source
from geo.popups import popup_data
from tests.project import LAYERS

DOCUMENT = {
    "publisher": "Trend News Agency",
    "title": "A headline",
    "published": "2021-09-28",
    "address": "https://en.trend.az/business/energy/3490624.html",
    "consulted": "2026-12-01",
}

VALID: list[dict[str, Any]] = [
    DOCUMENT,
    {**DOCUMENT, "published": "2020-11"},
    {k: v for k, v in DOCUMENT.items() if k != "published"},  # an undated page
    {"kind": "article", "publisher": "News.Az", "title": "Untitled", "published": "2024-08-19"},
    {"kind": "estimate", "publisher": "This map", "title": "Identified from the articles"},
]
INVALID: list[tuple[dict[str, Any], str]] = [
    ({k: v for k, v in DOCUMENT.items() if k != "address"}, "source-not-findable"),
    ({k: v for k, v in DOCUMENT.items() if k != "consulted"}, "source-not-findable"),
    ({**DOCUMENT, "address": "javascript:alert(1)"}, "bad-url"),
    ({**DOCUMENT, "published": "28 Sep 2021"}, "bad-date"),
    ({**DOCUMENT, "publisher": " "}, "empty-text"),
    ({**DOCUMENT, "kind": "rumour"}, "literal_error"),
    ({**DOCUMENT, "adress": "https://example.org/"}, "extra_forbidden"),
]


@pytest.mark.parametrize("source", VALID)
def test_a_valid_source_loads(source: dict[str, Any]) -> None:
    Source.model_validate(source)


@pytest.mark.parametrize(("source", "code"), INVALID, ids=[c for _, c in INVALID])
def test_an_invalid_source_is_refused_with_its_code(source: dict[str, Any], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Source.model_validate(source)
    assert code in {e["type"] for e in caught.value.errors()}


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2021-09-28", "28 Sep 2021"), ("2020-11", "Nov 2020"), ("2019", "2019")],
)
def test_dates_read_as_people_write_them(value: str, shown: str) -> None:
    assert readable_date(value) == shown


def test_every_shown_fact_has_a_source_that_resolves(built: BuildResult) -> None:
    data = popup_data(built.layers, built.citations, built.articles, built.bibliography)
    for feature_id, feature in data["features"].items():
        for fact in feature["facts"]:
            where = f"{feature_id}: {fact['label']}"
            if "computed" in fact:
                # The map's own measurements say how they were made instead.
                assert fact["computed"].startswith("computed by this map"), where
                continue
            assert fact["sources"], f"{where} has no source"
            for source_id in fact["sources"]:
                source = data["sources"][source_id]
                assert source["short"] and source["title"], where
                if source["kind"] == "document":
                    assert source["address"].startswith(("http://", "https://")), where
                    assert source["consulted"], where
        assert set(feature["sources"]) <= set(data["sources"]), feature_id


def test_the_working_note_is_cited_nowhere(built: BuildResult) -> None:
    files = [*built.outputs, *sorted(LAYERS.iterdir())]
    for path in files:
        assert b"routes.md" not in path.read_bytes(), path


def test_the_export_carries_each_features_sources(exported: dict[str, Any]) -> None:
    by_id = {f["id"]: f["properties"] for f in exported["features"]}
    tap = by_id["tap"]
    addresses = {s["address"] for s in tap["cited_sources"]}
    assert any(a.startswith("https://www.bp.com/") for a in addresses)
    assert tap["published_length"]["source"]
    assert {"GR", "AL", "sea"} <= set(tap["computed_length_by_country_km"])
    for props in by_id.values():
        cited = {s["id"] for s in props["cited_sources"]}
        for fact in props.get("facts", []):
            assert set(fact["source"]) <= cited


def test_sources_csv_lists_the_bibliography_with_who_cites_it(built: BuildResult) -> None:
    [path] = [p for p in built.outputs if p.name == "sources.csv"]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == [
        "id",
        "kind",
        "publisher",
        "title",
        "published",
        "address",
        "consulted",
        "states",
        "cited_by",
    ]
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == len(built.bibliography.sources)
    assert all(row["cited_by"] for row in rows), "every source is cited by some feature"
    assert (LAYERS / SOURCES_FILE).is_file()


def test_the_bibliography_file_exists_beside_the_layers() -> None:
    assert (
        Path(LAYERS / SOURCES_FILE)
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=../geo/schemas/sources.schema.json")
    )
