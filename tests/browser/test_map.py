"""The map as a reader sees it: layers, toggles, clicks, popups, the view. Offline throughout."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
from playwright.sync_api import Page

from geo.build import BuildResult
from tests.browser.conftest import Watch, open_offline
from tests.project import ALL_FEATURES, ARTIFACTS, PROJECT

pytestmark = pytest.mark.browser

LAYERS = PROJECT[1]
COUNT_SHAPES = "document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"


def control_labels(page: Page) -> dict[str, Any]:
    return {
        label.inner_text().strip(): label.locator("input")
        for label in page.locator(".leaflet-control-layers-overlays label").all()
    }


def test_every_layer_is_in_the_layer_control_and_on(page: Page) -> None:
    labels = control_labels(page)
    assert sorted(labels) == sorted(layer.title for layer in LAYERS)
    assert all(box.is_checked() for box in labels.values())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-loaded.png"))


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.id)
def test_unticking_a_layer_removes_its_features(page: Page, layer: Any) -> None:
    box = control_labels(page)[layer.title]
    before = page.evaluate(COUNT_SHAPES)
    box.uncheck()
    assert page.evaluate(COUNT_SHAPES) == before - len(layer.features)
    box.check()
    assert page.evaluate(COUNT_SHAPES) == before


def pixel_of(page: Page, lon: float, lat: float) -> tuple[float, float]:
    point = page.evaluate(
        """([lat, lon]) => {
            const map = window.citedMap.map;
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""",
        [lat, lon],
    )
    return point[0], point[1]


@pytest.mark.parametrize(
    ("feature_id", "lon", "lat", "zoom"),
    [
        # A vertex of TAP in northern Greece, far from other features.
        ("tap", None, None, 7),
        # The middle of Syunik.
        ("zangezur-area", 46.05, 39.45, 9),
        ("moscow", 37.62, 55.76, 7),
    ],
)
def test_a_real_click_opens_the_popup(
    page: Page, feature_id: str, lon: float | None, lat: float | None, zoom: int
) -> None:
    feature = next(f for f in ALL_FEATURES if f.id == feature_id)
    if lon is None:
        coords = list(feature.geometry.coords)
        lon, lat = coords[len(coords) // 2]
    page.evaluate(
        "([lat, lon, z]) => window.citedMap.map.setView([lat, lon], z, {animate: false})",
        [lat, lon, zoom],
    )
    x, y = pixel_of(page, lon, lat)
    page.mouse.click(x, y)
    popup = page.locator(f".cm-popup[data-feature='{feature_id}'][data-ready]")
    popup.wait_for(state="visible", timeout=3000)
    assert feature.properties.name in popup.inner_text()
    if feature_id == "tap":
        page.wait_for_timeout(400)  # let Leaflet's fade-in finish before the picture
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map-popup.png"))


def open_popup(page: Page, feature_id: str) -> str:
    """Open a feature's popup and read it, every page of its excerpts, as a reader would."""
    page.evaluate(
        "id => { const l = window.citedMap.map.citedFeatures[id];"
        " l.openPopup(l.getLatLng ? l.getLatLng() : undefined); }",
        feature_id,
    )
    selector = f".cm-popup[data-feature='{feature_id}']"
    popup = page.locator(f"{selector}[data-ready]")
    popup.wait_for(state="visible", timeout=3000)
    # Let the first page's pan finish, so that no click lands while the map moves.
    page.wait_for_function(
        "() => !window.citedMap.map._panAnim || !window.citedMap.map._panAnim._inProgress"
    )
    texts = [popup.inner_text()]
    nxt = popup.locator(".cm-next")
    while nxt.count() and nxt.is_visible() and nxt.is_enabled():
        shown = popup.get_attribute("data-page")
        nxt.click()
        page.wait_for_function(
            "([sel, shown]) => { const p = document.querySelector(sel);"
            " return p.getAttribute('data-ready') === 'true'"
            " && p.getAttribute('data-page') !== shown; }",
            arg=[selector, shown],
        )
        texts.append(popup.locator(".cm-citations").inner_text())
    return "\n".join(texts)


@pytest.mark.parametrize("feature_id", [f.id for f in ALL_FEATURES])
def test_popup_shows_every_excerpt_with_outlet_and_date(
    page: Page, feature_id: str, offline_build: Any
) -> None:
    exported = json.loads(offline_build.outputs[1].read_text(encoding="utf-8"))
    [feature] = [f for f in exported["features"] if f["id"] == feature_id]
    text = open_popup(page, feature_id)
    assert feature["properties"]["name"] in text
    for citation in feature["properties"]["citations"]:
        assert " ".join(citation["excerpt"].split()) in " ".join(text.split())
        assert f"{citation['outlet']} · {citation['date']}" in text
    box = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["height"] <= viewport["height"]


def test_all_features_fits_every_feature(page: Page) -> None:
    page.get_by_role("button", name="All features", exact=True).click()
    west = min(f.geometry.bounds[0] for f in ALL_FEATURES)
    south = min(f.geometry.bounds[1] for f in ALL_FEATURES)
    east = max(f.geometry.bounds[2] for f in ALL_FEATURES)
    north = max(f.geometry.bounds[3] for f in ALL_FEATURES)
    view = page.evaluate(
        "() => { const b = window.citedMap.map.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
    )
    assert view[0] <= west and view[1] <= south and view[2] >= east and view[3] >= north
    # Fitted, not merely zoomed out: the features fill a good part of the view.
    assert (east - west) / (view[2] - view[0]) > 0.4 or (north - south) / (view[3] - view[1]) > 0.4


def test_offline_borders_are_drawn(page: Page) -> None:
    paths = page.evaluate(
        "document.querySelectorAll('.leaflet-overlay-pane path:not(.leaflet-interactive)').length"
    )
    assert paths >= 20


def test_popup_filters_by_outlet(page: Page) -> None:
    page.evaluate("window.citedMap.map.citedFeatures['baku'].openPopup()")
    popup = page.locator(".cm-popup[data-feature='baku'][data-ready]")
    popup.wait_for(state="visible")
    popup.locator("select.cm-filter").select_option("Caliber.az")
    page.wait_for_function("document.querySelector('.cm-popup').hasAttribute('data-ready')")
    metas = popup.locator(".cm-article-meta").all_inner_texts()
    assert metas and all(m.startswith("Caliber.az · ") for m in metas)


def test_a_reference_back_says_what_it_refers_to(page: Page, offline_build: BuildResult) -> None:
    """A passage cited by reference ("This corridor ...") names the earlier mention."""
    ref = next(
        c
        for c in offline_build.citations
        if c.feature_id == "instc" and c.how == "reference" and c.article_id.startswith("002")
    )
    article = next(a for a in offline_build.articles if a.id == ref.article_id)
    assert ref.antecedent is not None
    named = article.text[ref.antecedent[0] : ref.antecedent[1]]
    text = open_popup(page, "instc")
    assert f"Refers back to \u201c{named}\u201d, named earlier in the article" in text
    page.locator(".cm-refers").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "popup-reference.png"))


