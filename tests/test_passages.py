"""Excerpts are whole, readable sentences cut verbatim from the article; the fast repairs
cut exactly where the step-by-step reference in bench/segmentation.py cuts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.segmentation import ReferenceExcerpts, reference_sentence_spans
from geo.passages import Excerpts, excerpt_span, sentence_spans


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


# Pieces that exercise every repair: stops glued or spaced, straight and curly quotes,
# abbreviations in any case (and a Kelvin sign, which lower-cases to ASCII), white space
# the segmenter may or may not treat as such, and paragraph breaks.
PIECES = [
    ". ",
    ".",
    "? ",
    "!",
    '"',
    ' "',
    '." ',
    "“",
    "”",
    " ",
    "  ",
    "\u00a0",
    "\t",
    "\n",
    "\n\n",
    "Gen",
    "gen",
    "Mr",
    "No",
    "approx",
    "Sept",
    "\u212ast",
    "İ",
    "é",
    "News.Az",
    "discussions.emphasized",
    "The TAP line runs",
    "Markov",
    "12",
    ")",
    "]",
    "—",
]
generated = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=30).map(
    "".join
)


@settings(max_examples=400, deadline=None)
@given(generated, st.data())
def test_fast_spans_equal_the_reference(text: str, data: st.DataObject) -> None:
    """The fast repairs cut exactly where the step-by-step reference cut, on any range."""
    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, end))
    origin = data.draw(st.one_of(st.none(), st.integers(0, len(text))))
    assert sentence_spans(text, start, end, origin) == reference_sentence_spans(
        text, start, end, origin
    )


@settings(max_examples=200, deadline=None)
@given(generated)
def test_excerpts_equal_the_reference(text: str) -> None:
    fast, reference = Excerpts(text), ReferenceExcerpts(text)
    for at in range(len(text) + 1):
        assert fast.sentences(at, at) == reference.sentences(at, at)
        assert fast.span(at, min(at + 3, len(text))) == reference.span(at, min(at + 3, len(text)))
