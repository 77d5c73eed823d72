"""python -m bench: measure every stage, print the README table, exit by the targets.

Stages, in one run (see README, "Benchmark"):

1. corpus: the seeded synthetic corpus in WORKDIR/corpus (bench.corpus; not timed);
2. tagging in-process, and two floors over the same files: ``grep -F -i -o -f ALIASES``
   and one pyahocorasick pass per file;
3. ``python build_map.py --self-contained --jobs N`` as a user runs it: wall time and
   peak memory of the process tree, the sizes of map.html and map.geojson;
4. the five real seeds through build_map.py against bare folium (bench/bare_folium.py);
5. unless --no-browser: first render, map ready and the most-cited popup in headless,
   offline Chromium.

Exit status: 0 when every measured figure held its target (bench/targets.yaml, or
--targets), 1 when one was missed or the build failed, 2 on bad options or targets.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.browser import BrowserFigures, time_browser
from bench.chromium import MISSING, find_chromium
from bench.common import PROJECT, say
from bench.corpus import make_corpus
from bench.report import KINDS, Run, as_json, caption, figures, table, verdicts
from bench.stages import (
    Build,
    time_aho_corasick,
    time_build,
    time_grep,
    time_seeds,
    time_tagging,
)
from bench.targets import Target, TargetsError, load_targets

DEFAULT_TARGETS = Path(__file__).with_name("targets.yaml")
LEAFLET = PROJECT / "node_modules" / "leaflet" / "package.json"


@dataclass(frozen=True)
class Options:
    """The command line, typed."""

    articles: int
    seed: int
    jobs: int
    workdir: Path
    browser: bool
    targets: Path
    builds: int = 2


def parse_args(argv: Sequence[str] | None) -> Options:
    """Options from the command line (argv None: sys.argv)."""
    p = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmark the cited-map build end to end."
    )
    p.add_argument(
        "--articles",
        type=int,
        default=10_000,
        help="corpus size (default 10000; 100000 and 1000000 have targets of their own)",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed of the corpus (default 1)")
    p.add_argument("--jobs", type=int, default=2, help="tagging processes (default 2)")
    p.add_argument(
        "--workdir", type=Path, default=Path("bench-out"), help="work folder (default bench-out)"
    )
    p.add_argument(
        "--no-browser", "--skip-browser", action="store_true", help="skip the Chromium stage"
    )
    p.add_argument(
        "--targets", type=Path, default=DEFAULT_TARGETS, help="targets file (bench/targets.yaml)"
    )
    p.add_argument(
        "--builds",
        type=int,
        default=2,
        help="timed full builds, the better wall time counts (default 2; 1 for a large corpus)",
    )
    ns = p.parse_args(argv)
    return Options(
        ns.articles, ns.seed, ns.jobs, ns.workdir, not ns.no_browser, ns.targets, ns.builds
    )


def _browser_stage(options: Options, workdir: Path, build: Build) -> BrowserFigures | None:
    if not options.browser:
        say("browser: skipped (--no-browser)")
        return None
    if build.html_mb is None or not LEAFLET.is_file():
        say("browser: skipped (no self-contained map.html)")
        return None
    top = build.citations_per_feature[0][0] if build.citations_per_feature else None
    return time_browser(workdir / "out" / "map.html", top, workdir / "popup.png")


def measure(options: Options, workdir: Path) -> Run:
    """Run every stage in order, printing as it goes."""
    say(f"benchmark: {options.articles} articles, seed {options.seed}, jobs {options.jobs}")
    say(f"benchmark: work folder {workdir}, targets {options.targets}")
    corpus = workdir / "corpus"
    stamp = make_corpus(corpus, options.articles, options.seed)
    tagging = time_tagging(corpus, options.jobs)
    grep_s = time_grep(workdir, corpus, tagging.aliases)
    say(f"grep: tagging / grep = {tagging.seconds / grep_s:.2f}")
    aho_s = time_aho_corasick(corpus, tagging.aliases)
    self_contained = LEAFLET.is_file()
    if not self_contained:
        say(
            f"NOTE: {LEAFLET.parent} is missing: run `npm ci` in {PROJECT}. Building without "
            "--self-contained, and skipping the browser stage (the map would need a CDN)."
        )
    build = time_build(workdir, corpus, options.jobs, self_contained, options.builds)
    seeds = time_seeds(workdir)
    browser = _browser_stage(options, workdir, build)
    return Run(stamp, tagging, grep_s, aho_s, build, seeds, browser)


def report(run: Run, targets: Mapping[str, Target], options: Options, workdir: Path) -> int:
    """Write results.json, print the table; the exit status the targets decide."""
    rows = figures(run)
    counts = verdicts(rows, targets)
    results = {
        "parameters": {
            "articles": options.articles,
            "seed": options.seed,
            "jobs": options.jobs,
            "browser": run.browser is not None,
            "targets": str(options.targets),
        },
        **as_json(run, rows, targets),
    }
    (workdir / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    say(f"wrote {workdir / 'results.json'}")
    say("")
    say(caption(run))
    say("")
    say(table(rows, targets))
    say("")
    say(
        f"targets: {counts['held']} held, {counts['missed']} missed, "
        f"{counts['skipped']} skipped ({options.targets})"
    )
    if run.build.status != 0:
        say(f"build: FAILED with exit status {run.build.status}, see {workdir / 'build.err'}")
    return 0 if counts["missed"] == 0 and run.build.status == 0 else 1


def _chromium_problem() -> str | None:
    found = find_chromium()
    if found is None:
        return f"{MISSING}; or pass --no-browser"
    if shutil.which(found) is None:
        return f"Chromium {found} (from CHROMIUM_PATH) is not an executable file"
    return None


def _usage_problem(options: Options) -> str | None:
    """Why the run cannot start, found before minutes of measuring rather than after."""
    if options.jobs < 1:
        return "--jobs must be at least 1"
    if options.builds < 1:
        return "--builds must be at least 1"
    if options.browser and LEAFLET.is_file():
        return _chromium_problem()
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 all targets held, 1 one missed (or the build failed), 2 bad use."""
    options = parse_args(argv)
    try:
        targets = load_targets(options.targets, KINDS, options.articles)
    except TargetsError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    unusable = _usage_problem(options)
    if unusable is not None:
        print(f"error: {unusable}", file=sys.stderr)
        return 2
    workdir = options.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    return report(measure(options, workdir), targets, options, workdir)
