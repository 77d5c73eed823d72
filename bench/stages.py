"""The timed stages that need no browser: tagging, the grep floor, the build, the seeds.

Each stage prints what it measured as it goes (the run is long) and returns its figures.
"""

from __future__ import annotations

import contextlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import ahocorasick
import psutil

from bench.common import LAYERS, PROJECT, SEEDS, best_of, load_gazetteer, mb, say
from geo.articles import ArticleInfo, scan_articles
from geo.problems import Problems
from geo.tagging import tag_batches, tag_stream, task_size

POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Tagging:
    """Stage 1: geo.build.tag_corpus in-process over the corpus."""

    jobs: int
    articles: int
    mb: float
    seconds: float
    citations: int
    silent_articles: int
    aliases: tuple[str, ...]

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds

    @property
    def citations_per_mb(self) -> float:
        return self.citations / self.mb


@dataclass(frozen=True)
class Build:
    """Stage 3: build_map.py as a user runs it, twice."""

    status: int
    wall_s: tuple[float, ...]
    peak_mb: float
    html_mb: float | None = None
    geojson_mb: float | None = None
    citations_per_feature: tuple[tuple[str, int], ...] = ()
    # The rebuild after adding one article, with the citation cache of the build before.
    incremental_s: float | None = None
    # CPU seconds (user + system) of the process tree, per run: what the wall time
    # cost on a machine whose other users take the cores too.
    cpu_s: tuple[float, ...] = ()

    @property
    def seconds(self) -> float:
        return min(self.wall_s)


@dataclass(frozen=True)
class Seeds:
    """Stage 4: the five real seeds through build_map.py and through bare folium."""

    build_s: float
    bare_s: float


def _scanned(corpus: Path) -> list[ArticleInfo]:
    problems = Problems()
    articles = scan_articles(corpus, problems)
    if problems.errors:
        say(f"tagging: {len(problems.errors)} problem(s) loading the corpus, first:")
        say(f"  {problems.errors[0]}")
    return articles


def time_tagging(corpus: Path, jobs: int) -> Tagging:
    """Tagging in-process, best of 2: the build's stream (texts read a batch at a time,
    citations counted, not kept), so that a corpus of any size fits in memory."""
    articles = _scanned(corpus)
    gazetteer = load_gazetteer(LAYERS)
    task = task_size(len(articles), jobs)
    counted = (0, 0)

    def run() -> None:
        nonlocal counted
        citations = silent = 0
        tagger = partial(tag_batches, jobs=jobs)
        for _, (cited, _) in tag_stream(articles, gazetteer, tagger, task=task):
            citations += len(cited)
            silent += not cited
        counted = (citations, silent)

    seconds = best_of(2, run)
    citations, silent = counted
    aliases = sorted({a.name for e in gazetteer.entries.values() for a in e.aliases})
    size = mb(sum(a.path.stat().st_size for a in articles))
    result = Tagging(jobs, len(articles), size, seconds, citations, silent, tuple(aliases))
    say(
        f"tagging: {result.articles} articles, {result.mb:.1f} MB in {seconds:.2f} s (best of 2, "
        f"jobs={jobs}): {result.articles_per_s:.0f} articles/s, {result.mb_per_s:.2f} MB/s"
    )
    say(
        f"tagging: {result.citations} citations = {result.citations_per_mb:.0f}/MB; "
        f"{silent} articles ({silent / max(1, result.articles):.0%}) cite nothing"
    )
    return result


