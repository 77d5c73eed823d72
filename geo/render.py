"""Render: the layered Folium map and the GeoJSON export, from layers and their citations."""

from __future__ import annotations

import base64
import gzip
import html
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import folium
from shapely.geometry import mapping

from geo.articles import Article
from geo.basemap import borders_text
from geo.layers import Feature, Layer
from geo.mentions import Citation
from geo.models import (
    AreaProperties,
    BaseProperties,
    LegendRow,
    MapSettings,
    PlaceProperties,
    RouteProperties,
    VisitProperties,
)
from geo.plugins import CitedMap, CitedPopups, Legend, OnlineTiles, stable_ids

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
BORDERS_ATTRIBUTION = "Borders: Natural Earth (public domain)"
# Excerpts per compressed chunk of the page's table: small enough that opening a
# popup inflates little, large enough to compress well.
EXCERPTS_PER_CHUNK = 2000
LEGEND_GREY = "#555555"


def control_label(title: str) -> str:
    """A layer title as Leaflet's layer control needs it.

    The control writes names as HTML, so they are escaped; folium passes them
    through Jinja a second time, so braces become entities too.
    """
    return html.escape(title).replace("{", "&#123;").replace("}", "&#125;")


def feature_style(layer: Layer, feature: Feature, settings: MapSettings) -> dict[str, Any]:
    """Leaflet path style: colour by layer, dashes by status, pale and broad when approximate."""
    props, style_in = feature.properties, layer.style
    style: dict[str, Any] = {
        "color": style_in.color,
        "weight": style_in.weight or 3,
        "opacity": style_in.opacity if style_in.opacity is not None else 0.9,
    }
    if layer.geometry_kind == "polygon":
        fill = style_in.fill_opacity if style_in.fill_opacity is not None else 0.2
        style.update(fillColor=style_in.color, fillOpacity=fill)
    dash = None
    if isinstance(props, RouteProperties):
        dash = settings.statuses[props.status].dash
        if props.route_certainty == "approximate":
            style["opacity"] = settings.approximate.opacity
            style["weight"] = style["weight"] + settings.approximate.extra_weight
    elif isinstance(props, VisitProperties):
        dash = style_in.dash or "1 6"
    if dash:
        style["dashArray"] = dash
    return style


def legend_items(layers: Sequence[Layer], settings: MapSettings) -> list[dict[str, Any]]:
    """Legend rows: one per layer colour, one per named status, then the rows of map.yaml."""
    layer_rows = [
        LegendRow(
            label=layer.title,
            color=layer.style.color,
            shape=layer.config.geometry,
            weight=layer.style.weight or 3,
        )
        for layer in layers
    ]
    status_rows = [
        LegendRow(label=status.legend, color=LEGEND_GREY, dash=status.dash)
        for status in settings.statuses.values()
        if status.legend
    ]
    rows = [*layer_rows, *status_rows, *settings.legend_rows]
    return [row.model_dump(exclude_none=True) for row in rows]


def _length_facts(feature: Feature) -> list[dict[str, str]]:
    props = feature.properties
    if feature.computed_length_km is None or not isinstance(props, RouteProperties):
        return []
    length = props.published_length
    published, computed = length.value, feature.computed_length_km
    return [
        {
            "label": "Published length",
            "value": length.note or f"{published:,.0f} {length.unit}",
            "source": length.source,
        },
        {
            "label": "Drawn length",
            "value": f"{computed:,.0f} km ({computed / published:.0%} of the published "
            f"{published:,.0f} km)",
            "source": "computed by this map along the drawn line (geodesic, WGS84, pyproj)",
        },
    ]


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


def _visit_facts(props: BaseProperties) -> list[dict[str, str]]:
    if not isinstance(props, VisitProperties):
        return []
    return [
        {"label": "Visitor", "value": props.visitor, "source": ""},
        {"label": "Travel", "value": f"{props.origin} → {props.destination}", "source": ""},
    ]


def _note(props: BaseProperties) -> str:
    if isinstance(props, RouteProperties | VisitProperties):
        return props.route_note
    return ""


def popup_data(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
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
        refs[c.feature_id].append([number[r, start, c.end], c.highlights, r])
    features: dict[str, Any] = {}
    for layer in layers:
        for feature in layer.features:
            props = feature.properties
            features[feature.id] = {
                "name": props.name,
                "subtitle": _subtitle(layer, feature),
                "note": _note(props),
                "facts": [
                    *_visit_facts(props),
                    *(
                        {"label": f.label, "value": str(f.value), "source": f.source}
                        for f in props.facts
                    ),
                    *_length_facts(feature),
                ],
                "citations": sorted(refs.get(feature.id, []), key=lambda ref: ref[0]),
            }
    excerpts = [[start, end, order[r].text[start:end]] for r, start, end in keys]
    return {
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "outlet": a.outlet,
                "date": a.date,
                "author": a.author or "",
                "date_note": a.date_note or "",
                "url": a.url or "",
            }
            for a in order
        ],
        "chunk_size": EXCERPTS_PER_CHUNK,
        "excerpt_chunks": [
            compressed_json(excerpts[i : i + EXCERPTS_PER_CHUNK])
            for i in range(0, len(excerpts), EXCERPTS_PER_CHUNK)
        ],
        "features": features,
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


