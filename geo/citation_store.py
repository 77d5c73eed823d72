"""The build's citation store: every citation with its excerpt, on disk as tagging makes it.

A build does not keep its citations as one Python list, which grew by about 72 KB
per article: each article's citations (with the excerpt and the passage a
reference refers back to, cut from its text while the text is at hand) and its
gaps go into this SQLite file as the article is tagged. Every output is then
written from queries, a feature or a bounded batch of rows at a time: the page
(geo.popups), map.geojson and citations.csv (geo.export), map.gpkg (geo.store)
and candidates.csv.

Memory: SQLite's page cache (CACHE_KB) and sorts that spill to temporary files;
besides, the build holds each article's metadata (geo.articles.ArticleInfo) and
the per-feature counts.

The same class holds a small list of citations in memory (``in_memory``), so the
functions that take lists (tests, a library caller) run the very same queries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from geo.articles import Article, ArticleInfo
from geo.candidates import Candidate
from geo.mentions import Citation

# What the store needs of an article: its metadata (an Article has it too).
ArticleLike = Article | ArticleInfo

SCHEMA = """
CREATE TABLE articles (
    idx INTEGER PRIMARY KEY,   -- position in the corpus (file order)
    by_id INTEGER NOT NULL,    -- position when sorted by id
    rank INTEGER NOT NULL,     -- position newest first (geo.popups)
    date TEXT NOT NULL
);
CREATE TABLE citations (
    id INTEGER PRIMARY KEY,    -- the order tagging produced them in
    feature_id TEXT NOT NULL,
    article INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    highlights TEXT NOT NULL,  -- JSON [[start, end], ...]
    curated INTEGER NOT NULL,
    how TEXT NOT NULL,
    antecedent TEXT,           -- JSON [start, end] or NULL
    excerpt TEXT NOT NULL,
    refers TEXT                -- the antecedent's text, for a reference back
);
CREATE TABLE gaps (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    phrase TEXT NOT NULL,
    article INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
"""
# Made once every citation is in: queries by feature, and the numbered excerpts.
INDEXES = """
CREATE INDEX citations_by_feature ON citations(feature_id, article, start);
CREATE TABLE excerpts (
    number INTEGER PRIMARY KEY,  -- from 0, in (rank, start, end) order
    rank INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
INSERT INTO excerpts (number, rank, start, "end", text)
    SELECT row_number() OVER (ORDER BY rank, start, "end") - 1, rank, start, "end", excerpt
    FROM (SELECT rank, start, "end", min(excerpt) AS excerpt FROM citations
          GROUP BY rank, start, "end");
CREATE UNIQUE INDEX excerpts_by_span ON excerpts(rank, start, "end");
"""
# SQLite's page cache, in KiB: the store's whole share of the build's memory.
CACHE_KB = 65_536


class CitationStore:
    """Citations and gaps of a corpus, added article by article, then queried."""

    def __init__(self, path: Path | None, articles: Sequence[ArticleLike]) -> None:
        """A new store at path (a file that must not exist), or in memory for None."""
        self.path = path
        self.db = sqlite3.connect(":memory:" if path is None else path)
        # What the page is made of (excerpt chunks, the reader's parts) goes into a
        # database of its own, so that writing it never locks the citations that a
        # second process may be reading for the exports (geo.background).
        page = ":memory:" if path is None else str(_page_file(path))
        self.db.execute("ATTACH DATABASE ? AS page", (page,))
        for schema in ("main", "page"):
            # A scratch file that is deleted after the build: no journal, no syncing.
            self.db.execute(f"PRAGMA {schema}.journal_mode = OFF")
            self.db.execute(f"PRAGMA {schema}.synchronous = OFF")
        self.db.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        self.db.executescript(SCHEMA)
        self._know(articles)
        by_id = sorted(range(len(articles)), key=lambda i: articles[i].id)
        position = [0] * len(articles)
        for p, i in enumerate(by_id):
            position[i] = p
        self.db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?)",
            ((i, position[i], self.rank[i], a.date) for i, a in enumerate(articles)),
        )
        self.finished = False
        self.owned = True

    @classmethod
    def reopen(cls, path: Path, articles: Sequence[ArticleLike]) -> CitationStore:
        """The finished store at path, opened again read-only (by another process); closing
        it leaves the file."""
        store = cls.__new__(cls)
        store.path = path
        store.db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        store.db.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        store._know(articles)
        store.finished, store.owned = True, False
        return store

    def _know(self, articles: Sequence[ArticleLike]) -> None:
        """The articles, their ranks (newest first) and positions by id."""
        self.articles = articles
        self.order = recency_order(articles)
        self.rank = [0] * len(articles)
        for r, i in enumerate(self.order):
            self.rank[i] = r
        self.index = {a.id: i for i, a in enumerate(articles)}

    @classmethod
    def in_memory(
        cls, citations: Iterable[Citation], articles: Sequence[ArticleLike]
    ) -> CitationStore:
        """A finished store of a list of citations, in their order."""
        store = cls(None, articles)
        texts: dict[str, str] = {}
        for c in citations:
            if c.article_id not in texts:
                texts[c.article_id] = articles[store.index[c.article_id]].text
            store.add(store.index[c.article_id], texts[c.article_id], [c], [])
        store.finish()
        return store

    def add(
        self, idx: int, text: str, citations: Sequence[Citation], gaps: Sequence[Candidate]
    ) -> None:
        """The citations and gaps of the article at position idx, whose text is text."""
        rank = self.rank[idx]
        self.db.executemany(
            'INSERT INTO citations (feature_id, article, rank, start, "end", highlights, '
            "curated, how, antecedent, excerpt, refers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.feature_id,
                    idx,
                    rank,
                    c.start,
                    c.end,
                    orjson.dumps(c.highlights).decode(),
                    int(c.curated),
                    c.how,
                    orjson.dumps(c.antecedent).decode() if c.antecedent else None,
                    text[c.start : c.end],
                    text[c.antecedent[0] : c.antecedent[1]]
                    if c.how == "reference" and c.antecedent
                    else None,
                )
                for c in citations
            ],
        )
        self.db.executemany(
            'INSERT INTO gaps (kind, phrase, article, start, "end") VALUES (?, ?, ?, ?, ?)',
            [(g.kind, g.phrase, idx, g.start, g.end) for g in gaps],
        )

    def finish(self) -> None:
        """Index what was added: call once, after the last add."""
        self.db.executescript(INDEXES)
        self.db.commit()
        self.finished = True

    def close(self) -> None:
        """Close the store and delete its files (unless reopened)."""
        self.db.close()
        if self.path is not None and self.owned:
            self.path.unlink(missing_ok=True)
            _page_file(self.path).unlink(missing_ok=True)

    def __enter__(self) -> CitationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Queries. Each yields rows as it reads them.

    def total(self) -> int:
        """How many citations in all."""
        return int(self.db.execute("SELECT count(*) FROM citations").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Citations per feature."""
        rows = self.db.execute("SELECT feature_id, count(*) FROM citations GROUP BY feature_id")
        return {feature_id: int(n) for feature_id, n in rows}

    def articles_citing(self) -> set[int]:
        """Positions of the articles that cite something."""
        return {i for (i,) in self.db.execute("SELECT DISTINCT article FROM citations")}

    def citations(self) -> Iterator[Citation]:
        """Every citation, in the order they were added."""
        rows = self.db.execute(
            'SELECT feature_id, article, start, "end", highlights, curated, how, antecedent '
            "FROM citations ORDER BY id"
        )
        for feature_id, idx, start, end, highlights, curated, how, antecedent in rows:
            yield Citation(
                feature_id,
                self.articles[idx].id,
                start,
                end,
                tuple((a, b) for a, b in orjson.loads(highlights)),
                bool(curated),
                how,
                tuple(orjson.loads(antecedent)) if antecedent else None,
            )

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """(feature, article position, start, end, excerpt, highlights, how, curated,
        refers) of every citation, in the order they were added."""
        return self.db.execute(
            'SELECT feature_id, article, start, "end", excerpt, highlights, how, curated, refers '
            "FROM citations ORDER BY id"
        )

    def gaps(self) -> Iterator[Candidate]:
        """Every gap, in the order they were added."""
        rows = self.db.execute('SELECT kind, phrase, article, start, "end" FROM gaps ORDER BY id')
        for kind, phrase, idx, start, end in rows:
            yield Candidate(kind, phrase, self.articles[idx].id, start, end)

    def keep_chunks(self, chunks: Iterable[str]) -> tuple[int, int]:
        """Keep the page's compressed excerpt chunks; return how many, and their size."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS page.chunks (k INTEGER PRIMARY KEY, payload TEXT)"
        )
        count = size = 0
        for chunk in chunks:
            self.db.execute("INSERT INTO chunks VALUES (?, ?)", (count, chunk))
            count, size = count + 1, size + len(chunk)
        return count, size

    def chunks(self) -> Iterator[str]:
        """The chunks keep_chunks kept, in order."""
        return (payload for (payload,) in self.db.execute("SELECT payload FROM chunks ORDER BY k"))

    # What the reader's table (geo.reader) reads and keeps.

    def spans(self) -> Iterator[tuple[int, int, int, str]]:
        """(rank, start, end, feature) of every citation, by (rank, start, end)."""
        return self.db.execute(
            'SELECT rank, start, "end", feature_id FROM citations ORDER BY rank, start, "end"'
        )

    def counts_by_rank(self) -> Iterator[tuple[int, int]]:
        """(rank, citations) of each article that cites something, by rank."""
        return self.db.execute("SELECT rank, count(*) FROM citations GROUP BY rank ORDER BY rank")

    def article_features(self, feature_ids: Sequence[str]) -> Iterator[tuple[int, str]]:
        """(article position, feature) once for each article citing one of those features,
        by article."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (feature_id TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM wanted")
        self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((f,) for f in feature_ids))
        return self.db.execute(
            "SELECT DISTINCT article, feature_id FROM citations "
            "WHERE feature_id IN (SELECT feature_id FROM wanted) ORDER BY article, feature_id"
        )

    def keep_part(self, position: tuple[int, int], key: str, payload: str) -> None:
        """Keep a compressed part of the reader's table; position orders the page's parts."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS page.parts "
            "(kind INTEGER, k INTEGER, key TEXT UNIQUE, payload TEXT, PRIMARY KEY (kind, k))"
        )
        self.db.execute("INSERT INTO parts VALUES (?, ?, ?, ?)", (*position, key, payload))

    def parts(self, by_key: bool = False) -> Iterator[tuple[str, str]]:
        """(key, payload) of the parts keep_part kept, by position (or by key)."""
        if not self._has("parts"):
            return iter(())
        order = "key" if by_key else "kind, k"
        return self.db.execute(f"SELECT key, payload FROM parts ORDER BY {order}")

    def parts_size(self) -> int:
        """The kept parts' size, in characters (their payloads are ASCII: bytes too)."""
        if not self._has("parts"):
            return 0
        return int(self.db.execute("SELECT total(length(payload)) FROM parts").fetchone()[0])

    def spill_postings(self, rows: Iterable[tuple[str, int, int, int, str]]) -> None:
        """Keep a run of the reader's word index on disk: (word, run, first, last, rest)."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS page.postings (word TEXT, run INTEGER, first INTEGER, "
            "last INTEGER, rest TEXT, PRIMARY KEY (word, run)) WITHOUT ROWID"
        )
        self.db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?)", rows)

    def spilled_postings(self) -> Iterator[tuple[str, int, int, str]]:
        """(word, first, last, rest) of every spilled run, by word, then run."""
        return self.db.execute("SELECT word, first, last, rest FROM postings ORDER BY word, run")

    def _has(self, table: str) -> bool:
        found = self.db.execute("SELECT 1 FROM page.sqlite_master WHERE name = ?", (table,))
        return found.fetchone() is not None

    def excerpts(self) -> Iterator[tuple[int, int, str]]:
        """(start, end, text) of each distinct excerpt, numbered from 0 in this order."""
        return self.db.execute('SELECT start, "end", text FROM excerpts ORDER BY number')

    def refs(self, feature_id: str, limit: int = -1) -> Iterator[list[Any]]:
        """A feature's popup references, [excerpt number, highlights, rank, (refers)],
        by excerpt number and then in the order they were added."""
        rows = self.db.execute(
            "SELECT e.number, c.highlights, c.rank, c.refers FROM citations c "
            'JOIN excerpts e ON e.rank = c.rank AND e.start = c.start AND e."end" = c."end" '
            "WHERE c.feature_id = ? ORDER BY e.number, c.id LIMIT ?",
            (feature_id, limit),
        )
        for number, highlights, rank, refers in rows:
            ref = [number, orjson.loads(highlights), rank]
            yield ref if refers is None else [*ref, refers]

    def ranks(self, feature_id: str) -> set[int]:
        """Ranks of the articles that cite a feature."""
        rows = self.db.execute(
            "SELECT DISTINCT rank FROM citations WHERE feature_id = ?", (feature_id,)
        )
        return {r for (r,) in rows}

    def feature_citations(self, feature_id: str, newest: int | None = None) -> list[Any]:
        """A feature's citations for map.geojson, by article id and offset: all of them, or
        only those of its newest articles (by date, then id; at most `newest`)."""
        columns = 'c.article, c.start, c."end", c.excerpt, c.highlights, c.curated, c.how, c.refers'
        if newest is None:
            query = (
                f"SELECT {columns} FROM citations c WHERE c.feature_id = ? "
                "ORDER BY c.article, c.start, c.id"
            )
            rows = self.db.execute(query, (feature_id,)).fetchall()
            # Positions follow the file order; map.geojson sorts by id (the same but
            # for a caller's own list of articles).
            return sorted(rows, key=lambda row: (self.articles[row[0]].id, row[1]))
        query = (
            f"SELECT {columns} FROM citations c JOIN articles a ON a.idx = c.article "
            "WHERE c.feature_id = ? ORDER BY a.date DESC, a.by_id DESC, c.id LIMIT ?"
        )
        rows = self.db.execute(query, (feature_id, newest)).fetchall()
        return sorted(rows, key=lambda row: (self.articles[row[0]].id, row[1]))


def recency_order(articles: Sequence[ArticleLike]) -> list[int]:
    """The articles' positions, newest first; undated ones last (the popups' order too)."""
    return sorted(range(len(articles)), key=lambda i: _recency(articles[i]), reverse=True)


def _recency(article: ArticleLike) -> tuple[str, str]:
    """Sort key, newest first when reversed; undated articles go last."""
    dated = article.date[:1].isdigit()
    return (article.date if dated else "", article.id)


def _page_file(path: Path) -> Path:
    """The file of a store's page database, beside its own."""
    return path.with_name(path.name + "-page")
