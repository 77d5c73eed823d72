"""The reader's data: names to search, every article's text, its cited passages, a word index.

The popups (``geo.popups``) show excerpts feature by feature; the reader goes the
other ways: from a name or a word to the features and passages, and from a passage
to its whole article. Its table is its own, so that the popups' table can change
its layout without breaking search or the article panel.

Everything large goes in parts, each gzip-compressed JSON in base64: inline in
the page for a single file, or in script files in ``map_files/`` beside it for a
large corpus, each loaded when first needed (``geo/js/reader.js``).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import count, groupby
from operator import itemgetter, sub
from pathlib import Path
from typing import Any

from geo.citation_store import ArticleLike, CitationStore
from geo.folding import WORD, word_key
from geo.gazetteer import Gazetteer
from geo.layers import Layer
from geo.mentions import Citation
from geo.models import RouteProperties, VisitProperties
from geo.popups import EXCERPT_FOLDER, compressed_json
from geo.timeline import BucketTally

# Articles per part of texts: a part is about 130 KB before compression, so that a
# search showing passages of a dozen articles inflates little more than it shows.
TEXTS_PER_PART = 25
# Passages (cited spans) per part.
PASSAGES_PER_PART = 5000
# Articles per part of the article list (a search result reads one row of a part).
ARTICLES_PER_PART = 1000
# Passages per part of the digest: each passage's article rank (as runs) and the
# number of its set of features. A text search reads the digest of every passage it
# finds, so a part is a few bytes a passage where a passages part is tens.
DIGEST_PER_PART = 65536
# Words of the index are sharded by the first letters of their folded key: a
# keystroke loads at most the one shard its last word falls in.
SHARD_PREFIX = 2


def feature_names(layers: Sequence[Layer], gazetteer: Gazetteer | None) -> list[list[Any]]:
    """[id, name, layer title, aliases] of every feature, in the map's layer order.

    The aliases are the names the layer YAML gives the tagger, so the search finds
    a feature by any spelling the gazetteer knows.
    """
    entries = gazetteer.entries if gazetteer is not None else {}
    rows = []
    for layer in layers:
        for feature in layer.features:
            entry = entries.get(feature.id)
            aliases = [a.name for a in entry.aliases] if entry is not None else []
            name = feature.properties.name
            rows.append([feature.id, name, layer.title, [a for a in aliases if a != name]])
    return rows


def fold(word: str) -> str:
    """A word's search key: the tagger's spelling fold (geo.folding), as reader.js folds."""
    return word_key(word)


# Postings (passage numbers under a word) held before a run of them goes to the store:
# the index's whole share of the build's memory, about 8 bytes a posting.
POSTINGS_HELD = 4_000_000
# Where each kind of part stands among the page's inline parts.
KINDS = ("articles", "passages", "texts", "index", "digest")

# Where the parts of the table go as they are made: (kind, number or shard, rows).
PartSink = Callable[[str, int | str, Any], None]


class Postings:
    """The word index, posted a passage at a time, in passage order.

    Each word's passage numbers are delta-encoded and joined with commas, which
    compresses to about a byte a posting. Past POSTINGS_HELD postings, the words'
    runs so far go to the store (a million articles post a few hundred million), and
    shards() joins each word's runs again.
    """

    def __init__(self, store: CitationStore, held: int = POSTINGS_HELD) -> None:
        self.store = store
        self.held = held
        self.words: dict[str, list[int]] = defaultdict(list)
        self.size = 0
        self.runs = 0

    def post(self, number: int, text: str, start: int, end: int) -> None:
        """The passage text[start:end], numbered number (greater than any before)."""
        # A passage's distinct words, then their distinct keys: each is posted once.
        keys = set(map(word_key, set(WORD.findall(text, start, end))))
        # Three million postings at 10,000 articles: the lookups are hoisted out of the loop.
        words = self.words
        for key in keys:
            words[key].append(number)
        self.size += len(keys)
        if self.size >= self.held:
            self._spill()

    def _spill(self) -> None:
        self.store.spill_postings(
            (key, self.runs, numbers[0], numbers[-1], _deltas(numbers[1:], numbers[0]))
            for key, numbers in self.words.items()
        )
        self.words, self.size, self.runs = defaultdict(list), 0, self.runs + 1

    def shards(self) -> Iterator[tuple[str, dict[str, str]]]:
        """(shard, folded word -> its postings) by shard, words sorted, a shard at a time."""
        if self.runs:
            self._spill()
            joined = _joined_runs(self.store.spilled_postings())
        else:
            joined = ((key, _deltas(self.words[key], 0)) for key in sorted(self.words))
        for shard, words in groupby(joined, key=lambda pair: pair[0][:SHARD_PREFIX]):
            yield shard, dict(words)


def _deltas(numbers: Sequence[int], before: int) -> str:
    """numbers as differences, the first from before, joined with commas."""
    return ",".join(map(str, map(sub, numbers, [before, *numbers[:-1]])))


def _joined_runs(runs: Iterable[tuple[str, int, int, str]]) -> Iterator[tuple[str, str]]:
    """(word, deltas) of each word, its spilled runs joined (runs by word, then run)."""
    for key, word_runs in groupby(runs, key=itemgetter(0)):
        pieces, last = [], 0
        for _, first, run_last, rest in word_runs:
            pieces.append(f"{first - last},{rest}" if rest else str(first - last))
            last = run_last
        yield key, ",".join(pieces)


class _Parts:
    """Rows of one kind of part, handed to the sink `size` rows at a time."""

    def __init__(self, kind: str, size: int, sink: PartSink) -> None:
        self.kind, self.size, self.sink = kind, size, sink
        self.rows: list[Any] = []
        self.made = 0

    def add(self, row: Any) -> None:
        self.rows.append(row)
        if len(self.rows) == self.size:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.sink(self.kind, self.made, self.rows)
            self.made, self.rows = self.made + 1, []


# A feature set's number in the digest, in base 32: every digit but the last from
# MORE, the last from LAST, so that the numbers need no separator and the few common
# sets take one character a passage.
DIGEST_LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
DIGEST_MORE = "ghijklmnopqrstuvwxyz0123456789-_"


def digest_digits(number: int) -> str:
    """number in the digest's self-delimiting base 32."""
    digits = DIGEST_LAST[number % 32]
    number //= 32
    while number:
        digits = DIGEST_MORE[number % 32] + digits
        number //= 32
    return digits


