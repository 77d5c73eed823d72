"""The one headless Chromium of the project, for the benchmark and the browser tests alike.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright for Python
through ``executable_path``; set CHROMIUM_PATH to use another binary. Pages open with the
network cut, so a map that would fetch anything is caught rather than quietly served.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from playwright.sync_api import Browser, Dialog, Page, Playwright, Route, sync_playwright

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
MISSING = (
    "Chromium is not installed: run `apt-get install chromium` (see README) or set CHROMIUM_PATH"
)
WaitUntil = Literal["commit", "domcontentloaded", "load", "networkidle"]


class ChromiumNotFound(RuntimeError):
    """Neither CHROMIUM_PATH nor a `chromium` on PATH names a binary."""


def find_chromium() -> str | None:
    """The Chromium binary to drive: CHROMIUM_PATH if set, else `chromium` on PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def chromium_path() -> str:
    """The Chromium binary to drive; ChromiumNotFound when there is none."""
    found = find_chromium()
    if not found:
        raise ChromiumNotFound(MISSING)
    return found


def launch(playwright: Playwright, executable: str | None = None) -> Browser:
    """Headless Chromium (`executable`, else the one chromium_path finds)."""
    return playwright.chromium.launch(
        executable_path=executable or chromium_path(), args=CHROMIUM_ARGS
    )


@contextmanager
def headless(executable: str | None = None) -> Iterator[Browser]:
    """Playwright and one headless Chromium for the duration of the block."""
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What a page did that a reader would see as broken."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything seen, one line each, worst first."""
        return [
            *(f"page error: {e}" for e in self.page_errors),
            *(f"console error: {e}" for e in self.console_errors),
            *(f"request: {r}" for r in self.requests),
            *(f"dialog: {d}" for d in self.dialogs),
        ]


def _watched(page: Page, watch: Watch) -> None:
    """Record on watch what page logs, throws, fails to fetch and shows as dialogs."""
    page.on(
        "console",
        lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    page.on("requestfailed", lambda req: watch.requests.append(f"failed: {req.url}"))

    def dismiss(dialog: Dialog) -> None:
        # An unanswered dialog blocks the page: note it, then get it out of the way.
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)


def open_offline(
    browser: Browser,
    html: Path,
    watch: Watch,
    *,
    viewport: tuple[int, int] = (1280, 860),
    wait_until: WaitUntil = "load",
    timeout_ms: float | None = None,
) -> Page:
    """Open html with the network cut, once `window.citedMap.map` exists.

    Any request that is not the file itself, or one of its own files in map_files/
    beside it (a large corpus's excerpts), is refused and noted on watch. timeout_ms
    bounds the load and the wait for the map (None: Playwright's default, 30 s).
    """
    url = html.resolve().as_uri()
    own_files = (html.resolve().parent / "map_files").as_uri() + "/"
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.set_offline(True)

    def refuse(route: Route) -> None:
        if route.request.url != url and not route.request.url.startswith(own_files):
            watch.requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", refuse)
    page = context.new_page()
    _watched(page, watch)
    page.goto(url, wait_until=wait_until, timeout=timeout_ms)
    page.wait_for_function("window.citedMap && window.citedMap.map", timeout=timeout_ms)
    return page