def time_grep(workdir: Path, corpus: Path, aliases: Sequence[str]) -> float:
    """grep -F -i -o over the corpus with every alias, best of 2: the floor for tagging."""
    alias_file = workdir / "aliases.txt"
    alias_file.write_text("".join(a + "\n" for a in aliases), encoding="utf-8")
    cmd = ["grep", "-F", "-i", "-o", "-f", str(alias_file), "-r", str(corpus), "--include=*.txt"]

    def run() -> None:
        # Read grep's output: with stdout on /dev/null, GNU grep stops at the
        # first match (it knows nothing will be printed), which is no floor at all.
        done = subprocess.run(cmd, capture_output=True, check=False)
        if done.returncode > 1:
            raise SystemExit(f"grep failed: {done.stderr.decode(errors='replace')}")

    seconds = best_of(2, run)
    say(f"grep: {len(aliases)} aliases over the corpus in {seconds:.3f} s (best of 2)")
    return seconds


def time_aho_corasick(corpus: Path, aliases: Sequence[str]) -> float:
    """One Aho-Corasick pass per file (pyahocorasick, case-folded), best of 2: a second floor.

    It reads and folds each file in Python, as tagging must, so it is the floor of a
    Python tagger that finds every alias and does nothing else.
    """
    automaton = ahocorasick.Automaton()
    for alias in aliases:
        automaton.add_word(alias.casefold(), alias)
    automaton.make_automaton()
    files = sorted(corpus.glob("*.txt"))

    def run() -> None:
        found = 0
        for path in files:
            for _ in automaton.iter(path.read_text(encoding="utf-8").casefold()):
                found += 1
        if not found:
            raise SystemExit("Aho-Corasick found no alias in the corpus")

    seconds = best_of(2, run)
    say(f"aho-corasick: {len(aliases)} aliases over {len(files)} files in {seconds:.3f} s")
    return seconds


def tree_rss(proc: psutil.Process) -> int:
    """RSS of a process and all its descendants, in bytes (0 for those already gone).

    Forked workers' shared pages count once per process, so this overstates slightly.
    """
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_measured(cmd: Sequence[str], log: Path) -> tuple[int, float, int]:
    """Run cmd from the project folder; return exit status, wall seconds, peak tree RSS.

    Its output goes to log.out and log.err, so a long run's output is there to read.
    """
    status, seconds, peak, _ = run_timed(cmd, log)
    return status, seconds, peak


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_timed(cmd: Sequence[str], log: Path) -> tuple[int, float, int, float]:
    """run_measured, and the CPU seconds of cmd's process tree (every process it waited
    for, such as its workers, counts)."""
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        cpu = _children_cpu()
        start = time.perf_counter()
        proc = psutil.Popen(list(cmd), cwd=PROJECT, stdout=out, stderr=err)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc))
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - start
    return int(proc.returncode), seconds, peak, _children_cpu() - cpu


def citations_per_feature(geojson: Path) -> tuple[tuple[str, int], ...]:
    """(feature id, number of citations) from map.geojson, most cited first."""
    doc = json.loads(geojson.read_text(encoding="utf-8"))
    counts = [(str(f["id"]), len(f["properties"].get("citations", []))) for f in doc["features"]]
    return tuple(sorted(counts, key=lambda c: (-c[1], c[0])))


def build_command(
    corpus: Path, out: Path, jobs: int, self_contained: bool, cache: bool = False
) -> list[str]:
    """The command line a user would type to build the map of corpus.

    Without the cache unless asked: a timed full build must tag every article.
    """
    cmd = [sys.executable, "build_map.py", "--seeds", str(corpus), "--out", str(out)]
    cmd += ["--jobs", str(jobs), "--quiet"]
    cmd += [] if cache else ["--no-cache"]
    return [*cmd, "--self-contained"] if self_contained else cmd


def _say_stderr(err: Path) -> None:
    lines = err.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    if lines:
        say(f"build: stderr ({len(lines)} lines), first lines:")
        for line in lines[:8]:
            say(f"  {line[:200]}")


