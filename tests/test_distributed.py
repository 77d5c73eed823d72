"""Tagging on a Dask cluster gives the map a local build gives, byte for byte."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.build import OUTPUTS
from geo.cli import main
from tests.project import LAYERS, SEEDS

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    # Two worker processes, as two machines would be; no dashboard, no network beyond loopback.
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_a_dask_build_is_byte_identical_to_a_local_one(
    scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    # More articles than one task holds, so that several workers share the corpus.
    text = (SEEDS / "002_a74b66ca9444871a.txt").read_text(encoding="utf-8")
    for i in range(450):
        (seeds / f"copy_{i:03}.txt").write_text(f"{text}\nCopy {i}.\n", encoding="utf-8")
    common = ["--seeds", str(seeds), "--layers", str(LAYERS), "--no-cache", "--quiet"]
    assert main([*common, "--out", str(tmp_path / "local"), "--jobs", "2"]) == 0
    dask = ["--engine", "dask", "--scheduler", scheduler]
    assert main([*common, "--out", str(tmp_path / "dask"), *dask]) == 0
    capsys.readouterr()
    for name in OUTPUTS:
        local, remote = tmp_path / "local" / name, tmp_path / "dask" / name
        assert local.read_bytes() == remote.read_bytes(), name


def test_the_engine_and_its_scheduler_go_together(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--engine", "dask"])
    assert exit_info.value.code == 2
    assert "--engine dask and --scheduler ADDRESS go together" in capsys.readouterr().err
