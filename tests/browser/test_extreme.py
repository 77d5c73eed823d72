"""A passage with thousands of highlights: its popup opens and marks every one."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench.extreme import many_mentions
from geo.build import run_build
from tests.browser.conftest import Watch, open_offline
from tests.project import LAYERS

pytestmark = pytest.mark.browser


def test_a_popup_of_thousands_of_highlights_marks_them_all(
    tmp_path: Path, browser: Browser, watch: Watch
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "many.txt").write_text(many_mentions(32_000) + "\n", encoding="utf-8")
    built = run_build(seeds, LAYERS, tmp_path / "out", self_contained=True, keep_citations=True)
    [tap] = [c for c in built.citations if c.feature_id == "tap"]
    assert len(tap.highlights) > 2000
    page = open_offline(browser, built.outputs[0], watch)
    page.evaluate(
        """() => { let layer = null;
        window.citedMap.map.eachLayer(l => { if (l.feature && l.feature.id === 'tap') layer = l; });
        layer.fire('click', {latlng: layer.getBounds().getCenter()}); }"""
    )
    page.wait_for_selector(".leaflet-popup-content mark")
    marks = page.locator(".leaflet-popup-content mark")
    assert marks.count() == len(tap.highlights)
    assert marks.first.inner_text() == "TAP"
    page.context.close()
