"""Render: the layered Folium map and the GeoJSON export, from layers and their citations."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

import folium
from shapely.geometry import mapping

from geo.articles import Article
from geo.basemap import borders_text
from geo.bibliography import Bibliography
from geo.crowding import crowding_table
from geo.features import Feature
from geo.frame import corpus_summary, frame_data
from geo.layers import Layer
from geo.mentions import Citation
from geo.models import (
    LegendRow,
    MapSettings,
    RouteProperties,
    VisitProperties,
)
from geo.plugins import (
    Access,
    Arrowheads,
    CitedMap,
    CitedPopups,
    Crowding,
    FeatureVisibility,
    Frame,
    FrameControls,
    Legend,
    RawElement,
    Reader,
    Timeline,
    stable_ids,
)
from geo.popups import popup_data
from geo.reader import reader_page
from geo.timeline import timeline_data

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
BORDERS_ATTRIBUTION = "Borders: Natural Earth (public domain)"
BORDERS_NAME = "Country borders (offline)"
TILES_NAME = "OpenStreetMap tiles (needs the network)"
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


def _borders_layer() -> folium.GeoJson:
    return folium.GeoJson(
        json.loads(borders_text()),
        name=BORDERS_NAME,
        style_function=lambda _: {
            "color": "#8a8a8a",
            "weight": 0.8,
            "fillColor": "#f3f1ea",
            "fillOpacity": 1.0,
        },
        interactive=False,
        overlay=False,
        attribution=BORDERS_ATTRIBUTION,
    )


def build_map(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    settings: MapSettings,
    bibliography: Bibliography,
    *,
    offline_basemap: bool = False,
    popup_table: dict[str, Any] | None = None,
    reader_table: dict[str, Any] | None = None,
    summary: dict[str, Any] | None = None,
) -> folium.Map:
    """The folium map: one overlay per layer, popups with cited excerpts, legend, fitted view,
    search and the article panel.

    popup_table: the popups' data if already made (popup_data), such as one whose
    excerpts live in files beside the page; reader_table likewise (geo.reader.reader_page);
    summary: the header's figures of the corpus (geo.frame.corpus_summary), if the
    articles are not given.
    """
    view = settings.view
    frame = view.frame
    fmap = CitedMap(
        location=[(frame.south + frame.north) / 2, (frame.west + frame.east) / 2],
        zoom_start=6,
        tiles=None,
        control_scale=True,
        min_zoom=2,
    )
    header = fmap.get_root().header  # type: ignore[attr-defined]
    header.add_child(
        # Raw: a folium Element is a Jinja template, which would run "{{ 7*7 }}" in a title.
        RawElement(f"<title>{html.escape(settings.title)}</title>"),
        name="page_title",
    )
    borders = _add_basemap(fmap, offline_basemap)
    figures = summary if summary is not None else corpus_summary(articles)
    Frame(frame_data(settings, bibliography, layers, figures)).add_to(fmap)
    drawn = [_add_layer(fmap, layer, settings) for layer in layers]
    table = popup_table or popup_data(layers, citations, articles, bibliography)
    CitedPopups(table, drawn).add_to(fmap)
    reader = reader_table or reader_page(layers, citations, articles, None)[0]
    _add_direction_and_time(fmap, layers, drawn, reader, settings)
    names = crowding_table(layers)
    Crowding(names).add_to(fmap)
    layer_control = folium.LayerControl(collapsed=False)
    layer_control.add_to(fmap)
    # Before the Reader, which may open a permalink's popup: the Frame places it.
    FrameControls(layer_control, borders).add_to(fmap)
    Reader(reader).add_to(fmap)
    groups = [
        group for geojson in drawn if isinstance(group := geojson._parent, folium.FeatureGroup)
    ]
    Legend(settings.legend_title, legend_items(layers, settings), groups).add_to(fmap)
    Access(names).add_to(fmap)
    stable_ids(fmap.get_root())
    return fmap


def _add_direction_and_time(
    fmap: folium.Map,
    layers: Sequence[Layer],
    drawn: Sequence[folium.GeoJson],
    reader: dict[str, Any],
    settings: MapSettings,
) -> None:
    """The filters' state, the arrowheads of the layers that ask for them, and the time
    slider when anything is dated; all before the reader, which uses them."""
    FeatureVisibility().add_to(fmap)
    arrows = [
        (geojson, layer.style.arrowhead.model_dump())
        for geojson, layer in zip(drawn, layers, strict=True)
        if layer.style.arrowhead is not None
    ]
    if arrows:
        Arrowheads(arrows).add_to(fmap)
    timeline = timeline_data(layers, reader["date_runs"], settings.timeline)
    if timeline is not None:
        Timeline(timeline).add_to(fmap)


def _add_basemap(fmap: folium.Map, offline: bool) -> folium.GeoJson | None:
    """Offline borders, with tiles as a basemap the reader may choose; or plain tiles.

    The tiles are off until chosen: whether a browser reports itself online says little
    (headless Chromium cut off from the network still does), and a cited map should
    make no request its reader did not ask for.
    """
    if offline:
        fmap.get_root().header.add_child(  # type: ignore[attr-defined]
            folium.Element("<style>.leaflet-container{background:#cfe3ee !important}</style>"),
            name="sea_colour",
        )
        borders = _borders_layer()
        borders.add_to(fmap)
        folium.TileLayer(
            TILES_URL, attr=TILES_ATTRIBUTION, name=TILES_NAME, show=False, max_zoom=19
        ).add_to(fmap)
        return borders
    else:
        folium.TileLayer(
            TILES_URL, attr=TILES_ATTRIBUTION, name="OpenStreetMap", control=False
        ).add_to(fmap)
        return None


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
