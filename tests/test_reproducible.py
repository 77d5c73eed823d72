"""Two builds from the same inputs are byte-identical; a killed build leaves the old map intact."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from geo.build import OUTPUTS, run_build
from tests.project import LAYERS, ROOT, SEEDS


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    for self_contained in (False, True):
        first = run_build(SEEDS, LAYERS, tmp_path / "a", self_contained=self_contained)
        second = run_build(SEEDS, LAYERS, tmp_path / "b", self_contained=self_contained)
        for a, b in zip(first.outputs, second.outputs, strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_a_build_killed_mid_way_leaves_the_previous_map(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    out = tmp_path / "out"
    run_build(seeds, LAYERS, out)
    before = {p.name: p.read_bytes() for p in out.glob("map.*")}
    # A bigger corpus, so that the build spends a while tagging and writing.
    text = (SEEDS / "003_fe03d9a2d321f437.txt").read_text(encoding="utf-8")
    for i in range(300):
        (seeds / f"copy_{i:03}.txt").write_text(text, encoding="utf-8")
    command = [
        sys.executable,
        str(ROOT / "build_map.py"),
        "--seeds",
        str(seeds),
        "--layers",
        str(LAYERS),
        "--out",
        str(out),
        "--quiet",
    ]
    outcomes = set()
    for delay, sig in [
        (0.5, signal.SIGKILL),
        (1.5, signal.SIGINT),
        (2.5, signal.SIGKILL),
        (3.5, signal.SIGTERM),
    ]:
        process = subprocess.Popen(command, stderr=subprocess.DEVNULL, cwd=tmp_path)
        time.sleep(delay)
        process.send_signal(sig)
        process.wait(timeout=120)
        after = {p.name: p.read_bytes() for p in out.glob("map.*")}
        if after == before:
            outcomes.add("kept")
        else:
            # The build got as far as its renames (a signal arriving during them
            # is held until both are done, and one arriving after them finds the
            # work finished): both files are the new ones, together.
            assert process.returncode in (0, -signal.SIGINT, -signal.SIGTERM, -signal.SIGKILL)
            assert b"copy_000.txt" in after["map.geojson"]
            assert b"copy_000.txt" in after["map.html"]
            outcomes.add("replaced")
            before = after
    assert "kept" in outcomes
    for leftover in os.listdir(out):
        assert leftover in (*OUTPUTS, ".cache") or leftover.startswith(
            (".map.", ".candidates.", ".sources.", ".citations.", ".build-", ".build.lock")
        )


def test_exports_written_by_a_second_process_are_the_bytes_of_one(tmp_path: Path) -> None:
    # Two jobs write map.geojson, map.gpkg and citations.csv in a process of their own.
    alone = run_build(SEEDS, LAYERS, tmp_path / "one", use_cache=False)
    beside = run_build(SEEDS, LAYERS, tmp_path / "two", jobs=2, use_cache=False)
    for a, b in zip(alone.outputs, beside.outputs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert a.stat().st_mode == b.stat().st_mode, a.name
    left = {p.name for p in (tmp_path / "two").iterdir()} - set(OUTPUTS)
    assert left == {".build.lock"}, "no temporary or scratch file is left behind"
