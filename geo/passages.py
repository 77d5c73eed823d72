"""Passages: the sentence around a mention, cut verbatim with its offsets.

sentencex (Wikimedia's compiled segmenter) finds the sentences; two repairs
follow for text scraped from the web: sentences glued without a space after the
full stop (``discussions.emphasized``) are split, and a straight quote goes with
the sentence it opens or closes. Only a window around each mention is
segmented, so the cost grows with the number of mentions, not the text's length.
"""

from __future__ import annotations

import itertools
import re

import sentencex

WINDOW = 600
# Boundaries the segmenter misses in scraped text: a full stop glued to the next word
# ("discussions.emphasized", 'exists."Markov'), and a stop before a quoted
# sentence ('discussion. "Given'). The word before the stop must have two
# letters or digits at least and not be a known abbreviation; "News.Az" and
# "Caliber.az" are left alone because the part after the stop is too short.
_MISSED = re.compile(
    r"(?<=[A-Za-z0-9)\]]{2})([.!?][\"”]?)"
    r"(?:\s+(?=[\"“]?[A-Z])|(?=[\"“]?[A-Za-z]{3})|(?=[\"“][A-Z]))"
)
_ABBREVIATIONS = frozenset(
    "gen col lt sgt capt maj prof dr mr mrs ms st jr sr vs approx etc no "  # noqa: SIM905
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _missed_cuts(text: str, start: int, end: int) -> set[int]:
    cuts = set()
    for match in _MISSED.finditer(text, start, end):
        word_start = match.start()
        while word_start > start and text[word_start - 1].isalpha():
            word_start -= 1
        if text[word_start : match.start()].lower() not in _ABBREVIATIONS:
            cuts.add(match.end(1))
    return cuts


def _quote_fixed(text: str, origin: int, cut: int) -> int:
    """Move a cut so that a straight quote goes with the sentence it belongs to.

    A straight quote opens a quotation when an even number of them precede it in
    the paragraph, and closes one otherwise.
    """
    right = cut
    while right < len(text) and text[right] == " ":
        right += 1
    if right < len(text) and text[right] == '"' and text.count('"', origin, right) % 2 == 1:
        return right + 1
    left = cut - 1
    while left > origin and text[left] == " ":
        left -= 1
    if left >= origin and text[left] == '"' and text.count('"', origin, left) % 2 == 0:
        return left
    return cut


def sentence_spans(
    text: str, start: int, end: int, paragraph_start: int | None = None
) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], absolute and trimmed of surrounding space."""
    origin = start if paragraph_start is None else paragraph_start
    cuts = _missed_cuts(text, start, end)
    for boundary in sentencex.get_sentence_boundaries("en", text[start:end]):
        cut = start + boundary["end_index"]
        # A cut with no space before it is a glued stop ("News.Az"): only the
        # stricter rule above may cut there.
        if start < cut < end and text[cut - 1].isspace():
            cuts.add(cut)
    fixed = sorted({_quote_fixed(text, origin, c) for c in cuts} - {start, end})
    spans = [_trimmed(text, a, b) for a, b in itertools.pairwise([start, *fixed, end])]
    return [(a, b) for a, b in spans if any(c.isalnum() for c in text[a:b])]


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
        # Start the window at a likely sentence start so the segmenter sees whole sentences.
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
