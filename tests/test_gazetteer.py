"""Matching: case-, dash- and quote-insensitive, on word boundaries, with exclusions."""

from __future__ import annotations

import pytest

from geo.gazetteer import CuratedCitation, Entry, Gazetteer, normalize
from geo.mentions import cite_article, find_mentions

GAZETTEER = Gazetteer(
    {
        "instc": Entry(
            "instc",
            ("North-South Transport Corridor", "North-South Corridor", "INTSC"),
            exclusions=("North-South energy corridor",),
        ),
        "tap": Entry("tap", ("TAP",)),
        "putin": Entry(
            "putin",
            ("Putin's visit",),
            citations=(CuratedCitation("a.txt", "the Russian president came"),),
        ),
    }
)


def matched(text: str) -> list[tuple[str, str]]:
    return [(m.feature_id, text[m.start : m.end]) for m in find_mentions(text, GAZETTEER)]


@pytest.mark.parametrize(
    "written",
    [
        "North-South Transport Corridor",
        "north–south transport corridor",
        "North—South Transport Corridor",
        "North South Transport Corridor",
        "NORTH\u2011SOUTH TRANSPORT CORRIDOR",
    ],
)
def test_dashes_spaces_and_case_do_not_matter(written: str) -> None:
    assert matched(f"The {written} opens.") == [("instc", written)]


@pytest.mark.parametrize("text", ["tapping the line", "a TAPestry", "STAP", "the TAP_x"])
def test_word_boundaries_are_respected(text: str) -> None:
    assert matched(text) == []


@pytest.mark.parametrize("text", ["the tap water", "Tap the line", "they scp files"])
def test_acronym_aliases_match_only_in_capitals(text: str) -> None:
    assert matched(text) == []


def test_punctuation_is_a_boundary() -> None:
    assert matched("(TAP), TAP. TAP-based") == [("tap", "TAP")] * 3


def test_curly_apostrophes_match_straight_ones() -> None:
    assert matched("Putin’s visit began.") == [("putin", "Putin’s visit")]


def test_longest_alias_wins() -> None:
    assert matched("the North-South Transport Corridor") == [
        ("instc", "North-South Transport Corridor")
    ]


def test_exclusion_blocks_only_inside_itself() -> None:
    gazetteer = Gazetteer({"x": Entry("x", ("North-South",), exclusions=("North-South energy",))})
    text = "the North-South energy corridor and the North-South route"
    found = [(m.start, m.end) for m in find_mentions(text, gazetteer)]
    assert found == [(text.rindex("North-South"), text.rindex("North-South") + 11)]


def test_curated_citation_is_found_verbatim() -> None:
    text = "Intro. Then the Russian president came to Baku. End."
    [citation] = cite_article("a.txt", text, GAZETTEER)
    assert citation.curated
    assert text[citation.start : citation.end] == "Then the Russian president came to Baku."


def test_normalize_keeps_length() -> None:
    text = "İstanbul – Ankara’s “TAP” ẞ"
    assert len(normalize(text)) == len(text)
