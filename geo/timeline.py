"""The time slider's data: the months each dated feature spans, and the articles by date.

A visit is dated by its date_start and date_end; every other feature is undated and
stays on the map whatever the window. Articles are counted by the month of their date,
by its year when metadata gives only the year, or as undated. The browser
(``geo/js/timeline.js``) keeps a visit while any month of it lies in the window, and
counts an article in the window only when its date does as far as it is known (an
article dated only 2024 needs all of 2024 in the window): nothing is shown as published
in a window it may not be in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from geo.layers import Layer
from geo.models import BaseProperties, Timeline, VisitProperties

UNDATED = "undated"


def month_span(date: str) -> tuple[str, str]:
    """The first and last month (YYYY-MM) a partial date YYYY-MM-DD, YYYY-MM or YYYY covers."""
    if len(date) == 4:
        return f"{date}-01", f"{date}-12"
    return date[:7], date[:7]


def bucket(date: str) -> str:
    """An article's date as the slider counts it: YYYY-MM, YYYY when only the year is
    known, or undated."""
    if not date[:4].isdigit():
        return UNDATED
    return date[:7]


def feature_span(props: BaseProperties) -> tuple[str, str] | None:
    """The first and last month of a dated feature; None for an undated one."""
    if isinstance(props, VisitProperties):
        return month_span(props.date_start)[0], month_span(props.date_end)[1]
    return None


def buckets_of(dates: Iterable[str]) -> list[str]:
    """Each date's bucket, one string per distinct bucket however many articles share it."""
    known: dict[str, str] = {}
    keys: dict[str, str] = {}
    out = []
    for date in dates:
        if date not in known:
            key = bucket(date)
            known[date] = keys.setdefault(key, key)
        out.append(known[date])
    return out


def date_runs(buckets: Sequence[str]) -> list[list[Any]]:
    """[bucket, how many] for each run of equal buckets, in the order given.

    Given articles newest first (``geo.reader.recency_order``), each bucket is one run,
    so the runs map an article's rank to its bucket.
    """
    runs: list[list[Any]] = []
    for key in buckets:
        if runs and runs[-1][0] == key:
            runs[-1][1] += 1
        else:
            runs.append([key, 1])
    return runs


def cited_by_bucket(
    spans: Sequence[list[Any]], runs: Sequence[list[Any]], feature_ids: Sequence[str]
) -> dict[str, list[list[Any]]]:
    """For each cited feature: [bucket, passages citing it, articles citing it] per bucket,
    newest bucket first.

    spans: the reader's passages, [rank, start, end, [feature indices]], in rank order
    (``geo.reader.passages``); runs: ``date_runs`` of the same ranks. Each bucket's
    passages are then one stretch of spans, and each article's one stretch of that, so
    they are counted in flat lists, with nothing that grows with the corpus. What a
    popup says of the time window is counted from these.
    """
    cited: dict[str, list[list[Any]]] = defaultdict(list)
    at, end_rank = 0, 0
    for key, size in runs:
        end_rank += size
        at, passages, articles = _tally(spans, at, end_rank, len(feature_ids))
        for f, n in enumerate(passages):
            if n:
                cited[feature_ids[f]].append([key, n, articles[f]])
    return dict(cited)


def _tally(
    spans: Sequence[list[Any]], at: int, end_rank: int, n_features: int
) -> tuple[int, list[int], list[int]]:
    """Passages and articles citing each feature in spans[at:] up to rank end_rank, and
    where the next bucket's spans start."""
    passages, articles, seen = [0] * n_features, [0] * n_features, [-1] * n_features
    while at < len(spans) and spans[at][0] < end_rank:
        rank = spans[at][0]
        for f in spans[at][3]:
            passages[f] += 1
            if seen[f] != rank:
                seen[f] = rank
                articles[f] += 1
        at += 1
    return at, passages, articles


def _dated_layers(layers: Sequence[Layer]) -> list[dict[str, Any]]:
    rows = []
    for layer in layers:
        spans = {f.id: feature_span(f.properties) for f in layer.features}
        dated = {i: list(span) for i, span in spans.items() if span is not None}
        if dated:
            rows.append({"title": layer.title, "color": layer.style.color, "features": dated})
    return rows


def timeline_data(
    layers: Sequence[Layer], runs: Sequence[list[Any]], settings: Timeline
) -> dict[str, Any] | None:
    """The slider's table: its first and last month, the dated features of each layer,
    the number of articles of each bucket, and the step and play settings.

    None when nothing is dated: the map then has no slider.
    """
    dated = _dated_layers(layers)
    counts: dict[str, int] = defaultdict(int)
    for key, n in runs:
        counts[key] += n
    months = [m for row in dated for span in row["features"].values() for m in span]
    months += [m for key in counts if key != UNDATED for m in month_span(key)]
    if not months:
        return None
    return {
        "first": min(months),
        "last": max(months),
        "layers": dated,
        "articles": sorted(counts.items()),
        "n_articles": sum(counts.values()),
        **settings.model_dump(),
    }
