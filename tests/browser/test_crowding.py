"""Crowded places, as a reader meets them at the opening view (geo/js/crowding.js).

Around Baku four places, six visits, two pipelines and a corridor meet. At 1366x768 and
at 390x844 (a phone), every feature of the map must open with a click, or with a click
and one choice in the chooser; the markers that would overlap are spread apart with a
leader line each, and sit at their true positions again when zoomed in.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from geo.build import BuildResult
from tests.browser.conftest import Watch, open_offline
from tests.project import PROJECT, ROOT

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
DOCS = ROOT / "docs"
PLACES = next(layer for layer in PROJECT[1] if layer.id == "places")
RADIUS = (PLACES.style.radius or 6) + (PLACES.style.weight or 2) / 2
BAKU = (40.37767, 49.89201)

# A screen point (in whole pixels, as clicks are) where one click opens the feature's
# popup, or one where the chooser lists it; None if the current view has neither.
# Candidates: a marker's drawn centre; points every 3 px along a line or an area's
# outline as Leaflet draws it (the visits' arcs included), and inside an area. A point
# under a control, or under a marker (which takes the click) when looking for a line,
# is no use to a reader.
FIND_POINT = """([id, tolerance]) => {
  const map = window.citedMap.map;
  const layer = map.citedFeatures[id];
  const box = map.getContainer().getBoundingClientRect();
  const markers = new Set(
    Object.values(map.citedFeatures)
      .filter((l) => l instanceof L.CircleMarker && l.getElement())
      .map((l) => l.getElement())
  );
  // Whole pixels, as a click reports them.
  const page = (p) => {
    const c = map.layerPointToContainerPoint(p);
    return [Math.round(c.x + box.left), Math.round(c.y + box.top)];
  };
  const points = [];
  if (layer instanceof L.CircleMarker) {
    if (!layer.getElement()) return null;
    const r = layer.getElement().getBoundingClientRect();
    points.push([Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)]);
  } else {
    for (const part of layer._parts || []) {
      for (let i = 1; i < part.length; i++) {
        const a = part[i - 1], b = part[i];
        const n = Math.max(1, Math.ceil(a.distanceTo(b) / 3));
        for (let k = 0; k < n; k++) points.push(page(a.add(b.subtract(a).multiplyBy(k / n))));
      }
    }
    if (layer instanceof L.Polygon && layer._pxBounds) {
      const min = layer._pxBounds.min, max = layer._pxBounds.max;
      for (let x = min.x; x <= max.x; x += 6)
        for (let y = min.y; y <= max.y; y += 6) points.push(page(L.point(x, y)));
    }
  }
  let listed = null;
  for (const [x, y] of points) {
    const m = 10;
    if (x < box.left + m || y < box.top + m || x > box.right - m || y > box.bottom - m) continue;
    const hit = document.elementFromPoint(x, y);
    if (!hit || hit.closest(".leaflet-control-container, .leaflet-popup-pane")) continue;
    if (layer instanceof L.CircleMarker) {
      if (hit === layer.getElement()) return { x, y, ids: [id] };
      continue;
    }
    if (markers.has(hit)) continue;
    const ids = map.citedCrowding.featuresAt([x - box.left, y - box.top], tolerance);
    if (!ids.includes(id)) continue;
    // Not at the edge of another feature's reach, where a pixel decides.
    const wider = map.citedCrowding.featuresAt([x - box.left, y - box.top], tolerance + 2);
    if (ids.length === 1 && wider.length === 1) return { x, y, ids };
    if (!listed || ids.length < listed.ids.length) listed = { x, y, ids };
  }
  return listed;
}"""

# Where the view may be moved, keeping the zoom, for a feature that shows nowhere
# usable in the opening view: to each of its positions in turn (a few of a long line's).
POSITIONS = """(id) => {
  const layer = window.citedMap.map.citedFeatures[id];
  if (layer.getLatLng) return [[layer.getLatLng().lat, layer.getLatLng().lng]];
  const all = layer.getLatLngs();
  const flat = L.LineUtil.isFlat(all) ? all : all.flat(3);
  const step = Math.max(1, Math.floor(flat.length / 12));
  return flat.filter((_, i) => i % step === 0).map((p) => [p.lat, p.lng]);
}"""


@pytest.fixture(params=sorted(SIZES))
def sized(
    request: pytest.FixtureRequest, browser: Browser, offline_build: BuildResult, watch: Watch
) -> Iterator[tuple[str, Page]]:
    """The map opened offline at a desktop's size and at a phone's."""
    page = open_offline(browser, offline_build.outputs[0], watch, viewport=SIZES[request.param])
    # The map zooms onto its frame as it opens: wait for the zoom, and the spreading
    # after it, to end.
    page.wait_for_function("window.citedCrowding && window.citedCrowding.settled()")
    yield request.param, page
    page.context.close()


def opening(page: Page) -> dict[str, Any]:
    view: dict[str, Any] = page.evaluate(
        "(() => { const m = window.citedMap.map; const c = m.getCenter();"
        " return {lat: c.lat, lng: c.lng, zoom: m.getZoom()}; })()"
    )
    return view


def restore(page: Page, view: dict[str, Any]) -> None:
    page.evaluate(
        "(v) => { const m = window.citedMap.map; m.closePopup();"
        " m.setView([v.lat, v.lng], v.zoom, {animate: false}); }",
        view,
    )
    # Leaflet fades a closed popup out before taking it away: until then it covers the map.
    page.wait_for_function(
        "!document.querySelector('.leaflet-popup') && window.citedCrowding.settled()"
    )


def find_point(page: Page, feature_id: str, view: dict[str, Any]) -> dict[str, Any] | None:
    """A point for the feature in the opening view, else after moving the view onto it."""
    tolerance = page.evaluate("window.citedCrowding.tolerance.mouse")
    found: dict[str, Any] | None = page.evaluate(FIND_POINT, [feature_id, tolerance])
    if found:
        return found
    for lat, lng in page.evaluate(POSITIONS, feature_id):
        page.evaluate(
            "([lat, lng, z]) => window.citedMap.map.setView([lat, lng], z, {animate: false})",
            [lat, lng, view["zoom"]],
        )
        found = page.evaluate(FIND_POINT, [feature_id, tolerance])
        if found:
            return found
    return None


def popup_opened(page: Page, feature_id: str) -> None:
    popup = page.locator(f".cm-popup[data-feature='{feature_id}'][data-ready]")
    popup.wait_for(state="visible", timeout=5000)


def click_feature(page: Page, feature_id: str, view: dict[str, Any]) -> list[str]:
    """Open the feature's popup as a reader would; the features the chooser listed, if it
    took the chooser, else []."""
    restore(page, view)
    point = find_point(page, feature_id, view)
    assert point is not None, f"no point of {feature_id} to click at zoom {view['zoom']}"
    assert page.evaluate("window.citedMap.map.getZoom()") == view["zoom"]
    page.mouse.click(point["x"], point["y"])
    if len(point["ids"]) == 1:
        popup_opened(page, feature_id)
        assert page.locator(".cc-chooser").count() == 0
        return []
    chooser = page.locator(".cc-chooser")
    chooser.wait_for(state="visible", timeout=5000)
    listed = chooser.locator(".cc-choice").evaluate_all(
        "(buttons) => buttons.map((b) => b.dataset.feature)"
    )
    assert listed == point["ids"]
    chooser.locator(f".cc-choice[data-feature='{feature_id}']").click()
    popup_opened(page, feature_id)
    # Leaflet fades a closed popup out before taking it away.
    chooser.wait_for(state="detached", timeout=2000)
    return list(listed)


def test_every_feature_opens_with_one_click_or_one_choice(sized: tuple[str, Page]) -> None:
    size, page = sized
    view = opening(page)
    ids = sorted(page.evaluate("Object.keys(window.citedMap.map.citedFeatures)"))
    assert len(ids) == sum(len(layer.features) for layer in PROJECT[1])
    chosen = {feature_id: click_feature(page, feature_id, view) for feature_id in ids}
    needed = {k: v for k, v in chosen.items() if v}
    # Which features took the chooser (shown with -s): those only reachable where
    # another line or area lies within a few pixels.
    print(f"\n{size}: {len(needed)} of {len(ids)} features needed the chooser")
    for feature_id, listed in sorted(needed.items()):
        print(f"  {feature_id}: listed with {', '.join(i for i in listed if i != feature_id)}")


def marker_centres(page: Page) -> dict[str, tuple[float, float]]:
    centres = page.evaluate(
        """() => {
          const out = {};
          for (const [id, l] of Object.entries(window.citedMap.map.citedFeatures)) {
            if (!(l instanceof L.CircleMarker) || !l.getElement()) continue;
            const r = l.getElement().getBoundingClientRect();
            out[id] = [r.left + r.width / 2, r.top + r.height / 2];
          }
          return out;
        }"""
    )
    return {k: (v[0], v[1]) for k, v in centres.items()}


def true_centres(page: Page) -> dict[str, tuple[float, float]]:
    centres = page.evaluate(
        """() => {
          const map = window.citedMap.map, box = map.getContainer().getBoundingClientRect();
          const out = {};
          for (const [id, l] of Object.entries(map.citedFeatures)) {
            if (!(l instanceof L.CircleMarker)) continue;
            const p = map.latLngToContainerPoint(l.getLatLng());
            out[id] = [p.x + box.left, p.y + box.top];
          }
          return out;
        }"""
    )
    return {k: (v[0], v[1]) for k, v in centres.items()}


def test_markers_around_baku_are_spread_then_back_in_place(sized: tuple[str, Page]) -> None:
    _, page = sized
    drawn, true = marker_centres(page), true_centres(page)
    baku = true["baku"]
    near = sorted(i for i, p in true.items() if math.dist(p, baku) < 4 * RADIUS)
    assert {"baku", "alley-of-honour"} <= set(near)
    for i, a in enumerate(near):
        for b in near[i + 1 :]:
            assert math.dist(drawn[a], drawn[b]) >= 2 * RADIUS, (a, b)
    spread = page.evaluate("[...document.querySelectorAll('path[data-spread]')].length")
    assert spread >= len(near)
    # A leader line from each spread marker's true position; the data keep it.
    assert page.locator(".cc-leader").count() == spread
    stored = page.evaluate(
        "(() => { const l = window.citedMap.map.citedFeatures.baku;"
        " return [l.getLatLng().lat, l.getLatLng().lng, ...l.feature.geometry.coordinates]; })()"
    )
    assert stored == [BAKU[0], BAKU[1], BAKU[1], BAKU[0]]
    page.evaluate("(c) => window.citedMap.map.setView(c, 12, {animate: false})", [BAKU[0], BAKU[1]])
    page.wait_for_function("window.citedCrowding.settled()")
    drawn, true = marker_centres(page), true_centres(page)
    for feature_id in ("baku", "alley-of-honour"):
        assert math.dist(drawn[feature_id], true[feature_id]) < 1.0
    assert page.locator("path[data-spread]").count() == 0
    assert page.locator(".cc-leader").count() == 0


def test_a_spread_marker_opens_its_own_popup_with_one_click(sized: tuple[str, Page]) -> None:
    _, page = sized
    view = opening(page)
    for feature_id in ("alley-of-honour", "baku"):
        restore(page, view)
        x, y = (round(c) for c in marker_centres(page)[feature_id])
        page.mouse.click(x, y)
        popup_opened(page, feature_id)


def busiest_point(page: Page, most: int = 99) -> dict[str, Any]:
    """The point north of Baku where the chooser lists the most features (up to `most`),
    off the markers."""
    found: dict[str, Any] = page.evaluate(
        """(most) => {
          const map = window.citedMap.map, box = map.getContainer().getBoundingClientRect();
          const c = map.latLngToContainerPoint([40.377, 49.892]).round();
          let best = null;
          for (let dx = -60; dx <= 60; dx += 2) for (let dy = -90; dy <= 10; dy += 2) {
            const x = c.x + dx, y = c.y + dy;
            const hit = document.elementFromPoint(x + box.left, y + box.top);
            if (!hit || hit.closest(".leaflet-control-container, [data-spread]")) continue;
            if (Math.hypot(dx, dy) < 30) continue;
            const ids = map.citedCrowding.featuresAt([x, y]);
            if (ids.length > most || (best && ids.length <= best.ids.length)) continue;
            best = { x: x + box.left, y: y + box.top, ids };
          }
          return best;
        }""",
        most,
    )
    return found


def west_point(page: Page) -> dict[str, Any]:
    """The westernmost point just north-west of Baku where the chooser lists two or three
    features: its list opens without panning Baku's markers out of the picture."""
    found: dict[str, Any] = page.evaluate(
        """() => {
          const map = window.citedMap.map, box = map.getContainer().getBoundingClientRect();
          const c = map.latLngToContainerPoint([40.377, 49.892]).round();
          for (let dx = -120; dx <= -20; dx += 2) for (let dy = -60; dy <= 0; dy += 2) {
            const x = c.x + dx, y = c.y + dy;
            const hit = document.elementFromPoint(x + box.left, y + box.top);
            if (!hit || hit.closest(".leaflet-control-container, [data-spread]")) continue;
            const ids = map.citedCrowding.featuresAt([x, y]);
            if (ids.length >= 2 && ids.length <= 3) return { x: x + box.left, y: y + box.top, ids };
          }
          return null;
        }"""
    )
    assert found is not None
    return found


