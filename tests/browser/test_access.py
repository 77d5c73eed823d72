"""The map by keyboard, as a person without a mouse uses it, and checked by axe-core for
WCAG A and AA: the tab order from page load, a feature's focus ring, its popup opened
with Enter and closed with Escape, a page in English that may be zoomed. Offline
throughout: axe is injected from node_modules, not fetched."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from geo.build import BuildResult
from tests.browser.conftest import Watch, open_offline
from tests.browser.test_hostile import (  # noqa: F401 (hostile_map is a fixture)
    HOSTILE_LAYER,
    HOSTILE_NAME,
    hostile_map,
)
from tests.project import ALL_FEATURES, ARTIFACTS, PROJECT, ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1366, 768)
PHONE = (390, 844)
LAYER_OF = {f.id: layer for layer in PROJECT[1] for f in layer.features}
NAMES = {f.id: f.properties.name for f in ALL_FEATURES}
BLOCKING = ("serious", "critical")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# What has the focus, as a test can tell one element from another.
FOCUSED = """() => {
    const e = document.activeElement;
    return {
        tag: e.tagName.toLowerCase(),
        cls: e.getAttribute('class') || '',
        type: e.getAttribute('type') || '',
        label: e.getAttribute('aria-label') || '',
        text: (e.textContent || '').trim().slice(0, 60),
        feature: e.getAttribute('data-ca') || '',
    };
}"""


def open_map(browser: Browser, html: Any, watch: Watch, viewport: tuple[int, int]) -> Page:
    """The map, opened offline at this size, once the reader is ready and the view settled."""
    page = open_offline(browser, html, watch, viewport=viewport)
    page.wait_for_selector("[data-reader=ready]")
    settle(page)
    return page


def settle(page: Page) -> None:
    """Wait until the map no longer moves: its opening fit, a popup's pan."""
    page.wait_for_function(
        """() => new Promise(done => {
            const map = window.citedMap.map;
            const still = () => !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
            let last = JSON.stringify([map.getCenter(), map.getZoom()]);
            setTimeout(function check() {
                const now = JSON.stringify([map.getCenter(), map.getZoom()]);
                if (now === last && still()) done(true);
                else { last = now; setTimeout(check, 150); }
            }, 150);
        })"""
    )


@pytest.fixture
def desktop(browser: Browser, offline_build: BuildResult, watch: Watch) -> Iterator[Page]:
    page = open_map(browser, offline_build.outputs[0], watch, DESKTOP)
    yield page
    page.context.close()


