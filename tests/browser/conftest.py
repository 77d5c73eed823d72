"""One headless Chromium for the session; every page has the network cut and fails on errors.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright for Python
through ``executable_path``; set CHROMIUM_PATH to use another binary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

from geo.build import BuildResult, run_build
from tests.project import LAYERS, SEEDS

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The Chromium binary to drive."""
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (see README)")
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def offline_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The self-contained map of the project's own seeds and layers."""
    return run_build(SEEDS, LAYERS, tmp_path_factory.mktemp("offline"), self_contained=True)


@dataclass
class Watch:
    """What a page did that a reader would see as broken."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_offline(browser: Browser, html: Path, watch: Watch) -> Page:
    """Open html with the network cut: any request that is not the file itself is refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.set_offline(True)

    def refuse(route: Route) -> None:
        if route.request.url != html.as_uri():
            watch.requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", refuse)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    page.on("requestfailed", lambda req: watch.requests.append(f"failed: {req.url}"))

    def dismiss(dialog: object) -> None:
        watch.dialogs.append(getattr(dialog, "message", "?"))
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", dismiss)
    page.goto(html.as_uri())
    page.wait_for_function("window.citedMap && window.citedMap.map")
    return page


@pytest.fixture
def watch() -> Iterator[Watch]:
    """Fails the test if the page logged an error, threw, fetched anything or opened a dialog."""
    seen = Watch()
    yield seen
    assert seen.console_errors == []
    assert seen.page_errors == []
    assert seen.requests == []
    assert seen.dialogs == []


@pytest.fixture
def page(browser: Browser, offline_build: BuildResult, watch: Watch) -> Iterator[Page]:
    """The self-contained map, opened offline."""
    page = open_offline(browser, offline_build.outputs[0], watch)
    yield page
    page.context.close()
