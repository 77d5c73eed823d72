"""The input contract: one declared model for everything a user writes.

Article metadata, a layer's YAML (title, style, gazetteer entries), feature
properties per kind, and the map settings. The JSON Schemas that editors use
are generated from these models (``caucasus-map schema``), so the rules live
in one place. Every model forbids unknown keys and coerces nothing: a number
written as text, or a date left unquoted in YAML, is an error, not a guess.
"""

from __future__ import annotations

from typing import Annotated, Literal

from geojson_pydantic.geometries import Geometry
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from geo.rules import Alias, EventRule, RouteRule
from geo.types import (
    CountryCode,
    CssColor,
    DashPattern,
    FeatureId,
    Fraction,
    PartialDate,
    PositiveNumber,
    SourceId,
    SourceIds,
    Strict,
    Text,
    WebAddress,
    date_key,
)

GeometryKind = Literal["line", "polygon", "point"]
FeatureKind = Literal["route", "visit", "place", "area"]
RouteCertainty = Literal["waypoints", "approximate"]
LengthUnit = Literal["km"]
CapacityUnit = Literal["bbl/d", "t/y", "bcm/y", "TEU/y", "trains/d"]
# Properties the build adds to the export; an input may not set them.
RESERVED_PROPERTIES = frozenset(
    {
        "id",
        "layer",
        "layer_title",
        "computed_length_km",
        "computed_length_by_country_km",
        "cited_sources",
        "citations",
        "citation_count",
        "citations_complete",
        "full_citations",
    }
)
SEA = "sea"


# Article metadata (seeds/metadata.yaml)


class ArticleMeta(Strict):
    """Who published an article, and when."""

    title: Text | None = Field(None, description="the headline as printed")
    outlet: Text | None = Field(None, description="the newspaper, agency or site")
    author: Text | None = Field(None, description="only if the text names one")
    date: PartialDate | None = Field(
        None, description="publication date as the text states it: YYYY-MM-DD, YYYY-MM or YYYY"
    )
    date_note: Text | None = Field(None, description="how the date was inferred, if not stated")
    url: WebAddress | None = Field(None, description="where the article was published (http(s))")


# Layer YAML (layers/NAME.yaml)


class Arrowhead(Strict):
    """A filled triangle at the end of each line, pointing the way it was drawn, in pixels."""

    length: PositiveNumber = Field(description="from base to tip, in pixels")
    width: PositiveNumber = Field(description="across the base, in pixels")
    inset: Annotated[float, Field(ge=0, le=50, allow_inf_nan=False)] = Field(
        0, description="pixels between the tip and the line's end, clear of a marker drawn there"
    )


class Style(Strict):
    """How a layer is drawn."""

    color: CssColor = Field(description="#rrggbb or a CSS colour name")
    weight: PositiveNumber | None = Field(None, description="line width in pixels")
    opacity: Fraction | None = Field(None, description="line opacity, 0 to 1")
    fill_opacity: Fraction | None = Field(None, description="area fill opacity, 0 to 1")
    radius: PositiveNumber | None = Field(None, description="marker radius in pixels")
    dash: DashPattern | None = Field(None, description='dash pattern, such as "6 4"')
    arrowhead: Arrowhead | None = Field(
        None,
        description="an arrowhead at the last position of each line, so that the direction it "
        "is drawn in (a visit's, from origin to destination) shows; lines only",
    )


class CuratedQuote(Strict):
    """A passage that mentions a feature without naming it, linked by a person."""

    article: Text = Field(description="the article's file name in the seeds folder")
    quote: Text = Field(description="a verbatim passage of that article")


class GazetteerEntry(Strict):
    """What the gazetteer knows of one feature."""

    aliases: list[Alias] = Field([], description="names that cite the feature where they occur")
    exclusions: list[Text] = Field([], description="phrases inside which an alias does not count")
    citations: list[CuratedQuote] = Field(
        [], description="passages that mention the feature without naming it"
    )
    route: RouteRule | None = Field(None, description="how the route is named by its ends")
    event: EventRule | None = Field(None, description="how the visit is told as an event")
    refer: list[Text] = Field(
        [],
        description="nouns that refer back to the feature named just before in the paragraph: "
        "the corridor, the line, the project",
    )


