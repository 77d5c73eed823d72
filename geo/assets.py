"""Third-party JS/CSS assets: pinned versions, CDN addresses, and inlining from node_modules.

The versions here and in package.json / package-lock.json must agree; a test checks it.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = (
    "run `npm ci` in the project folder (it installs the pinned assets into node_modules/)"
)


@dataclass(frozen=True)
class Asset:
    """One file of one npm package at a pinned version."""

    name: str
    package: str
    version: str
    file: str

    @property
    def cdn_url(self) -> str:
        """Where the default (online) map loads it from."""
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.file}"


LEAFLET_VERSION = "1.9.3"
JS_ASSETS = (Asset("leaflet", "leaflet", LEAFLET_VERSION, "dist/leaflet.js"),)
CSS_ASSETS = (Asset("leaflet_css", "leaflet", LEAFLET_VERSION, "dist/leaflet.css"),)


class MissingAssetError(Exception):
    """An asset needed for a self-contained map is not installed."""


def default_node_modules() -> Path:
    """node_modules beside the project (or in the working folder when installed elsewhere)."""
    beside = Path(__file__).resolve().parents[1] / "node_modules"
    return beside if beside.is_dir() else Path.cwd() / "node_modules"


def read_asset(asset: Asset, node_modules: Path) -> str:
    """Text of an installed asset, checked against its pinned version."""
    manifest = node_modules / asset.package / "package.json"
    path = node_modules / asset.package / asset.file
    if not manifest.is_file() or not path.is_file():
        raise MissingAssetError(f"{path} is missing: {INSTALL_HINT}")
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if installed != asset.version:
        raise MissingAssetError(
            f"{asset.package} {installed} is installed but {asset.version} is pinned: "
            + INSTALL_HINT
        )
    return path.read_text(encoding="utf-8")


def _inline_urls(css: str, base: Path) -> str:
    """Replace relative url(...) references in CSS with data: URIs, so nothing is fetched."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.startswith(("data:", "#")):
            return match.group(0)
        path = (base / target).resolve()
        if not path.is_file():
            raise MissingAssetError(f"{path} (referenced by CSS) is missing: {INSTALL_HINT}")
        mime = "image/svg+xml" if path.suffix == ".svg" else f"image/{path.suffix[1:]}"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url({match.group(1)}data:{mime};base64,{data}{match.group(1)})"

    return re.sub(r"url\((['\"]?)([^'\")]+)\1\)", replace, css)


def inline_assets(html: str, node_modules: Path) -> str:
    """Replace every pinned asset's <script src>/<link href> in html with its inlined content."""
    for asset in JS_ASSETS:
        tag = f'<script src="{asset.cdn_url}"></script>'
        if tag not in html:
            raise MissingAssetError(f"the map does not load {asset.cdn_url} as expected")
        code = read_asset(asset, node_modules).replace("</script", "<\\/script")
        html = html.replace(tag, f"<script>{code}</script>")
    for asset in CSS_ASSETS:
        tag = f'<link rel="stylesheet" href="{asset.cdn_url}"/>'
        if tag not in html:
            raise MissingAssetError(f"the map does not load {asset.cdn_url} as expected")
        css = read_asset(asset, node_modules)
        css = _inline_urls(css, (node_modules / asset.package / asset.file).parent)
        css = css.replace("</style", "<\\/style")
        html = html.replace(tag, f"<style>{css}</style>")
    leftover = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"(https?:[^\"]+)\"", html)
    if leftover:
        raise MissingAssetError(f"the self-contained map still loads {leftover[0]}")
    return html
