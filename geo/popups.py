"""The popups' data: every excerpt once, compressed in chunks, and each feature's facts.

The page carries this one table; the browser builds each popup from it with
DOM nodes and ``textContent`` (``geo/js/cited_popups.js``).
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from geo.basemap import country_names
from geo.bibliography import Bibliography, feature_sources
from geo.citation_store import ArticleLike, CitationStore
from geo.features import Feature
from geo.layers import Layer
from geo.mentions import Citation
from geo.models import (
    SEA,
    AreaProperties,
    BaseProperties,
    PlaceProperties,
    RouteProperties,
    SplitPart,
    VisitProperties,
)

# Excerpts per compressed chunk of the page's table: small enough that opening a
# popup inflates little, large enough to compress well.
EXCERPTS_PER_CHUNK = 2000


# What the popup says of the figures this map computes itself.
DRAWN_LENGTH = "computed by this map along the drawn line (geodesic, WGS84, pyproj)"
DRAWN_SPLIT = (
    "computed by this map: the drawn line cut by the Natural Earth 1:10m borders of the "
    "basemap (geodesic, WGS84)"
)


def _length_facts(feature: Feature) -> list[dict[str, Any]]:
    props = feature.properties
    if feature.computed_length_km is None or not isinstance(props, RouteProperties):
        return []
    length = props.published_length
    published, computed = length.value, feature.computed_length_km
    rows: list[dict[str, Any]] = [
        {
            "label": "Published length",
            "value": length.note or f"{published:,.0f} {length.unit}",
            "sources": length.source,
        },
        {
            "label": "Drawn length",
            "value": f"{computed:,.0f} km ({computed / published:.0%} of the published "
            f"{published:,.0f} km)",
            "computed": DRAWN_LENGTH,
        },
    ]
    if length.split:
        rows.append(
            {
                "label": "Published split",
                "value": " · ".join(
                    f"{_where(part.where)} {part.value:,.0f} km" for part in length.split
                ),
                "sources": list(dict.fromkeys(i for part in length.split for i in part.source)),
            }
        )
    if feature.length_by_country_km:
        rows.append(
            {
                "label": "Drawn length by country",
                "value": _drawn_split(feature.length_by_country_km, length.split),
                "computed": DRAWN_SPLIT,
            }
        )
    return rows


def _where(code: str) -> str:
    return "at sea" if code == SEA else country_names().get(code, code)


def _drawn_split(drawn: dict[str, float], published: Sequence[SplitPart]) -> str:
    stated = {part.where: part.value for part in published}
    return " · ".join(
        f"{_where(code)} {km:,.0f} km"
        + (f" (published {stated[code]:,.0f})" if code in stated else "")
        for code, km in drawn.items()
        if km >= 0.5
    )


def _subtitle(layer: Layer, feature: Feature) -> str:
    props = feature.properties
    parts = [layer.title]
    if isinstance(props, RouteProperties | VisitProperties):
        parts.append(props.status)
    if isinstance(props, RouteProperties) and props.route_certainty == "approximate":
        parts.append("approximate alignment")
    if isinstance(props, PlaceProperties | AreaProperties):
        parts.append(props.place_type)
    return " · ".join(parts)


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_words(date: str) -> str:
    """A partial date in words: 18 August 2024, February 2017, 2017."""
    parts = date.split("-")
    if len(parts) == 1:
        return date
    month = f"{MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {month}" if len(parts) == 3 else month


def dates_words(start: str, end: str) -> str:
    """A visit's dates in words: 6 August 2024, 18–19 August 2024, February 2017."""
    if start == end:
        return date_words(start)
    if len(start) == len(end) == 10 and start[:7] == end[:7]:
        return f"{int(start[8:])}–{date_words(end)}"
    return f"{date_words(start)} – {date_words(end)}"


def _visit_facts(props: BaseProperties) -> list[dict[str, Any]]:
    """When, who met and where: the rows a visit's popup opens with."""
    if not isinstance(props, VisitProperties):
        return []
    when = dates_words(props.date_start, props.date_end)
    if props.dates_text:
        when += f" (the sources: {props.dates_text})"
    rows = [
        {"label": "Dates", "value": when, "sources": props.sources},
        {"label": "Visitor", "value": props.visitor, "sources": props.sources},
    ]
    if props.counterpart:
        rows.append({"label": "Met", "value": props.counterpart, "sources": props.sources})
    rows += [
        {"label": "Where", "value": props.destination, "sources": props.sources},
        {
            "label": "Travel",
            "value": f"{props.origin} → {props.destination}",
            "sources": props.sources,
        },
    ]
    return rows


def _note(props: BaseProperties) -> str:
    if isinstance(props, RouteProperties | VisitProperties):
        return props.route_note
    return ""


def popup_data(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[ArticleLike],
    bibliography: Bibliography,
) -> dict[str, Any]:
    """The page's one table of a list of citations (see popup_table)."""
    with CitationStore.in_memory(citations, articles) as store:
        return popup_table(layers, store, bibliography, list(excerpt_chunks(store)))


def excerpt_chunks(store: CitationStore) -> Iterator[str]:
    """The excerpt table, EXCERPTS_PER_CHUNK rows per compressed chunk, chunk by chunk."""
    rows = store.excerpts()
    while chunk := [list(row) for row in islice(rows, EXCERPTS_PER_CHUNK)]:
        yield compressed_json(chunk)


