"""Install from pip alone: the built wheel, in a fresh virtual environment, outside the
checkout, makes the map, which opens offline in Chromium with every feature drawn."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Watch, open_offline
from tests.project import LAYERS, ROOT, SEEDS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    (found,) = dist.glob("caucasus_cited_map-*.whl")
    return found


def test_the_wheel_carries_the_pinned_licensed_assets(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("leaflet.js", "leaflet.css", "LICENSE", "package.json"):
        assert any(n.startswith("geo/data/vendor/leaflet/") and n.endswith(shipped) for n in names)
    assert "geo/js/cited_popups.js" in names
    assert not any("node_modules" in n for n in names)


def test_pip_alone_makes_the_offline_map(
    wheel: Path, tmp_path: Path, browser: Browser, watch: Watch
) -> None:
    venv = tmp_path / "venv"
    # The system's packages stand in for the dependencies pip would download; the project
    # itself comes only from the wheel, and no node_modules is anywhere near.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    work = tmp_path / "work"
    shutil.copytree(SEEDS, work / "seeds")
    shutil.copytree(LAYERS, work / "layers")
    done = subprocess.run(
        [str(venv / "bin" / "caucasus-map"), "--quiet"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    located = subprocess.run(
        [str(python), "-c", "import geo; print(geo.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in located.stdout, "the build must run the installed wheel"
    page = open_offline(browser, work / "build" / "map.html", watch)
    drawn = page.evaluate("document.querySelectorAll('.leaflet-interactive').length")
    assert drawn > 20
    page.context.close()
