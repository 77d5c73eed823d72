"""Tagging a corpus: each article's citations and gaps, in processes or from the cache.

Tagging is a pure function of (article, gazetteer): ``tag_article`` gives an
article's citations (geo.mentions) and the phrases that look like routes or visits
but cite nothing (geo.candidates). Here it runs over a corpus: in one process, in
``jobs`` processes that each receive the gazetteer once, or on a Dask cluster
(geo.distributed); and a rebuild takes unchanged articles from the cache
(geo.cache).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from geo.articles import Article
from geo.cache import CitationCache
from geo.candidates import Candidate, find_candidates
from geo.gazetteer import Gazetteer
from geo.mentions import Citation, cite_article

# An article's citations and its gaps.
Tagged = tuple[list[Citation], list[Candidate]]
# How to tag a list of articles: local processes, or a cluster.
Tagger = Callable[[Sequence[Article], Gazetteer], list[Tagged]]


def tag_article(article: Article, gazetteer: Gazetteer) -> Tagged:
    """An article's citations, and the route- or visit-like phrases that cite nothing."""
    citations = cite_article(article.id, article.text, gazetteer, article.date)
    return citations, find_candidates(article, citations, place_ids(gazetteer))


def place_ids(gazetteer: Gazetteer) -> frozenset[str]:
    """The features that are places: a place named inside a route name covers no gap."""
    return frozenset(f for f, e in gazetteer.entries.items() if e.kind == "place")


def tag_corpus(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[Citation]:
    """Citations of every article, in article order; jobs > 1 spreads articles over processes."""
    return [
        c for citations, _ in tag_articles(articles, gazetteer, jobs, progress) for c in citations
    ]


def tag_articles(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[Tagged]:
    """Citations and gaps of every article, in article order."""
    with collector_paused():
        batches: Iterable[list[Tagged]]
        if jobs > 1 and len(articles) > 1:
            # Each worker receives the gazetteer once, then batches of articles.
            size = max(1, min(200, len(articles) // (jobs * 4)))
            chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
            with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(gazetteer,)) as pool:
                batches = list(_with_progress(pool.map(_tag_chunk, chunks), progress))
        else:
            batches = _with_progress(([tag_article(a, gazetteer)] for a in articles), progress)
        return [tagged for batch in batches for tagged in batch]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector.

    Tagging makes millions of small objects that all live until the build ends;
    the collector would only rescan them.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_WORKER_GAZETTEER: Gazetteer | None = None


def _init_worker(gazetteer: Gazetteer) -> None:
    global _WORKER_GAZETTEER
    _WORKER_GAZETTEER = gazetteer


def _tag_chunk(chunk: Sequence[Article]) -> list[Tagged]:
    assert _WORKER_GAZETTEER is not None
    return [tag_article(article, _WORKER_GAZETTEER) for article in chunk]


def _with_progress(
    batches: Iterable[list[Tagged]], progress: Callable[[int], None] | None
) -> Iterable[list[Tagged]]:
    for batch in batches:
        if progress:
            progress(len(batch))
        yield batch


@dataclass(frozen=True)
class TaggingRun:
    """How many articles a build tagged, and how many it took from the cache."""

    tagged: int
    cached: int
    # Cached articles dropped because the gazetteer or the code changed.
    stale: int = 0

    def summary(self) -> str:
        """One line for the build's report."""
        noun = "article" if self.tagged == 1 else "articles"
        line = f"tagged {self.tagged} {noun}, {self.cached} from the cache"
        if self.stale:
            line += (
                f" (the gazetteer or the code changed since the last build: "
                f"{self.stale} cached articles re-tagged)"
            )
        return line


def tag_with_cache(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    cache: CitationCache,
    tagger: Tagger = tag_articles,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Tagged], TaggingRun]:
    """Citations and gaps of every article, tagging only those the cache does not hold."""
    known = cache.get(articles)
    todo = [a for a in articles if a.id not in known]
    if progress and known:
        progress(len(known))
    fresh = dict(zip((a.id for a in todo), tagger(todo, gazetteer), strict=True))
    cache.put((a, fresh[a.id]) for a in todo)
    cache.keep_only(articles)
    tagged = [known[a.id] if a.id in known else fresh[a.id] for a in articles]
    stale = min(cache.stale, len(todo))
    return tagged, TaggingRun(tagged=len(todo), cached=len(known), stale=stale)
