"""Third-party assets: one pinned version, in package.json and its lock, used by both maps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.assets import (
    CSS_ASSETS,
    JS_ASSETS,
    VENDOR,
    MissingAssetError,
    inline_assets,
    read_asset,
    vendored_files,
)
from geo.build import BuildResult
from tests.project import ROOT


def test_package_files_pin_the_versions_the_code_uses() -> None:
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for asset in (*JS_ASSETS, *CSS_ASSETS):
        assert manifest["dependencies"][asset.package] == asset.version
        assert lock["packages"][f"node_modules/{asset.package}"]["version"] == asset.version


def test_the_default_map_loads_no_script_or_style_from_the_network(built: BuildResult) -> None:
    html = built.outputs[0].read_text(encoding="utf-8")
    loaded = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"(https?:[^\"]+)\"", html)
    assert loaded == []
    assert "Leaflet 1.9.3" in html or f'version:"{JS_ASSETS[0].version}"' in html


def test_the_shipped_assets_are_the_pinned_npm_packages() -> None:
    node_modules = ROOT / "node_modules"
    if not (node_modules / "leaflet").is_dir():
        pytest.skip("node_modules is not installed (run `npm ci`)")
    files = vendored_files(node_modules)
    assert "leaflet/dist/leaflet.js" in files and "leaflet/LICENSE" in files
    for relative in files:
        shipped, pinned = VENDOR / relative, node_modules / relative
        assert shipped.read_bytes() == pinned.read_bytes(), (
            f"{relative} differs from npm's: run python scripts/vendor_assets.py"
        )
    assert read_asset(JS_ASSETS[0]).startswith("/*")


def test_a_missing_asset_says_how_to_install_it(tmp_path: Path) -> None:
    # A page as folium writes it, before the assets are inlined.
    html = "".join(f'<script src="{a.cdn_url}"></script>' for a in JS_ASSETS) + "".join(
        f'<link rel="stylesheet" href="{a.cdn_url}"/>' for a in CSS_ASSETS
    )
    with pytest.raises(MissingAssetError, match=r"run `npm ci` in the project folder"):
        inline_assets(html, tmp_path / "node_modules")


def test_every_file_the_package_reads_is_shipped() -> None:
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["geo"]
    for folder in ("js", "data"):
        for path in (ROOT / "geo" / folder).rglob("*"):
            if path.is_file():
                name = path.relative_to(ROOT / "geo").as_posix()
                assert any(fnmatch.fnmatch(name, p) for p in patterns), name


def test_a_cdn_page_is_an_option(tmp_path: Path) -> None:
    from geo.cli import main
    from tests.project import LAYERS, SEEDS

    out = tmp_path / "out"
    assert (
        main(
            ["--seeds", str(SEEDS), "--layers", str(LAYERS), "--out", str(out), "--cdn", "--quiet"]
        )
        == 0
    )
    html = (out / "map.html").read_text(encoding="utf-8")
    assert f'<script src="{JS_ASSETS[0].cdn_url}"></script>' in html
    assert "Leaflet 1.9.3, a JS library" not in html
