"""The reader as a reader uses it: search, the article beside the map, the list of
articles, permalinks and the back button. Offline throughout, with zero errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, Page

from geo.articles import Article
from geo.build import BuildResult
from geo.folding import WORD
from geo.mentions import Citation
from geo.reader import fold
from tests.browser.conftest import Watch, corpus_map, open_offline
from tests.browser.test_hostile import (  # noqa: F401 (hostile_map is a fixture)
    HOSTILE_NAME,
    HOSTILE_TITLE,
    IMG,
    SCRIPT,
    SENTENCES,
    hostile_map,
)
from tests.project import ALL_FEATURES, ARTIFACTS, PROJECT

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1366, 768)
NAMES = {f.id: f.properties.name for f in ALL_FEATURES}
LAYERS_LOADED = PROJECT[1]


def address(page: Page) -> dict[str, str]:
    """The selection the address names: feature, article, at, q, mode, articles, citations."""
    fragment = str(page.evaluate("location.hash")).lstrip("#")
    return {k: v[0] for k, v in parse_qs(fragment, keep_blank_values=True).items()}


def reader_ready(page: Page) -> Page:
    page.wait_for_selector("[data-reader=ready]")
    return page


def open_at(
    browser: Browser,
    html: Path,
    watch: Watch,
    fragment: str = "",
    viewport: tuple[int, int] = DESKTOP,
) -> Page:
    """The map opened in a fresh page at html#fragment, as a shared link opens it."""
    first = open_offline(browser, html, watch, viewport=viewport)
    if not fragment:
        return reader_ready(first)
    fresh = first.context.new_page()
    fresh.on(
        "console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None
    )
    fresh.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    first.close()
    fresh.goto(html.resolve().as_uri() + fragment)
    return reader_ready(fresh)


@pytest.fixture
def reader(browser: Browser, offline_build: BuildResult, watch: Watch) -> Iterator[Page]:
    page = open_at(browser, offline_build.outputs[0], watch)
    yield page
    page.context.close()


def search(page: Page, query: str, mode: str = "names") -> Any:
    """Type a query as a reader does, a key at a time, and wait for its results."""
    mode_button = page.locator(f".cr-mode[data-mode={mode}]")
    if mode_button.get_attribute("aria-pressed") != "true":
        mode_button.click()
    box = page.locator(".cr-search-input")
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_selector(f".cr-search[data-ready={quote(query)}]")
    return page.locator(".cr-results")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def open_feature(page: Page, feature_id: str | None = None) -> str:
    """The feature whose popup is open (once the one closing has gone), or feature_id's."""
    if feature_id is not None:
        page.locator(f".cm-popup[data-feature='{feature_id}'][data-ready]").wait_for(
            state="visible", timeout=3000
        )
    page.wait_for_function("document.querySelectorAll('.cm-popup[data-ready]').length === 1")
    return str(page.locator(".cm-popup[data-ready]").get_attribute("data-feature"))


def in_view(page: Page, feature_id: str) -> bool:
    return bool(
        page.evaluate(
            """id => { const l = window.citedMap.map.citedFeatures[id], m = window.citedMap.map;
                const b = l.getLatLng ? L.latLngBounds([l.getLatLng(), l.getLatLng()])
                    : l.getBounds();
                return m.getBounds().pad(0.01).contains(b); }""",
            feature_id,
        )
    )


@pytest.mark.parametrize(
    ("typed", "feature_id"),
    [
        ("North-South Transport", "instc"),  # an alias, not the name
        ("TRIPP", "zangezur-corridor"),
        ("Bakı", "baku"),
        ("Teheran", "tehran"),  # a spelling the layer lists
        ("Novorossijsk", "novorossiysk"),  # a spelling the folds make (j as y)
        ("Nakhijevan", "nakhchivan"),
    ],
)
def test_a_name_or_alias_zooms_to_the_feature_and_opens_its_popup(
    reader: Page, typed: str, feature_id: str
) -> None:
    page = reader
    page.evaluate("window.citedMap.map.setView([30, 60], 3, {animate: false})")
    results = search(page, typed)
    first = results.locator(".cr-result").first
    assert first.get_attribute("data-feature") == feature_id
    assert NAMES[feature_id] in first.inner_text()
    page.locator(".cr-search-input").press("Enter")
    assert open_feature(page) == feature_id
    assert page.evaluate("window.citedMap.map.getZoom()") > 3  # zoomed in to it
    assert in_view(page, feature_id)
    assert address(page) == {"feature": feature_id, "q": typed}


