"""Passages: the sentence around a mention, cut verbatim with its offsets.

pysbd finds the sentences; two repairs follow for text scraped from the web:
sentences glued without a space after the full stop (``discussions.emphasized``)
are split, and a straight quote that closes a sentence is kept with it rather
than opening the next one. Only a window around each mention is segmented, so
the cost grows with the number of mentions, not with the length of the text.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import pysbd

WINDOW = 600
# Boundaries pysbd misses in scraped text: a full stop glued to the next word
# ("discussions.emphasized", 'exists."Markov'), and a stop before a quoted
# sentence ('discussion. "Given'). The word before the stop must have two
# letters or digits at least and not be a known abbreviation; "News.Az" and
# "Caliber.az" are left alone because the part after the stop is too short.
_MISSED = re.compile(
    r"(?<=[A-Za-z0-9)\]]{2})([.!?][\"”]?)(?:\s+(?=[\"“]?[A-Z])|(?=[\"“]?[A-Za-z]{3}))"
)
_ABBREVIATIONS = frozenset(
    "gen col lt sgt capt maj prof dr mr mrs ms st jr sr vs approx etc no "  # noqa: SIM905
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_missed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start]
    for match in _MISSED.finditer(text, start, end):
        word_start = match.start()
        while word_start > start and text[word_start - 1].isalpha():
            word_start -= 1
        if text[word_start : match.start()].lower() not in _ABBREVIATIONS:
            cuts.append(match.end(1))
    cuts.append(end)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def sentence_spans(
    text: str, start: int, end: int, paragraph_start: int | None = None
) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], absolute and trimmed of surrounding space."""
    chunk = text[start:end]
    spans: list[tuple[int, int]] = []
    # pysbd's own char_span offsets drift on repeated sentences; locate each
    # sentence in order instead.
    cursor = 0
    for sentence in _segmenter().segment(chunk):
        found = chunk.find(sentence.strip(), cursor)
        if found == -1 or not sentence.strip():
            continue
        cursor = found + len(sentence.strip())
        spans.extend(_split_missed(text, start + found, start + cursor))
    quote_origin = start if paragraph_start is None else paragraph_start
    spans = _attach_closing_quotes(text, quote_origin, spans)
    return [s for s in (_trimmed(text, a, b) for a, b in spans) if s[1] > s[0]]


def _attach_closing_quotes(
    text: str, paragraph_start: int, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Move a leading straight quote to the previous sentence when it closes a quotation."""
    fixed = list(spans)
    for i in range(1, len(fixed)):
        a, b = _trimmed(text, *fixed[i])
        if a < b and text[a] == '"' and text.count('"', paragraph_start, a) % 2 == 1:
            fixed[i - 1] = (fixed[i - 1][0], a + 1)
            fixed[i] = (a + 1, fixed[i][1])
    return fixed


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the line (paragraph) holding text[start:end]."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    return para_start, len(text) if para_end == -1 else para_end


def excerpt_span(text: str, start: int, end: int, window: int = WINDOW) -> tuple[int, int]:
    """Span of the sentence(s) of text that contain text[start:end]."""
    para_start, para_end = paragraph_bounds(text, start, end)
    while True:
        lo = max(para_start, start - window)
        hi = min(para_end, end + window)
        # Start the window at a likely sentence start so pysbd sees whole sentences.
        if lo > para_start:
            stop = text.rfind(". ", lo, start)
            lo = stop + 2 if stop != -1 else lo
        spans = sentence_spans(text, lo, hi, para_start)
        hit = [s for s in spans if s[0] < end and s[1] > start] or [_trimmed(text, lo, hi)]
        first, last = hit[0][0], hit[-1][1]
        cut_left = lo > para_start and hit[0] == spans[0]
        cut_right = hi < para_end and hit[-1] == spans[-1]
        if not (cut_left or cut_right):
            return min(first, start), max(last, end)
        if lo == para_start and hi == para_end:
            return min(first, start), max(last, end)
        window *= 2
