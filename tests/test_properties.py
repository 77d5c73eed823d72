"""Property tests of the tagger on generated Unicode text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.gazetteer import Entry, Gazetteer, is_word_char, normalize
from geo.mentions import cite_article, find_mentions

GAZETTEER = Gazetteer(
    {
        "instc": Entry("instc", ("North-South Transport Corridor", "INSTC")),
        "tap": Entry("tap", ("TAP",)),
        "baku": Entry("baku", ("Baku",), exclusions=("Baku-Novorossiysk",)),
    }
)
PHRASES = [
    "North-South Transport Corridor",
    "INSTC",
    "TAP",
    "Baku",
    "Baku-Novorossiysk",
    "tapping",
    "North South transport corridor",
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
    for citation in cite_article("a.txt", text, GAZETTEER):
        assert 0 <= citation.start < citation.end <= len(text)
        for start, end in citation.highlights:
            assert citation.start <= start < end <= citation.end
            assert normalize(text[start:end]).strip()


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
    folded = normalize(text)
    for m in find_mentions(text, GAZETTEER):
        if m.start > 0:
            assert not (is_word_char(folded[m.start - 1]) and is_word_char(folded[m.start]))
        if m.end < len(text):
            assert not (is_word_char(folded[m.end]) and is_word_char(folded[m.end - 1]))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_normalize_keeps_every_offset(text: str) -> None:
    assert len(normalize(text)) == len(text)
