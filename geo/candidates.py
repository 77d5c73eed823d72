"""Gaps: phrases that look like a pipeline, corridor, railway, route or visit but cite nothing.

After tagging, each article is scanned for a capitalised name followed by a head
noun ("the Middle Corridor", "the Kars-Nakhchivan railway") and for a person
with a verb of travel and a place ("Lavrov flew to Yerevan"). A phrase that no
citation of the article covers is a candidate: something the gazetteer may be
missing. The build writes them all to ``candidates.csv`` and prints the most
frequent, so that a user sees what to add.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from geo.articles import Article
from geo.mentions import Citation

_NAME = r"(?:[A-Z][\w’']*(?:[-–—/][A-Z][\w’']*)*)"
# The first name of a phrase, starting a word: the capital comes first and the word
# boundary is checked behind it, so that the regex engine skips from capital to capital
# rather than trying every position ("\b" first finds the same phrases, slower).
_FIRST_NAME = r"(?:[A-Z](?<!\w[A-Z])[\w’']*(?:[-–—/][A-Z][\w’']*)*)"
_HEADS = (
    "pipelines?|gas pipelines?|oil pipelines?|corridors?|railways?|railroads?|rail links?|"
    "rail lines?|routes?|highways?|motorways?|bridges?|ports?|terminals?"
)
_ROUTE_LIKE = re.compile(rf"({_FIRST_NAME}(?:\s+{_NAME}){{0,3}})\s+(?i:{_HEADS})\b")
_TRAVEL = re.compile(
    rf"({_FIRST_NAME}(?:\s+{_NAME})?)(?:’s|'s)?\s+"
    r"(?:visit(?:ed|s)?|trip|arrived|travell?ed|flew|went)\s+(?:to|in)\s+"
    rf"({_NAME}(?:\s+{_NAME})?)"
)
_NOT_NAMES = frozenset(
    {"The", "This", "That", "These", "Those", "A", "An", "Its", "Their", "New", "Both", "Each"}
)


class Candidate(NamedTuple):
    """One phrase the gazetteer did not cite, where it was found."""

    kind: str
    phrase: str
    article_id: str
    start: int
    end: int


def find_candidates(
    article: Article, citations: Sequence[Citation], places: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Route-like names and visits in the article that no citation covers.

    A route-like name is covered by a citation of a feature that is not a place
    (a place named inside it, such as Baku in "Baku-Supsa pipeline", does not
    cover it); a visit by a citation of it as an event or by reference.
    """
    route_spans = [h for c in citations if c.feature_id not in places for h in c.highlights]
    visit_spans = [h for c in citations if c.how in ("event", "reference") for h in c.highlights]
    found = []
    for kind, pattern, covered in (
        ("route", _ROUTE_LIKE, route_spans),
        ("visit", _TRAVEL, visit_spans),
    ):
        for match in pattern.finditer(article.text):
            start, end = match.span()
            phrase = _trimmed(match.group())
            if phrase is None or any(a < end and start < b for a, b in covered):
                continue
            found.append(Candidate(kind, phrase, article.id, start, end))
    return found


def _trimmed(phrase: str) -> str | None:
    words = phrase.split()
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    return " ".join(words) if len(words) >= 2 else None


def summarise(candidates: Iterable[Candidate]) -> list[tuple[str, str, int, Candidate]]:
    """(kind, phrase, count, first example) for each distinct phrase, most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Candidate] = {}
    for c in candidates:
        key = (c.kind, c.phrase)
        counts[key] += 1
        first.setdefault(key, c)
    return [(k, p, n, first[k, p]) for (k, p), n in counts.most_common()]


def candidates_csv(
    rows: Sequence[tuple[str, str, int, Candidate]], articles: Sequence[Article]
) -> str:
    """The gaps report as CSV: kind, phrase, count, and one example with its offsets."""
    by_id = {a.id: a for a in articles}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "phrase", "count", "article", "start", "end", "example"])
    for kind, phrase, count, c in rows:
        text = by_id[c.article_id].text
        writer.writerow([kind, phrase, count, c.article_id, c.start, c.end, _context(text, c)])
    return out.getvalue()


def _context(text: str, c: Candidate) -> str:
    start = max(0, text.rfind("\n", 0, c.start) + 1, c.start - 120)
    end = min(len(text), c.end + 120)
    newline = text.find("\n", c.end)
    return text[start : newline if 0 <= newline < end else end]
