"""The benchmark on 20 articles without the browser: its table, and the exit status targets decide.

It runs in-process into a temporary folder (never bench-out/), twice on the same corpus
(the second run reuses it), in about fifteen seconds.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from bench import chromium
from bench.cli import DEFAULT_TARGETS, main
from bench.report import KINDS, build_figures
from bench.stages import Build, run_timed
from bench.targets import Kind, TargetsError, load_targets, parse_target, parse_targets, verdict

ROW = re.compile(r"^\| ([^|]+?) \| ([^|]+?) \| ([^|]*?) ?\| ([^|]*?) ?\|$", re.MULTILINE)
GENEROUS = {
    "tagging_over_grep": "<= 1000x",
    "build_wall": "<= 600 s",
    "peak_memory": "<= 64 GB",
    "map_html": "< 1000 MB",
    "first_render": "< 600 s",
    "popup_most_cited": "< 600000 ms",
    "seeds_over_bare": "<= 1000x",
}
IMPOSSIBLE = {**GENEROUS, "build_wall": "< 1 ms"}
ARTICLES = ["--articles", "20", "--no-browser"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One work folder for the module, so the second run reuses the first one's corpus."""
    return tmp_path_factory.mktemp("bench")


def run_bench(
    workdir: Path, targets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Exit status and printed output of the benchmark, with these targets."""
    path = workdir / "targets.yaml"
    path.write_text(yaml.safe_dump(targets), encoding="utf-8")
    status = main([*ARTICLES, "--workdir", str(workdir / "out"), "--targets", str(path)])
    return status, capsys.readouterr().out


def table_rows(output: str) -> dict[str, tuple[str, str, str]]:
    """Value, target and verdict of each row of the printed table, by the figure's label."""
    rows = {m[1]: (m[2], m[3], m[4]) for m in ROW.finditer(output)}
    assert rows.pop("figure") == ("value", "target", "held")
    return {label.split(" (")[0]: row for label, row in rows.items()}


def test_generous_targets_hold_and_the_table_holds_real_figures(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, output = run_bench(workdir, GENEROUS, capsys)
    rows = table_rows(output)
    assert status == 0
    assert re.fullmatch(r"\d+\.\d\d×", rows["tagging / grep"][0])
    assert rows["tagging / grep"][1:] == ("≤ 1000×", "yes")
    assert re.fullmatch(r"\d+(\.\d+)? m?s", rows["whole build, wall"][0])
    assert re.fullmatch(r"[1-9][\d,]* MB", rows["peak memory"][0])
    assert re.fullmatch(r"\d+\.\d MB", rows["`map.html`"][0])
    assert re.fullmatch(r".* = \d+\.\d\d×", rows["five seeds: build / bare folium"][0])
    assert rows["first render in Chromium"] == ("not measured", "< 600 s", "skipped")
    assert rows["`map.geojson`"][1:] == ("", "")
    assert "Latest figures (" in output and ", 20 articles, " in output
    assert "5 held, 0 missed, 2 skipped" in output
    results = json.loads((workdir / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["figures"]["build_wall"]["value"] > 0
    assert results["figures"]["first_render"]["held"] == "skipped"


def test_an_impossible_target_makes_the_exit_status_1(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, output = run_bench(workdir, IMPOSSIBLE, capsys)
    rows = table_rows(output)
    assert status == 1
    assert "corpus: reusing" in output
    assert rows["whole build, wall"][1:] == ("< 1 ms", "no")
    assert "4 held, 1 missed, 2 skipped" in output


def test_a_bad_targets_file_stops_the_run_before_it_measures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text("build_time: '<= 15 s'\n", encoding="utf-8")
    status = main([*ARTICLES, "--workdir", str(tmp_path / "out"), "--targets", str(targets)])
    assert status == 2
    assert "build_time: no such figure" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_projects_targets_file_loads() -> None:
    targets = load_targets(DEFAULT_TARGETS, KINDS)
    assert targets["peak_memory"].text == "≤ 1.5 GB"
    assert targets["peak_memory"].limit == 1500
    assert targets["popup_most_cited"].limit == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("text", "kind", "problem"),
    [("15 s", "time", "is not a target"), ("<= 15 MB", "time", "measures a size, not a time")],
)
def test_a_target_that_cannot_be_read_is_refused(text: str, kind: Kind, problem: str) -> None:
    with pytest.raises(TargetsError, match=problem):
        parse_target("build_wall", text, kind)


def test_an_unmeasured_figure_is_skipped_not_failed() -> None:
    target = parse_target("first_render", "< 3 s", "time")
    assert (verdict(None, target), verdict(2.9, target), verdict(3.0, target)) == (
        "skipped",
        "yes",
        "no",
    )
    assert verdict(99.0, None) == ""


def test_chromium_path_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHROMIUM_PATH", "/opt/elsewhere/chrome")
    assert chromium.chromium_path() == "/opt/elsewhere/chrome"
    monkeypatch.delenv("CHROMIUM_PATH")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(chromium.ChromiumNotFound, match="CHROMIUM_PATH"):
        chromium.chromium_path()


def test_a_failed_builds_time_is_not_judged() -> None:
    rows = {f.key: f for f in build_figures(Build(status=2, wall_s=(0.4, 0.3), peak_mb=90.0))}
    assert (rows["build_wall"].value, rows["build_wall"].shown) == (None, "failed (exit 2)")
    assert rows["map_html"].shown == "not measured"


def test_a_larger_corpus_takes_the_targets_of_its_size() -> None:
    doc = {
        "build_wall": "<= 15 s",
        "peak_memory": "<= 1.5 GB",
        "at_articles": {
            100_000: {"build_wall": "<= 60 s"},
            1_000_000: {"build_wall": None, "peak_memory": "<= 2 GB"},
        },
    }
    shown = {
        n: {k: t.text for k, t in parse_targets(doc, KINDS, n).items()}
        for n in (10_000, 100_000, 250_000, 1_000_000)
    }
    assert shown[10_000] == {"build_wall": "≤ 15 s", "peak_memory": "≤ 1.5 GB"}
    assert shown[100_000] == shown[250_000] == {"build_wall": "≤ 60 s", "peak_memory": "≤ 1.5 GB"}
    assert shown[1_000_000] == {"peak_memory": "≤ 2 GB"}
    with pytest.raises(TargetsError, match="at_articles 100000: build_time: no such figure"):
        parse_targets({"at_articles": {100_000: {"build_time": "<= 1 s"}}}, KINDS, 10)
    # The project's own file has targets for the sizes the issue names.
    assert load_targets(DEFAULT_TARGETS, KINDS, 1_000_000)["peak_memory"].text == "≤ 2 GB"


def test_the_cpu_figure_is_that_of_the_run_of_better_wall_time() -> None:
    build = Build(status=0, wall_s=(9.0, 7.5), peak_mb=90.0, cpu_s=(14.0, 12.5))
    rows = {f.key: f for f in build_figures(build)}
    assert (rows["build_cpu"].value, rows["build_cpu"].shown) == (12.5, "12.5 s")
    failed = {f.key: f for f in build_figures(Build(status=1, wall_s=(1.0,), peak_mb=1.0))}
    assert failed["build_cpu"].value is None


def test_a_measured_run_counts_the_cpu_of_its_children(tmp_path: Path) -> None:
    spin = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])"
    status, _, _, cpu = run_timed([sys.executable, "-c", child], tmp_path / "spin")
    assert status == 0 and cpu >= 0.3
