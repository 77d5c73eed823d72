"""Time on the map as a reader uses it: the slider (keys, drag, play, steps), the visits'
arcs and arrowheads, the window in the address, the articles and citations the window
keeps, and the citations table and the map following each other. Offline, zero errors."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page

from geo.build import BuildResult
from geo.models import VisitProperties
from geo.reader import fold
from geo.timeline import month_span
from tests.browser.conftest import Watch
from tests.browser.test_reader import (
    NAMES,
    PHONE,
    address,
    citation_keys,
    downloaded_csv,
    expected_passages,
    open_at,
    open_feature,
    search,
    wait_table,
)
from tests.project import ALL_FEATURES, ARTIFACTS, PROJECT

pytestmark = pytest.mark.browser

LAYERS_LOADED = PROJECT[1]
VISITS = {f.id: f.properties for f in ALL_FEATURES if isinstance(f.properties, VisitProperties)}
UNDATED = {f.id for f in ALL_FEATURES} - set(VISITS)
PLACES = {f.properties.name: f for f in ALL_FEATURES if f.layer_id == "places"}
ARROWHEAD = next(layer for layer in LAYERS_LOADED if layer.id == "visits").style.arrowhead
HIDDEN = """Object.entries(window.citedMap.map.citedFeatures)
    .filter(([id, l]) => getComputedStyle(l.getElement()).display === 'none').map(([id]) => id)"""
ARROWS_HIDDEN = """Object.entries(window.citedMap.map.citedArrows)
    .filter(([id, a]) => getComputedStyle(a.getElement()).display === 'none').map(([id]) => id)"""
DIMMED = """Object.entries(window.citedMap.map.citedFeatures)
    .filter(([id, l]) => getComputedStyle(l.getElement()).opacity < 0.5).map(([id]) => id)"""


# --- Months, as the reader counts them (an independent reckoning of the rules) ------


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_of(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02}"


def visits_in(start: str, end: str) -> set[str]:
    """The visits any month of which lies in the window."""
    return {
        i
        for i, p in VISITS.items()
        if month_span(p.date_start)[0] <= end and month_span(p.date_end)[1] >= start
    }


def published_in(date: str, start: str, end: str) -> bool:
    """Whether an article's date, as far as it is known, lies in the window."""
    if not date[:4].isdigit():
        return False
    first, last = month_span(date if len(date) == 4 else date[:7])
    return start <= first and last <= end


# --- What the page shows -------------------------------------------------------------


def window(page: Page) -> tuple[str, str]:
    shown = page.evaluate("window.citedTimeline.window()")
    return shown["from"], shown["to"]


def bounds(page: Page) -> tuple[str, str]:
    box = page.locator(".ct-timeline")
    first = month_index(str(box.get_attribute("data-from")))
    start = page.locator(".ct-from")
    return month_of(first - int(start.input_value())), month_of(
        first - int(start.input_value()) + int(str(start.get_attribute("max")))
    )


def hidden(page: Page) -> set[str]:
    return set(page.evaluate(HIDDEN))


def check_map_keeps(page: Page, start: str, end: str) -> None:
    """The visits of the window and every undated feature are drawn; the rest are not."""
    kept = visits_in(start, end)
    assert hidden(page) == set(VISITS) - kept
    assert set(page.evaluate(ARROWS_HIDDEN)) == set(VISITS) - kept


@pytest.fixture
def seeds_page(browser: Browser, offline_build: BuildResult, watch: Watch) -> Iterator[Page]:
    page = open_at(browser, offline_build.outputs[0], watch)
    yield page
    page.context.close()


def press(locator: Locator, key: str, times: int = 1) -> None:
    locator.focus()
    for _ in range(times):
        locator.press(key)


# --- The slider ------------------------------------------------------------------------


