"""Excerpts are whole, readable sentences cut verbatim from the article."""

from __future__ import annotations

import pytest

from geo.passages import excerpt_span


def excerpt_of(text: str, phrase: str) -> str:
    start = text.index(phrase)
    s, e = excerpt_span(text, start, start + len(phrase))
    return text[s:e]


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        (
            "First one. The TAP line runs west. Last one.",
            "TAP",
            "The TAP line runs west.",
        ),
        # Glued after the full stop, as scraped pages often are.
        (
            "the key issues addressed during the discussions.emphasized that the TAP matters.",
            "TAP",
            "emphasized that the TAP matters.",
        ),
        # A closing straight quote stays with its sentence.
        (
            'He said: "there are no issues with TAP."Markov elaborated further.',
            "TAP",
            'He said: "there are no issues with TAP."',
        ),
        (
            'It matters. "Given the climate, TAP is vital. It is short." Then more.',
            "TAP",
            '"Given the climate, TAP is vital.',
        ),
        # Domains and abbreviations are not sentence ends.
        (
            "News.Az asked Gen. Smith about TAP today. Next.",
            "TAP",
            "News.Az asked Gen. Smith about TAP today.",
        ),
    ],
)
def test_excerpt_is_the_sentence(text: str, phrase: str, expected: str) -> None:
    assert excerpt_of(text, phrase) == expected


def test_long_paragraph_is_cut_around_the_mention() -> None:
    filler = "This sentence is filler and says nothing at all. " * 60
    text = filler + "The TAP pipeline carries gas. " + filler
    assert excerpt_of(text, "TAP") == "The TAP pipeline carries gas."


def test_excerpt_never_leaves_its_paragraph() -> None:
    text = "Heading about TAP\nA paragraph follows here."
    assert excerpt_of(text, "TAP") == "Heading about TAP"
