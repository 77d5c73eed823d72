"""Hostile text from articles, YAML and GeoJSON is shown literally and never runs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from geo.build import run_build
from tests.browser.conftest import Watch, open_offline
from tests.project import LAYERS, SEEDS

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert('script')</script>"
IMG = "<img src=x onerror=alert('img')>"
QUOTES = "'single' \"double\" “curly” ‘curly’ «angle» `back` ${x} </script> & &amp;"
SENTENCES = [
    f"The TAP pipeline {SCRIPT} carries gas west.",
    f"Critics of TAP wrote {IMG} in a comment.",
    f"Quotes about TAP: {QUOTES}.",
    "Templates about TAP: {{ 7*7 }} {% raw %} {# note #} stay as written.",
    "Emoji 🛢️🚆 before 𝐓𝐀𝐏 and TAP keep the highlight in place.",
]
HOSTILE_TITLE = "javascript:alert('title') <b>bold</b>"
HOSTILE_LAYER = "Pipelines <img src=x onerror=alert('layer')> {{ 7*7 }}"
HOSTILE_URL = "https://example.org/?q=" + SCRIPT + '&x="y'
HOSTILE_NAME = "TAP </script><script>alert('name')</script> `${1}`"
HOSTILE_MAP_TITLE = "Map <img src=x onerror=alert('h1')> {{ 7*7 }}"
HOSTILE_HEADING = "About <b>bold</b> </dialog><script>alert('about')</script>"


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    seeds, layers = root / "seeds", root / "layers"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(LAYERS, layers)
    (seeds / "hostile.txt").write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    with (seeds / "metadata.yaml").open("a", encoding="utf-8") as meta:
        meta.write(
            "\nhostile.txt:\n"
            f"  title: {json.dumps(HOSTILE_TITLE)}\n"
            f"  outlet: {json.dumps(IMG)}\n"
            "  date: '2024-09-01'\n"
            f"  url: {json.dumps(HOSTILE_URL)}\n"
        )
    settings_path = layers / "map.yaml"
    settings_path.write_text(
        settings_path.read_text(encoding="utf-8")
        .replace(
            'title: "Cited map: South Caucasus', f"title: {json.dumps(HOSTILE_MAP_TITLE)[:-1]}"
        )
        .replace("  - heading: What the map shows", f"  - heading: {json.dumps(HOSTILE_HEADING)}"),
        encoding="utf-8",
    )
    yaml_path = layers / "pipelines.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace(
            "title: Pipelines", f"title: {HOSTILE_LAYER!r}"
        ),
        encoding="utf-8",
    )
    geo_path = layers / "pipelines.geojson"
    data = json.loads(geo_path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["id"] == "tap":
            feature["properties"]["name"] = HOSTILE_NAME
    geo_path.write_text(json.dumps(data), encoding="utf-8")
    return run_build(seeds, layers, root / "out", self_contained=True).outputs[0]


@pytest.fixture
def hostile_page(browser: Browser, hostile_map: Path, watch: Watch) -> Iterator[Page]:
    page = open_offline(browser, hostile_map, watch)
    yield page
    page.context.close()


def test_hostile_text_is_shown_literally(hostile_page: Page, watch: Watch) -> None:
    page = hostile_page
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert HOSTILE_LAYER in [label.strip() for label in labels]
    page.evaluate("window.citedMap.map.citedFeatures['tap'].openPopup()")
    popup = page.locator(".cm-popup[data-feature='tap'][data-ready]")
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert HOSTILE_NAME in text
    for sentence in SENTENCES:
        assert sentence in text
    assert f"{IMG} · 2024-09-01" in text
    marks = popup.locator("mark").all_inner_texts()
    assert marks and all(mark == "TAP" for mark in marks), marks
    assert HOSTILE_TITLE in text
    link = popup.locator("a", has_text="javascript:alert")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("href").startswith("https://example.org/")
    # Nothing the text described became an element, and nothing ran.
    assert page.locator("img[src='x']").count() == 0
    assert page.locator(".cm-popup script, .cm-popup b").count() == 0
    page.wait_for_timeout(300)
    assert watch.dialogs == []


def test_hostile_tooltip_is_text(hostile_page: Page) -> None:
    page = hostile_page
    page.evaluate("window.citedMap.map.citedFeatures['tap'].openTooltip()")
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text() == HOSTILE_NAME


def test_hostile_header_and_about_are_text(hostile_page: Page, watch: Watch) -> None:
    page = hostile_page
    assert page.locator("h1").inner_text().startswith(HOSTILE_MAP_TITLE)
    assert page.title().startswith(HOSTILE_MAP_TITLE)
    page.get_by_role("button", name="About").click()
    dialog = page.locator("dialog.cm-about[open]")
    dialog.wait_for(state="visible")
    assert HOSTILE_HEADING in dialog.locator("h3").all_inner_texts()
    assert page.locator("header img, dialog b, dialog script").count() == 0
    page.wait_for_timeout(300)
    assert watch.dialogs == []