def test_a_name_nobody_uses_says_so(reader: Page) -> None:
    results = search(reader, "Atlantis")
    assert results.inner_text() == "No place, route or visit is called that."


def expected_passages(
    citations: list[Citation], articles: list[Article], keys: list[str]
) -> dict[tuple[str, int, int], set[str]]:
    """Every cited span whose words start with each key, with the features citing it."""
    texts = {a.id: a.text for a in articles}
    found: dict[tuple[str, int, int], set[str]] = {}
    for c in citations:
        words = {fold(m.group()) for m in WORD.finditer(texts[c.article_id], c.start, c.end)}
        if all(any(w.startswith(k) for w in words) for k in keys):
            found.setdefault((c.article_id, c.start, c.end), set()).add(c.feature_id)
    return found


def check_text_search(page: Page, build: BuildResult, query: str) -> None:
    keys = [fold(w) for w in query.split()]
    expected = expected_passages(build.citations, build.articles, keys)
    assert expected, "the query must find something"
    results = search(page, query, "text")
    features = {f for owners in expected.values() for f in owners}
    summary = results.locator(".cr-summary").inner_text()
    assert summary.startswith(f"{len(expected)} passage")
    assert summary.endswith(f"{len(features)} feature" + ("s" if len(features) != 1 else ""))
    listed = results.locator(".cr-features .cr-result")
    assert {listed.nth(i).get_attribute("data-feature") for i in range(listed.count())} <= features
    shown = results.locator(".cr-passage-result")
    assert shown.count() == min(20, len(expected))
    texts = {a.id: a.text for a in build.articles}
    for i in range(shown.count()):
        item = shown.nth(i)
        article, start = item.get_attribute("data-article"), int(item.get_attribute("data-start"))
        [(_, _, end)] = [k for k in expected if k[0] == article and k[1] == start]
        excerpt = item.locator(".cr-excerpt")
        assert excerpt.inner_text() == texts[article][start:end]
        hits = excerpt.locator("mark").all_inner_texts()
        assert hits and all(any(fold(h).startswith(k) for k in keys) for h in hits)


def test_text_search_lists_features_and_passages_with_the_hits_marked(
    reader: Page, offline_build: BuildResult
) -> None:
    check_text_search(reader, offline_build, "Astara railway")
    check_text_search(reader, offline_build, "pipeline")
    ARTIFACTS.mkdir(exist_ok=True)
    reader.screenshot(path=str(ARTIFACTS / "search-text.png"))


def test_choosing_a_passage_opens_its_article_at_it(
    reader: Page, offline_build: BuildResult
) -> None:
    page = reader
    results = search(page, "Rasht", "text")
    item = results.locator(".cr-passage-result").first
    article_id, start = item.get_attribute("data-article"), item.get_attribute("data-start")
    item.click()
    panel = page.locator(".cr-panel[data-panel=article][data-ready]")
    panel.wait_for(state="visible")
    article = next(a for a in offline_build.articles if a.id == article_id)
    assert panel.locator(".cr-panel-title").inner_text() == article.title
    current = panel.locator("mark.cr-current")
    assert current.get_attribute("data-start") == start
    assert "Rasht" in current.inner_text()
    assert current.is_visible()
    assert address(page) == {"article": article_id, "at": start, "q": "Rasht", "mode": "text"}


def test_choosing_a_feature_of_a_text_search_opens_its_popup(reader: Page) -> None:
    results = search(reader, "Novorossiysk", "text")
    first = results.locator(".cr-features .cr-result").first
    feature_id = first.get_attribute("data-feature")
    first.click()
    assert open_feature(reader) == feature_id


def read_article_from_popup(page: Page, feature_id: str) -> str:
    page.evaluate("id => window.citedMap.map.citedFeatures[id].openPopup()", feature_id)
    open_feature(page)
    button = page.locator(".cm-popup .cm-read-article").first
    article_id = str(button.get_attribute("data-article"))
    button.click()
    page.locator(".cr-panel[data-panel=article][data-ready]").wait_for(state="visible")
    return article_id


