"""The README's pictures of the reader: search, the article panel, the lists, at two sizes.

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


VIEWS: dict[str, Callable[[Page], None]] = {
    "search-names": search_names,
    "search-text": search_text,
    "article": article,
    "articles": articles,
    "citations": citations,
    "visit-links": visit_links,
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