def tab_until_feature(page: Page, limit: int = 80) -> list[dict[str, str]]:
    """Press Tab from where the focus is until a map feature has it; every stop, in order."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if stops[-1]["feature"]:
            return stops
    raise AssertionError(f"no map feature took the focus in {limit} presses of Tab: {stops}")


def first_index(stops: list[dict[str, str]], **wanted: str) -> int:
    for i, stop in enumerate(stops):
        if all(want in stop[key] for key, want in wanted.items()):
            return i
    raise AssertionError(f"no stop with {wanted} in {stops}")


def test_tab_reaches_the_skip_link_then_the_controls_then_the_features(desktop: Page) -> None:
    stops = tab_until_feature(desktop)
    assert stops[0]["cls"] == "ca-skip"
    assert stops[0]["text"] == "Skip to the map controls"
    feature = len(stops) - 1
    checkboxes = [i for i, s in enumerate(stops) if s["type"] == "checkbox"]
    assert len(checkboxes) == len(PROJECT[1])  # one per overlay
    # The basemaps are one group of radio buttons: Tab stops at the chosen one.
    checkboxes.append(first_index(stops, type="radio"))
    for before in (
        first_index(stops, cls="leaflet-control-zoom-in"),
        first_index(stops, cls="cr-search-input"),
        first_index(stops, cls="cr-list-button"),
        first_index(stops, cls="cr-table-button"),
        first_index(stops, cls="ct-range"),
        *checkboxes,
    ):
        assert before < feature
    assert all(not s["feature"] for s in stops[:feature])


def test_the_skip_link_shows_when_focused_and_goes_to_the_controls(desktop: Page) -> None:
    link = desktop.locator(".ca-skip")
    hidden = link.bounding_box()
    assert hidden is not None and hidden["y"] + hidden["height"] <= 0
    desktop.keyboard.press("Tab")
    shown = link.bounding_box()
    assert shown is not None and shown["y"] >= 0 and shown["height"] > 10
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(path=str(ARTIFACTS / "access-skip-link.png"))
    desktop.keyboard.press("Enter")
    focused = desktop.evaluate(FOCUSED)
    assert desktop.evaluate(
        "document.activeElement.closest('.leaflet-control-container') !== null"
    ), focused


def test_controls_stay_where_they_were(desktop: Page) -> None:
    """The control corners moved before the panes in the page, not on the screen."""
    boxes = desktop.evaluate(
        """() => ['.leaflet-top.leaflet-left', '.leaflet-top.leaflet-right',
                  '.leaflet-bottom.leaflet-left', '.leaflet-bottom.leaflet-right'].map(s => {
            // The map's own corners, not the overview map's inside a control.
            const own = '.folium-map > .leaflet-control-container > ' + s;
            const r = document.querySelector(own).getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom];
        })"""
    )
    width, height = DESKTOP
    # The map starts under the page's header.
    top = desktop.evaluate("document.querySelector('.folium-map').getBoundingClientRect().top")
    (tl, tr, bl, br) = boxes
    assert tl[0] < 20 and tl[1] < top + 20
    assert tr[2] > width - 20 and tr[1] < top + 20
    assert bl[0] < 20 and bl[3] > height - 20
    assert br[2] > width - 20 and br[3] > height - 20
    order = desktop.evaluate(
        "[...document.querySelector('.folium-map').children].map(c => c.className)"
    )
    assert "leaflet-control-container" in order[0]
    assert "leaflet-map-pane" in order[1]


def test_every_feature_is_a_named_button(desktop: Page) -> None:
    found = desktop.evaluate(
        """() => Object.entries(window.citedMap.map.citedFeatures).map(([id, layer]) => {
            const e = layer.getElement();
            const a = name => e.getAttribute(name);
            return [id, a('tabindex'), a('role'), a('aria-label')];
        })"""
    )
    assert {row[0] for row in found} == set(NAMES)
    for feature_id, tabindex, role, label in found:
        assert tabindex == "0"
        assert role == "button"
        assert label == f"{NAMES[feature_id]}, {LAYER_OF[feature_id].title}"


def test_a_layer_switched_off_and_on_keeps_its_features_focusable(desktop: Page) -> None:
    layer = PROJECT[1][0]
    box = desktop.locator(".leaflet-control-layers-overlays label", has_text=layer.title)
    box.locator("input").uncheck()
    box.locator("input").check()
    labels = desktop.evaluate(
        "ids => ids.map(id => window.citedMap.map.citedFeatures[id].getElement()"
        ".getAttribute('aria-label'))",
        [f.id for f in layer.features],
    )
    assert labels == [f"{f.properties.name}, {layer.title}" for f in layer.features]


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the RGBA (or RGB) rows of a PNG as Chromium writes one."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height, depth = 8, b"", 0, 0, 4
    while at < len(data):
        (size,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + size]
        if kind == b"IHDR":
            width, height, bits, colour = struct.unpack(">IIBB", body[:10])
            assert bits == 8 and colour in (2, 6)
            depth = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        at += 12 + size
    raw, stride = zlib.decompress(idat), width * depth
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - depth] if x >= depth else 0
            up = previous[x]
            corner = previous[x - depth] if x >= depth else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + guess) & 255
        rows.append(line)
        previous = line
    return width, height, b"".join(rows)


def changed_pixels(a: bytes, b: bytes) -> int:
    wa, ha, pa = png_pixels(a)
    wb, hb, pb = png_pixels(b)
    assert (wa, ha) == (wb, hb)
    depth = len(pa) // (wa * ha)
    return sum(pa[i : i + depth] != pb[i : i + depth] for i in range(0, len(pa), depth))


def region_of(page: Page, feature_id: str) -> dict[str, float]:
    """A box around the middle of a feature's drawn line, inside the map."""
    box = page.evaluate(
        """id => {
            const e = window.citedMap.map.citedFeatures[id].getElement();
            const length = e.getTotalLength();
            const middle = e.getPointAtLength(length / 2);
            const point = middle.matrixTransform(e.getScreenCTM());
            return [point.x, point.y];
        }""",
        feature_id,
    )
    width, height = DESKTOP
    x = min(max(box[0] - 60, 0), width - 120)
    y = min(max(box[1] - 60, 0), height - 120)
    return {"x": x, "y": y, "width": 120, "height": 120}