def _layer_geojson(layer: Layer) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f.id,
                "properties": {"id": f.id},
                "geometry": mapping(f.geometry),
            }
            for f in layer.features
        ],
    }


def _bounds(layers: Sequence[Layer]) -> list[list[float]]:
    boxes = [f.geometry.bounds for layer in layers for f in layer.features]
    west = min(b[0] for b in boxes)
    south = min(b[1] for b in boxes)
    east = max(b[2] for b in boxes)
    north = max(b[3] for b in boxes)
    return [[south, west], [north, east]]


def _borders_layer() -> folium.GeoJson:
    return folium.GeoJson(
        json.loads(borders_text()),
        name="Country borders (offline)",
        style_function=lambda _: {
            "color": "#8a8a8a",
            "weight": 0.8,
            "fillColor": "#f3f1ea",
            "fillOpacity": 1.0,
        },
        interactive=False,
        control=False,
        attribution=BORDERS_ATTRIBUTION,
    )


def build_map(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    settings: MapSettings,
    *,
    offline_basemap: bool = False,
) -> folium.Map:
    """The folium map: one overlay per layer, popups with cited excerpts, legend, fitted view."""
    view = settings.view
    fmap = CitedMap(location=view.center, zoom_start=view.zoom, tiles=None, control_scale=True)
    header = fmap.get_root().header  # type: ignore[attr-defined]
    header.add_child(
        folium.Element(f"<title>{html.escape(settings.title)}</title>"), name="page_title"
    )
    _add_basemap(fmap, offline_basemap)
    drawn = [_add_layer(fmap, layer, settings) for layer in layers]
    CitedPopups(popup_data(layers, citations, articles), drawn).add_to(fmap)
    Legend(settings.legend_title, legend_items(layers, settings)).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if view.fit_features:
        fmap.fit_bounds(_bounds(layers))
    stable_ids(fmap.get_root())
    return fmap


def _add_basemap(fmap: folium.Map, offline: bool) -> None:
    """Offline borders with tiles only when online, or plain tiles."""
    if offline:
        fmap.get_root().header.add_child(  # type: ignore[attr-defined]
            folium.Element("<style>.leaflet-container{background:#cfe3ee !important}</style>"),
            name="sea_colour",
        )
        _borders_layer().add_to(fmap)
        OnlineTiles(TILES_URL, TILES_ATTRIBUTION).add_to(fmap)
    else:
        folium.TileLayer(
            TILES_URL, attr=TILES_ATTRIBUTION, name="OpenStreetMap", control=False
        ).add_to(fmap)


def _add_layer(fmap: folium.Map, layer: Layer, settings: MapSettings) -> folium.GeoJson:
    """One overlay: the layer's features, styled, in a group of their own."""
    group = folium.FeatureGroup(name=control_label(layer.title), show=True)
    styles = {f.id: feature_style(layer, f, settings) for f in layer.features}
    marker = None
    if layer.geometry_kind == "point":
        marker = folium.CircleMarker(
            radius=layer.style.radius or 6,
            fill=True,
            fill_opacity=0.85,
            color=layer.style.color,
            fill_color=layer.style.color,
        )
    geojson = folium.GeoJson(
        _layer_geojson(layer),
        name=control_label(layer.title),
        style_function=lambda f, styles=styles: styles[f["id"]],
        marker=marker,
        control=False,
    )
    geojson.add_to(group)
    group.add_to(fmap)
    return geojson


def export_geojson(
    layers: Sequence[Layer], citations: Sequence[Citation], articles: Sequence[Article]
) -> dict[str, Any]:
    """FeatureCollection of every feature with its properties and its citations."""
    by_id = {a.id: a for a in articles}
    cited: dict[str, list[Citation]] = {}
    for c in citations:
        cited.setdefault(c.feature_id, []).append(c)
    features = []
    for layer in layers:
        for f in layer.features:
            # Computed fields come last, so that no input property can stand in for them
            # (the loader also rejects inputs that try).
            props = {
                **f.properties.model_dump(mode="json", exclude_unset=True),
                "id": f.id,
                "layer": layer.id,
                "layer_title": layer.title,
            }
            if f.computed_length_km is not None:
                props["computed_length_km"] = round(f.computed_length_km, 1)
            props["citations"] = [
                {
                    "article": c.article_id,
                    "title": by_id[c.article_id].title,
                    "outlet": by_id[c.article_id].outlet,
                    "date": by_id[c.article_id].date,
                    "excerpt": by_id[c.article_id].text[c.start : c.end],
                    "start": c.start,
                    "end": c.end,
                    "highlights": [list(h) for h in c.highlights],
                    "curated": c.curated,
                }
                for c in sorted(cited.get(f.id, []), key=lambda c: (c.article_id, c.start))
            ]
            features.append(
                {
                    "type": "Feature",
                    "id": f.id,
                    "properties": props,
                    "geometry": mapping(f.geometry),
                }
            )
    return {"type": "FeatureCollection", "features": features}