def popup_table(
    layers: Sequence[Layer],
    store: CitationStore,
    bibliography: Bibliography,
    chunks: list[str],
) -> dict[str, Any]:
    """The page's one table: articles, each excerpt once (compressed), per-feature references.

    Articles are ranked newest first and excerpts ordered by (article rank,
    offset), so sorting a feature's references by excerpt number lists them
    newest article first and in reading order, and a popup's first page needs
    only the first chunk of the excerpt table. chunks: excerpt_chunks(store).
    """
    features = {
        feature.id: _feature_entry(layer, feature, store, list(store.refs(feature.id)))
        for layer in layers
        for feature in layer.features
    }
    return _table(store, bibliography, chunks, features)


def _table(
    store: CitationStore,
    bibliography: Bibliography,
    chunks: list[str],
    features: dict[str, dict[str, Any]],
    with_articles: bool = True,
) -> dict[str, Any]:
    cited = dict.fromkeys(i for f in features.values() for i in f["sources"])
    ranked = store.order if with_articles else []
    return {
        "articles": [_article_entry(store.articles[i]) for i in ranked],
        "sources": {i: bibliography.entry(i) for i in cited},
        "chunk_size": EXCERPTS_PER_CHUNK,
        "excerpt_chunks": chunks,
        "features": features,
    }


# The folder beside map.html that holds the excerpt chunks of a large corpus.
EXCERPT_FOLDER = "map_files"


# Per file beside the page: references of one feature (a hundred pages), and articles.
REFS_PER_FILE = 2000
ARTICLES_PER_FILE = 5000
PAGE = 20


def excerpts_beside(
    layers: Sequence[Layer],
    store: CitationStore,
    bibliography: Bibliography,
    n_chunks: int,
    chunks: Callable[[], Iterable[str]],
) -> tuple[dict[str, Any], Callable[[Path], None]]:
    """The page's table for a large corpus, and what writes the script files beside it.

    The page keeps the features, their counts and the first page of each popup;
    the excerpts, the articles and the rest of each feature's references go into
    files. Each file is a script that hands its part to the page: a <script> tag
    loads it on demand, which works from file:// with no server, unlike fetch().
    The files are written from the store a file at a time (chunks: the excerpt
    chunks, n_chunks of them, read again), never all held at once.
    """
    counts = store.counts()
    features = {
        feature.id: _feature_entry(
            layer, feature, store, list(store.refs(feature.id, PAGE)), counts.get(feature.id, 0)
        )
        for layer in layers
        for feature in layer.features
    }
    for n, entry in enumerate(features.values()):
        entry["ref_files"] = [
            f"{EXCERPT_FOLDER}/refs-{n:04}-{k:05}.js"
            for k in range(_files(entry["count"], REFS_PER_FILE))
        ]
        entry["ref_chunk"] = REFS_PER_FILE
    page = {
        **_table(store, bibliography, [], features, with_articles=False),
        "excerpt_files": [f"{EXCERPT_FOLDER}/excerpts-{k:05}.js" for k in range(n_chunks)],
        "articles": [],
        "article_files": [
            f"{EXCERPT_FOLDER}/articles-{k:05}.js"
            for k in range(_files(len(store.order), ARTICLES_PER_FILE))
        ],
        "article_chunk": ARTICLES_PER_FILE,
    }

    def write(folder: Path) -> None:
        def part(name: str, key: str, payload: str) -> None:
            script = f'window.citedMap.part("{key}", "{payload}");\n'
            (folder / name).write_bytes(script.encode("ascii"))

        for k, chunk in enumerate(chunks()):
            part(f"excerpts-{k:05}.js", f"excerpts/{k}", chunk)
        for k, i in enumerate(range(0, len(store.order), ARTICLES_PER_FILE)):
            ranked = store.order[i : i + ARTICLES_PER_FILE]
            entries = [_article_entry(store.articles[j]) for j in ranked]
            part(f"articles-{k:05}.js", f"articles/{k}", compressed_json(entries))
        for n, feature_id in enumerate(features):
            refs = store.refs(feature_id)
            k = 0
            while batch := list(islice(refs, REFS_PER_FILE)):
                part(f"refs-{n:04}-{k:05}.js", f"refs/{feature_id}/{k}", compressed_json(batch))
                k += 1

    return page, write


def _files(items: int, per_file: int) -> int:
    return -(-items // per_file)


def _feature_entry(
    layer: Layer,
    feature: Feature,
    store: CitationStore,
    refs: list[list[Any]],
    count: int | None = None,
) -> dict[str, Any]:
    """A feature's popup: its facts, counts, and refs (all its references, or the first
    page of them with count, the number of all)."""
    props = feature.properties
    ranks = store.ranks(feature.id) if count is not None else {ref[2] for ref in refs}
    stated = [{"label": f.label, "value": str(f.value), "sources": f.source} for f in props.facts]
    return {
        "name": props.name,
        "subtitle": _subtitle(layer, feature),
        "note": _note(props),
        "note_sources": props.sources,
        "facts": [*_visit_facts(props), *stated, *_length_facts(feature)],
        "sources": feature_sources(props),
        "id": feature.id,
        "count": len(refs) if count is None else count,
        "n_articles": len(ranks),
        "outlets": sorted({store.articles[store.order[r]].outlet for r in ranks}),
        "citations": refs,
    }


def _article_entry(article: ArticleLike) -> dict[str, str]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "date": article.date,
        "author": article.author or "",
        "date_note": article.date_note or "",
        "url": article.url or "",
    }


def compressed_json(value: Any) -> str:
    """value as gzip-compressed JSON in base64, for the browser to inflate."""
    # orjson writes the bytes json.dumps(ensure_ascii=False, separators=(",", ":"))
    # encodes (every code point checked), several times faster.
    raw = orjson.dumps(value)
    # Level 1: five times faster than the default at scale, and the page stays far
    # below its size budget.
    return base64.b64encode(gzip.compress(raw, compresslevel=1, mtime=0)).decode("ascii")
