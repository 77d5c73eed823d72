"""The corpus is cited as a careful reader would: every mention found, nothing over-claimed."""

from __future__ import annotations

from typing import Any

import pytest

MUST_CITE = [
    ("instc", "001_326a1fa1b88b68b5.txt", "(INTSC)"),
    ("instc", "003_fe03d9a2d321f437.txt", "North—South transport corridor"),
    ("instc", "003_fe03d9a2d321f437.txt", "The corridor starts from India"),
    ("rasht-astara", "001_326a1fa1b88b68b5.txt", "Rasht-Astara railway"),
    ("tap", "003_fe03d9a2d321f437.txt", "TAP and TANAP"),
    ("tanap", "003_fe03d9a2d321f437.txt", "TAP and TANAP"),
    ("baku-novorossiysk", "004_cd56af0143716ceb.txt", "Baku-Novorossiysk oil pipeline"),
    ("south-caucasus-pipeline", "004_cd56af0143716ceb.txt", "South Caucasus gas pipeline"),
    ("zangezur-corridor", "003_fe03d9a2d321f437.txt", "Zangezur corridor"),
    ("aras-corridor", "003_fe03d9a2d321f437.txt", "transport link with Nakhichevan"),
    ("putin-baku-2024", "001_326a1fa1b88b68b5.txt", "Putin’s departure from Baku"),
    ("putin-baku-2024", "002_a74b66ca9444871a.txt", "arrived in the Republic of Azerbaijan"),
    ("putin-baku-2024", "003_fe03d9a2d321f437.txt", "Zagulba home residence"),
    ("shoigu-baku-2024", "000_3c57eeb00faf3a76.txt", "He arrived from Tehran"),
    ("shoigu-baku-2024", "003_fe03d9a2d321f437.txt", "Sergei Shoigu to Tehran and Baku"),
    ("aliyev-moscow-2022", "001_326a1fa1b88b68b5.txt", "Aliyev visited Moscow"),
    ("gerasimov-dunford-2017", "004_cd56af0143716ceb.txt", "Joseph Danford"),
    ("gerasimov-pavel-2017", "004_cd56af0143716ceb.txt", "Peter Pavel"),
    ("gerasimov-scaparrotti-2018", "004_cd56af0143716ceb.txt", "Curtis Scaparotti"),
    ("zagulba-residence", "003_fe03d9a2d321f437.txt", "Zagulba"),
    ("alley-of-honour", "003_fe03d9a2d321f437.txt", "laying a wreath at the grave"),
    ("nakhchivan", "003_fe03d9a2d321f437.txt", "Nakhichevan"),
    ("shah-deniz", "004_cd56af0143716ceb.txt", "Shah Deniz field"),
    ("novorossiysk", "004_cd56af0143716ceb.txt", "port of Novorossiysk"),
]

MUST_NOT_CITE = [
    # An electricity project, not the transport corridor.
    ("instc", "North-South energy corridor"),
    ("instc", "Concrete work on this corridor is already in progress"),
    # Another route altogether.
    ("instc", "China-Russia-Azerbaijan route"),
    # Gerasimov's counterparts belong to one meeting each.
    ("gerasimov-pavel-2017", "Joseph Danford"),
    ("gerasimov-dunford-2017", "Curtis Scaparotti"),
    ("aliyev-moscow-2022", "The 2022 Declaration on Allied Interaction"),
]


def citations_of(exported: dict[str, Any], feature_id: str) -> list[dict[str, Any]]:
    [feature] = [f for f in exported["features"] if f["id"] == feature_id]
    return feature["properties"]["citations"]


@pytest.mark.parametrize(("feature_id", "article", "phrase"), MUST_CITE)
def test_mention_is_cited(
    exported: dict[str, Any], feature_id: str, article: str, phrase: str
) -> None:
    excerpts = [c["excerpt"] for c in citations_of(exported, feature_id) if c["article"] == article]
    assert any(phrase in e for e in excerpts), excerpts


@pytest.mark.parametrize(("feature_id", "phrase"), MUST_NOT_CITE)
def test_non_mention_is_not_cited(exported: dict[str, Any], feature_id: str, phrase: str) -> None:
    assert not any(phrase in c["excerpt"] for c in citations_of(exported, feature_id))


def test_baku_in_pipeline_name_is_not_the_city(exported: dict[str, Any]) -> None:
    for c in citations_of(exported, "baku"):
        marked = [c["excerpt"][s - c["start"] : e - c["start"]] for s, e in c["highlights"]]
        assert marked and all(m == "Baku" for m in marked)
        # The only sentence naming the pipeline names no other Baku.
        assert "Baku-Novorossiysk" not in c["excerpt"]


def test_every_article_cites_something(exported: dict[str, Any]) -> None:
    cited = {c["article"] for f in exported["features"] for c in f["properties"]["citations"]}
    assert len(cited) == 5
