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


class BucketTally:
    """What each feature's articles cite, month by month, counted as the reader's pass
    over the articles (newest first, ``geo.reader.stream_reader``) goes: each bucket is
    one run of ranks, so only the bucket being counted is held.

    runs: [bucket, how many articles] per run (see date_runs); cited(): for each cited
    feature, [bucket, passages citing it, articles citing it] per bucket, newest first.
    """

    def __init__(self, n_features: int) -> None:
        self.runs: list[list[Any]] = []
        self._keys: dict[str, str] = {}
        self._passages = [0] * n_features
        self._articles = [0] * n_features
        self._rows: dict[int, list[list[Any]]] = defaultdict(list)
        self._closed = False

    def add(self, date: str, spans: Sequence[list[Any]]) -> None:
        """One article: its date, and its passages [rank, start, end, [feature indices]]."""
        key = self._keys.setdefault(bucket(date), bucket(date))
        if self.runs and self.runs[-1][0] == key:
            self.runs[-1][1] += 1
        else:
            self._close_bucket()
            self.runs.append([key, 1])
        cited = set()
        for span in spans:
            for f in span[3]:
                self._passages[f] += 1
                cited.add(f)
        for f in cited:
            self._articles[f] += 1

    def cited(self, feature_ids: Sequence[str]) -> dict[str, list[list[Any]]]:
        """The counts of every bucket, by feature id (call once the articles are in)."""
        if not self._closed:
            self._close_bucket()
            self._closed = True
        return {feature_ids[f]: rows for f, rows in sorted(self._rows.items())}

    def _close_bucket(self) -> None:
        if not self.runs:
            return
        key = self.runs[-1][0]
        for f, n in enumerate(self._passages):
            if n:
                self._rows[f].append([key, n, self._articles[f]])
        self._passages = [0] * len(self._passages)
        self._articles = [0] * len(self._articles)


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
