"""The gazetteer gaps report: route-like names and visits that cite nothing, and only those."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from geo.articles import Article
from geo.candidates import candidates_csv, find_candidates, summarise
from geo.mentions import cite_article
from tests.project import PROJECT

GAZETTEER = PROJECT[2]


def article(text: str, date: str = "2024-08-20") -> Article:
    return Article("a.txt", Path("a.txt"), text, "A title", "An outlet", date)


def gaps(text: str) -> list[tuple[str, str]]:
    a = article(text)
    cited = cite_article(a.id, a.text, GAZETTEER, a.date)
    places = frozenset(f for f, e in GAZETTEER.entries.items() if e.kind == "place")
    return [(c.kind, c.phrase) for c in find_candidates(a, cited, places)]


def test_an_unknown_corridor_and_railway_are_candidates() -> None:
    text = "Kazakhstan backs the Middle Corridor. The Kars-Nakhchivan railway is planned."
    assert gaps(text) == [("route", "Middle Corridor"), ("route", "Kars-Nakhchivan railway")]


def test_a_feature_the_gazetteer_knows_is_no_candidate() -> None:
    assert gaps("The Zangezur corridor and the Rasht-Astara railway were discussed.") == []


def test_an_unknown_visit_is_a_candidate_and_a_known_one_is_not() -> None:
    assert gaps("Sergei Lavrov flew to Yerevan on Monday.") == [
        ("visit", "Sergei Lavrov flew to Yerevan")
    ]
    assert gaps("Vladimir Putin arrived in Baku on Sunday.") == []


def test_the_report_counts_each_phrase_once_with_an_example() -> None:
    a = article("The Middle Corridor grows. Traders like the Middle Corridor.")
    rows = summarise(find_candidates(a, []))
    [row] = list(csv.DictReader(io.StringIO(candidates_csv(rows, [a]))))
    assert (row["kind"], row["phrase"], row["count"]) == ("route", "Middle Corridor", "2")
    start, end = int(row["start"]), int(row["end"])
    assert a.text[start:end] == "The Middle Corridor"