def test_the_chooser_takes_the_keyboard(sized: tuple[str, Page]) -> None:
    _, page = sized
    view = opening(page)
    point = busiest_point(page)
    assert len(point["ids"]) >= 2
    page.mouse.click(point["x"], point["y"])
    chooser = page.locator(".cc-chooser")
    chooser.wait_for(state="visible")
    first = chooser.locator(".cc-choice").first
    assert first.evaluate("(b) => document.activeElement === b")
    # Names are text, each with its layer.
    names = chooser.locator(".cc-choice-name").all_inner_texts()
    assert all(names)
    assert all(chooser.locator(".cc-choice-layer").all_inner_texts())
    page.keyboard.press("ArrowDown")
    second = chooser.locator(".cc-choice").nth(1)
    assert second.evaluate("(b) => document.activeElement === b")
    page.keyboard.press("Escape")
    chooser.wait_for(state="detached", timeout=2000)
    assert page.locator(".cm-popup").count() == 0
    # Again (not so soon that the two clicks make a double click, which zooms), and a
    # choice made with the keyboard opens its popup.
    # The chooser panned the map to fit: back to where the point was.
    restore(page, view)
    page.wait_for_timeout(800)
    page.mouse.click(point["x"], point["y"])
    chooser.wait_for(state="visible")
    # The view restored may sit a fraction of a pixel off, which can bring a line in or
    # out of reach: the list as shown is what Tab walks.
    listed = chooser.locator(".cc-choice").evaluate_all("(bs) => bs.map((b) => b.dataset.feature)")
    assert len(listed) >= 2
    page.keyboard.press("Tab")
    target = page.evaluate("document.activeElement.dataset.feature")
    assert target == listed[1]
    page.keyboard.press("Enter")
    popup_opened(page, target)


def test_screenshots_of_the_spread_markers_and_the_chooser(sized: tuple[str, Page]) -> None:
    size, page = sized
    point = west_point(page)
    page.mouse.click(point["x"], point["y"])
    page.locator(".cc-chooser").wait_for(state="visible")
    page.mouse.move(0, 0)
    # Past the popup's fade-in and the pan that fits it in.
    page.wait_for_timeout(600)
    box = page.locator(".cc-chooser-popup").bounding_box()
    assert box is not None
    x, y = true_centres(page)["baku"]
    width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
    left = max(0.0, min(box["x"], x - 60) - 20)
    top = max(0.0, min(box["y"], y - 60) - 20)
    right = min(float(width), max(box["x"] + box["width"], x + 60) + 20)
    bottom = min(float(height), max(box["y"] + box["height"], y + 60) + 20)
    DOCS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(DOCS / f"crowding-{size}.png"),
        clip={"x": left, "y": top, "width": right - left, "height": bottom - top},
    )
