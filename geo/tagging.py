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
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from geo.articles import Article, ArticleInfo
from geo.cache import CitationCache
from geo.candidates import Candidate, find_candidates
from geo.gazetteer import Gazetteer
from geo.mentions import Citation, cite_article

# An article's citations and its gaps.
Tagged = tuple[list[Citation], list[Candidate]]


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
    size = task_size(len(articles), jobs)
    batches = (articles[i : i + size] for i in range(0, len(articles), size))
    return [t for batch in tag_batches(batches, gazetteer, jobs, progress) for t in batch]


# Articles per task sent to a worker process; and how many tasks per worker may be
# under way at once, so that a stream holds only a few batches of text.
TASK = 200
TASKS_AHEAD = 3


def task_size(articles: int, jobs: int) -> int:
    """Articles per task: TASK, or fewer for a small corpus, so that every worker has
    several tasks and none waits for the last."""
    return max(1, min(TASK, articles // (jobs * 4)))


def tag_batches(
    batches: Iterable[Sequence[Article]],
    gazetteer: Gazetteer,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[Tagged]]:
    """Each batch's citations and gaps, in order, as a stream: jobs > 1 tags in processes.

    At most jobs × TASKS_AHEAD batches are read ahead, whatever the corpus's size.
    """
    with collector_paused():
        if jobs <= 1:
            for batch in batches:
                tagged = [tag_article(a, gazetteer) for a in batch]
                if progress:
                    progress(len(tagged))
                yield tagged
            return
        # Each worker receives the gazetteer once, then batches of articles. Spawned,
        # not forked: a forked worker would start with a copy of the build's memory
        # (every article's metadata), which it never reads.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            jobs, mp_context=spawn, initializer=_init_worker, initargs=(gazetteer,)
        ) as pool:
            ahead: deque[Future[list[Tagged]]] = deque()
            try:
                for batch in batches:
                    ahead.append(pool.submit(_tag_chunk, list(batch)))
                    if len(ahead) >= jobs * TASKS_AHEAD:
                        yield _done(ahead.popleft(), progress)
                while ahead:
                    yield _done(ahead.popleft(), progress)
            except BaseException:
                # Ctrl-C, or a failed build: drop the tasks not started, do not wait.
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def _done(future: Future[list[Tagged]], progress: Callable[[int], None] | None) -> list[Tagged]:
    tagged = future.result()
    if progress:
        progress(len(tagged))
    return tagged


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


# How to tag a stream of batches of articles, each batch's results in order: local
# processes (tag_batches) or a cluster (geo.distributed.tag_batches_on_dask).
StreamTagger = Callable[[Iterable[Sequence[Article]], Gazetteer], Iterator[list[Tagged]]]
# Articles read, looked up in the cache and written to it at a time.
READ_BATCH = 1000


@dataclass
class TaggingCount:
    """How many articles a stream tagged and took from the cache, so far."""

    tagged: int = 0
    cached: int = 0


def tag_stream(
    infos: Sequence[ArticleInfo],
    gazetteer: Gazetteer,
    tagger: StreamTagger,
    cache: CitationCache | None = None,
    progress: Callable[[int], None] | None = None,
    count: TaggingCount | None = None,
    task: int = TASK,
) -> Iterator[tuple[Article, Tagged]]:
    """Each article, read again, with its citations and gaps, in corpus order.

    Texts are read READ_BATCH articles at a time; those the cache holds are not
    tagged, the others go to the tagger, `task` articles at a time, and then into
    the cache. Only the batches under way are in memory.
    """
    count = count if count is not None else TaggingCount()
    under_way: deque[tuple[list[Article], dict[str, Tagged]]] = deque()

    def to_tag() -> Iterator[list[Article]]:
        for i in range(0, len(infos), READ_BATCH):
            articles = [info.read() for info in infos[i : i + READ_BATCH]]
            known = cache.get(articles) if cache is not None else {}
            if progress and known:
                progress(len(known))
            under_way.append((articles, known))
            todo = [a for a in articles if a.id not in known]
            # One task per `task` articles; an empty batch still answers, in its turn.
            yield from (todo[j : j + task] for j in range(0, max(1, len(todo)), task))

    fresh: list[Tagged] = []
    for tagged in tagger(to_tag(), gazetteer):
        fresh += tagged
        articles, known = under_way[0]
        if len(fresh) < len(articles) - len(known):
            continue
        under_way.popleft()
        todo = iter(fresh)
        merged = [(a, known[a.id] if a.id in known else next(todo)) for a in articles]
        if cache is not None:
            cache.put((a, t) for a, t in merged if a.id not in known)
        count.tagged += len(fresh)
        count.cached += len(known)
        fresh = []
        yield from merged