def test_a_popup_links_each_figure_to_its_source(page: Page, offline_build: BuildResult) -> None:
    exported = json.loads(offline_build.outputs[1].read_text(encoding="utf-8"))
    [tap] = [f["properties"] for f in exported["features"] if f["id"] == "tap"]
    open_popup(page, "tap")
    popup = page.locator(".cm-popup[data-feature='tap']")
    row = popup.locator("tr", has_text="Published split")
    link = row.locator("a.cm-cite").first
    assert link.inner_text() == "Griechenland Zeitung, “Trans-Adriatische Pipeline nimmt den ko…”"
    assert link.get_attribute("href", timeout=1000).startswith("https://griechenland.net/")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    assert "Drawn length by country" in popup.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "popup-facts.png"))
    # Every link in the popup goes to an http(s) document.
    for href in popup.locator("a").evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(("http://", "https://")), href
    # The full list of sources opens from the keyboard.
    summary = popup.locator(".cm-bibliography summary")
    assert summary.inner_text() == f"Sources ({len(tap['cited_sources'])})"
    summary.focus()
    page.keyboard.press("Enter")
    items = popup.locator(".cm-bibliography li")
    items.first.wait_for(state="visible", timeout=2000)
    assert items.count() == len(tap["cited_sources"])
    first = tap["cited_sources"][0]
    assert first["publisher"] in items.first.inner_text()
    assert f"consulted {first['consulted']}" in items.first.inner_text()
    popup.evaluate("node => node.closest('.leaflet-popup-content').scrollTop = 1e6")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "popup-sources.png"))


def test_a_visit_names_the_articles_it_is_drawn_from(page: Page) -> None:
    text = open_popup(page, "putin-baku-2024")
    assert "Visitor" in text
    popup = page.locator(".cm-popup[data-feature='putin-baku-2024']")
    # The articles are named once, under the note, and the rows drawn from them say so.
    assert "Caliber.az, 17 Aug 2024" in popup.locator("p.cm-note").inner_text()
    visitor = popup.locator("tr", has_text="Visitor")
    assert "Sources: those of the feature, above" in visitor.inner_text()
    assert popup.inner_text().count("Caliber.az, 17 Aug 2024") < 4


