"""The README's pictures of the reader: the first screen, a popup, About, search, the
article panel, the lists, at two sizes.

    python scripts/reader_screenshots.py BUILD/map.html docs/

Opens the map offline in headless Chromium at 1366x768 and 390x844, does what a
reader does, and saves one picture per view; it fails if the page logs an error
or fetches anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from bench.chromium import Watch, headless, open_offline

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def _type(page: Page, mode: str, query: str) -> None:
    page.locator(f".cr-mode[data-mode={mode}]").click()
    page.locator(".cr-search-input").press_sequentially(query)
    page.wait_for_selector(f'.cr-search[data-ready="{query}"]')


def search_names(page: Page) -> None:
    _type(page, "names", "Zangazur")


def search_text(page: Page) -> None:
    _type(page, "text", "Astara railway")


def article(page: Page) -> None:
    page.evaluate("window.citedMap.map.citedFeatures['rasht-astara'].openPopup()")
    page.wait_for_selector(".cm-popup[data-feature=rasht-astara][data-ready]")
    page.locator(".cm-read-article").first.click()
    page.wait_for_selector(".cr-panel[data-ready]")


def articles(page: Page) -> None:
    page.locator(".cr-list-button").click()
    page.wait_for_selector(".cr-panel[data-panel=articles][data-ready]")


def citations(page: Page) -> None:
    page.locator(".cr-table-button").click()
    page.wait_for_selector(".cr-panel[data-panel=citations][data-ready]")
    page.select_option("select[aria-label='Filter by layer']", "Pipelines")
    page.wait_for_selector(".cr-panel[data-panel=citations][data-ready]")


def visit_links(page: Page) -> None:
    page.evaluate("window.citedMap.map.citedFeatures['putin-baku-2024'].openPopup()")
    page.wait_for_selector(".cm-popup[data-ready]")
    page.locator(".cr-links").scroll_into_view_if_needed()


def _window(page: Page, start: str, end: str) -> None:
    """The time window as a link sets it, the slider unfolded (a phone opens it folded)."""
    page.evaluate(f"location.hash = '#from={start}&to={end}'")
    page.wait_for_selector(f".ct-timeline[data-to='{end}']")
    fold = page.locator(".ct-fold[aria-expanded=false]")
    if fold.count():
        fold.click()


def time_window(page: Page) -> None:
    _window(page, "2017-01", "2018-12")


# Baku low in the picture and right of the legend, so that the arrowheads of the visits
# that end there show under the popup; the popup opens on Putin's arc just above.
ARC_VIEW = """([x, y, z, along]) => {
    const m = window.citedMap.map, l = m.citedFeatures['putin-baku-2024'];
    const ll = l.getLatLngs(), end = m.project(ll[ll.length - 1], z);
    const shift = L.point(x, y).subtract(m.getSize().divideBy(2));
    m.setView(m.unproject(end.subtract(shift), z), z, {animate: false});
    l.openPopup(ll[Math.floor((ll.length - 1) * along)]); }"""


def visit_arc(page: Page) -> None:
    _window(page, "2024-01", "2024-08")
    page.locator(".ct-fold").click()
    size = page.viewport_size
    assert size is not None
    phone = size["width"] < 640
    # On a phone, Baku right of the legend.
    view = [350, 470, 6, 0.93] if phone else [900, size["height"] - 120, 5, 0.8]
    page.evaluate(ARC_VIEW, view)
    page.wait_for_selector(".cm-popup[data-feature=putin-baku-2024][data-ready]")


def opening(page: Page) -> None:
    """The first screen, as the map opens."""


def popup(page: Page) -> None:
    """A real click on the INSTC line, where nothing lies over it."""
    own = page.evaluate(
        """id => {
            const map = window.citedMap.map, layer = map.citedFeatures[id];
            const el = layer.getElement(), box = map.getContainer().getBoundingClientRect();
            return layer.getLatLngs().flat(3).map(ll => map.latLngToContainerPoint(ll))
                .map(p => [p.x + box.left, p.y + box.top])
                .filter(([x, y]) => document.elementFromPoint(x, y) === el);
        }""",
        "instc",
    )
    x, y = own[len(own) // 2]
    page.mouse.click(x, y)
    # Where another line lies within reach, the chooser asks which: INSTC.
    page.wait_for_selector(".cm-popup[data-feature=instc], .cc-chooser")
    if page.locator(".cc-chooser").count():
        page.locator(".cc-choice[data-feature=instc]").click()
    page.wait_for_selector(".cm-popup[data-feature=instc][data-ready]")


def about(page: Page) -> None:
    page.get_by_role("button", name="About").click()
    page.wait_for_selector("dialog.cm-about[open]")


VIEWS: dict[str, Callable[[Page], None]] = {
    "opening": opening,
    "popup": popup,
    "about": about,
    "search-names": search_names,
    "search-text": search_text,
    "article": article,
    "articles": articles,
    "citations": citations,
    "visit-links": visit_links,
    "time": time_window,
    "visit-arc": visit_arc,
}


def main(html: Path, out: Path) -> int:
    """Save reader-VIEW-SIZE.png for every view and size; 1 if the page misbehaved."""
    watch = Watch()
    with headless() as browser:
        for size, viewport in SIZES.items():
            for name, act in VIEWS.items():
                page = open_offline(browser, html, watch, viewport=viewport)
                page.wait_for_selector("[data-reader=ready]")
                act(page)
                page.wait_for_timeout(400)  # Leaflet's fades and pans
                page.screenshot(path=str(out / f"reader-{name}-{size}.png"))
                page.context.close()
    for problem in watch.problems():
        print(problem, file=sys.stderr)
    return 1 if watch.problems() else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
