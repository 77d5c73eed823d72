"""Passages: the sentence around a mention, cut verbatim with its offsets.

sentencex (Wikimedia's compiled segmenter) finds the sentences; two repairs
follow for text scraped from the web: sentences glued without a space after the
full stop (``discussions.emphasized``) are split, and a straight quote goes with
the sentence it opens or closes. Only the paragraphs that hold a mention are
segmented, each once.
"""

from __future__ import annotations

import bisect
import itertools
import re

import sentencex

# Boundaries the segmenter misses in scraped text: a full stop glued to the next word
# ("discussions.emphasized", 'exists."Markov'), and a stop before a quoted
# sentence ('discussion. "Given'). The word before the stop must have two
# letters or digits at least and not be a known abbreviation; "News.Az" and
# "Caliber.az" are left alone because the part after the stop is too short.
_MISSED = re.compile(r"([.!?][\"”]?)(?:\s+(?=[\"“]?[A-Z])|(?=[\"“]?[A-Za-z]{3})|(?=[\"“][A-Z]))")
_WORD_BEFORE = re.compile(r"[A-Za-z0-9)\]]{2}")
_HAS_WORD = re.compile(r"\w")
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
        if not _WORD_BEFORE.match(text, match.start() - 2, match.start()):
            continue
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
    for cut in itertools.accumulate(
        map(len, sentencex.segment("en", text[start:end])), initial=start
    ):
        # A cut with no space before it is a glued stop ("News.Az"): only the
        # stricter rule above may cut there.
        if start < cut < end and text[cut - 1].isspace():
            cuts.add(cut)
    fixed = sorted({_quote_fixed(text, origin, c) for c in cuts} - {start, end})
    spans = [_trimmed(text, a, b) for a, b in itertools.pairwise([start, *fixed, end])]
    return [(a, b) for a, b in spans if _HAS_WORD.search(text, a, b)]


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the line (paragraph) holding text[start:end]."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    return para_start, len(text) if para_end == -1 else para_end


class Excerpts:
    """Cuts excerpts from one text, segmenting each paragraph once, and only when asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._paragraphs: dict[tuple[int, int], tuple[list[int], list[tuple[int, int]]]] = {}

    def _cut(self, bounds: tuple[int, int]) -> tuple[list[int], list[tuple[int, int]]]:
        cached = self._paragraphs.get(bounds)
        if cached is None:
            spans = sentence_spans(self.text, *bounds, bounds[0]) or [_trimmed(self.text, *bounds)]
            cached = ([a for a, _ in spans], spans)
            self._paragraphs[bounds] = cached
        return cached

    def sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentence spans of the paragraph that holds text[start:end]."""
        return self._cut(paragraph_bounds(self.text, start, end))[1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Span of the sentence(s) that contain text[start:end]."""
        starts, spans = self._cut(paragraph_bounds(self.text, start, end))
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        if spans[first][1] <= start and first + 1 < len(spans):
            first += 1
        last = first
        while last + 1 < len(spans) and spans[last + 1][0] < end:
            last += 1
        return min(spans[first][0], start), max(spans[last][1], end)


def excerpt_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Span of the sentence(s) of text that contain text[start:end]."""
    return Excerpts(text).span(start, end)
