"""One headless Chromium for the session; every page has the network cut and fails on errors.

Chromium and the offline page come from bench/chromium.py, which the benchmark uses too:
Debian's ``chromium`` (``apt-get install chromium``) driven by Playwright for Python, or
the binary CHROMIUM_PATH names. The names below are imported by the test modules.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from bench import chromium
from bench.chromium import CHROMIUM_ARGS, Watch, launch, open_offline
from bench.corpus import make_corpus
from geo.build import BuildResult, run_build
from tests.project import LAYERS, SEEDS

__all__ = [
    "CHROMIUM_ARGS",
    "Watch",
    "browser",
    "chromium_path",
    "map_10k",
    "offline_build",
    "open_offline",
    "page",
    "playwright",
    "watch",
]


def chromium_path() -> str:
    """The Chromium binary to drive; fails the test when there is none."""
    try:
        return chromium.chromium_path()
    except chromium.ChromiumNotFound as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch(playwright, chromium_path())
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def offline_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The self-contained map of the project's own seeds and layers."""
    return run_build(
        SEEDS, LAYERS, tmp_path_factory.mktemp("offline"), self_contained=True, keep_citations=True
    )


@pytest.fixture(scope="session")
def map_10k(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A map folder of the benchmark's 10,000 articles (bench.corpus), built once a session.

    A few minutes on a small machine: only the tests that need a large corpus ask for it.
    """
    return corpus_map(tmp_path_factory, 10_000)


def corpus_map(tmp_path_factory: pytest.TempPathFactory, articles: int) -> BuildResult:
    """A map folder of a synthetic corpus of this many articles (bench.corpus, seed 1)."""
    root = tmp_path_factory.mktemp(f"map-{articles}")
    make_corpus(root / "corpus", articles, 1)
    return run_build(
        root / "corpus",
        LAYERS,
        root / "out",
        self_contained=True,
        map_folder=True,
        keep_citations=True,
    )


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
