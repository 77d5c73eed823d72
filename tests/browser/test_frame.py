"""The page's frame as a reader meets it, at desktop and phone sizes: the opening view on
the Caucasus, the header and its About panel, the view buttons and the overview, folded
controls on a phone, popups that fit the screen, and the selected feature."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page

from geo.build import BuildResult
from tests.browser.conftest import Watch, open_offline
from tests.project import ALL_FEATURES, ARTIFACTS, LAYERS, PROJECT

pytestmark = pytest.mark.browser

DESKTOP = (1366, 768)
PHONE = (390, 844)
SETTINGS = yaml.safe_load((LAYERS / "map.yaml").read_text(encoding="utf-8"))
FRAME = SETTINGS["view"]["frame"]
SOURCES = yaml.safe_load((LAYERS / "sources.yaml").read_text(encoding="utf-8"))["sources"]
# Baku and Yerevan, the two capitals the frame must show apart.
BAKU, YEREVAN = (40.38, 49.89), (40.18, 44.51)

VIEW_BOUNDS = (
    "() => { const b = window.citedMap.map.getBounds();"
    " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
)
SCREEN_OF = """([lat, lon]) => {
    const map = window.citedMap.map;
    const p = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    return [p.x + box.left, p.y + box.top];
}"""
# The screen points along a line feature, every few pixels, that are on the map.
LINE_POINTS = """id => {
    const map = window.citedMap.map, layer = map.citedFeatures[id];
    const box = map.getContainer().getBoundingClientRect(), size = map.getSize();
    const out = [];
    let prev = null;
    layer.getLatLngs().flat(3).forEach(ll => {
        const p = map.latLngToContainerPoint(ll);
        if (prev) {
            const n = Math.ceil(prev.distanceTo(p) / 4);
            for (let k = 1; k <= n; k++) {
                const q = prev.add(p.subtract(prev).multiplyBy(k / n));
                if (q.x >= 0 && q.y >= 0 && q.x <= size.x && q.y <= size.y)
                    out.push([q.x + box.left, q.y + box.top]);
            }
        }
        prev = p;
    });
    return out;
}"""


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def sized(
    request: pytest.FixtureRequest, browser: Browser, offline_build: BuildResult, watch: Watch
) -> Iterator[Page]:
    page = open_offline(browser, offline_build.outputs[0], watch, viewport=request.param)
    yield page
    page.context.close()


def is_phone(page: Page) -> bool:
    size = page.viewport_size
    assert size is not None
    return size["width"] < 640


def screen(page: Page, latlon: tuple[float, float]) -> tuple[float, float]:
    x, y = page.evaluate(SCREEN_OF, list(latlon))
    return x, y


def open_by_id(page: Page, feature_id: str) -> Any:
    page.evaluate(f"window.citedMap.map.citedFeatures['{feature_id}'].openPopup()")
    popup = page.locator(f".cm-popup[data-feature='{feature_id}'][data-ready]")
    popup.wait_for(state="visible")
    page.wait_for_timeout(300)  # Leaflet's pan into view
    return popup


def assert_framed(page: Page) -> None:
    """All of the frame is on screen, and not much more than it."""
    west, south, east, north = page.evaluate(VIEW_BOUNDS)
    assert west <= FRAME["west"] and east >= FRAME["east"]
    assert south <= FRAME["south"] and north >= FRAME["north"]
    # The frame fills the screen's width or its height (a phone is taller than wide).
    wide = (east - west) / (FRAME["east"] - FRAME["west"])
    tall = (north - south) / (FRAME["north"] - FRAME["south"])
    assert min(wide, tall) < 2.5


def test_the_map_opens_on_the_caucasus_at_a_readable_scale(sized: Page) -> None:
    assert_framed(sized)
    # Baku and Yerevan lie far enough apart to tell their features apart.
    (bx, _), (yx, _) = screen(sized, BAKU), screen(sized, YEREVAN)
    assert abs(bx - yx) >= (100 if is_phone(sized) else 200)
    width = sized.viewport_size["width"] if sized.viewport_size else 0
    assert 0 < yx < bx < width


def test_the_header_says_what_the_map_is_and_counts_the_corpus(sized: Page) -> None:
    header = sized.locator("header.cm-header")
    assert sized.locator("h1").inner_text() == SETTINGS["title"]
    articles, _, _, _ = PROJECT
    outlets = {a.outlet for a in articles}
    dates = sorted(a.date for a in articles)
    assert f"{len(articles)} articles from {len(outlets)} outlets" in header.inner_text()
    assert dates[-1][:4] in header.inner_text()
    description = sized.locator(".cm-description")
    # On a phone the sentence moves into the About panel, to keep the map tall.
    assert description.is_visible() != is_phone(sized)
    height = header.bounding_box()
    assert height is not None and height["height"] <= (80 if is_phone(sized) else 60)


def test_about_lists_every_source_and_the_borders_and_closes_with_escape(sized: Page) -> None:
    sized.get_by_role("button", name="About").click()
    dialog = sized.get_by_role("dialog", name="About this map")
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    for section in SETTINGS["about"]:
        assert section["heading"] in text
    for source in SOURCES.values():
        assert " ".join(source["title"].split()) in " ".join(text.split())
    assert "Natural Earth" in text
    links = dialog.locator(".cm-about-sources a")
    assert links.count() == sum(1 for s in SOURCES.values() if s.get("address"))
    box = dialog.bounding_box()
    size = sized.viewport_size
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    sized.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert sized.evaluate("document.activeElement.textContent") == "About"


def test_all_features_then_back_to_the_caucasus(sized: Page) -> None:
    sized.get_by_role("button", name="All features", exact=True).click()
    west, south, east, north = sized.evaluate(VIEW_BOUNDS)
    for feature in ALL_FEATURES:
        fw, fs, fe, fn = feature.geometry.bounds
        assert west <= fw and south <= fs and east >= fe and north >= fn, feature.id
    sized.get_by_role("button", name="Caucasus", exact=True).click()
    assert_framed(sized)


def test_the_overview_shows_the_view_and_moves_it(page: Page) -> None:
    overview = page.locator(".cm-overview")
    assert overview.get_attribute("open") is not None
    box = page.locator(".cm-overview-map").bounding_box()
    assert box is not None
    before = page.evaluate("window.citedMap.map.getCenter().lng")
    # A click on the overview's western part (the Balkans) moves the map west.
    page.mouse.click(box["x"] + box["width"] * 0.15, box["y"] + box["height"] * 0.45)
    page.wait_for_timeout(600)
    after = page.evaluate("window.citedMap.map.getCenter().lng")
    assert after < before - 10
    rectangle = page.evaluate(
        "() => { let b = null; window.citedMap.map.citedOverview.eachLayer(l => {"
        " if (l instanceof L.Rectangle) b = l.getBounds().getCenter().lng; }); return b; }"
    )
    assert abs(rectangle - after) < 1


def test_on_a_phone_the_controls_fold_into_buttons(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    page = open_offline(browser, offline_build.outputs[0], watch, viewport=PHONE)
    layers = page.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" not in (layers.get_attribute("class") or "")
    assert page.locator(".cm-legend").get_attribute("open") is None
    assert page.locator(".cm-overview").get_attribute("open") is None
    # Folded, the controls leave most of the map free.
    covered = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-control')].reduce((s, c) => {"
        " const b = c.getBoundingClientRect(); return s + b.width * b.height; }, 0)"
    )
    map_area = page.evaluate(
        "() => { const b = window.citedMap.map.getContainer().getBoundingClientRect();"
        " return b.width * b.height; }"
    )
    assert covered / map_area < 0.25
    page.locator(".leaflet-control-layers-toggle").click()
    assert "leaflet-control-layers-expanded" in (layers.get_attribute("class") or "")
    assert page.get_by_role("checkbox", name="Places").is_visible()
    page.locator(".cm-legend summary").click()
    assert page.locator(".cm-legend").get_attribute("open") is not None
    page.context.close()


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("feature_id", ["instc", "baku", "putin-baku-2024"])
def test_a_popup_fits_a_phone_with_its_close_button(
    browser: Browser, offline_build: BuildResult, watch: Watch, width: int, feature_id: str
) -> None:
    page = open_offline(browser, offline_build.outputs[0], watch, viewport=(width, 780))
    open_by_id(page, feature_id)
    wrapper = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    close = page.get_by_role("button", name="Close", exact=True)
    close_box = close.bounding_box()
    assert wrapper is not None and close_box is not None
    assert wrapper["x"] >= 0 and wrapper["x"] + wrapper["width"] <= width
    assert wrapper["y"] >= 0 and wrapper["y"] + wrapper["height"] <= 780
    assert close_box["x"] >= 0 and close_box["x"] + close_box["width"] <= width
    assert close_box["y"] >= 0
    # No control lies over the open popup.
    hit = page.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup')",
        [close_box["x"] + close_box["width"] / 2, close_box["y"] + close_box["height"] / 2],
    )
    assert hit
    close.click()
    page.locator(".leaflet-popup").wait_for(state="detached")
    page.context.close()


def test_the_selected_feature_stands_out_and_the_others_dim(page: Page) -> None:
    open_by_id(page, "baku-novorossiysk")
    selected = page.locator(".leaflet-overlay-pane path.cm-selected")
    assert selected.count() == 1
    dimmed = page.locator(".leaflet-overlay-pane .cv-dimmed").count()
    assert dimmed >= len(ALL_FEATURES) - 1
    page.get_by_role("button", name="Close", exact=True).click()
    assert selected.count() == 0
    assert page.locator(".leaflet-overlay-pane .cv-dimmed").count() == 0


@pytest.mark.parametrize("feature_id", ["instc", "baku-novorossiysk", "zangezur-corridor"])
def test_a_popup_keeps_off_its_line_on_a_desktop(
    browser: Browser, offline_build: BuildResult, watch: Watch, feature_id: str
) -> None:
    page = open_offline(browser, offline_build.outputs[0], watch, viewport=DESKTOP)
    # A real click on the line, where nothing else lies over it.
    points = page.evaluate(LINE_POINTS, feature_id)
    own = page.evaluate(
        "([id, points]) => { const el = window.citedMap.map.citedFeatures[id].getElement();"
        " return points.filter(([x, y]) => document.elementFromPoint(x, y) === el); }",
        [feature_id, points],
    )
    x, y = own[len(own) // 2]
    page.mouse.click(x, y)
    # Where another line lies within reach, the chooser asks which: this one.
    page.locator(f".cm-popup[data-feature='{feature_id}'], .cc-chooser").first.wait_for()
    if page.locator(".cc-chooser").count():
        page.locator(f".cc-choice[data-feature='{feature_id}']").click()
    page.locator(f".cm-popup[data-feature='{feature_id}'][data-ready]").wait_for()
    page.wait_for_timeout(400)
    box = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert box is not None
    points = page.evaluate(LINE_POINTS, feature_id)
    covered = [
        p
        for p in points
        if box["x"] <= p[0] <= box["x"] + box["width"]
        and box["y"] <= p[1] <= box["y"] + box["height"]
    ]
    assert len(points) > 20
    assert len(covered) <= 0.05 * len(points), (len(covered), len(points))
    # Nor does a control cover the popup.
    for corner in ((box["x"] + 4, box["y"] + 4), (box["x"] + box["width"] - 4, box["y"] + 4)):
        assert page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup')", list(corner)
        )
    if feature_id == "instc":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "frame-popup-beside.png"))
    page.context.close()


def test_the_legend_follows_the_layers_that_are_on(page: Page) -> None:
    row = page.locator(".cm-legend .cm-row", has_text="Places")
    assert row.is_visible()
    page.locator(".leaflet-control-layers-overlays label", has_text="Places").locator(
        "input"
    ).uncheck()
    assert not row.is_visible()
    page.locator(".leaflet-control-layers-overlays label", has_text="Places").locator(
        "input"
    ).check()
    assert row.is_visible()