def test_arrow_keys_narrow_the_window_and_only_dated_features_leave(seeds_page: Page) -> None:
    page = seeds_page
    first, last = bounds(page)
    assert (first, last) == (
        min(month_span(p.date_start)[0] for p in VISITS.values()),
        "2024-08",  # the newest seed and Putin's visit
    )
    assert hidden(page) == set()
    end = page.get_by_role("slider", name="End of the time window")
    press(end, "ArrowLeft", month_index(last) - month_index("2017-12"))
    assert window(page) == (first, "2017-12")
    assert end.get_attribute("aria-valuetext") == "Dec 2017"
    check_map_keeps(page, first, "2017-12")
    assert visits_in(first, "2017-12") == {"gerasimov-dunford-2017", "gerasimov-pavel-2017"}
    assert page.locator(".ct-readout").inner_text() == "Feb 2017 – Dec 2017"
    assert page.locator(".ct-counts").inner_text() == (
        "Visits and meetings: 2 of 6 · articles: 0 of 5"
    )
    start = page.get_by_role("slider", name="Start of the time window")
    press(start, "ArrowRight", 7)
    assert window(page) == ("2017-09", "2017-12")
    check_map_keeps(page, "2017-09", "2017-12")
    # The start cannot pass the end.
    press(start, "End")
    assert window(page) == ("2017-12", "2017-12")
    press(start, "Home")
    press(end, "End")
    assert window(page) == (first, last) and hidden(page) == set()


def test_switching_the_visits_layer_off_and_on_keeps_the_window(seeds_page: Page) -> None:
    page = seeds_page
    press(page.locator(".ct-from"), "ArrowRight", month_index("2022-01") - month_index("2017-02"))
    check_map_keeps(page, "2022-01", "2024-08")
    box = page.locator(".leaflet-control-layers-overlays label", has_text="Visits").locator("input")
    box.uncheck()
    box.check()
    # Leaflet drew the layer's lines and arrowheads anew: the window still applies.
    check_map_keeps(page, "2022-01", "2024-08")


def thumb_point(page: Page, which: str, month: str) -> tuple[float, float]:
    """Where the thumb of `which` slider sits when it shows month (CSS pixels)."""
    first, last = bounds(page)
    box = page.locator(which).bounding_box()
    assert box is not None
    thumb = float(page.locator(which).evaluate("n => parseFloat(getComputedStyle(n).height)"))
    share = (month_index(month) - month_index(first)) / (month_index(last) - month_index(first))
    return box["x"] + thumb / 2 + share * (box["width"] - thumb), box["y"] + box["height"] / 2


def drag(page: Page, which: str, start: str, to_month: str) -> None:
    x, y = thumb_point(page, which, start)
    x2, _ = thumb_point(page, which, to_month)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x2, y, steps=12)
    page.mouse.up()


def test_dragging_the_thumbs_moves_the_window_in_one_step_of_history(seeds_page: Page) -> None:
    page = seeds_page
    first, last = bounds(page)
    drag(page, ".ct-from", first, "2022-01")
    start, end = window(page)
    assert abs(month_index(start) - month_index("2022-01")) <= 1 and end == last
    check_map_keeps(page, start, end)
    assert address(page) == {"from": start, "to": last}
    drag(page, ".ct-to", last, "2023-06")
    start2, end2 = window(page)
    assert start2 == start and abs(month_index(end2) - month_index("2023-06")) <= 1
    check_map_keeps(page, start2, end2)
    assert hidden(page) >= {"putin-baku-2024", "shoigu-baku-2024"}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "time-dragged.png"))
    # Each drag is one step back, however many months it crossed.
    page.go_back()
    assert window(page) == (start, last)
    page.go_back()
    assert window(page) == (first, last) and hidden(page) == set()


def wait_window_change(page: Page, seen: str) -> str:
    page.wait_for_function(
        "seen => document.querySelector('.ct-timeline').dataset.from !== seen", arg=seen
    )
    return str(page.locator(".ct-timeline").get_attribute("data-from"))