class _Digest:
    """Each passage's article rank and set of features, in parts the page reads whole.

    A part is {"ranks": [rank, passages of it, ...], "sets": "set numbers"} (see
    digest_digits); the sets themselves (lists of feature indices) are few and go in
    the page.
    """

    def __init__(self, size: int, sink: PartSink) -> None:
        self.size, self.sink = size, sink
        self.numbers: dict[tuple[int, ...], int] = {}
        self.ranks: list[int] = []
        self.sets: list[str] = []
        self.made = 0

    def add(self, rank: int, features: Sequence[int]) -> None:
        if self.ranks and self.ranks[-2] == rank:
            self.ranks[-1] += 1
        else:
            self.ranks += [rank, 1]
        self.sets.append(digest_digits(self.numbers.setdefault(tuple(features), len(self.numbers))))
        if len(self.sets) == self.size:
            self.flush()

    def flush(self) -> None:
        if self.sets:
            self.sink("digest", self.made, {"ranks": self.ranks, "sets": "".join(self.sets)})
            self.made, self.ranks, self.sets = self.made + 1, [], []

    def feature_sets(self) -> list[list[int]]:
        return [list(features) for features in self.numbers]


def _spans(store: CitationStore, feature_index: dict[str, int]) -> Iterator[list[Any]]:
    """Each cited span once, ordered by (article rank, start, end): [rank, start, end,
    [feature indices]]; ordered so that one article's passages are a run, newest first."""
    for (rank, start, end), rows in groupby(store.spans(), key=itemgetter(0, 1, 2)):
        features = sorted({feature_index[f] for *_, f in rows if f in feature_index})
        if features:
            yield [rank, start, end, features]


