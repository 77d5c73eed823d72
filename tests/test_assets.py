"""Third-party assets: one pinned version, in package.json and its lock, used by both maps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.assets import CSS_ASSETS, JS_ASSETS, MissingAssetError, inline_assets
from geo.build import BuildResult
from tests.project import ROOT


def test_package_files_pin_the_versions_the_code_uses() -> None:
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for asset in (*JS_ASSETS, *CSS_ASSETS):
        assert manifest["dependencies"][asset.package] == asset.version
        assert lock["packages"][f"node_modules/{asset.package}"]["version"] == asset.version


def test_the_default_map_loads_only_the_pinned_assets(built: BuildResult) -> None:
    html = built.outputs[0].read_text(encoding="utf-8")
    loaded = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"(https?:[^\"]+)\"", html)
    assert sorted(loaded) == sorted(a.cdn_url for a in (*JS_ASSETS, *CSS_ASSETS))


def test_a_missing_asset_says_how_to_install_it(built: BuildResult, tmp_path: Path) -> None:
    html = built.outputs[0].read_text(encoding="utf-8")
    with pytest.raises(MissingAssetError, match=r"run `npm ci` in the project folder"):
        inline_assets(html, tmp_path / "node_modules")


def test_every_file_the_package_reads_is_shipped() -> None:
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["geo"]
    for folder in ("js", "data"):
        for path in (ROOT / "geo" / folder).iterdir():
            name = f"{folder}/{path.name}"
            assert any(fnmatch.fnmatch(name, p) for p in patterns), name