class LayerConfig(Strict):
    """A layer: its title, order, GeoJSON file, geometry, style and gazetteer entries."""

    title: Text = Field(description="shown in the layer control and the legend")
    order: int = Field(description="position in the control and the legend (smallest first)")
    file: Text = Field(description="the layer's GeoJSON file, beside this YAML")
    geometry: GeometryKind = Field(description="what the features are drawn as")
    kind: FeatureKind | None = Field(
        None,
        description="which properties the features carry; by default route for lines, "
        "area for polygons and place for points",
    )
    description: str = Field("", description="one sentence on what the layer holds")
    style: Style
    features: dict[FeatureId, GazetteerEntry | None] = Field(
        {}, description="gazetteer entry of each feature id"
    )

    @model_validator(mode="after")
    def _arrowheads_end_lines(self) -> LayerConfig:
        if self.style.arrowhead is not None and self.geometry != "line":
            raise PydanticCustomError(
                "arrowhead-not-line",
                "style.arrowhead needs a line layer: a {geometry} has no end to point at",
                {"geometry": self.geometry},
            )
        return self

    @property
    def feature_kind(self) -> FeatureKind:
        """The kind of the layer's features, given or implied by the geometry."""
        implied: dict[str, FeatureKind] = {"line": "route", "polygon": "area", "point": "place"}
        return self.kind or implied[self.geometry]


# Feature properties (layers/NAME.geojson), one model per kind


class Fact(Strict):
    """One stated fact and who states it."""

    label: Text
    value: Text | int | float
    source: SourceIds = Field(
        description="id (or list of ids) in layers/sources.yaml of the documents that state it"
    )


class Quantity(Strict):
    """A published figure with its unit and its source."""

    value: PositiveNumber
    source: SourceIds = Field(description="id (or ids) in layers/sources.yaml of who publishes it")
    note: Text | None = Field(None, description="shown instead of the bare number")


class SplitPart(Strict):
    """The published length of a route inside one country, or at sea."""

    where: CountryCode | Literal["sea"] = Field(
        description='ISO 3166 alpha-2 code of the country, or "sea" for the offshore part'
    )
    value: PositiveNumber = Field(description="kilometres")
    source: SourceIds = Field(description="id (or ids) in layers/sources.yaml")


class Length(Quantity):
    """A published length, and where published, how it splits between countries."""

    unit: LengthUnit = "km"
    split: list[SplitPart] = Field(
        [], description="published lengths per country (and at sea), each with its source"
    )


class Capacity(Quantity):
    """A published capacity."""

    unit: CapacityUnit


class BaseProperties(Strict):
    """What every feature has."""

    name: Text = Field(description="the feature's name as the popup shows it")
    facts: list[Fact] = Field([], description="stated facts, each with its source")
    sources: list[SourceId] = Field(
        [],
        description="ids in layers/sources.yaml of the documents the feature as a whole is "
        "drawn or described from (its route, visitor, dates), beside those of its facts",
    )
    countries: list[CountryCode] = Field(
        [], description="ISO 3166 alpha-2 codes of the countries it lies in, such as AZ"
    )


class RouteProperties(BaseProperties):
    """A pipeline, railway or corridor."""

    status: Text = Field(description="one of the statuses in map.yaml, such as operating")
    route_certainty: RouteCertainty = Field(
        description="waypoints: drawn through published places; approximate: alignment not public"
    )
    route_note: Text = Field(description="how the line was drawn")
    published_length: Length = Field(description="the published length, its unit and source")
    capacity: Capacity | None = None
    waypoints: list[Text] = Field([], description="the places the line is drawn through")
    approximate_segments: list[Text] = Field([], description="stretches drawn approximately")