def _by_rank(rows: Iterable[Any], ranks: int) -> Iterator[list[Any]]:
    """For each rank from 0, the rows (ordered by rank, rank first) of that rank."""
    runs = groupby(rows, key=itemgetter(0))
    pending = next(runs, None)
    for rank in range(ranks):
        if pending is not None and pending[0] == rank:
            yield list(pending[1])
            pending = next(runs, None)
        else:
            yield []


def stream_reader(
    layers: Sequence[Layer],
    store: CitationStore,
    gazetteer: Gazetteer | None,
    sink: PartSink,
    held: int = POSTINGS_HELD,
) -> dict[str, Any]:
    """Hand the reader's table to sink a part at a time; return the page's shape of it.

    One pass over the articles, newest first, reads each text once (from its file for a
    corpus's ArticleInfo): its row, its passages, its text and the words of its passages
    are made then, so only the parts being filled and the word index are held.
    """
    names = feature_names(layers, gazetteer)
    feature_index = {row[0]: i for i, row in enumerate(names)}
    parts = {
        kind: _Parts(kind, size, sink)
        for kind, size in (
            ("articles", ARTICLES_PER_PART),
            ("passages", PASSAGES_PER_PART),
            ("texts", TEXTS_PER_PART),
        )
    }
    digest = _Digest(DIGEST_PER_PART, sink)
    postings = Postings(store, held)
    by_month = BucketTally(len(names))
    n = len(store.order)
    spans, counts = _by_rank(_spans(store, feature_index), n), _by_rank(store.counts_by_rank(), n)
    number = 0
    for rank, (article_spans, counted) in enumerate(zip(spans, counts, strict=True)):
        article = store.articles[store.order[rank]]
        text = article.text
        cited = counted[0][1] if counted else 0
        first = number if article_spans else 0
        parts["articles"].add(_article_row(article, cited, first, len(article_spans)))
        by_month.add(article.date, article_spans)
        for span in article_spans:
            parts["passages"].add(span)
            digest.add(rank, span[3])
            postings.post(number, text, span[1], span[2])
            number += 1
        parts["texts"].add(text)
    for kind in parts.values():
        kind.flush()
    digest.flush()
    shards = []
    for shard, words in postings.shards():
        sink("index", shard, words)
        shards.append(shard)
    return {
        "features": names,
        "n_articles": n,
        "n_passages": number,
        "articles_per_part": ARTICLES_PER_PART,
        "passages_per_part": PASSAGES_PER_PART,
        "texts_per_part": TEXTS_PER_PART,
        "digest_per_part": DIGEST_PER_PART,
        "digest_digits": [DIGEST_LAST, DIGEST_MORE],
        "feature_sets": digest.feature_sets(),
        "shard_prefix": SHARD_PREFIX,
        "shards": shards,
        "links": cross_links(layers, store),
        # The time window's part: each rank's date bucket (as runs), and what each
        # feature's articles of each bucket cite.
        "date_runs": by_month.runs,
        "cited": by_month.cited([row[0] for row in names]),
    }


def cross_links(layers: Sequence[Layer], store: CitationStore) -> dict[str, list[Any]]:
    """For each visit, the routes its articles also cite; for each route, the visits whose
    articles cite it: [kind, [[other feature id, articles citing both], ...]], most shared
    first.

    A shared article is the evidence: an article about a visit that also names a corridor
    is where a reader looks for what the visit meant for it.
    """
    features = [f for layer in layers for f in layer.features]
    visits = {f.id for f in features if isinstance(f.properties, VisitProperties)}
    routes = {f.id for f in features if isinstance(f.properties, RouteProperties)}
    shared: Counter[tuple[str, str]] = Counter()
    rows = store.article_features(sorted(visits | routes))
    for _, pairs in groupby(rows, key=itemgetter(0)):
        cited = [feature_id for _, feature_id in pairs]
        shared.update((a, b) for a in cited for b in cited if a != b)
    links: dict[str, list[Any]] = {}
    for kind, ours, theirs in (("visit", visits, routes), ("route", routes, visits)):
        for feature_id in sorted(ours):
            counted = [(other, shared[feature_id, other]) for other in sorted(theirs)]
            ranked = sorted((pair for pair in counted if pair[1]), key=lambda pair: -pair[1])
            if ranked:
                links[feature_id] = [kind, [list(pair) for pair in ranked]]
    return links


