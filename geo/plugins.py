"""Map extensions, each a small folium element with a template, in folium's plugin style.

Our own JS and CSS ship with the package (geo/js/); third-party assets are
listed by name and pinned version in geo.assets.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2.utils import htmlsafe_json_dumps

from geo.assets import CSS_ASSETS, JS_ASSETS

_CSS_NAME = "cited_popups.css"
_JS_NAME = "cited_popups.js"
_LEGEND_JS = "legend.js"


def script_json(value: Any) -> str:
    """JSON that is safe to place inside a <script> element.

    Jinja's own ``htmlsafe_json_dumps`` (what its ``tojson`` filter uses) escapes
    '<', '>', '&' and "'", so no text can close the script or open a comment.
    """
    return str(
        htmlsafe_json_dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    )


def _package_text(name: str) -> str:
    return resources.files("geo").joinpath("js", name).read_text(encoding="utf-8")


class RawElement(Element):
    """Text placed into the page as it is.

    branca wraps every MacroElement's rendered output in a new Jinja template
    and renders it again, so article text such as ``{{ 7*7 }}`` or ``{% raw %}``
    would be evaluated or break the build. Our elements carry data, so they go
    in through this element, which is never parsed as a template.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text, unchanged."""
        return self.text


class DataMacroElement(MacroElement):
    """A MacroElement whose rendered header and script are not re-parsed by Jinja."""

    def __init__(self) -> None:
        # branca's initialiser carries no annotations.
        super().__init__()  # type: ignore[no-untyped-call]

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Render the template's macros into the page as raw text.

        branca's MacroElement.render returns nothing either; its stubs say str.
        """
        figure: Any = self.get_root()
        macros = self._template.module.__dict__
        for part, target in (("header", figure.header), ("script", figure.script)):
            if part in macros:
                target.add_child(RawElement(macros[part](self, kwargs)), name=self.get_name())


class CitedFigure(Figure):
    """branca's page, in English: its template with ``<html lang="en">``."""

    _template = folium.template.Template(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        "{% if this.title %}<title>{{this.title}}</title>{% endif %}"
        "    {{this.header.render(**kwargs)}}\n"
        "</head>\n"
        "<body>\n"
        "    {{this.html.render(**kwargs)}}\n"
        "</body>\n"
        "<script>\n"
        "    {{this.script.render(**kwargs)}}\n"
        "</script>\n"
        "</html>\n"
    )


_FOLIUM_MAP_MACROS = folium.Map._template.module.__dict__


