"""The popups' data: every excerpt once, compressed in chunks, and each feature's facts.

The page carries this one table; the browser builds each popup from it with
DOM nodes and ``textContent`` (``geo/js/cited_popups.js``).
"""

from __future__ import annotations

import base64
import gzip
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from geo.articles import Article
from geo.basemap import country_names
from geo.bibliography import Bibliography, feature_sources
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


def _visit_facts(props: BaseProperties) -> list[dict[str, Any]]:
    if not isinstance(props, VisitProperties):
        return []
    return [
        {"label": "Visitor", "value": props.visitor, "sources": props.sources},
        {
            "label": "Travel",
            "value": f"{props.origin} → {props.destination}",
            "sources": props.sources,
        },
    ]


def _note(props: BaseProperties) -> str:
    if isinstance(props, RouteProperties | VisitProperties):
        return props.route_note
    return ""


def popup_data(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    bibliography: Bibliography,
) -> dict[str, Any]:
    """The page's one table: articles, each excerpt once (compressed), per-feature references.

    Articles are ranked newest first and excerpts ordered by (article rank,
    offset), so sorting a feature's references by excerpt number lists them
    newest article first and in reading order, and a popup's first page needs
    only the first chunk of the excerpt table.
    """
    order = sorted(articles, key=_recency, reverse=True)
    rank = {a.id: r for r, a in enumerate(order)}
    keys = sorted({(rank[c.article_id], c.start, c.end) for c in citations})
    number = {key: i for i, key in enumerate(keys)}
    refs: dict[str, list[list[Any]]] = defaultdict(list)
    for c in citations:
        r, start = rank[c.article_id], c.start
        # Highlights stay absolute offsets; the browser subtracts the excerpt's start.
        ref: list[Any] = [number[r, start, c.end], c.highlights, r]
        if c.how == "reference" and c.antecedent:
            ref.append(order[r].text[c.antecedent[0] : c.antecedent[1]])
        refs[c.feature_id].append(ref)
    features = {
        feature.id: _feature_entry(layer, feature, refs.get(feature.id, []), order)
        for layer in layers
        for feature in layer.features
    }
    excerpts = [[start, end, order[r].text[start:end]] for r, start, end in keys]
    cited = dict.fromkeys(i for f in features.values() for i in f["sources"])
    return {
        "articles": [_article_entry(a) for a in order],
        "sources": {i: bibliography.entry(i) for i in cited},
        "chunk_size": EXCERPTS_PER_CHUNK,
        "excerpt_chunks": [
            compressed_json(excerpts[i : i + EXCERPTS_PER_CHUNK])
            for i in range(0, len(excerpts), EXCERPTS_PER_CHUNK)
        ],
        "features": features,
    }


# The folder beside map.html that holds the excerpt chunks of a large corpus.
EXCERPT_FOLDER = "map_files"


# Per file beside the page: references of one feature (a hundred pages), and articles.
REFS_PER_FILE = 2000
ARTICLES_PER_FILE = 5000
PAGE = 20


def excerpts_beside(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The page's table for a large corpus, and the script files beside it.

    The page keeps the features, their counts and the first page of each popup;
    the excerpts, the articles and the rest of each feature's references go into
    files. Each file is a script that hands its part to the page: a <script> tag
    loads it on demand, which works from file:// with no server, unlike fetch().
    """
    files: dict[str, bytes] = {}

    def part(name: str, key: str, payload: str) -> str:
        files[name] = f'window.citedMap.part("{key}", "{payload}");\n'.encode("ascii")
        return f"{EXCERPT_FOLDER}/{name}"

    excerpt_files = [
        part(f"excerpts-{k:05}.js", f"excerpts/{k}", chunk)
        for k, chunk in enumerate(data["excerpt_chunks"])
    ]
    articles = data["articles"]
    article_files = [
        part(
            f"articles-{k:05}.js",
            f"articles/{k}",
            compressed_json(articles[i : i + ARTICLES_PER_FILE]),
        )
        for k, i in enumerate(range(0, len(articles), ARTICLES_PER_FILE))
    ]
    features = {}
    for n, (feature_id, entry) in enumerate(data["features"].items()):
        refs = entry["citations"]
        ref_files = [
            part(
                f"refs-{n:04}-{k:05}.js",
                f"refs/{feature_id}/{k}",
                compressed_json(refs[i : i + REFS_PER_FILE]),
            )
            for k, i in enumerate(range(0, len(refs), REFS_PER_FILE))
        ]
        features[feature_id] = {
            **entry,
            "citations": refs[:PAGE],
            "ref_files": ref_files,
            "ref_chunk": REFS_PER_FILE,
        }
    page = {
        **data,
        "excerpt_chunks": [],
        "excerpt_files": excerpt_files,
        "articles": [],
        "article_files": article_files,
        "article_chunk": ARTICLES_PER_FILE,
        "features": features,
    }
    return page, files


def _feature_entry(
    layer: Layer, feature: Feature, refs: list[list[Any]], order: Sequence[Article]
) -> dict[str, Any]:
    props = feature.properties
    ranks = {ref[2] for ref in refs}
    stated = [{"label": f.label, "value": str(f.value), "sources": f.source} for f in props.facts]
    return {
        "name": props.name,
        "subtitle": _subtitle(layer, feature),
        "note": _note(props),
        "note_sources": props.sources,
        "facts": [*_visit_facts(props), *stated, *_length_facts(feature)],
        "sources": feature_sources(props),
        "id": feature.id,
        "count": len(refs),
        "n_articles": len(ranks),
        "outlets": sorted({order[r].outlet for r in ranks}),
        "citations": sorted(refs, key=lambda ref: ref[0]),
    }


def _article_entry(article: Article) -> dict[str, str]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "date": article.date,
        "author": article.author or "",
        "date_note": article.date_note or "",
        "url": article.url or "",
    }


def _recency(article: Article) -> tuple[str, str]:
    """Sort key, newest first when reversed; undated articles go last."""
    dated = article.date[:1].isdigit()
    return (article.date if dated else "", article.id)


def compressed_json(value: Any) -> str:
    """value as gzip-compressed JSON in base64, for the browser to inflate."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # Level 1: five times faster than the default at scale, and the page stays far
    # below its size budget.
    return base64.b64encode(gzip.compress(raw, compresslevel=1, mtime=0)).decode("ascii")