def _article_row(article: ArticleLike, n_citations: int, first: int, count: int) -> list[Any]:
    return [
        article.id,
        article.title,
        article.outlet,
        article.date,
        article.url or "",
        n_citations,
        first,
        count,
    ]


def reader_data(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[ArticleLike],
    gazetteer: Gazetteer | None,
) -> dict[str, Any]:
    """The reader's table of a list of citations, every large part as plain data."""
    table: dict[str, Any] = {"articles": [], "passages": [], "texts": [], "index": {}, "digest": []}

    def collect(kind: str, key: int | str, rows: Any) -> None:
        if kind == "index":
            table["index"][key] = rows
        elif kind == "digest":
            table["digest"].append(rows)
        else:
            table[kind] += rows

    with CitationStore.in_memory(citations, articles) as store:
        shape = stream_reader(layers, store, gazetteer, collect)
    kept = ("links", "date_runs", "cited", "feature_sets")
    return {"features": shape["features"], **table, **{key: shape[key] for key in kept}}


def keep_reader_parts(
    layers: Sequence[Layer], store: CitationStore, gazetteer: Gazetteer | None
) -> dict[str, Any]:
    """Make the reader's parts into the store, compressed (store.parts); return the
    page's shape of the table."""

    # Shards come in sorted order: numbered as they come, they keep it.
    shards = count()

    def keep(kind: str, key: int | str, rows: Any) -> None:
        position = (KINDS.index(kind), next(shards) if kind == "index" else int(key))
        store.keep_part(position, f"{kind}/{key}", compressed_json(rows))

    return stream_reader(layers, store, gazetteer, keep)


def reader_inline(shape: dict[str, Any], store: CitationStore) -> dict[str, Any]:
    """What the page carries for the reader with every part inside it."""
    return {**shape, "parts": dict(store.parts()), "files": {}}


def reader_beside(
    shape: dict[str, Any], store: CitationStore
) -> tuple[dict[str, Any], Callable[[Path], None]]:
    """What the page carries for the reader with its parts in map_files/ beside it, and
    what writes those script files into a folder, a part at a time from the store."""
    keys = [key for key, _ in store.parts(by_key=True)]
    paths = {key: f"{EXCERPT_FOLDER}/reader-{n:05}.js" for n, key in enumerate(keys)}

    def write(folder: Path) -> None:
        for n, (key, payload) in enumerate(store.parts(by_key=True)):
            # The key is JSON-quoted: a shard key is folded article text.
            script = f"window.citedReader.part({_js_string(key)}, {_js_string(payload)});\n"
            (folder / f"reader-{n:05}.js").write_bytes(script.encode("ascii"))

    return {**shape, "parts": {}, "files": paths}, write


def reader_page(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[ArticleLike],
    gazetteer: Gazetteer | None,
    *,
    beside: bool = False,
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """What the page carries for the reader of a list of citations, and the files beside
    it (beside=True): the page keeps the feature names and the sizes of the parts; each
    part is inline, or a script in map_files/ that hands it to ``citedReader.part``.
    """
    with CitationStore.in_memory(citations, articles) as store:
        shape = keep_reader_parts(layers, store, gazetteer)
        if not beside:
            return reader_inline(shape, store), {}
        page, write = reader_beside(shape, store)
        with tempfile.TemporaryDirectory() as folder:
            write(Path(folder))
            files = {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir())}
    return page, files


def _js_string(text: str) -> str:
    """A JS string literal in ASCII, safe inside a script file."""
    return json.dumps(text, ensure_ascii=True).replace("<", "\\u003c")
