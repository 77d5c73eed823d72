"""The citation cache: a rebuild tags only what changed, and gives the same map."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo import build as build_module
from geo import tagging
from geo.build import CACHE_FILE, OUTPUTS
from geo.cli import main
from tests.project import LAYERS, SEEDS


def build(capsys: pytest.CaptureFixture[str], seeds: Path, layers: Path, out: Path) -> str:
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out)]) == 0
    return capsys.readouterr().out.splitlines()[1]


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    seeds, layers = tmp_path / "seeds", tmp_path / "layers"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(LAYERS, layers)
    return seeds, layers, tmp_path / "out"


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_a_rebuild_takes_every_article_from_the_cache(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seeds, layers, out = inputs
    assert build(capsys, seeds, layers, out) == "tagged 5 articles, 0 from the cache"
    first = outputs(out)
    assert build(capsys, seeds, layers, out) == "tagged 0 articles, 5 from the cache"
    assert outputs(out) == first
    assert (out / CACHE_FILE).is_file()


def test_an_added_or_changed_article_is_the_only_one_tagged(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seeds, layers, out = inputs
    build(capsys, seeds, layers, out)
    (seeds / "extra.txt").write_text("The TAP pipeline reached Italy.", encoding="utf-8")
    assert build(capsys, seeds, layers, out) == "tagged 1 article, 5 from the cache"
    (seeds / "extra.txt").write_text("The Rasht-Astara railway is planned.", encoding="utf-8")
    assert build(capsys, seeds, layers, out) == "tagged 1 article, 5 from the cache"
    cached = outputs(out)
    fresh = tmp_path / "fresh"
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(fresh)]) == 0
    capsys.readouterr()
    assert outputs(fresh) == cached, "a build from the cache is the build without it"


def test_a_changed_gazetteer_retags_everything_and_says_so(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    seeds, layers, out = inputs
    build(capsys, seeds, layers, out)
    tagging = layers / "tagging.yaml"
    tagging.write_text(tagging.read_text(encoding="utf-8") + "\n# a comment\n", "utf-8")
    assert build(capsys, seeds, layers, out) == (
        "tagged 5 articles, 0 from the cache (the gazetteer or the code changed since the "
        "last build: 5 cached articles re-tagged)"
    )
    # The look of the map is not the gazetteer: its settings leave the cache valid.
    settings = layers / "map.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n# a comment\n", "utf-8")
    assert build(capsys, seeds, layers, out) == "tagged 0 articles, 5 from the cache"


def test_no_cache_tags_afresh_and_writes_none(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    seeds, layers, out = inputs
    argv = ["--seeds", str(seeds), "--layers", str(layers), "--out", str(out), "--no-cache"]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines()[1] == "tagged 5 articles, 0 from the cache"
    assert not (out / ".cache").exists()


def test_the_version_covers_every_module_tagging_imports() -> None:
    import subprocess
    import sys

    from geo.cache import TAGGING_MODULES

    code = (
        "import sys, geo.tagging, geo.layers, geo.settings; "
        "print(' '.join(m for m in sys.modules if m.startswith('geo.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = {name.removeprefix("geo.") for name in done.stdout.split()}
    assert imported <= set(TAGGING_MODULES)


def test_a_rebuild_of_a_few_new_articles_tags_them_without_worker_processes(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seeds, layers, out = inputs
    args = ["--seeds", str(seeds), "--layers", str(layers), "--out", str(out), "--jobs", "2"]
    assert main(args) == 0
    capsys.readouterr()
    (seeds / "extra.txt").write_text("The TAP pipeline reached Italy.", encoding="utf-8")
    workers = tag_batches_jobs(lambda: main(args))
    assert capsys.readouterr().out.splitlines()[1] == "tagged 1 article, 5 from the cache"
    assert workers == [1]
    fresh = tmp_path / "fresh"
    assert main([*args[:4], "--out", str(fresh), "--jobs", "2", "--no-cache"]) == 0
    assert outputs(fresh) == outputs(out)


def tag_batches_jobs(action: Callable[[], int]) -> list[int]:
    """The jobs each call of geo.tagging.tag_batches had while action ran."""
    seen: list[int] = []
    real = tagging.tag_batches

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("jobs", 1))
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tagging, "tag_batches", spy)
        patch.setattr(build_module, "tag_batches", spy)
        assert action() == 0
    return seen