class VisitProperties(BaseProperties):
    """A diplomatic or military visit, drawn schematically from origin to destination."""

    visitor: Text = Field(description="who travelled, as the articles name them")
    counterpart: Text | None = Field(None, description="whom the visitor met")
    origin: Text = Field(description="where the visitor came from")
    destination: Text = Field(description="where the visit took place")
    via: list[Text] = Field([], description="stops on the way")
    date_start: PartialDate = Field(description="first day: YYYY-MM-DD, YYYY-MM or YYYY")
    date_end: PartialDate = Field(description="last day: YYYY-MM-DD, YYYY-MM or YYYY")
    dates_text: Text | None = Field(None, description="the dates as the sources word them")
    status: Text = Field(description="one of the statuses in map.yaml, such as took place")
    route_certainty: Literal["schematic"] = Field(
        description="a visit's line is schematic: from origin to destination, not a track"
    )
    route_note: Text = Field(description="how the line was drawn")

    @model_validator(mode="after")
    def _ends_after_start(self) -> VisitProperties:
        if date_key(self.date_end) < date_key(self.date_start):
            raise PydanticCustomError(
                "ends-before-start",
                "date_end {end} is before date_start {start}",
                {"end": self.date_end, "start": self.date_start},
            )
        return self


class PlaceProperties(BaseProperties):
    """A city, terminal, field or other place."""

    place_type: Text = Field(description="what the place is: city, terminal, gas field …")


class AreaProperties(BaseProperties):
    """A region drawn as an area."""

    place_type: Text = Field(description="what the area is: province, region …")
    geometry_note: Text | None = None


Properties = RouteProperties | VisitProperties | PlaceProperties | AreaProperties
PROPERTIES_BY_KIND: dict[str, type[BaseProperties]] = {
    "route": RouteProperties,
    "visit": VisitProperties,
    "place": PlaceProperties,
    "area": AreaProperties,
}


# The bibliography (layers/sources.yaml)

SourceKind = Literal["document", "article", "estimate"]


class Source(Strict):
    """One document a reader can look up, or the map's own estimate, named by its id."""

    kind: SourceKind = Field(
        "document",
        description="document: a public page with an address; article: a news article "
        "without one (such as a seed); estimate: the map's own estimate or identification",
    )
    publisher: Text = Field(description="who published it: outlet, operator, agency")
    title: Text = Field(description="its title, or a short description of it")
    published: PartialDate | None = Field(
        None, description="publication date YYYY-MM-DD, YYYY-MM or YYYY, if the page gives one"
    )
    address: WebAddress | None = Field(None, description="http(s) address of the document")
    consulted: PartialDate | None = Field(None, description="when the address was read: YYYY-MM-DD")
    states: Text | None = Field(None, description="what it states, in brief, for the reader")

    @model_validator(mode="after")
    def _document_can_be_looked_up(self) -> Source:
        if self.kind == "document" and (self.address is None or self.consulted is None):
            raise PydanticCustomError(
                "source-not-findable",
                "a document needs 'address' and 'consulted' so that a reader can look it up "
                "(use kind: article for an article without an address, kind: estimate for "
                "the map's own figures)",
            )
        return self


class SourcesFile(Strict):
    """layers/sources.yaml: every source that facts, lengths and capacities cite."""

    sources: dict[SourceId, Source] = Field(description="each source by its id")


# Map settings (layers/map.yaml)


class StatusStyle(Strict):
    """How one status is drawn and named in the legend."""

    dash: DashPattern | None = Field(None, description="dash pattern; none draws a solid line")
    legend: Text | None = Field(None, description="legend row for the status, if it has one")


class LegendRow(Strict):
    """One extra row of the legend."""

    label: Text
    color: CssColor = "#555555"
    shape: GeometryKind = "line"
    weight: PositiveNumber = 3
    opacity: Fraction = 1
    dash: DashPattern | None = None


