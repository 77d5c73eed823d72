"""From the stages' results to figures, and from figures and targets to the README table."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.browser import BrowserFigures
from bench.stages import Build, Seeds, Tagging
from bench.targets import Kind, Target, verdict

NOT_MEASURED = "not measured"
# Every figure the benchmark reports, and what it measures: the keys targets.yaml may use.
KINDS: dict[str, Kind] = {
    "tagging": "time",
    "grep_floor": "time",
    "aho_corasick_floor": "time",
    "tagging_over_grep": "ratio",
    "build_wall": "time",
    "build_cpu": "time",
    "incremental_rebuild": "time",
    "peak_memory": "size",
    "map_html": "size",
    "map_geojson": "size",
    "first_render": "time",
    "map_ready": "time",
    "popup_most_cited": "time",
    "seeds_over_bare": "ratio",
}
BASE_UNITS: dict[Kind, str] = {"time": "s", "size": "MB", "ratio": "x"}


@dataclass(frozen=True)
class Run:
    """Everything one benchmark run measured; browser is None when that stage was skipped."""

    stamp: Mapping[str, Any]
    tagging: Tagging
    grep_s: float
    aho_s: float | None
    build: Build
    seeds: Seeds
    browser: BrowserFigures | None


@dataclass(frozen=True)
class Figure:
    """One row of the table: value in the unit of its kind (None: not measured)."""

    key: str
    label: str
    value: float | None
    shown: str


def seconds(value: float) -> str:
    """A duration as people read it: ms below a tenth of a second."""
    if value >= 0.1:
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    ms = value * 1e3
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms"


def _measured(key: str, label: str, value: float | None, shown: str) -> Figure:
    return Figure(key, label, value, NOT_MEASURED if value is None else shown)


def tagging_figures(tagging: Tagging, grep_s: float, aho_s: float | None = None) -> list[Figure]:
    """Tagging, the grep and Aho-Corasick floors, and tagging over grep."""
    ratio = tagging.seconds / grep_s
    rates = f"{tagging.mb_per_s:.1f} MB/s, {tagging.articles_per_s:,.0f} articles/s"
    return [
        Figure(
            "tagging",
            f"tagging (`--jobs {tagging.jobs}`)",
            tagging.seconds,
            f"{seconds(tagging.seconds)}, {rates}",
        ),
        Figure("grep_floor", "grep floor", grep_s, seconds(grep_s)),
        _measured(
            "aho_corasick_floor",
            "Aho-Corasick floor (pyahocorasick, one process)",
            aho_s,
            seconds(aho_s or 0),
        ),
        Figure("tagging_over_grep", "tagging / grep", ratio, f"{ratio:.2f}×"),
    ]


def build_figures(build: Build) -> list[Figure]:
    """Wall time, peak memory and map sizes of the real build."""
    runs = ", ".join(seconds(s) for s in build.wall_s)
    html, geojson = build.html_mb, build.geojson_mb
    # How fast a build fails says nothing of the build: leave its time unjudged.
    wall = build.seconds if build.status == 0 else None
    return [
        Figure(
            "build_wall",
            f"whole build, wall (better of {len(build.wall_s)} runs: {runs})",
            wall,
            seconds(build.seconds) if wall is not None else f"failed (exit {build.status})",
        ),
        _measured(
            "build_cpu",
            "whole build, CPU of the process tree (the run of better wall time)",
            _cpu_of_best(build),
            seconds(_cpu_of_best(build) or 0),
        ),
        _measured(
            "incremental_rebuild",
            "rebuild after adding one article (citation cache)",
            build.incremental_s,
            seconds(build.incremental_s or 0),
        ),
        Figure(
            "peak_memory", "peak memory (process tree)", build.peak_mb, f"{build.peak_mb:,.0f} MB"
        ),
        _measured("map_html", "`map.html`", html, f"{html or 0:.1f} MB"),
        _measured("map_geojson", "`map.geojson`", geojson, f"{geojson or 0:.1f} MB"),
    ]


def _cpu_of_best(build: Build) -> float | None:
    if build.status != 0 or len(build.cpu_s) != len(build.wall_s):
        return None
    return build.cpu_s[build.wall_s.index(build.seconds)]


def _most_cited(build: Build) -> str:
    if not build.citations_per_feature:
        return "opening the most-cited popup"
    feature_id, count = build.citations_per_feature[0]
    return f"opening the most-cited popup ({feature_id}, {count:,} citations)"


def browser_figures(browser: BrowserFigures | None, build: Build) -> list[Figure]:
    """First render, map ready and the most-cited popup (not measured without a browser)."""
    fcp = None if browser is None else browser.fcp_ms / 1e3
    ready = None if browser is None else browser.ready_ms / 1e3
    popup_ms = None if browser is None else browser.best_popup_ms
    popup = None if popup_ms is None else popup_ms / 1e3
    return [
        _measured("first_render", "first render in Chromium", fcp, seconds(fcp or 0)),
        _measured("map_ready", "map ready in Chromium", ready, seconds(ready or 0)),
        _measured("popup_most_cited", _most_cited(build), popup, seconds(popup or 0)),
    ]


def seeds_figure(seeds: Seeds) -> Figure:
    """The five seeds: the real build against bare folium."""
    ratio = seeds.build_s / seeds.bare_s
    shown = f"{seconds(seeds.build_s)} / {seconds(seeds.bare_s)} = {ratio:.2f}×"
    return Figure("seeds_over_bare", "five seeds: build / bare folium", ratio, shown)


def figures(run: Run) -> list[Figure]:
    """Every figure of a run, in the README's order."""
    return [
        *tagging_figures(run.tagging, run.grep_s, run.aho_s),
        *build_figures(run.build),
        *browser_figures(run.browser, run.build),
        seeds_figure(run.seeds),
    ]