def test_a_focused_line_shows_its_focus_and_opens_and_closes_by_keyboard(
    desktop: Page, offline_build: BuildResult
) -> None:
    stops = tab_until_feature(desktop)
    feature_id = stops[-1]["feature"]
    assert LAYER_OF[feature_id].geometry_kind == "line"
    line = desktop.locator(f"[data-ca='{feature_id}']")
    clip = region_of(desktop, feature_id)
    focused = desktop.screenshot(clip=clip)
    weight = float(line.evaluate("e => parseFloat(getComputedStyle(e).strokeWidth)"))
    # Away and back: Shift+Tab to the control before it, then Tab again.
    desktop.keyboard.press("Shift+Tab")
    assert desktop.evaluate(FOCUSED)["feature"] == ""
    unfocused = desktop.screenshot(clip=clip)
    plain = float(line.evaluate("e => parseFloat(getComputedStyle(e).strokeWidth)"))
    assert weight >= plain + 4
    assert changed_pixels(focused, unfocused) > 100
    desktop.keyboard.press("Tab")
    assert desktop.evaluate(FOCUSED)["feature"] == feature_id
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(path=str(ARTIFACTS / "access-focused-line.png"))

    desktop.keyboard.press("Enter")
    popup = desktop.locator(f".cm-popup[data-feature='{feature_id}'][data-ready]")
    popup.wait_for(state="visible", timeout=3000)
    assert desktop.evaluate(FOCUSED)["cls"] == "cm-name"  # the focus moved into the popup
    exported = json.loads(offline_build.outputs[1].read_text(encoding="utf-8"))
    [feature] = [f for f in exported["features"] if f["id"] == feature_id]
    excerpts = [" ".join(c["excerpt"].split()) for c in feature["properties"]["citations"]]
    shown = popup.locator(".cm-excerpt").all_inner_texts()
    assert len(shown) == min(len(excerpts), 20)  # the popup's first page
    for excerpt in shown:
        # Each shown excerpt holds one of the feature's cited passages.
        words = " ".join(excerpt.split())
        assert any(e in words for e in excerpts), words
    assert NAMES[feature_id] in popup.inner_text()
    assert desktop.locator(".leaflet-popup").get_attribute("role") == "dialog"
    assert desktop.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Close"
    desktop.screenshot(path=str(ARTIFACTS / "access-popup-by-keyboard.png"))

    desktop.keyboard.press("Escape")
    desktop.locator(".leaflet-popup").wait_for(state="detached", timeout=3000)
    assert desktop.evaluate(FOCUSED)["feature"] == feature_id


def test_space_opens_a_popup_and_its_close_button_gives_the_focus_back(desktop: Page) -> None:
    feature_id = tab_until_feature(desktop)[-1]["feature"]
    desktop.keyboard.press("Tab")
    second = desktop.evaluate(FOCUSED)["feature"]
    assert second and second != feature_id
    desktop.keyboard.press(" ")
    desktop.locator(f".cm-popup[data-feature='{second}'][data-ready]").wait_for(timeout=3000)
    desktop.locator(".leaflet-popup-close-button").focus()
    desktop.keyboard.press("Enter")
    desktop.locator(".leaflet-popup").wait_for(state="detached", timeout=3000)
    assert desktop.evaluate(FOCUSED)["feature"] == second


