"""Property tests of the tagger on generated Unicode text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.folding import WORD
from geo.mentions import cite_article, find_mentions
from tests.project import PROJECT

GAZETTEER = PROJECT[2]
PHRASES = [
    "North-South Transport Corridor",
    "INSTC",
    "TAP",
    "Baku",
    "Baku-Novorossiysk pipeline",
    "tapping",
    "North South transport corridor",
    "the Rasht–Astara railway",
    "The line",
    "Putin arrived in Baku",
    "Zan\u00adgezur corridor",
]
DASHES = "-\u2013\u2014"

words = st.one_of(
    st.sampled_from(PHRASES),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
    st.sampled_from([". ", "\n", ", ", " ", "—", "’", '"', ".\u201c"]),
)
texts = st.lists(words, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_every_excerpt_is_the_text_at_its_offsets(text: str) -> None:
    for citation in cite_article("a.txt", text, GAZETTEER, "2024-08-19"):
        assert 0 <= citation.start < citation.end <= len(text)
        for start, end in citation.highlights:
            assert citation.start <= start < end <= citation.end
            assert WORD.search(text, start, end)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(DASHES), st.sampled_from(DASHES))
def test_swapping_dashes_changes_nothing(text: str, old: str, new: str) -> None:
    swapped = text.replace(old, new)
    assert [(m.feature_id, m.start, m.end) for m in find_mentions(text, GAZETTEER)] == [
        (m.feature_id, m.start, m.end) for m in find_mentions(swapped, GAZETTEER)
    ]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_no_match_cuts_through_a_word(text: str) -> None:
    spans = [(w.start(), w.end()) for w in WORD.finditer(text)]
    for m in find_mentions(text, GAZETTEER):
        for start, end in spans:
            assert not (start < m.start < end), (text, m)
            assert not (start < m.end < end), (text, m)