def test_play_moves_the_window_a_step_at_a_time_and_stops_at_the_end(
    seeds_page: Page, offline_build: BuildResult
) -> None:
    page = seeds_page
    first, last = bounds(page)
    settings = offline_build.settings
    assert settings is not None
    step, width = settings.timeline.step_months, settings.timeline.play_window_months
    play = page.locator(".ct-play")
    assert play.inner_text() == "▶ Play" and play.get_attribute("aria-pressed") == "false"
    play.click()
    # From every date, play starts with a window of play_window_months at the start.
    assert window(page) == (first, month_of(month_index(first) + width - 1))
    assert play.inner_text() == "❚❚ Pause" and play.get_attribute("aria-pressed") == "true"
    seen = first
    for _ in range(2):
        began = time.monotonic()
        moved = wait_window_change(page, seen)
        assert month_index(moved) == month_index(seen) + step
        assert time.monotonic() - began < 3 * settings.timeline.play_interval_ms / 1000
        start, end = window(page)
        assert month_index(end) - month_index(start) == width - 1
        check_map_keeps(page, start, end)
        seen = moved
    play.click()
    paused = window(page)
    page.wait_for_timeout(2 * settings.timeline.play_interval_ms)
    assert window(page) == paused and play.get_attribute("aria-pressed") == "false"
    # The whole run of play is one step of the history.
    page.go_back()
    assert window(page) == (first, last)
    # Played near the end, it runs to the last month and stops by itself.
    press(page.locator(".ct-from"), "End")
    press(page.locator(".ct-from"), "ArrowLeft", 14)
    press(page.locator(".ct-to"), "ArrowLeft", 2)
    play.click()
    page.wait_for_function("!document.querySelector('.ct-timeline').hasAttribute('data-playing')")
    start, end = window(page)
    assert end == last and month_index(end) - month_index(start) == 12
    check_map_keeps(page, start, end)


def test_the_step_buttons_move_the_window_by_a_step(
    seeds_page: Page, offline_build: BuildResult
) -> None:
    page = seeds_page
    first, last = bounds(page)
    settings = offline_build.settings
    assert settings is not None
    step, width = settings.timeline.step_months, settings.timeline.play_window_months
    forward = page.get_by_role("button", name=f"Step the window forward {step} month")
    back = page.get_by_role("button", name=f"Step the window back {step} month")
    forward.click()
    assert window(page) == (first, month_of(month_index(first) + width - 1))
    forward.click()
    forward.click()
    assert window(page) == (
        month_of(month_index(first) + 2 * step),
        month_of(month_index(first) + 2 * step + width - 1),
    )
    check_map_keeps(page, *window(page))
    back.click()
    assert window(page)[0] == month_of(month_index(first) + step)
    page.get_by_role("button", name="All dates").click()
    assert window(page) == (first, last) and address(page) == {}


def test_the_slider_works_from_the_keyboard_with_labels_and_a_visible_focus(
    seeds_page: Page,
) -> None:
    page = seeds_page
    page.locator(".ct-fold").focus()
    names = []
    for _ in range(5):
        page.keyboard.press("Tab")
        names.append(
            page.evaluate(
                "(n => n.getAttribute('aria-label') || n.textContent)(document.activeElement)"
            )
        )
    # "All dates" is disabled while every date is shown, so the keyboard passes it by.
    assert names[:5] == [
        "Start of the time window",
        "End of the time window",
        "Step the window back 1 month",
        "▶ Play",
        "Step the window forward 1 month",
    ]
    # A focused button has its ring; a focused thumb turns orange with one.
    page.locator(".ct-play").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    track = page.locator(".ct-track")
    page.locator(".ct-fold").focus()
    plain = track.screenshot()
    page.keyboard.press("Tab")
    assert track.screenshot() != plain
    page.keyboard.press("ArrowRight")
    assert window(page)[0] == "2017-03"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # step back, from a narrowed window
    assert window(page)[0] == "2017-02"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # play
    assert page.locator(".ct-play").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert page.locator(".ct-play").get_attribute("aria-pressed") == "false"


def test_on_a_phone_the_slider_opens_folded_and_unfolds(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    page = open_at(browser, offline_build.outputs[0], watch, "#from=2022-01", viewport=PHONE)
    try:
        fold = page.get_by_role("button", name="Show the time slider")
        assert fold.get_attribute("aria-expanded") == "false"
        assert page.locator(".ct-readout").inner_text() == "Jan 2022 – Aug 2024"
        assert page.locator(".ct-range").first.is_hidden()
        fold.click()
        box = page.locator(".ct-timeline").bounding_box()
        assert box is not None and box["width"] >= PHONE[0] - 24
        start = page.get_by_role("slider", name="Start of the time window")
        assert start.is_visible()
        drag(page, ".ct-from", "2022-01", "2018-01")
        assert abs(month_index(window(page)[0]) - month_index("2018-01")) <= 1
        check_map_keeps(page, *window(page))
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "time-phone.png"))
    finally:
        page.context.close()