def _map_sizes(build: Build, out: Path) -> Build:
    """build with the sizes of the map it wrote and its citations per feature."""
    html, geojson = out / "map.html", out / "map.geojson"
    if build.status != 0 or not html.is_file() or not geojson.is_file():
        say("build: FAILED, no map to measure")
        return build
    counts = citations_per_feature(geojson)
    sizes = (mb(html.stat().st_size), mb(geojson.stat().st_size))
    say(f"build: map.html {sizes[0]:.1f} MB, map.geojson {sizes[1]:.1f} MB")
    say("build: citations per feature (map.geojson):")
    for feature_id, count in counts:
        say(f"  {feature_id:28s} {count:8d}")
    return replace(build, html_mb=sizes[0], geojson_mb=sizes[1], citations_per_feature=counts)


def time_build(
    workdir: Path, corpus: Path, jobs: int, self_contained: bool, runs: int = 2
) -> Build:
    """The real build of the corpus, as a user runs it, `runs` times."""
    out = workdir / "out"
    for name in ("map.html", "map.geojson"):
        (out / name).unlink(missing_ok=True)
    cmd = build_command(corpus, out, jobs, self_contained)
    say(f"build: {' '.join(cmd[1:])}")
    # The better wall time of two runs (noise only ever adds time); the higher peak memory.
    measured = [run_timed(cmd, workdir / "build") for _ in range(runs)]
    build = Build(
        # A signal's negative status must not hide behind a zero.
        status=next((run[0] for run in measured if run[0] != 0), 0),
        wall_s=tuple(run[1] for run in measured),
        peak_mb=mb(max(run[2] for run in measured)),
        cpu_s=tuple(run[3] for run in measured),
    )
    say(f"build: wall times {', '.join(f'{s:.1f} s' for s in build.wall_s)}")
    say(f"build: CPU times {', '.join(f'{s:.1f} s' for s in build.cpu_s)} (process tree)")
    say(f"build: exit {build.status}, {build.seconds:.1f} s wall, peak {build.peak_mb:.0f} MB")
    _say_stderr(workdir / "build.err")
    build = _map_sizes(build, out)
    if build.status != 0:
        return build
    return replace(build, incremental_s=time_incremental(workdir, corpus, jobs, self_contained))


ADDED = "zz_added_by_the_benchmark.txt"


def time_incremental(workdir: Path, corpus: Path, jobs: int, self_contained: bool) -> float | None:
    """Wall time of the rebuild after one article is added to a cached build."""
    out = workdir / "incremental"
    cmd = build_command(corpus, out, jobs, self_contained, cache=True)
    added = corpus / ADDED
    added.unlink(missing_ok=True)
    run_measured(cmd, workdir / "incremental-prime")
    text = (SEEDS / "002_a74b66ca9444871a.txt").read_text(encoding="utf-8")
    added.write_text(text + "\nAdded by the benchmark.\n", encoding="utf-8")
    try:
        status, wall, _ = run_measured(cmd, workdir / "incremental")
    finally:
        added.unlink(missing_ok=True)
    say(f"incremental: one article added, rebuild exit {status}, {wall:.1f} s wall")
    return wall if status == 0 else None


def _runner(cmd: list[str]) -> Callable[[], None]:
    def run() -> None:
        done = subprocess.run(cmd, cwd=PROJECT, capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(
                f"{cmd[1]} failed ({done.returncode}): "
                + done.stderr.decode(errors="replace")[-2000:]
            )

    return run


def time_seeds(workdir: Path) -> Seeds:
    """The five real seeds through build_map.py versus bare folium, best of 3 each."""
    build = [sys.executable, "build_map.py", "--out", str(workdir / "seed-out"), "--quiet"]
    bare = [sys.executable, "-m", "bench.bare_folium", str(LAYERS), str(workdir / "bare.html")]
    seeds = Seeds(build_s=best_of(3, _runner(build)), bare_s=best_of(3, _runner(bare)))
    say(
        f"seeds: build_map.py {seeds.build_s:.2f} s, bare folium {seeds.bare_s:.2f} s "
        f"(best of 3 each): ratio {seeds.build_s / seeds.bare_s:.2f}"
    )
    return seeds
