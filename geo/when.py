"""When: the years and months a sentence names, and whether a visit's dates fit them.

A year after "since", "before" or "by" only marks a boundary ("talks since
2014") and does not date what the sentence tells; "may" is no month unless it
is written May.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from geo.gazetteer import Entry

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


RELATIVE = re.compile(r"\b(later|earlier|that year|the same year)\b", re.IGNORECASE)


BOUNDARY = re.compile(r"\b(since|before|until|till|after|by|than|from)\s+$", re.IGNORECASE)
# "since" opens a clause whose year is the boundary too: "the first meeting since
# Scaparrotti took up his post in 2016". The clause runs to punctuation, a few words.
SINCE_CLAUSE = re.compile(r"\bsince\s(?!then\b)(?:[^\W\d]+\s){1,6}(?:in\s)?$", re.IGNORECASE)
CLAUSE_CHARS = 60


def is_boundary(text: str, at: int) -> bool:
    """Whether the year at text[at:] only marks a boundary ("since 2014", "by 2028", "since
    he took office in 2016") rather than dating what the sentence tells."""
    return bool(
        BOUNDARY.search(text, max(0, at - 8), at)
        or SINCE_CLAUSE.search(text, max(0, at - CLAUSE_CHARS), at)
    )


def bounds(dates: tuple[str, str]) -> tuple[date, date]:
    start = [int(p) for p in dates[0].split("-")] + [1, 1]
    end = [int(p) for p in dates[1].split("-")] + [12, 28]
    return date(start[0], start[1], start[2]), date(end[0], end[1], min(end[2], 28))


def time_fits(span: str, dates: tuple[str, str], article_date: str, entry: Entry) -> bool:
    """No year or month in the sentence contradicts the visit, and the article is not too early."""
    assert entry.event is not None
    first, last = bounds(dates)
    years = years_in(span)
    if years and not any(first.year <= y <= last.year for y in years):
        return False
    months = months_in(span)
    if months and not years and not any(first.month <= m <= last.month for m in months):
        return False
    published = article_day(article_date)
    if published is None:
        return True
    if published < first - timedelta(days=entry.event.days_before):
        return False
    return bool(years) or published.year <= last.year + entry.event.years_after


def names_a_fitting_date(span: str, dates: tuple[str, str]) -> bool:
    first, last = bounds(dates)
    years = years_in(span)
    months = months_in(span)
    return any(first.year <= y <= last.year for y in years) and any(
        first.month <= m <= last.month for m in months
    )


def years_in(span: str) -> set[int]:
    """Years the text dates things to; "since 2014" or "by 2028" only mark a boundary."""
    return {int(m.group(1)) for m in YEAR.finditer(span) if not is_boundary(span, m.start())}


def months_in(span: str) -> set[int]:
    """Months named in the text, capitalised as names are ("may" is no month)."""
    return {
        MONTHS.index(w.lower()) + 1
        for w in re.findall(r"\b[A-Z][a-z]+\b", span)
        if w.lower() in MONTHS
    }


def article_day(written: str) -> date | None:
    if not written[:4].isdigit():
        return None
    parts = [int(p) for p in written.split("-")] + [1, 1]
    return date(parts[0], parts[1], min(parts[2], 28))
