"""Tagging on a Dask distributed cluster: the same pure function, spread over machines.

Tagging is a pure function of (article, gazetteer), with no shared state, so a
cluster runs it unchanged: the gazetteer is sent to every worker once
(``scatter(broadcast=True)``), the articles go out in batches, and the results
come back in the order they were sent, so the map is byte-identical to a local
build. Dask is optional (``pip install ".[dask]"``) and imported only here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from geo.articles import Article
from geo.gazetteer import Gazetteer
from geo.tagging import Tagged, tag_article

# Articles per task: large enough that scheduling costs little, small enough to spread.
BATCH = 200


def tag_on_dask(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    scheduler: str,
    progress: Callable[[int], None] | None = None,
) -> list[Tagged]:
    """Citations and gaps of every article, in article order, tagged by the cluster."""
    from distributed import Client

    batches = [list(articles[i : i + BATCH]) for i in range(0, len(articles), BATCH)]
    # distributed's Client is not annotated.
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        # hash=False: hashing a gazetteer of nested indexes would walk all of it.
        shared = client.scatter(gazetteer, broadcast=True, hash=False)
        futures = client.map(cite_batch, batches, gazetteer=shared, pure=False)
        tagged: list[Tagged] = []
        for future, batch in zip(futures, batches, strict=True):
            tagged += future.result()
            if progress:
                progress(len(batch))
    return tagged


def cite_batch(batch: list[Article], gazetteer: Gazetteer) -> list[Tagged]:
    """One task: the citations and gaps of each article of a batch."""
    return [tag_article(article, gazetteer) for article in batch]