def test_the_page_is_in_english_and_may_be_zoomed(desktop: Page) -> None:
    assert desktop.evaluate("document.documentElement.lang") == "en"
    viewports = desktop.evaluate(
        "[...document.querySelectorAll('meta[name=viewport]')].map(m => m.content)"
    )
    assert len(viewports) == 1
    content = viewports[0].replace(" ", "")
    assert "user-scalable=no" not in content
    assert "maximum-scale" not in content
    assert "width=device-width" in content


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG A and AA violations on the page as it is now."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci`")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result: list[dict[str, Any]] = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        }).then(r => r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary),
        })))""",
        AXE_TAGS,
    )
    return result


def assert_no_blocking(page: Page, where: str) -> None:
    found = axe_violations(page)
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert blocking == [], f"{where}: " + json.dumps(blocking, indent=1)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_serious_as_the_map_opens(
    browser: Browser, offline_build: BuildResult, watch: Watch, viewport: tuple[int, int]
) -> None:
    page = open_map(browser, offline_build.outputs[0], watch, viewport)
    try:
        assert_no_blocking(page, f"the map at {viewport}")
    finally:
        page.context.close()


def test_axe_finds_nothing_serious_in_a_popup(desktop: Page) -> None:
    desktop.evaluate("window.citedMap.map.citedFeatures['instc'].openPopup()")
    desktop.locator(".cm-popup[data-ready]").wait_for(timeout=3000)
    settle(desktop)
    # Every part of the popup shown: its list of sources too.
    for summary in desktop.locator(".cm-popup details summary").all():
        summary.click()
    assert_no_blocking(desktop, "a popup")


def test_axe_finds_nothing_serious_in_the_reader_panels(desktop: Page) -> None:
    desktop.locator(".cr-list-button").click()
    desktop.locator(".cr-panel[data-panel][data-ready]").wait_for(timeout=5000)
    assert_no_blocking(desktop, "the list of articles")
    close = desktop.locator(".cr-panel .cr-close")
    assert close.get_attribute("aria-label")
    desktop.locator(".cr-open-article").first.click()
    desktop.locator(".cr-panel[data-panel='article'][data-ready]").wait_for(timeout=5000)
    assert_no_blocking(desktop, "an article")
    desktop.locator(".cr-table-button").click()
    desktop.locator(".cr-panel[data-panel='citations'][data-ready]").wait_for(timeout=5000)
    assert_no_blocking(desktop, "the citations table")
    desktop.keyboard.press("Escape")
    desktop.locator(".cr-panel").wait_for(state="hidden", timeout=3000)


# Every element with text of its own, shown: its font size, and the contrast of its
# colour with the background behind it (the nearest ones painted, laid over each other).
TEXTS = """root => {
    const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const over = (top, under) => {
        const a = top.length > 3 ? top[3] : 1;
        return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a));
    };
    const background = e => {
        const layers = [];
        for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
            const c = parse(getComputedStyle(n).backgroundColor);
            if (c.length > 3 && c[3] === 0) continue;
            layers.push(c);
            if (c.length === 3 || c[3] === 1) break;
        }
        return layers.reduceRight((under, top) => over(top, under), [255, 255, 255]);
    };
    const out = [];
    for (const e of root.querySelectorAll('*')) {
        const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own || e.closest('svg, [disabled], option, script, style')) continue;
        const box = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        if (!box.width || !box.height || style.visibility === 'hidden') continue;
        const fg = over(parse(style.color), background(e));
        const [hi, lo] = [lum(fg), lum(background(e))].sort((a, b) => b - a);
        out.push({
            text: e.textContent.trim().slice(0, 40), cls: e.getAttribute('class') || e.tagName,
            size: parseFloat(style.fontSize), ratio: (hi + 0.05) / (lo + 0.05),
        });
    }
    return out;
}"""


def small_or_faint(page: Page, root: str) -> list[dict[str, Any]]:
    found = page.evaluate(f"({TEXTS})(document.querySelector({json.dumps(root)}))")
    assert found, f"no text in {root}"
    return [t for t in found if t["size"] < 12 or t["ratio"] < 4.5]


def test_every_text_is_12px_or_more_and_4_5_to_1_or_more(desktop: Page) -> None:
    """Also where axe cannot tell: text scrolled out of sight inside a popup or panel."""
    assert small_or_faint(desktop, ".leaflet-control-container") == []
    desktop.evaluate("window.citedMap.map.citedFeatures['instc'].openPopup()")
    desktop.locator(".cm-popup[data-ready]").wait_for(timeout=3000)
    for summary in desktop.locator(".cm-popup details summary").all():
        summary.click()
    assert small_or_faint(desktop, ".leaflet-popup") == []
    desktop.evaluate("window.citedMap.map.closePopup()")
    for opener, kind in (
        (".cr-list-button", "articles"),
        (".cr-open-article >> nth=0", "article"),
        (".cr-table-button", "citations"),
    ):
        desktop.locator(opener).click()
        desktop.locator(f".cr-panel[data-panel='{kind}'][data-ready]").wait_for(timeout=5000)
        assert small_or_faint(desktop, ".cr-panel") == [], kind


def test_a_hostile_name_and_layer_are_a_label_as_written(
    browser: Browser, watch: Watch, request: pytest.FixtureRequest
) -> None:
    """A name that looks like markup is the feature's accessible name, character for
    character, and the keyboard opens its popup with nothing run."""
    page = open_map(browser, request.getfixturevalue("hostile_map"), watch, DESKTOP)
    try:
        line = page.locator("[data-ca='tap']")
        assert line.get_attribute("aria-label") == f"{HOSTILE_NAME}, {HOSTILE_LAYER}"
        line.focus()
        page.keyboard.press("Enter")
        popup = page.locator(".cm-popup[data-feature='tap'][data-ready]")
        popup.wait_for(state="visible", timeout=3000)
        assert page.locator(".leaflet-popup").get_attribute("aria-label") == (
            f"{HOSTILE_NAME}, {HOSTILE_LAYER}"
        )
        assert page.locator(".leaflet-container script").count() == 0
        page.wait_for_timeout(300)
        assert watch.dialogs == []
    finally:
        page.context.close()
