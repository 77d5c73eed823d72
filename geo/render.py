"""Render: the layered Folium map and the GeoJSON export, from layers and their citations."""

from __future__ import annotations

import base64
import gzip
import html
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import folium
from shapely.geometry import mapping

from geo.articles import Article
from geo.basemap import borders_text
from geo.layers import Feature, Layer
from geo.mentions import Citation
from geo.plugins import CitedMap, CitedPopups, Legend, OnlineTiles, stable_ids

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
BORDERS_ATTRIBUTION = "Borders: Natural Earth (public domain)"
STATUS_DASH = {"planned": "10 8", "proposed": "2 7", "under construction": "12 5 3 5"}
APPROXIMATE = {"opacity": 0.55, "extra_weight": 3}
LENGTH_TOLERANCE = 0.10
# Excerpts per compressed chunk of the page's table: small enough that opening a
# popup inflates little, large enough to compress well.
EXCERPTS_PER_CHUNK = 2000


def control_label(title: str) -> str:
    """A layer title as Leaflet's layer control needs it.

    The control writes names as HTML, so they are escaped; folium passes them
    through Jinja a second time, so braces become entities too.
    """
    return html.escape(title).replace("{", "&#123;").replace("}", "&#125;")


def feature_style(layer: Layer, feature: Feature) -> dict[str, Any]:
    """Leaflet path style: colour by layer, dashes by status, pale and broad when approximate."""
    props = feature.properties
    style: dict[str, Any] = {
        "color": layer.style["color"],
        "weight": layer.style.get("weight", 3),
        "opacity": layer.style.get("opacity", 0.9),
    }
    if layer.geometry_kind == "polygon":
        style.update(
            fillColor=layer.style["color"], fillOpacity=layer.style.get("fill_opacity", 0.2)
        )
    dash = STATUS_DASH.get(props.get("status", ""))
    if props.get("route_certainty") == "schematic":
        dash = layer.style.get("dash", "1 6")
    if dash:
        style["dashArray"] = dash
    if props.get("route_certainty") == "approximate":
        style["opacity"] = APPROXIMATE["opacity"]
        style["weight"] = style["weight"] + APPROXIMATE["extra_weight"]
    return style


def legend_items(layers: Sequence[Layer]) -> list[dict[str, Any]]:
    """Legend rows: one per layer colour, then what dashes and paleness mean."""
    items: list[dict[str, Any]] = [
        {
            "label": layer.title,
            "color": layer.style["color"],
            "shape": layer.geometry_kind,
            "weight": layer.style.get("weight", 3),
        }
        for layer in layers
    ]
    grey = "#555555"
    items += [
        {"label": "operating (solid)", "color": grey, "shape": "line", "weight": 3},
        *(
            {"label": status, "color": grey, "shape": "line", "weight": 3, "dash": dash}
            for status, dash in STATUS_DASH.items()
        ),
        {
            "label": "approximate alignment (broad, pale)",
            "color": grey,
            "shape": "line",
            "weight": 6,
            "opacity": APPROXIMATE["opacity"],
        },
        {"label": "visit: schematic travel line", "color": grey, "shape": "line", "dash": "1 6"},
    ]
    return items


def _length_facts(feature: Feature) -> list[dict[str, str]]:
    props = feature.properties
    if feature.computed_length_km is None or "published_length_km" not in props:
        return []
    published = float(props["published_length_km"])
    computed = feature.computed_length_km
    note = props.get("published_length_note")
    facts = [
        {
            "label": "Published length",
            "value": str(note) if note else f"{published:,.0f} km",
            "source": str(props["length_source"]),
        },
        {
            "label": "Drawn length",
            "value": f"{computed:,.0f} km ({computed / published:.0%} of the published "
            f"{published:,.0f} km)",
            "source": "computed by this map along the drawn line (geodesic, WGS84, pyproj)",
        },
    ]
    return facts


def _subtitle(layer: Layer, feature: Feature) -> str:
    props = feature.properties
    parts = [layer.title]
    if props.get("status"):
        parts.append(str(props["status"]))
    if props.get("route_certainty") == "approximate":
        parts.append("approximate alignment")
    if props.get("place_type"):
        parts.append(str(props["place_type"]))
    return " · ".join(parts)


def _visit_facts(props: Mapping[str, Any]) -> list[dict[str, str]]:
    if "visitor" not in props:
        return []
    return [
        {"label": "Visitor", "value": str(props["visitor"]), "source": ""},
        {
            "label": "Travel",
            "value": f"{props.get('origin', '?')} → {props.get('destination', '?')}",
            "source": "",
        },
    ]


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
                "name": props["name"],
                "subtitle": _subtitle(layer, feature),
                "note": str(props.get("route_note", "")),
                "facts": [
                    *_visit_facts(props),
                    *(
                        {k: str(f.get(k, "")) for k in ("label", "value", "source")}
                        for f in props.get("facts", [])
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
    *,
    offline_basemap: bool = False,
    title: str = "Cited map: South Caucasus corridors, pipelines and visits",
) -> folium.Map:
    """The folium map: one overlay per layer, popups with cited excerpts, legend, fitted view."""
    fmap = CitedMap(location=[40.4, 49.9], zoom_start=4, tiles=None, control_scale=True)
    fmap.get_root().header.add_child(
        folium.Element(f"<title>{html.escape(title)}</title>"), name="page_title"
    )
    if offline_basemap:
        fmap.get_root().header.add_child(
            folium.Element("<style>.leaflet-container{background:#cfe3ee !important}</style>"),
            name="sea_colour",
        )
        _borders_layer().add_to(fmap)
        OnlineTiles(TILES_URL, TILES_ATTRIBUTION).add_to(fmap)
    else:
        folium.TileLayer(
            TILES_URL, attr=TILES_ATTRIBUTION, name="OpenStreetMap", control=False
        ).add_to(fmap)
    drawn: list[folium.GeoJson] = []
    for layer in layers:
        group = folium.FeatureGroup(name=control_label(layer.title), show=True)
        styles = {f.id: feature_style(layer, f) for f in layer.features}
        marker = None
        if layer.geometry_kind == "point":
            marker = folium.CircleMarker(
                radius=layer.style.get("radius", 6),
                fill=True,
                fill_opacity=0.85,
                color=layer.style["color"],
                fill_color=layer.style["color"],
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
        drawn.append(geojson)
    CitedPopups(popup_data(layers, citations, articles), drawn).add_to(fmap)
    Legend("Legend", legend_items(layers)).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds(_bounds(layers))
    stable_ids(fmap.get_root())
    return fmap


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
                **f.properties,
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
