"""The regexes rewritten for speed find exactly what their plain forms find.

Each plain form is the pattern as first written, kept here as the definition; the fast
form in the module must agree with it on any text (hypothesis), not only on the corpus.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from geo import candidates
from geo.folding import WORD

PLAIN_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
_NAME = candidates._NAME
PLAIN_ROUTE_LIKE = re.compile(rf"\b((?:{_NAME}\s+){{0,3}}{_NAME})\s+(?i:{candidates._HEADS})\b")
PLAIN_TRAVEL = re.compile(
    rf"\b({_NAME}(?:\s+{_NAME})?)(?:’s|'s)?\s+"
    r"(?:visit(?:ed|s)?|trip|arrived|travell?ed|flew|went)\s+(?:to|in)\s+"
    rf"({_NAME}(?:\s+{_NAME})?)"
)

PIECES = [
    "Baku",
    "Kars-Nakhchivan",
    "Middle",
    "Corridor",
    "pipeline",
    "Gas Pipelines",
    "rail link",
    "Lavrov",
    "Putin’s",
    "Erdoğan's",
    "visited",
    "flew",
    "to",
    "in",
    "the",
    "e\u0301",
    "\u0301",
    "_",
    "A_B",
    "x1",
    "–",
    "/",
    " ",
    "  ",
    "\n",
    ". ",
    "’",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=30).map("".join)


def found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(texts)
def test_word_finds_the_plain_words(text: str) -> None:
    assert found(WORD, text) == found(PLAIN_WORD, text)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_route_like_finds_the_plain_phrases(text: str) -> None:
    assert found(candidates._ROUTE_LIKE, text) == found(PLAIN_ROUTE_LIKE, text)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_travel_finds_the_plain_phrases(text: str) -> None:
    assert found(candidates._TRAVEL, text) == found(PLAIN_TRAVEL, text)