# --- The window in the address -----------------------------------------------------------


def test_a_time_permalink_restores_the_window_and_back_steps_back(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    page = open_at(browser, offline_build.outputs[0], watch, "#from=2022-01&to=2024-12")
    try:
        # A month past the last is taken to the last.
        assert window(page) == ("2022-01", "2024-08")
        assert page.locator(".ct-from").get_attribute("aria-valuetext") == "Jan 2022"
        check_map_keeps(page, "2022-01", "2024-08")
        assert page.evaluate("location.hash") == "#from=2022-01&to=2024-12"
        press(page.locator(".ct-from"), "ArrowRight")
        assert address(page) == {"from": "2022-02", "to": "2024-08"}
        check_map_keeps(page, "2022-02", "2024-08")
        assert "aliyev-moscow-2022" not in visits_in("2022-03", "2024-08")
        press(page.locator(".ct-from"), "ArrowRight")
        assert "aliyev-moscow-2022" in hidden(page)
        page.go_back()
        assert window(page) == ("2022-02", "2024-08")
        assert "aliyev-moscow-2022" not in hidden(page)
        page.go_back()
        assert window(page) == ("2022-01", "2024-08")
        page.go_forward()
        assert window(page) == ("2022-02", "2024-08")
    finally:
        page.context.close()


def test_a_permalink_of_a_visit_in_a_window_shows_what_the_window_holds_of_it(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    visit = "putin-baku-2024"
    fragment = f"#feature={visit}&from=2024-07&to=2024-08"
    page = open_at(browser, offline_build.outputs[0], watch, fragment)
    try:
        assert open_feature(page, visit) == visit
        dates = {a.id: a.date for a in offline_build.articles}
        cited = {(c.article_id, c.start, c.end) for c in offline_build.citations}
        ours = {
            (c.article_id, c.start, c.end)
            for c in offline_build.citations
            if c.feature_id == visit and published_in(dates[c.article_id], "2024-07", "2024-08")
        }
        assert cited and ours
        line = page.locator(f".cm-popup .cr-window-line[data-feature='{visit}']")
        n_articles = len({k[0] for k in ours})
        assert line.inner_text().startswith(
            f"Published in Jul 2024 – Aug 2024: {len(ours)} citation{'s' * (len(ours) > 1)}"
            f" from {n_articles} article{'s' * (n_articles > 1)}."
        )
        # The window moves to July, before every seed; the popup's line follows.
        press(page.locator(".ct-to"), "ArrowLeft")
        page.wait_for_function(
            "() => document.querySelector('.cr-window-line').textContent"
            " === 'No article published in Jul 2024 cites it.'"
        )
        assert hidden(page) == set(VISITS)
    finally:
        page.context.close()


# --- Visits: arcs with an arrowhead at the destination ---------------------------------


# A position's place in the map's box, in CSS pixels, not rounded (Leaflet's own
# latLngToContainerPoint rounds to whole pixels).
PIXEL = """ll => { const m = window.citedMap.map;
    return m.project(ll).subtract(m.project(m.getCenter())).add(m.getSize().divideBy(2)); }"""


def screen_point(page: Page, lonlat: tuple[float, float]) -> tuple[float, float]:
    p = page.evaluate(f"([lon, lat]) => ({PIXEL})(L.latLng(lat, lon))", list(lonlat))
    return float(p["x"]), float(p["y"])


def arrow_corners(page: Page, visit: str) -> list[tuple[float, float]]:
    corners = page.evaluate(
        f"id => window.citedMap.map.citedArrows[id].getLatLngs()[0].map({PIXEL})", visit
    )
    return [(float(c["x"]), float(c["y"])) for c in corners]


def unit(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    d = math.dist(a, b)
    return (b[0] - a[0]) / d, (b[1] - a[1]) / d


@pytest.mark.parametrize("visit", sorted(VISITS))
def test_a_visit_is_an_arc_whose_arrowhead_points_at_its_destination(
    seeds_page: Page, visit: str
) -> None:
    page = seeds_page
    assert ARROWHEAD is not None
    props = VISITS[visit]
    feature = next(f for f in ALL_FEATURES if f.id == visit)
    coords = [(float(x), float(y)) for x, y, *_ in feature.geometry.coords]
    # Drawn from its origin to its destination, both places of the map.
    assert coords[-1] == tuple(PLACES[props.destination].geometry.coords[0])
    assert coords[0] == tuple(PLACES[props.origin.split(" (")[0]].geometry.coords[0])
    for zoom in (5, 8):
        page.evaluate(
            "([lat, lon, z]) => window.citedMap.map.setView([lat, lon], z, {animate: false})",
            [coords[-1][1], coords[-1][0], zoom],
        )
        tip, left, right = arrow_corners(page, visit)
        end = screen_point(page, coords[-1])
        start = screen_point(page, coords[0])
        base = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)
        # The tip is `inset` pixels short of the destination, nowhere near the origin.
        assert math.dist(tip, end) == pytest.approx(ARROWHEAD.inset, abs=0.05)
        assert math.dist(tip, start) > 10 * ARROWHEAD.length
        assert math.dist(base, tip) == pytest.approx(ARROWHEAD.length, abs=0.05)
        assert math.dist(left, right) == pytest.approx(ARROWHEAD.width, abs=0.05)
        # It points along the line's last stretch, into the destination (for Shoigu's
        # trip, from Tehran).
        before = screen_point(page, coords[-2])
        pointing, arriving = unit(base, tip), unit(before, end)
        assert pointing[0] * arriving[0] + pointing[1] * arriving[1] > 0.97
    # An arc, not a straight line: its middle stands off the chord between its ends.
    page.evaluate("window.citedMap.map.setView([47, 44], 5, {animate: false})")
    a, b = screen_point(page, coords[0]), screen_point(page, coords[-1])
    middle = screen_point(page, coords[len(coords) // 2])
    off = abs((b[0] - a[0]) * (a[1] - middle[1]) - (a[0] - middle[0]) * (b[1] - a[1]))
    assert off / math.dist(a, b) > 3


def click_line(page: Page, visit: str) -> None:
    """Click a point of the visit's line where its own path is what the pointer meets, and
    no other line is so near that the click offers a choice (geo/js/crowding.js)."""
    point = page.evaluate(
        """id => { const m = window.citedMap.map, l = m.citedFeatures[id];
            const box = m.getContainer().getBoundingClientRect();
            const alone = (p) => !m.citedCrowding || m.citedCrowding.featuresAt(p, 7).length === 1;
            for (const ll of l.getLatLngs()) {
              const p = m.latLngToContainerPoint(ll).round(), x = p.x + box.left, y = p.y + box.top;
              if (document.elementFromPoint(x, y) === l.getElement() && alone(p)) return [x, y];
            }
            return null; }""",
        visit,
    )
    assert point is not None, f"no point of {visit} is on top"
    page.mouse.click(point[0], point[1])


@pytest.mark.parametrize(
    ("visit", "dates", "met"),
    [
        ("shoigu-baku-2024", "6 August 2024", "Ilham Aliyev, then Ramil Usubov"),
        ("putin-baku-2024", "18–19 August 2024", "Ilham Aliyev (President of Azerbaijan)"),
        ("gerasimov-dunford-2017", "February 2017", "Gen. Joseph Dunford"),
    ],
)
def test_clicking_a_visit_shows_its_dates_who_met_and_where(
    seeds_page: Page, visit: str, dates: str, met: str
) -> None:
    page = seeds_page
    page.evaluate("window.citedMap.map.setView([44, 47], 6, {animate: false})")
    click_line(page, visit)
    assert open_feature(page, visit) == visit
    popup = page.locator(f".cm-popup[data-feature='{visit}']")
    rows = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in popup.locator("table.cm-facts tr").all()
    }
    props = VISITS[visit]
    assert rows["Dates"].startswith(dates)
    assert rows["Visitor"].startswith(props.visitor)
    assert rows["Met"].startswith(met)
    assert rows["Where"].startswith(props.destination)
    assert rows["Travel"].startswith(f"{props.origin} → {props.destination}")


# --- The citations table and the map, both ways ------------------------------------------


def open_table_page(page: Page) -> None:
    page.locator(".cr-table-button").click()
    wait_table(page)


def table_rows(page: Page) -> set[tuple[str, str, int, int]]:
    return {
        (r["feature_id"], r["article"], int(r["start"]), int(r["end"]))
        for r in downloaded_csv(page)
    }


def check_table_and_map(page: Page, build: BuildResult) -> None:
    """A table filter hides the features it keeps out; a feature selected on the map
    narrows the table to it, with a chip that lifts the selection."""
    every = citation_keys(build)
    panel = wait_table(page)
    panel.locator("select[aria-label='Filter by layer']").select_option("Visits and meetings")
    panel = wait_table(page)
    kept = {k for k in every if k[0] in VISITS}
    assert table_rows(page) == kept
    cited = {k[0] for k in kept}
    assert hidden(page) == {f.id for f in ALL_FEATURES} - cited
    assert set(page.evaluate(ARROWS_HIDDEN)) == set(VISITS) - cited
    visit = "putin-baku-2024" if "putin-baku-2024" in cited else sorted(cited)[0]
    # The Caucasus in the map's left part, clear of the panel.
    page.evaluate("window.citedMap.map.setView([47, 56], 6, {animate: false})")
    click_line(page, visit)
    assert open_feature(page, visit) == visit
    panel = wait_table(page)
    chip = panel.locator(".cr-selection-chip")
    assert chip.inner_text().startswith(f"Selected on the map: {NAMES[visit]}")
    mine = {k for k in kept if k[0] == visit}
    assert (
        panel.locator(".cr-summary")
        .inner_text()
        .startswith(f"{len(mine)} citation{'s' if len(mine) != 1 else ''} of {len(every)};")
    )
    assert table_rows(page) == mine
    assert {td.inner_text() for td in panel.locator("tbody td:first-child").all()} == {NAMES[visit]}
    assert set(page.evaluate(DIMMED)) == cited - {visit}
    assert address(page) == {"feature": visit, "citations": ""}
    # The chip's button, from the keyboard, lifts the selection: the popup closes too.
    lift = f"Show every feature’s citations (deselect {NAMES[visit]})"
    chip.get_by_role("button", name=lift).focus()
    page.keyboard.press("Enter")
    panel = wait_table(page)
    assert panel.locator(".cr-selection-chip").count() == 0
    page.locator(".cm-popup").wait_for(state="detached")  # after Leaflet's fade
    assert page.evaluate("document.activeElement.id") == "cr-panel-title"
    assert table_rows(page) == kept and set(page.evaluate(DIMMED)) == set()
    assert address(page) == {"citations": ""}


def test_the_table_and_the_map_filter_each_other(
    seeds_page: Page, offline_build: BuildResult
) -> None:
    page = seeds_page
    open_table_page(page)
    check_table_and_map(page, offline_build)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "time-table-map.png"))
    page.get_by_role("button", name="Close panel").click()
    assert hidden(page) == set() and set(page.evaluate(DIMMED)) == set()


def test_the_window_filters_the_table_and_the_articles_list(
    seeds_page: Page, offline_build: BuildResult
) -> None:
    page = seeds_page
    open_table_page(page)
    every = citation_keys(offline_build)
    press(page.locator(".ct-to"), "ArrowLeft")  # July 2024: before every seed
    panel = wait_table(page)
    assert panel.locator(".cr-summary").inner_text().startswith(f"0 citations of {len(every)};")
    assert panel.locator(".cr-window-chip").inner_text().startswith("Published Feb 2017 – Jul 2024")
    assert table_rows(page) == set()
    # No row cites anything: the table hides every feature, dated or not.
    assert hidden(page) == {f.id for f in ALL_FEATURES}
    panel.get_by_role("button", name="Show every date (remove the time window)").click()
    panel = wait_table(page)
    assert table_rows(page) == every
    assert window(page) == bounds(page)
    page.get_by_role("button", name="Close panel").click()
    page.locator(".cr-list-button").click()
    panel = page.locator(".cr-panel[data-panel=articles][data-ready]")
    panel.wait_for(state="visible")
    assert panel.locator("tbody tr").count() == len(offline_build.articles)
    press(page.locator(".ct-to"), "ArrowLeft")
    panel = page.locator(".cr-panel[data-panel=articles][data-ready]")
    panel.wait_for(state="visible")
    assert panel.locator(".cr-panel-title").inner_text() == (
        f"Articles (0 of {len(offline_build.articles)})"
    )
    assert panel.locator("tbody tr").count() == 0


# --- 10,000 articles ---------------------------------------------------------------------


def test_on_10000_articles_the_window_the_table_and_the_map_follow_each_other(
    browser: Browser, map_10k: BuildResult, watch: Watch
) -> None:
    build = map_10k
    assert len(build.articles) == 10_000
    page = open_at(browser, build.outputs[0], watch, "#citations")
    try:
        every = citation_keys(build)
        panel = wait_table(page)
        assert panel.locator(".cr-summary").inner_text().startswith(f"{len(every)} citations;")
        check_table_and_map(page, build)
        # The window narrows the articles and the rows to the first half of 2023.
        panel.locator("select[aria-label='Filter by layer']").select_option("")
        wait_table(page)
        first, last = bounds(page)
        press(page.locator(".ct-from"), "ArrowRight", month_index("2023-01") - month_index(first))
        press(page.locator(".ct-to"), "ArrowLeft", month_index(last) - month_index("2023-07"))
        wait_table(page)
        began = time.monotonic()
        page.keyboard.press("ArrowLeft")
        panel = wait_table(page)
        seconds = time.monotonic() - began
        dates = {a.id: a.date for a in build.articles}
        inside = {k for k in every if published_in(dates[k[1]], "2023-01", "2023-06")}
        assert 0 < len(inside) < len(every)
        assert (
            panel.locator(".cr-summary")
            .inner_text()
            .startswith(f"{len(inside)} citations of {len(every)};")
        )
        assert table_rows(page) == inside
        check_map_keeps_with_table(page, inside)
        assert address(page) == {"citations": "", "from": "2023-01", "to": "2023-06"}
        print(f"\n10,000 articles: one key of the slider to the refiltered table: {seconds:.2f} s")
        page.get_by_role("button", name="Close panel").click()
        page.locator(".cr-list-button").click()
        panel = page.locator(".cr-panel[data-panel=articles][data-ready]")
        panel.wait_for(state="visible")
        n_inside = sum(published_in(a.date, "2023-01", "2023-06") for a in build.articles)
        assert panel.locator(".cr-panel-title").inner_text() == f"Articles ({n_inside} of 10000)"
        assert panel.locator("tbody tr").count() == n_inside
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "time-10k-articles.png"))
        page.get_by_role("button", name="Close panel").click()
        check_text_search_in_window(page, build, "Novorossiysk port", "2023-01", "2023-06")
    finally:
        page.context.close()


