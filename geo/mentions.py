"""Mentions: which passages of an article cite which feature.

``cite_article`` is a pure function of (article text, gazetteer): it can run in
any process, or on any distributed engine, and give the same answer.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from geo.gazetteer import Gazetteer, Match, normalize
from geo.passages import Excerpts


class Citation(NamedTuple):
    """An excerpt text[start:end] of one article that mentions one feature.

    A named tuple, not a dataclass: hundreds of thousands cross process
    boundaries at scale, and tuples pickle several times faster.
    """

    feature_id: str
    article_id: str
    start: int
    end: int
    highlights: tuple[tuple[int, int], ...]
    curated: bool = False


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Match]:
    """Alias matches in text, less those inside an exclusion of the same feature."""
    matches = list(gazetteer.scan(normalize(text), text))
    blocked: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for match in matches:
        if match.exclusion:
            blocked[match.feature_id].append((match.start, match.end))
    kept = [
        m
        for m in matches
        if not m.exclusion
        and not any(s <= m.start and m.end <= e for s, e in blocked.get(m.feature_id, ()))
    ]
    return _outermost(kept)


def _outermost(matches: list[Match]) -> list[Match]:
    """Drop a match nested inside a longer match of the same feature."""
    ordered = sorted(matches, key=lambda m: (m.feature_id, m.start, -m.end))
    result: list[Match] = []
    for match in ordered:
        last = result[-1] if result else None
        if last and last.feature_id == match.feature_id and match.end <= last.end:
            continue
        result.append(match)
    return result


def cite_article(article_id: str, text: str, gazetteer: Gazetteer) -> list[Citation]:
    """Citations of every feature the article mentions, by alias or by curated quote."""
    spans: list[tuple[str, int, int, bool]] = [
        (m.feature_id, m.start, m.end, False) for m in find_mentions(text, gazetteer)
    ]
    for feature_id, quote in gazetteer.curated_for(article_id):
        found = text.find(quote.quote)
        if found != -1 and quote.quote:
            spans.append((feature_id, found, found + len(quote.quote), True))
    by_feature: dict[str, list[tuple[int, int, int, int, bool]]] = defaultdict(list)
    excerpts = Excerpts(text)
    for feature_id, start, end, curated in spans:
        ex_start, ex_end = excerpts.span(start, end)
        by_feature[feature_id].append((ex_start, ex_end, start, end, curated))
    citations = []
    for feature_id, items in sorted(by_feature.items()):
        citations.extend(_merge(feature_id, article_id, sorted(items)))
    return citations


def _merge(
    feature_id: str, article_id: str, items: list[tuple[int, int, int, int, bool]]
) -> list[Citation]:
    """One citation per excerpt; overlapping excerpts of one feature become one."""
    merged: list[Citation] = []
    for ex_start, ex_end, start, end, curated in items:
        last = merged[-1] if merged else None
        if last and ex_start < last.end:
            merged[-1] = Citation(
                feature_id,
                article_id,
                last.start,
                max(last.end, ex_end),
                tuple(sorted({*last.highlights, (start, end)})),
                last.curated or curated,
            )
        else:
            merged.append(
                Citation(feature_id, article_id, ex_start, ex_end, ((start, end),), curated)
            )
    return merged