class CitedMap(folium.Map):
    """folium.Map that loads only Leaflet (pinned), not jQuery, Bootstrap or icon fonts,
    on a page in English that the reader may zoom.

    folium's header asks for ``maximum-scale=1.0, user-scalable=no``, which stops a reader
    enlarging the text (WCAG 1.4.4); ours is its header with a viewport that allows it.
    The map's element and script are folium's own macros.
    """

    default_js = [(a.name, a.cdn_url) for a in JS_ASSETS]  # noqa: RUF012 (folium reads the class attribute)
    default_css = [(a.name, a.cdn_url) for a in CSS_ASSETS]  # noqa: RUF012
    _template = folium.template.Template(
        """
{% macro header(this, kwargs) %}
<meta name="viewport" content="width=device-width, initial-scale=1" />
<style>
#{{ this.get_name() }} {
    position: {{this.position}};
    width: {{this.width[0]}}{{this.width[1]}};
    height: {{this.height[0]}}{{this.height[1]}};
    left: {{this.left[0]}}{{this.left[1]}};
    top: {{this.top[0]}}{{this.top[1]}};
}
.leaflet-container { font-size: {{this.font_size}}; }
html, body { width: 100%; height: 100%; margin: 0; padding: 0; }
#map { position: absolute; top: 0; bottom: 0; right: 0; left: 0; }
</style>
<script>
L_NO_TOUCH = {{ this.global_switches.no_touch |tojson}};
L_DISABLE_3D = {{ this.global_switches.disable_3d|tojson }};
</script>
{% endmacro %}
{% macro html(this, kwargs) %}{{ this.folium_macro("html", kwargs) }}{% endmacro %}
{% macro script(this, kwargs) %}{{ this.folium_macro("script", kwargs) }}{% endmacro %}
"""
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        CitedFigure().add_child(self)

    def folium_macro(self, part: str, kwargs: dict[str, Any]) -> str:
        """folium.Map's own macro of that part (html, script) for this map."""
        return str(_FOLIUM_MAP_MACROS[part](self, kwargs))


class CitedPopups(DataMacroElement):
    """Binds a popup and a tooltip to every feature, rendered from one JSON table of excerpts."""

    _template = folium.template.Template(
        """
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
{{ this.js }}
var {{ this.get_name() }} = window.citedMap.bind(
    {{ this._parent.get_name() }},
    {{ this.data_json }},
    [{% for name in this.layer_names %}{{ name }}{% if not loop.last %}, {% endif %}{% endfor %}]
);
{% endmacro %}
"""
    )

    def __init__(self, data: dict[str, Any], layers: list[folium.GeoJson]) -> None:
        super().__init__()
        self._name = "CitedPopups"
        self.data_json = script_json(data)
        self.layers = layers
        self.css = _package_text(_CSS_NAME)
        self.js = _package_text(_JS_NAME)

    @property
    def layer_names(self) -> list[str]:
        """JS variable names of the GeoJSON layers to bind."""
        return [layer.get_name() for layer in self.layers]


class Legend(DataMacroElement):
    """A legend control built from data with DOM nodes (no HTML from strings)."""

    _template = folium.template.Template(
        """
{% macro script(this, kwargs) %}
{{ this.js }}
window.citedLegend({{ this._parent.get_name() }}, {{ this.options_json }}, [
{%- for group in this.groups %}
  {{ group.get_name() }}{% if not loop.last %},{% endif %}
{%- endfor %}
]);
{% endmacro %}
"""
    )

    def __init__(
        self, title: str, items: list[dict[str, Any]], groups: list[folium.FeatureGroup]
    ) -> None:
        """groups: the layers' groups, whose rows (the first items, in order) show only
        while the group is on the map."""
        super().__init__()
        self._name = "Legend"
        self.options_json = script_json({"title": title, "items": items})
        self.groups = groups
        self.js = _package_text(_LEGEND_JS)


class PanelPlugin(DataMacroElement):
    """A plugin of one stylesheet and one script whose object starts on the map with its
    table: ``window.<init_object>.init(map, data)``. Subclasses name the three."""

    css_file = ""
    js_file = ""
    init_object = ""
    _template = folium.template.Template(
        """
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
{{ this.js }}
window.{{ this.init_object }}.init({{ this._parent.get_name() }}, {{ this.data_json }});
{% endmacro %}
"""
    )

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = type(self).__name__
        self.data_json = script_json(data)
        self.css = _package_text(self.css_file)
        self.js = _package_text(self.js_file)


class Reader(PanelPlugin):
    """Search, the article panel, the list of articles and the permalinks (geo.reader's table).

    Added after CitedPopups: it selects features through the popups' registry.
    """

    css_file = "reader.css"
    js_file = "reader.js"
    init_object = "citedReader"


class FeatureVisibility(DataMacroElement):
    """Which features each filter hides or dims, kept across Leaflet redrawing them.

    Added after CitedPopups (it follows their registry of features) and before the
    arrowheads, the time slider and the reader, whose filters go through it.
    """

    css_file = "visibility.css"
    js_file = "visibility.js"
    _template = folium.template.Template(
        """
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
{{ this.js }}
window.citedVisibility.init({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FeatureVisibility"
        self.css = _package_text(self.css_file)
        self.js = _package_text(self.js_file)


class Arrowheads(DataMacroElement):
    """An arrowhead at the end of each line of the layers whose style asks for one."""

    js_file = "arrows.js"
    _template = folium.template.Template(
        """
{% macro script(this, kwargs) %}
{{ this.js }}
window.citedArrows({{ this._parent.get_name() }}, [
{%- for layer, size in this.groups %}
  [{{ layer.get_name() }}, {{ size }}]{% if not loop.last %},{% endif %}
{%- endfor %}
]);
{% endmacro %}
"""
    )

    def __init__(self, groups: list[tuple[folium.GeoJson, dict[str, float]]]) -> None:
        super().__init__()
        self._name = "Arrowheads"
        self.groups = [(layer, script_json(size)) for layer, size in groups]
        self.js = _package_text(self.js_file)


class Timeline(PanelPlugin):
    """The time slider over the dated features and the articles' dates (geo.timeline's table).

    Added before the Reader, which keeps its window in the address.
    """

    css_file = "timeline.css"
    js_file = "timeline.js"
    init_object = "citedTimeline"


class Frame(PanelPlugin):
    """The header and About panel, and the opening view (geo.frame's table).

    Added first, so that a permalink restored by the Reader moves from this view.
    """

    css_file = "frame.css"
    js_file = "frame.js"
    init_object = "citedFrame"


class FrameControls(DataMacroElement):
    """The Frame's controls: view buttons, overview map, small-screen folding and the
    selected feature's highlight.

    Added after the popups (it follows their registry) and the layer control (which it
    folds on small screens).
    """

    _template = folium.template.Template(
        """
{% macro script(this, kwargs) %}
window.citedFrame.controls({{ this._parent.get_name() }}, {{ this.layer_control.get_name() }},
  {{ this.borders.get_name() if this.borders else "null" }});
{% endmacro %}
"""
    )

    def __init__(self, layer_control: folium.LayerControl, borders: folium.GeoJson | None) -> None:
        super().__init__()
        self._name = "FrameControls"
        self.layer_control = layer_control
        self.borders = borders


def stable_ids(root: Element) -> None:
    """Replace folium's random element ids with ones numbered in tree order."""
    counter = 0

    def visit(element: Element) -> None:
        nonlocal counter
        counter += 1
        element._id = f"{counter:08x}"
        for child in element._children.values():
            visit(child)

    visit(root)


class Access(PanelPlugin):
    """Keyboard use: a skip link, the controls before the features in the tab order, and
    each feature focusable, named and opened with Enter (geo/js/access.js); with focus
    rings and text contrast to WCAG AA (geo/js/access.css).

    Added after the controls and CitedPopups: it moves the controls and follows the
    popups' registry of features. Its table is the Crowding's (geo.crowding): each
    feature's name and its layer's title, which name it.
    """

    css_file = "access.css"
    js_file = "access.js"
    init_object = "citedAccess"


class Crowding(PanelPlugin):
    """Markers that would overlap spread on a ring with leader lines, and a chooser where a
    click falls on several lines or areas (geo/js/crowding.js); the table: each feature's
    name and its layer's title.

    Added after CitedPopups and the arrowheads: it spreads the registered markers and opens
    the registered popups.
    """

    css_file = "crowding.css"
    js_file = "crowding.js"
    init_object = "citedCrowding"