class Region(Strict):
    """The box every coordinate must lie in (degrees)."""

    west: Annotated[float, Field(ge=-180, le=180)]
    south: Annotated[float, Field(ge=-90, le=90)]
    east: Annotated[float, Field(ge=-180, le=180)]
    north: Annotated[float, Field(ge=-90, le=90)]

    @model_validator(mode="after")
    def _sides_in_order(self) -> Region:
        if self.west >= self.east or self.south >= self.north:
            raise PydanticCustomError(
                "box-inside-out",
                "a box's west must be less than its east and its south less than its north "
                "(west {west}, east {east}, south {south}, north {north})",
                {"west": self.west, "east": self.east, "south": self.south, "north": self.north},
            )
        return self

    def contains(self, lon: float, lat: float) -> bool:
        """Whether [lon, lat] is inside the box."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north


class View(Strict):
    """Where the map opens: framed on a box, which the reader can leave with "fit all"."""

    frame: Region = Field(
        description="the box the map opens framed on (degrees); the whole of it is in view"
    )


class Approximate(Strict):
    """How a route of approximate alignment is drawn."""

    opacity: Fraction
    extra_weight: Annotated[float, Field(ge=0, le=20)]


class RouteCheck(Strict):
    """How far a drawn route may stray from its published length, split and countries."""

    length_tolerance: Fraction = Field(
        0.10, description="how far a drawn length may be from the published one"
    )
    approximate_length_tolerance: Fraction = Field(
        0.25,
        description="the same for a route whose alignment is not public (route_certainty "
        "approximate): its drawing cannot follow the bends that make up the published length",
    )

    foreign_km: Annotated[float, Field(ge=0, allow_inf_nan=False)] = Field(
        3, description="km a route may run inside a country not in its countries"
    )
    split_tolerance: Fraction = Field(
        0.15, description="how far a drawn per-country length may be from the published split"
    )
    split_slack_km: Annotated[float, Field(ge=0, allow_inf_nan=False)] = Field(
        5, description="km of difference always accepted, for short sections"
    )


class Timeline(Strict):
    """The time slider: how far a step moves its window, and how play moves it."""

    step_months: Annotated[int, Field(ge=1, le=120)] = Field(
        1, description="months the step buttons, and each step of play, move the window by"
    )
    play_window_months: Annotated[int, Field(ge=1, le=1200)] = Field(
        12,
        description="how many months wide the window is when play or a step starts from "
        "every date at once",
    )
    play_interval_ms: Annotated[int, Field(ge=100, le=10_000)] = Field(
        700, description="milliseconds between two steps of play"
    )


class AboutSection(Strict):
    """One section of the map's "About" panel: a heading and its paragraphs."""

    heading: Text
    text: Text = Field(description="plain text; a blank line starts a new paragraph")


class MapSettings(Strict):
    """The map as a whole: title, view, region, status styles and legend."""

    title: Text
    description: Text = Field(
        description="one sentence under the title on what the map shows (plain text)"
    )
    about: list[AboutSection] = Field(
        [], description="the About panel's sections; the sources and borders follow them"
    )
    view: View
    region: Region
    statuses: dict[Text, StatusStyle] = Field(description="every status a feature may have")
    approximate: Approximate
    legend_title: Text = "Legend"
    legend_rows: list[LegendRow] = Field(
        [], description="rows after the layers and statuses, such as what paleness means"
    )
    route_check: RouteCheck = Field(
        default_factory=RouteCheck, description="limits of the route check against the borders"
    )
    timeline: Timeline = Field(
        default_factory=Timeline,
        description="the time slider over dated features (visits) and article dates",
    )


class SchemaFeature(BaseModel):
    """A feature of a layer file, as the JSON Schema describes it."""

    type: Literal["Feature"]
    id: FeatureId
    geometry: Geometry
    properties: Properties


class LayerFile(BaseModel):
    """A layer's GeoJSON file, as the JSON Schema describes it (features validated one by one)."""

    type: Literal["FeatureCollection"]
    features: list[SchemaFeature]