def check_text_search_in_window(
    page: Page, build: BuildResult, query: str, start: str, end: str
) -> None:
    """The search of the excerpts finds the passages of the window's articles only."""
    dates = {a.id: a.date for a in build.articles}
    every = expected_passages(build.citations, build.articles, [fold(w) for w in query.split()])
    inside = {k: v for k, v in every.items() if published_in(dates[k[0]], start, end)}
    assert 0 < len(inside) < len(every)
    results = search(page, query, "text")
    features = {f for owners in inside.values() for f in owners}
    summary = results.locator(".cr-summary").inner_text()
    label = f"{month_words(start)} – {month_words(end)}"
    assert summary == (
        f"{len(inside)} passages published in {label} about {len(features)} feature"
        + "s" * (len(features) != 1)
    )
    shown = results.locator(".cr-passage-result")
    assert shown.count() == min(20, len(inside))
    for item in shown.all():
        assert published_in(dates[str(item.get_attribute("data-article"))], start, end)
    # The window lifted, the same search finds them all again.
    page.get_by_role("button", name="All dates").click()
    page.wait_for_selector(f".cr-search[data-ready={query!r}]".replace("'", '"'))
    assert results.locator(".cr-summary").inner_text().startswith(f"{len(every)} passages about")


def month_words(month: str) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[int(month[5:]) - 1]} {month[:4]}"


def check_map_keeps_with_table(page: Page, rows: set[tuple[str, str, int, int]]) -> None:
    """With the table open, a feature is drawn when a row cites it and, if dated, the
    window holds it."""
    start, end = window(page)
    cited = {k[0] for k in rows}
    expected = (set(VISITS) - visits_in(start, end)) | ({f.id for f in ALL_FEATURES} - cited)
    assert hidden(page) == expected
