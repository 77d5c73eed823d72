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
from geo.mentions import Citation, cite_article

# Articles per task: large enough that scheduling costs little, small enough to spread.
BATCH = 200


def tag_on_dask(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    scheduler: str,
    progress: Callable[[int], None] | None = None,
) -> list[Citation]:
    """Citations of every article, in article order, tagged by the cluster at scheduler."""
    from distributed import Client

    work = [(a.id, a.text, a.date) for a in articles]
    batches = [work[i : i + BATCH] for i in range(0, len(work), BATCH)]
    # distributed's Client is not annotated.
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        # hash=False: hashing a gazetteer of nested indexes would walk all of it.
        shared = client.scatter(gazetteer, broadcast=True, hash=False)
        futures = client.map(cite_batch, batches, gazetteer=shared, pure=False)
        citations: list[Citation] = []
        for future, batch in zip(futures, batches, strict=True):
            for per_article in future.result():
                citations += per_article
            if progress:
                progress(len(batch))
    return citations


def cite_batch(batch: list[tuple[str, str, str]], gazetteer: Gazetteer) -> list[list[Citation]]:
    """One task: the citations of each article of a batch."""
    return [cite_article(i, text, gazetteer, date) for i, text, date in batch]
