"""Third-party JS/CSS assets: pinned versions, and inlining them so that no map needs the
network.

The versions here and in package.json / package-lock.json must agree; a test checks it.
The pinned files ship inside the package (geo/data/vendor/, copied from node_modules by
scripts/vendor_assets.py, and checked byte for byte against it by a test), so that a
tool installed with pip alone still makes an offline map.
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


# The pinned packages' files as they ship with this package, laid out as in node_modules.
VENDOR = Path(__file__).resolve().parent / "data" / "vendor"
# Besides each asset and what its CSS references: the manifest (its version) and licence.
PACKAGE_FILES = ("package.json", "LICENSE")


class MissingAssetError(Exception):
    """An asset needed for a self-contained map is not installed."""


def vendored_files(node_modules: Path) -> list[str]:
    """The files, relative to node_modules, that ship in geo/data/vendor/."""
    files = {f"{a.package}/{name}" for a in (*JS_ASSETS, *CSS_ASSETS) for name in PACKAGE_FILES}
    files |= {f"{a.package}/{a.file}" for a in (*JS_ASSETS, *CSS_ASSETS)}
    for asset in CSS_ASSETS:
        css = (node_modules / asset.package / asset.file).read_text(encoding="utf-8")
        base = Path(asset.file).parent
        files |= {
            f"{asset.package}/{(base / target).as_posix()}"
            for _, target in re.findall(r"url\((['\"]?)([^'\")]+)\1\)", css)
            if not target.startswith(("data:", "#"))
        }
    return sorted(files)


def read_asset(asset: Asset, node_modules: Path = VENDOR) -> str:
    """Text of an asset (the package's own copy, unless another folder is given), checked
    against its pinned version."""
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


def inline_assets(html: str, node_modules: Path | None = None) -> str:
    """Replace every pinned asset's <script src>/<link href> in html with its inlined content,
    from node_modules if given, else from the package's own copy."""
    node_modules = node_modules or VENDOR
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
