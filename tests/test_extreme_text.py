"""Text of hostile shapes is tagged whole, with every citation where it belongs (the
time it takes is bench/extreme.py's to measure)."""

from __future__ import annotations

from bench.extreme import many_mentions, quoted_sentences
from geo.mentions import cite_article
from tests.project import PROJECT

GAZETTEER = PROJECT[2]


def test_a_megabyte_of_quoted_sentences_is_cut_sentence_by_sentence() -> None:
    text = quoted_sentences(50_000)
    assert len(text) > 1_200_000
    cited = [c for c in cite_article("q.txt", text, GAZETTEER) if c.feature_id == "tap"]
    assert len(cited) == 50_000
    # Each quotation is its own excerpt, the quote marks with it.
    assert [text[c.start : c.end] for c in cited[:2]] == ['"TAP is 0."', '"TAP is 1."']


def test_one_sentence_of_32000_mentions_is_one_citation_per_feature() -> None:
    text = many_mentions(32_000)
    citations = cite_article("m.txt", text, GAZETTEER)
    by_feature = {c.feature_id: c for c in citations}
    assert {"tap", "tanap", "baku", "rasht-astara", "nakhchivan"} <= set(by_feature)
    tap = by_feature["tap"]
    assert (tap.start, tap.end) == (0, len(text))
    assert all(text[a:b] == "TAP" for a, b in tap.highlights)
    assert len(tap.highlights) == text.count("TAP and") + text.count("and TAP ")
