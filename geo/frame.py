"""The page's frame: its header (title, what it shows, the corpus in figures), the About
panel, and the two views the reader moves between (the opening frame and "fit all").

Pure functions from the settings, the bibliography and the articles' metadata to the
table that geo/js/frame.js lays out; no text from here is ever treated as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from geo.bibliography import Bibliography
from geo.layers import Layer
from geo.models import MapSettings

BORDERS_CREDIT = (
    "Country borders: Natural Earth, Admin 0 Countries at 1:10m, version 4.1.0 "
    "(public domain), from the world-atlas package 2.0.2; simplified outside the "
    "South Caucasus. Borders are drawn as Natural Earth draws them and say nothing "
    "about where a border ought to be."
)


class Dated(Protocol):
    """What the header needs of an article (geo.articles.Article or ArticleInfo)."""

    @property
    def outlet(self) -> str: ...

    @property
    def date(self) -> str: ...


def corpus_summary(articles: Iterable[Dated]) -> dict[str, Any]:
    """How many articles and outlets, and the first and last publication dates (ISO)."""
    count = 0
    outlets: set[str] = set()
    first = last = ""
    for article in articles:
        count += 1
        outlets.add(article.outlet)
        if article.date:
            first = min(first, article.date) if first else article.date
            last = max(last, article.date)
    return {"articles": count, "outlets": len(outlets), "first": first, "last": last}


def features_bounds(layers: Sequence[Layer]) -> list[list[float]]:
    """[[south, west], [north, east]] around every feature of every layer."""
    boxes = [f.geometry.bounds for layer in layers for f in layer.features]
    return [
        [min(b[1] for b in boxes), min(b[0] for b in boxes)],
        [max(b[3] for b in boxes), max(b[2] for b in boxes)],
    ]


def frame_data(
    settings: MapSettings,
    bibliography: Bibliography,
    layers: Sequence[Layer],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """The table of geo/js/frame.js."""
    box = settings.view.frame
    return {
        "title": settings.title,
        "description": settings.description,
        "summary": summary,
        "about": [
            {"heading": s.heading, "paragraphs": _paragraphs(s.text)} for s in settings.about
        ],
        "sources": [bibliography.entry(source_id) for source_id in bibliography.sources],
        "borders": BORDERS_CREDIT,
        "frame": [[box.south, box.west], [box.north, box.east]],
        "all": features_bounds(layers),
    }


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
