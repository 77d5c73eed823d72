"""Tagging on a Dask distributed cluster: the same pure function, spread over machines.

Tagging is a pure function of (article, gazetteer), with no shared state, so a
cluster runs it unchanged: the gazetteer is sent to every worker once
(``scatter(broadcast=True)``), the articles go out in batches, and the results
come back in the order they were sent, so the map is byte-identical to a local
build. Batches are sent as the build reads them, a few per worker ahead, so the
build holds only those. Dask is optional (``pip install ".[dask]"``) and imported
only here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from geo.articles import Article
from geo.gazetteer import Gazetteer
from geo.tagging import Tagged, tag_article

# Articles per task: large enough that scheduling costs little, small enough to spread.
BATCH = 200
# Tasks under way per worker of the cluster.
TASKS_AHEAD = 3


def tag_on_dask(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    scheduler: str,
    progress: Callable[[int], None] | None = None,
) -> list[Tagged]:
    """Citations and gaps of every article, in article order, tagged by the cluster."""
    batches = (articles[i : i + BATCH] for i in range(0, len(articles), BATCH))
    stream = tag_batches_on_dask(batches, gazetteer, scheduler, progress)
    return [tagged for batch in stream for tagged in batch]


def tag_batches_on_dask(
    batches: Iterable[Sequence[Article]],
    gazetteer: Gazetteer,
    scheduler: str,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[Tagged]]:
    """Each batch's citations and gaps, in order, tagged by the cluster as they come."""
    from distributed import Client

    # distributed's Client is not annotated.
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        # hash=False: hashing a gazetteer of nested indexes would walk all of it.
        shared = client.scatter(gazetteer, broadcast=True, hash=False)
        workers = max(1, len(client.scheduler_info()["workers"]))
        ahead: deque[Any] = deque()
        for batch in batches:
            ahead.append(client.submit(cite_batch, list(batch), gazetteer=shared, pure=False))
            if len(ahead) >= workers * TASKS_AHEAD:
                yield _result(ahead.popleft(), progress)
        while ahead:
            yield _result(ahead.popleft(), progress)


def _result(future: Any, progress: Callable[[int], None] | None) -> list[Tagged]:
    tagged: list[Tagged] = future.result()
    if progress:
        progress(len(tagged))
    return tagged


def cite_batch(batch: list[Article], gazetteer: Gazetteer) -> list[Tagged]:
    """One task: the citations and gaps of each article of a batch."""
    return [tag_article(article, gazetteer) for article in batch]
