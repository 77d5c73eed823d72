"""The browser stage: the built map in headless Chromium, offline, timed by the page itself.

Times come from the Performance API (the page's own clock), so Playwright's round trips
are not counted in them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from bench.chromium import Watch, headless, open_offline
from bench.common import say

# A 10,000-article map inflates megabytes of data before it is ready: allow it minutes.
BROWSER_TIMEOUT_MS = 600_000
STEP_TIMEOUT_MS = 60_000
POPUP_RUNS = 3
POPUP_JS = """(id) => {
  const t0 = performance.now();
  window.citedMap.map.citedFeatures[id].openPopup();
  const el = document.querySelector('.cm-popup');
  return [performance.now() - t0, el !== null];
}"""
FCP_JS = """() => {
  const e = performance.getEntriesByType('paint')
    .find((p) => p.name === 'first-contentful-paint');
  return e ? e.startTime : null;
}"""


@dataclass(frozen=True)
class BrowserFigures:
    """What the browser stage measured, in milliseconds of the page's clock."""

    fcp_ms: float
    ready_ms: float
    ready_wall_s: float
    popup_ms: tuple[float, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def best_popup_ms(self) -> float | None:
        return min(self.popup_ms) if self.popup_ms else None


def _first_paint(page: Page) -> float:
    page.wait_for_function(f"({FCP_JS})() !== null", timeout=STEP_TIMEOUT_MS)
    return float(page.evaluate(FCP_JS))


def _open_popup(page: Page, feature_id: str) -> float:
    """Milliseconds the page took to open feature_id's popup."""
    ms, found = page.evaluate(POPUP_JS, feature_id)
    if not found:
        say("browser: WARNING: no .cm-popup element right after openPopup()")
    page.wait_for_selector(".cm-popup", state="visible", timeout=STEP_TIMEOUT_MS)
    return float(ms)


def _close_popup(page: Page) -> None:
    page.evaluate("() => { window.citedMap.map.closePopup(); }")
    page.wait_for_selector(".cm-popup", state="detached", timeout=STEP_TIMEOUT_MS)


def popup_times(page: Page, feature_id: str, shot: Path) -> tuple[float, ...]:
    """Open and close feature_id's popup POPUP_RUNS times; screenshot the last one."""
    times = []
    for run in range(POPUP_RUNS):
        times.append(_open_popup(page, feature_id))
        if run == POPUP_RUNS - 1:
            page.wait_for_timeout(500)  # let the fade-in finish (not timed)
            page.screenshot(path=str(shot))
        _close_popup(page)
    shown = ", ".join(f"{t:.1f}" for t in times)
    say(f"browser: popup of {feature_id}: {min(times):.1f} ms in page ({shown}); {shot}")
    return tuple(times)


def time_browser(html: Path, feature_id: str | None, shot: Path) -> BrowserFigures:
    """Open html offline: first paint, map ready and (if given) feature_id's popup."""
    watch = Watch()
    with headless() as browser:
        start = time.perf_counter()
        # "commit": return at once and let the page's own clock time the rest.
        page = open_offline(
            browser,
            html,
            watch,
            viewport=(1280, 800),
            wait_until="commit",
            timeout_ms=BROWSER_TIMEOUT_MS,
        )
        ready_wall_s = time.perf_counter() - start
        ready_ms = float(page.evaluate("() => performance.now()"))
        fcp_ms = _first_paint(page)
        say(
            f"browser: first contentful paint {fcp_ms:.0f} ms, map ready {ready_ms:.0f} ms "
            f"(in-page clock; {ready_wall_s:.1f} s wall from goto)"
        )
        popup = popup_times(page, feature_id, shot) if feature_id else ()
    problems = tuple(watch.problems())
    for problem in problems[:5]:
        say(f"browser: {problem[:200]}")
    return BrowserFigures(fcp_ms, ready_ms, ready_wall_s, popup, problems)