def cores() -> int:
    """The cores this process may run on (not those of the whole host)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def caption(run: Run) -> str:
    """The line above the README table: the machine and the corpus."""
    tagging = run.tagging
    return (
        f"Latest figures ({cores()} cores, {tagging.articles:,} articles, "
        f"{tagging.mb:.1f} MB, {tagging.citations:,} citations):"
    )


def table(rows: Sequence[Figure], targets: Mapping[str, Target]) -> str:
    """The README's Markdown table: figure, value, target, and whether it held."""
    lines = ["| figure | value | target | held |", "|---|---|---|---|"]
    for row in rows:
        target = targets.get(row.key)
        text = "" if target is None else target.text
        cells = (row.label, row.shown, text, verdict(row.value, target))
        lines.append("|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|")
    return "\n".join(lines)


def verdicts(rows: Sequence[Figure], targets: Mapping[str, Target]) -> dict[str, int]:
    """How many figures held, missed or skipped their target."""
    counts = {"held": 0, "missed": 0, "skipped": 0}
    names = {"yes": "held", "no": "missed", "skipped": "skipped"}
    for row in rows:
        seen = verdict(row.value, targets.get(row.key))
        if seen:
            counts[names[seen]] += 1
    return counts


def as_json(run: Run, rows: Sequence[Figure], targets: Mapping[str, Target]) -> dict[str, Any]:
    """The run as results.json holds it: each figure in its base unit, with its verdict."""
    return {
        "corpus": dict(run.stamp),
        "figures": {
            row.key: {
                "label": row.label,
                "value": row.value,
                "unit": BASE_UNITS[KINDS[row.key]],
                "shown": row.shown,
                "target": None if row.key not in targets else targets[row.key].text,
                "held": verdict(row.value, targets.get(row.key)) or None,
            }
            for row in rows
        },
        "citations_per_feature": dict(run.build.citations_per_feature),
        "browser_problems": [] if run.browser is None else list(run.browser.problems[:20]),
    }