def test_the_whole_article_beside_the_map_marks_every_cited_passage(
    reader: Page, offline_build: BuildResult
) -> None:
    page = reader
    article_id = read_article_from_popup(page, "rasht-astara")
    article = next(a for a in offline_build.articles if a.id == article_id)
    panel = page.locator(".cr-panel")
    assert panel.locator(".cr-panel-title").inner_text() == article.title
    assert f"{article.outlet} · {article.date}" in panel.locator(".cr-meta").inner_text()
    if article.url:
        link = panel.locator("a.cr-original")
        assert link.get_attribute("href") == article.url
        assert link.get_attribute("rel") == "noopener noreferrer"
    # The panel holds the article's whole text, verbatim.
    assert panel.locator(".cr-text").evaluate(
        "box => Array.from(box.childNodes)"
        ".filter(n => !n.classList || !n.classList.contains('cr-chip'))"
        ".map(n => n.textContent).join('')"
    ) == article.text.replace("\r\n", "\n")
    cited = {(c.start, c.end) for c in offline_build.citations if c.article_id == article_id}
    marks = panel.locator("mark.cr-passage")
    spans = {
        (int(m.get_attribute("data-start")), int(m.get_attribute("data-end"))) for m in marks.all()
    }
    assert spans == cited
    chips = set(panel.locator(".cr-chip").evaluate_all("cs => cs.map(c => c.dataset.feature)"))
    assert chips == {c.feature_id for c in offline_build.citations if c.article_id == article_id}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-panel.png"))


def test_clicking_a_highlight_selects_its_feature(reader: Page, offline_build: BuildResult) -> None:
    page = reader
    article_id = read_article_from_popup(page, "rasht-astara")
    mark = page.locator(".cr-panel mark.cr-passage[data-feature=instc]").first
    mark.click()
    assert open_feature(page, "instc") == "instc"
    # The panel stays open beside the map, and in the address.
    shown = address(page)
    assert (shown["feature"], shown["article"]) == ("instc", article_id) and "at" in shown
    chip = page.locator(".cr-panel .cr-chip[data-feature=baku]").first
    chip.focus()
    page.keyboard.press("Enter")
    assert open_feature(page, "baku") == "baku"


def test_the_list_of_articles_sorts_and_opens_one(reader: Page, offline_build: BuildResult) -> None:
    page = reader
    page.locator(".cr-list-button").click()
    panel = page.locator(".cr-panel[data-panel=articles][data-ready]")
    panel.wait_for(state="visible")
    counts = {a.id: 0 for a in offline_build.articles}
    for c in offline_build.citations:
        counts[c.article_id] += 1
    rows = panel.locator("tbody tr")
    assert rows.count() == len(offline_build.articles)
    panel.locator(".cr-sort", has_text="Citations").click()
    shown = [int(t) for t in panel.locator("tbody .cr-num").all_inner_texts()]
    assert shown == sorted(counts.values(), reverse=True)
    panel.locator(".cr-sort", has_text="Citations").click()
    assert [int(t) for t in panel.locator("tbody .cr-num").all_inner_texts()] == sorted(
        counts.values()
    )
    panel.locator(".cr-sort", has_text="Outlet").click()
    outlets = [row.locator("td").first.inner_text() for row in rows.all()]
    assert outlets == sorted(outlets)
    first = panel.locator(".cr-open-article").first
    article_id = first.get_attribute("data-article")
    first.click()
    page.locator(".cr-panel[data-panel=article][data-ready]").wait_for(state="visible")
    title = next(a.title for a in offline_build.articles if a.id == article_id)
    assert page.locator(".cr-panel-title").inner_text() == title


def test_on_a_phone_the_panel_takes_the_screen_and_closes_to_the_map(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    page = open_at(browser, offline_build.outputs[0], watch, viewport=PHONE)
    try:
        read_article_from_popup(page, "instc")
        box = page.locator(".cr-panel").bounding_box()
        assert box is not None
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, *PHONE)
        close = page.get_by_role("button", name="Close panel")
        assert close.is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "article-panel-phone.png"))
        close.click()
        assert page.locator(".cr-panel").is_hidden()
        assert page.locator(".folium-map").is_visible()
        # A highlight chosen on the phone gives the screen back to the map.
        read_article_from_popup(page, "instc")
        mark = page.locator(".cr-panel mark.cr-passage").first
        chosen = str(mark.get_attribute("data-feature"))
        mark.click()
        assert page.locator(".cr-panel").is_hidden()
        assert open_feature(page, chosen) == chosen
    finally:
        page.context.close()


