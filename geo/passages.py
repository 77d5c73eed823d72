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
from bisect import bisect_left

import sentencex

# Boundaries the segmenter misses in scraped text: a full stop glued to the next word
# ("discussions.emphasized", 'exists."Markov'), and a stop before a quoted
# sentence ('discussion. "Given'). The word before the stop must have two
# letters or digits at least (the lookbehind, placed after the stop so that the
# regex engine can skip ahead to the next stop) and not be a known abbreviation;
# "News.Az" and "Caliber.az" are left alone because the part after the stop is too short.
_MISSED = re.compile(
    r"([.!?](?<=[A-Za-z0-9)\]]{2}[.!?])[\"”]?)"
    r"(?:\s+(?=[\"“]?[A-Z])|(?=[\"“]?[A-Za-z]{3})|(?=[\"“][A-Z]))"
)
_HAS_WORD = re.compile(r"\w")
_ABBREVIATIONS = frozenset(
    "gen col lt sgt capt maj prof dr mr mrs ms st jr sr vs approx etc no "  # noqa: SIM905
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# No abbreviation is longer: a longer word before a stop is looked at no further.
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _missed_cuts(text: str, start: int, end: int) -> list[int]:
    cuts = []
    for match in _MISSED.finditer(text, start, end):
        stop = match.start()
        word_start = stop
        floor = max(start, stop - _LONGEST_ABBREVIATION - 1)
        while word_start > floor and text[word_start - 1].isalpha():
            word_start -= 1
        if text[word_start:stop].lower() not in _ABBREVIATIONS:
            cuts.append(match.end(1))
    return cuts


def _quote_fixed(text: str, origin: int, cut: int, quotes: list[int]) -> int:
    """Move a cut so that a straight quote goes with the sentence it belongs to.

    A straight quote opens a quotation when an even number of them precede it in
    the paragraph, and closes one otherwise. quotes: where the paragraph's straight
    quotes stand, so that each is counted by a binary search, not by a scan from the
    paragraph's start for every cut (which was quadratic in a long paragraph).
    """
    right = cut
    while right < len(text) and text[right] == " ":
        right += 1
    if right < len(text) and text[right] == '"' and _before(quotes, origin, right) % 2 == 1:
        return right + 1
    left = cut - 1
    while left > origin and text[left] == " ":
        left -= 1
    if left >= origin and text[left] == '"' and _before(quotes, origin, left) % 2 == 0:
        return left
    return cut


def _before(quotes: list[int], origin: int, at: int) -> int:
    """How many straight quotes stand in origin..at."""
    return bisect_left(quotes, at) - bisect_left(quotes, origin)


def _quotes(text: str, start: int, end: int) -> list[int]:
    """Where the straight quotes of text[start:end] stand."""
    found = []
    at = text.find('"', start, end)
    while at != -1:
        found.append(at)
        at = text.find('"', at + 1, end)
    return found


def _quote_may_move(text: str, origin: int, start: int, end: int) -> bool:
    """Whether _quote_fixed could move a cut in [start, end]: only if a straight quote
    stands between the origin (or start) and the end, or past the spaces after it."""
    after = end
    while after < len(text) and text[after] == " ":
        after += 1
    return text.find('"', min(origin, start), after + 1) != -1


def sentence_spans(
    text: str, start: int, end: int, paragraph_start: int | None = None
) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], absolute and trimmed of surrounding space.

    Done once per paragraph: the segmenter's cuts and the repairs' are merged in one
    pass, and the quote repair runs only where a straight quote stands.
    """
    origin = start if paragraph_start is None else paragraph_start
    cuts = _missed_cuts(text, start, end)
    at = start
    for piece in sentencex.segment("en", text[start:end]):
        at += len(piece)
        # A cut with no space before it is a glued stop ("News.Az"): only the
        # stricter rule above may cut there.
        if at < end and piece[-1:].isspace():
            cuts.append(at)
    if cuts and _quote_may_move(text, origin, start, end):
        # Past the end, only the spaces and the quote a cut may move across.
        limit = end
        while limit < len(text) and text[limit] == " ":
            limit += 1
        quotes = _quotes(text, min(origin, start), limit + 1)
        cuts = [_quote_fixed(text, origin, c, quotes) for c in cuts]
    # Cuts stay in the order the quote repair leaves them, as the reference does: one
    # moved outside the range yields a piece that is dropped or runs past the range.
    bounds = [start, *sorted(set(cuts) - {start, end}), end] if cuts else [start, end]
    spans = []
    for a, b in itertools.pairwise(bounds):
        piece = text[a:b]
        if _HAS_WORD.search(piece):
            # Trimmed of the space around it: str.strip and str.isspace agree on what is space.
            size = len(piece)
            spans.append((a + size - len(piece.lstrip()), b - size + len(piece.rstrip())))
    return spans


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
