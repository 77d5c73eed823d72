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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import sub
from typing import Any

from geo.articles import Article
from geo.folding import WORD, word_key
from geo.gazetteer import Gazetteer
from geo.layers import Layer
from geo.mentions import Citation
from geo.models import RouteProperties, VisitProperties
from geo.popups import EXCERPT_FOLDER, compressed_json
from geo.timeline import buckets_of, cited_by_bucket, date_runs

# Articles per part of texts: a part is about half a megabyte before compression.
TEXTS_PER_PART = 100
# Passages (cited spans) per part.
PASSAGES_PER_PART = 5000
# Articles per part of the article list.
ARTICLES_PER_PART = 5000
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


def recency_order(articles: Sequence[Article]) -> list[Article]:
    """Articles newest first; undated ones last (the popups' order too)."""

    def key(article: Article) -> tuple[str, str]:
        dated = article.date[:1].isdigit()
        return (article.date if dated else "", article.id)

    return sorted(articles, key=key, reverse=True)


def passages(
    citations: Iterable[Citation], rank: dict[str, int], feature_index: dict[str, int]
) -> list[list[Any]]:
    """Each cited span once, ordered by (article rank, start, end): [rank, start, end,
    [feature indices]].

    Ordered so that one article's passages are a run, newest article first.
    """
    spans: dict[tuple[int, int, int], set[int]] = defaultdict(set)
    for c in citations:
        if c.feature_id in feature_index:
            spans[rank[c.article_id], c.start, c.end].add(feature_index[c.feature_id])
    return [[*key, sorted(spans[key])] for key in sorted(spans)]


def fold(word: str) -> str:
    """A word's search key: the tagger's spelling fold (geo.folding), as reader.js folds."""
    return word_key(word)


def word_index(texts: Sequence[str], spans: Sequence[list[Any]]) -> dict[str, dict[str, str]]:
    """Shard (first letters of a folded word) -> folded word -> its passages.

    Each list of passage numbers is delta-encoded and joined with commas, which
    compresses to about a byte a posting.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    find = WORD.findall
    for number, (r, start, end, _) in enumerate(spans):
        # A passage's distinct words, then their distinct keys: each is posted once.
        for key in set(map(word_key, set(find(texts[r], start, end)))):
            postings[key].append(number)
    shards: dict[str, dict[str, str]] = defaultdict(dict)
    for key in sorted(postings):
        numbers = postings[key]
        deltas = [numbers[0], *map(sub, numbers[1:], numbers)]
        shards[key[:SHARD_PREFIX]][key] = ",".join(map(str, deltas))
    return dict(shards)


def cross_links(layers: Sequence[Layer], citations: Iterable[Citation]) -> dict[str, list[Any]]:
    """For each visit, the routes its articles also cite; for each route, the visits whose
    articles cite it: [kind, [[other feature id, articles citing both], ...]], most shared
    first.

    A shared article is the evidence: an article about a visit that also names a corridor
    is where a reader looks for what the visit meant for it.
    """
    visits = {
        f.id
        for layer in layers
        for f in layer.features
        if isinstance(f.properties, VisitProperties)
    }
    routes = {
        f.id
        for layer in layers
        for f in layer.features
        if isinstance(f.properties, RouteProperties)
    }
    articles: dict[str, set[str]] = defaultdict(set)
    for c in citations:
        if c.feature_id in visits or c.feature_id in routes:
            articles[c.feature_id].add(c.article_id)
    links: dict[str, list[Any]] = {}
    for kind, ours, theirs in (("visit", visits, routes), ("route", routes, visits)):
        for feature_id in sorted(ours):
            shared = [
                (other, len(articles[feature_id] & articles[other])) for other in sorted(theirs)
            ]
            ranked = sorted((pair for pair in shared if pair[1]), key=lambda pair: -pair[1])
            if ranked:
                links[feature_id] = [kind, [list(pair) for pair in ranked]]
    return links


def _article_row(article: Article, n_citations: int, first: int, count: int) -> list[Any]:
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
    articles: Sequence[Article],
    gazetteer: Gazetteer | None,
) -> dict[str, Any]:
    """The reader's table, every large part still as plain data (see reader_page)."""
    names = feature_names(layers, gazetteer)
    feature_index = {row[0]: i for i, row in enumerate(names)}
    order = recency_order(articles)
    rank = {a.id: r for r, a in enumerate(order)}
    spans = passages(citations, rank, feature_index)
    first: dict[int, int] = {}
    count: dict[int, int] = defaultdict(int)
    for number, span in enumerate(spans):
        first.setdefault(span[0], number)
        count[span[0]] += 1
    cited: dict[str, int] = defaultdict(int)
    for c in citations:
        cited[c.article_id] += 1
    texts = [a.text for a in order]
    runs = date_runs(buckets_of(a.date for a in order))
    return {
        "features": names,
        "articles": [
            _article_row(a, cited[a.id], first.get(r, 0), count[r]) for r, a in enumerate(order)
        ],
        "passages": spans,
        "texts": texts,
        "index": word_index(texts, spans),
        "links": cross_links(layers, citations),
        # The time window's part: each rank's date bucket (as runs), and what each
        # feature's articles of each bucket cite.
        "date_runs": runs,
        "cited": cited_by_bucket(spans, runs, [row[0] for row in names]),
    }


def _parts(table: dict[str, Any]) -> dict[str, str]:
    """Every part of the table, by its key, compressed."""
    parts = {}
    for key, size, rows in (
        ("articles", ARTICLES_PER_PART, table["articles"]),
        ("passages", PASSAGES_PER_PART, table["passages"]),
        ("texts", TEXTS_PER_PART, table["texts"]),
    ):
        for k, i in enumerate(range(0, len(rows), size)):
            parts[f"{key}/{k}"] = compressed_json(rows[i : i + size])
    for shard, words in table["index"].items():
        parts[f"index/{shard}"] = compressed_json(words)
    return parts


def reader_page(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    gazetteer: Gazetteer | None,
    *,
    beside: bool = False,
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """What the page carries for the reader, and the files beside it (beside=True).

    The page keeps the feature names and the sizes of the parts; each part is
    inline, or a script in map_files/ that hands it to ``citedReader.part``.
    """
    table = reader_data(layers, citations, articles, gazetteer)
    parts = _parts(table)
    shape = {
        "features": table["features"],
        "n_articles": len(table["articles"]),
        "n_passages": len(table["passages"]),
        "articles_per_part": ARTICLES_PER_PART,
        "passages_per_part": PASSAGES_PER_PART,
        "texts_per_part": TEXTS_PER_PART,
        "shard_prefix": SHARD_PREFIX,
        "shards": sorted(table["index"]),
        "links": table["links"],
        "date_runs": table["date_runs"],
        "cited": table["cited"],
    }
    if not beside:
        return {**shape, "parts": parts, "files": {}}, {}
    files: dict[str, bytes] = {}
    paths = {}
    for n, (key, payload) in enumerate(sorted(parts.items())):
        name = f"reader-{n:05}.js"
        # The key is JSON-quoted: a shard key is folded article text.
        script = f"window.citedReader.part({_js_string(key)}, {_js_string(payload)});\n"
        files[name] = script.encode("ascii")
        paths[key] = f"{EXCERPT_FOLDER}/{name}"
    return {**shape, "parts": {}, "files": paths}, files


def _js_string(text: str) -> str:
    """A JS string literal in ASCII, safe inside a script file."""
    return json.dumps(text, ensure_ascii=True).replace("<", "\\u003c")