def test_the_keyboard_alone_searches_opens_and_closes(reader: Page) -> None:
    page = reader
    page.locator(".cr-search-input").focus()
    page.keyboard.type("Shusha")
    page.wait_for_selector('.cr-search[data-ready="Shusha"]')
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.dataset.feature")
    assert focused == "shusha"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert open_feature(page) == "shusha"
    page.locator(".cr-list-button").focus()
    page.keyboard.press("Enter")
    page.locator(".cr-panel[data-ready]").wait_for(state="visible")
    page.keyboard.press("Escape")
    assert page.locator(".cr-panel").is_hidden()
    assert page.evaluate("document.activeElement.className") == "cr-list-button"


@pytest.mark.parametrize("feature_id", ["instc", "baku", "zangezur-area"])
def test_a_feature_permalink_opens_its_popup(
    browser: Browser, offline_build: BuildResult, watch: Watch, feature_id: str
) -> None:
    page = open_at(browser, offline_build.outputs[0], watch, f"#feature={feature_id}")
    try:
        assert open_feature(page) == feature_id
        assert in_view(page, feature_id)
    finally:
        page.context.close()


def test_an_article_permalink_opens_the_panel_at_the_passage(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    c = next(c for c in offline_build.citations if c.feature_id == "rasht-astara")
    page = open_at(
        browser, offline_build.outputs[0], watch, f"#article={c.article_id}&at={c.start}"
    )
    try:
        panel = page.locator(".cr-panel[data-panel=article][data-ready]")
        panel.wait_for(state="visible")
        title = next(a.title for a in offline_build.articles if a.id == c.article_id)
        assert panel.locator(".cr-panel-title").inner_text() == title
        assert panel.locator("mark.cr-current").get_attribute("data-start") == str(c.start)
    finally:
        page.context.close()


def test_a_search_permalink_shows_its_results(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    page = open_at(browser, offline_build.outputs[0], watch, "#q=Astara%20railway&mode=text")
    try:
        page.wait_for_selector('.cr-search[data-ready="Astara railway"]')
        assert page.locator(".cr-search-input").input_value() == "Astara railway"
        assert page.locator(".cr-mode[data-mode=text]").get_attribute("aria-pressed") == "true"
        assert page.locator(".cr-passage-result").count() >= 1
    finally:
        page.context.close()


def test_the_address_follows_the_selection_and_back_steps_back(reader: Page) -> None:
    page = reader
    for feature_id in ("tap", "baku"):
        search(page, NAMES[feature_id])
        page.locator(".cr-search-input").press("Enter")
        assert open_feature(page, feature_id) == feature_id
        assert address(page) == {"feature": feature_id, "q": NAMES[feature_id]}
    page.locator(".cr-list-button").click()
    page.locator(".cr-panel[data-panel=articles][data-ready]").wait_for(state="visible")
    assert address(page) == {"feature": "baku", "q": NAMES["baku"], "articles": ""}
    page.go_back()
    assert open_feature(page, "baku") == "baku"
    assert page.locator(".cr-panel").is_hidden()
    page.go_back()
    assert open_feature(page, "tap") == "tap"
    page.go_forward()
    assert open_feature(page, "baku") == "baku"


# --- A larger map: 1,000 articles, its parts in map_files/ ----------------------------


@pytest.fixture(scope="module")
def folder_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return corpus_map(tmp_path_factory, 1000)


def test_search_on_a_map_folder_loads_its_index_in_pieces(
    browser: Browser, folder_build: BuildResult, watch: Watch
) -> None:
    html = folder_build.outputs[0]
    assert len(list((html.parent / "map_files").glob("reader-*.js"))) > 10
    page = open_at(browser, html, watch)
    try:
        loaded = "document.querySelectorAll('script[src*=reader-]').length"
        assert page.evaluate(loaded) == 0
        check_text_search(page, folder_build, "Novorossiysk port")
        # The index shards of two words, and only the parts the results show.
        assert 0 < page.evaluate(loaded) < len(list((html.parent / "map_files").glob("reader-*")))
        results = search(page, "Novorossiisk")
        assert results.locator(".cr-result").first.get_attribute("data-feature") == "novorossiysk"
        page.locator(".cr-search-input").press("Enter")
        assert open_feature(page, "novorossiysk") == "novorossiysk"
        read_article_from_popup(page, "novorossiysk")
        marks = page.locator(".cr-panel mark.cr-passage")
        assert marks.count() >= 1
    finally:
        page.context.close()


def shared_articles(build: BuildResult, a: str, b: str) -> int:
    cited: dict[str, set[str]] = {}
    for c in build.citations:
        cited.setdefault(c.feature_id, set()).add(c.article_id)
    return len(cited.get(a, set()) & cited.get(b, set()))


def test_a_visits_popup_links_the_routes_its_articles_cite(
    reader: Page, offline_build: BuildResult
) -> None:
    page = reader
    visit = "putin-baku-2024"
    routes = [f.id for f in ALL_FEATURES if type(f.properties).__name__ == "RouteProperties"]
    expected = {r: shared_articles(offline_build, visit, r) for r in routes}
    expected = {r: n for r, n in expected.items() if n}
    assert expected
    page.evaluate("id => window.citedMap.map.citedFeatures[id].openPopup()", visit)
    open_feature(page, visit)
    links = page.locator(".cm-popup .cr-links li")
    shown = {}
    for item in links.all():
        feature_id = str(item.locator(".cr-link").get_attribute("data-feature"))
        count = int(item.inner_text().split(" · ")[-1].split()[0])
        shown[feature_id] = count
        assert NAMES[feature_id] in item.inner_text()
    assert shown == expected
    counts = list(shown.values())
    assert counts == sorted(counts, reverse=True)
    route = next(iter(shown))
    page.locator(f".cm-popup .cr-link[data-feature='{route}']").click()
    assert open_feature(page, route) == route
    assert address(page) == {"feature": route}
    back = page.locator(f".cm-popup .cr-link[data-feature='{visit}']")
    assert f"{shown[route]} article" in back.locator("xpath=..").inner_text()
    back.click()
    assert open_feature(page, visit) == visit


def citation_keys(build: BuildResult) -> set[tuple[str, str, int, int]]:
    return {(c.feature_id, c.article_id, c.start, c.end) for c in build.citations}


def open_table(page: Page) -> Any:
    page.locator(".cr-table-button").click()
    return wait_table(page)


def wait_table(page: Page) -> Any:
    panel = page.locator(".cr-panel[data-panel=citations][data-ready]")
    panel.wait_for(state="visible")
    return panel


def downloaded_csv(page: Page) -> list[dict[str, str]]:
    with page.expect_download() as download:
        page.locator(".cr-download").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_citations_table_filters_the_map_and_downloads_what_it_shows(
    reader: Page, offline_build: BuildResult
) -> None:
    page = reader
    panel = open_table(page)
    every = citation_keys(offline_build)
    assert panel.locator(".cr-summary").inner_text().startswith(f"{len(every)} citations;")
    assert address(page) == {"citations": ""}
    layer = next(layer for layer in LAYERS_LOADED if layer.title == "Pipelines")
    ids = {f.id for f in layer.features}
    panel.locator("select[aria-label='Filter by layer']").select_option("Pipelines")
    panel = wait_table(page)
    kept = {k for k in every if k[0] in ids}
    assert (
        panel.locator(".cr-summary")
        .inner_text()
        .startswith(f"{len(kept)} citations of {len(every)};")
    )
    # The map shows only the features the rows cite.
    on_map = page.evaluate("window.citedMap.map.getContainer().dataset.filtered").split()
    assert set(on_map) == {k[0] for k in kept}
    hidden = page.evaluate(
        "Object.entries(window.citedMap.map.citedFeatures)"
        ".filter(([id, l]) => getComputedStyle(l.getElement()).display === 'none')"
        ".map(([id]) => id)"
    )
    assert set(hidden) == {f.id for f in ALL_FEATURES} - set(on_map)
    rows = downloaded_csv(page)
    texts = {a.id: a.text for a in offline_build.articles}
    assert {(r["feature_id"], r["article"], int(r["start"]), int(r["end"])) for r in rows} == kept
    assert len(rows) == len(kept)
    for r in rows:
        assert r["excerpt"] == texts[r["article"]][int(r["start"]) : int(r["end"])]
    # Words of the excerpt narrow it further; sorting by feature orders the rows.
    panel.locator("input[aria-label='Filter by words of the excerpt']").fill("Russia")
    panel = wait_table(page)
    narrowed = expected_passages(offline_build.citations, offline_build.articles, [fold("Russia")])
    expected = {(f, *k) for k, owners in narrowed.items() for f in owners if f in ids}
    assert {
        (r["feature_id"], r["article"], int(r["start"]), int(r["end"]))
        for r in downloaded_csv(page)
    } == expected
    panel.locator(".cr-sort", has_text="Feature").click()
    panel = wait_table(page)
    names = [b.inner_text() for b in panel.locator("tbody td:first-child .cr-link").all()]
    assert names == sorted(names) and len(names) == len(expected)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "citations-table.png"))
    page.get_by_role("button", name="Close panel").click()
    assert page.evaluate("window.citedMap.map.getContainer().dataset.filtered") == ""