def test_a_map_folder_loads_its_excerpts_on_demand(browser: Any, tmp_path: Any) -> None:
    """The large-corpus layout: excerpts in map_files/ beside the page, read from file://."""
    from geo.build import run_build
    from tests.project import LAYERS as LAYERS_DIR
    from tests.project import SEEDS

    out = tmp_path / "folder"
    result = run_build(SEEDS, LAYERS_DIR, out, self_contained=True, map_folder=True)
    page_text = (out / "map.html").read_text(encoding="utf-8")
    exported = json.loads(result.outputs[1].read_text(encoding="utf-8"))
    [tap] = [f["properties"] for f in exported["features"] if f["id"] == "tap"]
    excerpt = tap["citations"][0]["excerpt"]
    assert excerpt not in page_text, "the page itself carries no excerpt"
    assert tap["citations"][0]["title"] not in page_text, "nor the articles"
    names = sorted(p.name for p in (out / "map_files").iterdir())
    assert names[:2] == ["articles-00000.js", "excerpts-00000.js"]
    cited = [f for f in exported["features"] if f["properties"]["citations"]]
    assert len([n for n in names if n.startswith("refs-")]) == len(cited)
    # With the network cut and every request but the page's own files refused.
    watch = Watch()
    page = open_offline(browser, out / "map.html", watch)
    try:
        text = open_popup(page, "tap")
        assert " ".join(excerpt.split()) in " ".join(text.split())
        # A long popup pages, sorts and filters from the files too.
        busiest = max(exported["features"], key=lambda f: len(f["properties"]["citations"]))
        everything = open_popup(page, busiest["id"])
        for citation in busiest["properties"]["citations"]:
            assert " ".join(citation["excerpt"].split()) in " ".join(everything.split())
        popup = page.locator(f".cm-popup[data-feature='{busiest['id']}']")
        assert watch.problems() == [], "the folder's files load offline"
        popup.locator(".cm-sort").select_option("outlet")
        # Reading it left the popup on its last page; sorting starts again at page 1.
        page.wait_for_function(
            "id => { const p = document.querySelector(`.cm-popup[data-feature='${id}']`);"
            " return p.getAttribute('data-ready') === 'true'"
            " && p.getAttribute('data-page') === '1'; }",
            arg=busiest["id"],
        )
        metas = popup.locator(".cm-article-meta").all_inner_texts()
        outlets = [m.split(" · ")[0] for m in metas]
        assert outlets == sorted(outlets)
        # Without its folder the page says what is missing instead of waiting forever.
        shutil.rmtree(out / "map_files")
        page.reload()
        page.wait_for_function("() => window.citedMap && window.citedMap.map")
        page.evaluate(
            "id => { const l = window.citedMap.map.citedFeatures[id]; l.openPopup(); }", "tap"
        )
        error = page.locator(".cm-popup[data-feature='tap'][data-ready='error'] .cm-error")
        error.wait_for(timeout=3000)
        assert "keep map_files/ beside map.html" in error.inner_text()
    finally:
        page.context.close()


def test_a_long_popup_pages_sorts_and_jumps(page: Page, offline_build: BuildResult) -> None:
    exported = json.loads(offline_build.outputs[1].read_text(encoding="utf-8"))
    feature = max(exported["features"], key=lambda f: len(f["properties"]["citations"]))
    feature_id, cited = feature["id"], feature["properties"]["citations"]
    pages = -(-len(cited) // 20)
    assert pages >= 2, "the seeds' most cited feature fills more than one page"
    page.evaluate("id => window.citedMap.map.citedFeatures[id].openPopup()", feature_id)
    selector = f".cm-popup[data-feature='{feature_id}']"
    popup = page.locator(f"{selector}[data-ready='true']")
    popup.wait_for(state="visible")
    assert popup.locator(".cm-page").inner_text() == f"Page 1 of {pages}"
    first = popup.locator(".cm-citations").inner_text()
    assert popup.locator(".cm-excerpt").count() == 20

    def wait_for(page_number: int) -> None:
        page.wait_for_function(
            "([sel, n]) => { const p = document.querySelector(sel);"
            " return p.getAttribute('data-ready') === 'true'"
            " && p.getAttribute('data-page') === n; }",
            arg=[selector, str(page_number)],
        )

    # The last page by typing its number: it replaces the first, nothing piles up.
    jump = popup.locator(".cm-jump")
    jump.fill(str(pages))
    jump.press("Enter")
    wait_for(pages)
    assert popup.locator(".cm-excerpt").count() == len(cited) - 20 * (pages - 1)
    assert popup.locator(".cm-next").is_disabled()
    popup.locator(".cm-prev").click()
    wait_for(pages - 1)
    # Oldest first starts with the oldest article's excerpts.
    popup.locator(".cm-sort").select_option("oldest")
    wait_for(1)
    oldest = min(c["date"] for c in cited)
    assert popup.locator(".cm-article-meta").first.inner_text().split(" · ")[1] == oldest
    assert popup.locator(".cm-citations").inner_text() != first
    # A date jumps to the page of the articles nearest to it.
    newest = max(c["date"] for c in cited)
    when = popup.locator(".cm-date")
    when.fill(newest)
    when.press("Enter")
    # Oldest first, the newest articles are on a later page than the first.
    page.wait_for_function(
        "sel => { const p = document.querySelector(sel);"
        " return p.getAttribute('data-ready') === 'true' && p.getAttribute('data-page') !== '1'; }",
        arg=selector,
    )
    metas = popup.locator(".cm-article-meta").all_inner_texts()
    assert any(m.split(" · ")[1] == newest for m in metas)