def test_the_citations_table_of_a_map_folder(
    browser: Browser, folder_build: BuildResult, watch: Watch
) -> None:
    page = open_at(browser, folder_build.outputs[0], watch, "#citations")
    try:
        panel = wait_table(page)
        every = citation_keys(folder_build)
        assert panel.locator(".cr-summary").inner_text().startswith(f"{len(every)} citations;")
        assert panel.locator("tbody tr").count() == 50
        panel.locator("select[aria-label='Filter by feature']").select_option(label=NAMES["tap"])
        panel = wait_table(page)
        kept = {k for k in every if k[0] == "tap"}
        rows = downloaded_csv(page)
        assert {
            (r["feature_id"], r["article"], int(r["start"]), int(r["end"])) for r in rows
        } == kept
        assert page.evaluate("window.citedMap.map.getContainer().dataset.filtered") == "tap"
    finally:
        page.context.close()


def test_hostile_text_in_search_and_panels_is_shown_literally(
    browser: Browser, watch: Watch, request: pytest.FixtureRequest
) -> None:
    html = request.getfixturevalue("hostile_map")
    page = open_at(browser, html, watch, "#article=hostile.txt")
    try:
        panel = page.locator(".cr-panel[data-panel=article][data-ready]")
        panel.wait_for(state="visible")
        assert panel.locator(".cr-panel-title").inner_text() == HOSTILE_TITLE
        assert panel.locator(".cr-meta").inner_text() == f"{IMG} · 2024-09-01"
        assert str(panel.locator("a.cr-original").get_attribute("href")).startswith(
            "https://example.org/"
        )
        text = panel.locator(".cr-text").inner_text()
        for sentence in SENTENCES:
            assert sentence in text
        assert HOSTILE_NAME in panel.locator(".cr-chip").all_inner_texts()
        results = search(page, "TAP")
        assert HOSTILE_NAME in results.locator(".cr-result-name").all_inner_texts()
        results = search(page, "TAP", "text")
        excerpts = results.locator(".cr-excerpt").all_inner_texts()
        assert any(SCRIPT in e for e in excerpts) and any(IMG in e for e in excerpts)
        marks = results.locator("mark").all_inner_texts()
        assert marks and all(fold(m).startswith("tap") for m in marks)
        open_table(page)
        assert page.locator(".cr-citations", has_text=SCRIPT).count() == 1
        assert page.locator("img[src='x'], .cr-panel script, .cr-results script").count() == 0
        page.wait_for_timeout(300)
        assert watch.dialogs == []
    finally:
        page.context.close()


def test_a_permalink_restores_the_popup_and_the_panel_together(
    browser: Browser, offline_build: BuildResult, watch: Watch
) -> None:
    c = next(c for c in offline_build.citations if c.feature_id == "instc")
    fragment = f"#feature=baku&article={c.article_id}&at={c.start}&q=Astara&mode=text"
    page = open_at(browser, offline_build.outputs[0], watch, fragment)
    try:
        assert open_feature(page, "baku") == "baku"
        panel = page.locator(".cr-panel[data-panel=article][data-ready]")
        panel.wait_for(state="visible")
        assert panel.locator("mark.cr-current").get_attribute("data-start") == str(c.start)
        page.wait_for_selector('.cr-search[data-ready="Astara"]')
        assert page.locator(".cr-passage-result").count() >= 1
        # Restoring adds no step to the history: the address is the one opened.
        assert page.evaluate("location.hash") == fragment
        page.get_by_role("button", name="Close panel").click()
        assert address(page) == {"feature": "baku", "q": "Astara", "mode": "text"}
        page.go_back()
        panel.wait_for(state="visible")
    finally:
        page.context.close()
