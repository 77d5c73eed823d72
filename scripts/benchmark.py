"""Benchmark the cited-map build on a large synthetic corpus, end to end.

What it measures, in one run:

1. Corpus: a reproducible synthetic corpus in WORKDIR/corpus/ (10,000 articles of about
   5 KB, about 50 MB by default), built from the sentences of the five real articles in
   seeds/ (numbers, months, analysts' names and a few words varied; sentences shuffled).
   Its density of citations per MB is calibrated, with the project's own tagger, to that
   of the real seeds; about 15% of the articles mention no feature at all. The five real
   articles are included as they are (with their metadata), because layers/*.yaml cites
   them by file name and the build refuses curated quotes from missing articles.
   Generation is not timed, and the corpus is reused when a stamp file says it was made
   with the same parameters.
2. Tagging: geo.build.tag_corpus in-process on those articles (best of 2, wall time):
   articles/s and MB/s (MB = UTF-8 bytes of article text / 1e6).
3. grep floor: ``grep -F -i -o -f ALIASES -r CORPUS --include=*.txt`` over the same
   files (best of 2), and the ratio tagging / grep.
4. Build: ``python build_map.py --seeds CORPUS --out WORKDIR/out --jobs N --quiet
   --self-contained`` as a user would run it: wall time, peak memory (RSS summed over the
   process and its children, sampled every 20 ms; forked workers' shared pages count
   once per process, so this overstates slightly), sizes of map.html and map.geojson, and
   citations per feature.
5. The five real seeds: ``python build_map.py`` (best of 3) against a bare folium script
   that only draws layers/*.geojson (best of 3), and their ratio.
6. Browser (unless --skip-browser): WORKDIR/out/map.html in headless, offline Chromium:
   first contentful paint, time until ``window.citedMap.map`` exists, and the in-page
   time to open the most-cited feature's popup (best of 3).
7. A summary block ("name: value unit"), also written to WORKDIR/results.json.

Run from the project folder (the self-contained map needs ``npm ci`` first)::

    python scripts/benchmark.py                      # 10,000 articles, about 10 minutes
    python scripts/benchmark.py --articles 500 --skip-browser   # quick check
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import yaml

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from geo.articles import Article, load_articles  # noqa: E402
from geo.build import tag_corpus  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.layers import load_layers  # noqa: E402
from geo.mentions import cite_article, find_mentions  # noqa: E402
from geo.passages import sentence_spans  # noqa: E402
from geo.problems import Problems  # noqa: E402

GENERATOR_VERSION = 3
SEEDS = PROJECT / "seeds"
LAYERS = PROJECT / "layers"
EMPTY_SHARE = 0.15
ARTICLE_BYTES = (3000, 7000)  # uniform: about 5 KB on average
PILOT_ARTICLES = 200
POLL_SECONDS = 0.02
BROWSER_TIMEOUT_MS = 600_000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTHS += ("September", "October", "November", "December")
# People the seeds quote who are not part of any alias; replaced consistently per article.
QUOTED_PEOPLE = ("Farhad Mamedov", "George Meneshian", "Huda Rizk", "Ramil Usubov")
QUOTED_SURNAMES = ("Markov", "Soltan", "Mamedov", "Meneshian", "Rizk")
INVENTED_PEOPLE = (
    "Leyla Hasanova",
    "Tofig Karimov",
    "Anna Petrosyan",
    "Igor Belov",
    "Nino Beridze",
    "Rauf Guliyev",
    "Mariam Sargsyan",
    "Oleg Vinogradov",
    "Elif Demir",
    "Kamran Aslanov",
    "Sara Navabi",
    "Pavel Orlov",
)
SYNONYMS = (
    ("said", "stated", "noted", "remarked"),
    ("important", "significant", "crucial"),
    ("discussed", "addressed", "examined"),
    ("agreements", "accords", "deals"),
    ("moreover", "furthermore", "besides"),
    ("recently", "lately"),
    ("growth", "expansion"),
    ("partners", "allies"),
    ("experts", "analysts", "observers"),
    ("strengthening", "deepening"),
)
OUTLET_PLACES = ("Caspian", "Caucasus", "Eurasian", "Silk Road", "Black Sea", "Highland")
OUTLET_PLACES += ("Steppe", "Anatolian")
OUTLET_KINDS = ("Ledger", "Courier", "Observer", "Dispatch", "Review")
OUTLETS = tuple(f"The {p} {k}" for p in OUTLET_PLACES for k in OUTLET_KINDS)  # 40 outlets
TITLE_SUBJECTS = ("Analysts", "Officials", "Experts", "Diplomats", "Observers", "Economists")
TITLE_VERBS = ("weigh", "debate", "assess", "question", "discuss", "revisit")
TITLE_TOPICS = (
    "energy ties with Moscow",
    "new transit routes",
    "regional security",
    "trade figures for {year}",
    "the peace agenda",
    "gas export plans",
    "the balance between East and West",
    "investment flows in {year}",
)
SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*$")
FIRST_DAY, LAST_DAY = dt.date(2022, 1, 1), dt.date(2025, 12, 31)


# --------------------------------------------------------------------------- helpers


def say(text: str = "") -> None:
    """Print at once (the run is long and often piped to a file)."""
    print(text, flush=True)


def best_of(runs: int, action: Callable[[], object]) -> float:
    """Smallest wall time of runs calls of action, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def load_gazetteer(layers: Path) -> Gazetteer:
    """The project's gazetteer, built from the layer YAML files as the build does."""
    problems = Problems()
    _, entries = load_layers(layers, problems)
    if problems.errors:
        raise SystemExit("layers do not load:\n" + "\n".join(map(str, problems.errors)))
    return Gazetteer({e.feature_id: e for e in entries})


def mb(n_bytes: float) -> float:
    """Megabytes (1e6 bytes)."""
    return n_bytes / 1e6


def text_mb(articles: Sequence[Article]) -> float:
    """MB of article text, as UTF-8."""
    return mb(sum(len(a.text.encode("utf-8")) for a in articles))


# --------------------------------------------------------------------------- corpus


@dataclass
class Templates:
    """Sentences of the real articles, split by whether they mention a feature."""

    mention: list[str]
    plain: list[str]
    paragraph_sizes: list[int]


def extract_templates(articles: Sequence[Article], gazetteer: Gazetteer) -> Templates:
    """Real sentences (six words or more, ending in a stop; not headlines or page furniture),
    and how many of them each paragraph holds."""
    mention: list[str] = []
    plain: list[str] = []
    sizes: list[int] = []
    for article in articles:
        for line in article.text.split("\n"):
            kept = [
                line[a:b]
                for a, b in sentence_spans(line, 0, len(line))
                if len(line[a:b].split()) >= 6 and SENTENCE_END.search(line[a:b])
            ]
            for sentence in kept:
                (mention if find_mentions(sentence, gazetteer) else plain).append(sentence)
            if kept:
                sizes.append(len(kept))
    return Templates(sorted(set(mention)), sorted(set(plain)), sizes)


class Varier:
    """Varies a template sentence: numbers, months, quoted people and a few words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: dict[str, str] = {}
        words = [w for group in SYNONYMS for w in group]
        self.synonyms = {w: group for group in SYNONYMS for w in group}
        names = sorted([*QUOTED_PEOPLE, *QUOTED_SURNAMES], key=len, reverse=True)
        # Names and months case-sensitively ("may" is not May); the other words in any case.
        self.pattern = re.compile(
            r"\d+|\b(?:"
            + "|".join(re.escape(x) for x in [*names, *MONTHS])
            + r")\b|\b(?i:"
            + "|".join(words)
            + r")\b"
        )

    def new_article(self) -> None:
        """Pick new stand-ins for the quoted people (the same throughout one article)."""
        chosen = self.rng.sample(INVENTED_PEOPLE, len(QUOTED_PEOPLE) + len(QUOTED_SURNAMES))
        self.people = dict(zip([*QUOTED_PEOPLE, *QUOTED_SURNAMES], chosen, strict=True))
        for name in QUOTED_SURNAMES:
            self.people[name] = self.people[name].split()[-1]

    def _replace(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if word.isdigit():
            return self._number(word)
        if word in self.people:
            return self.people[word]
        if word in MONTHS:
            return self.rng.choice(MONTHS)
        group = self.synonyms.get(word.lower())
        if group is None:
            return word
        choice = self.rng.choice(group)
        return choice[0].upper() + choice[1:] if word[0].isupper() else choice

    def _number(self, digits: str) -> str:
        value = int(digits)
        if len(digits) == 4 and 1900 <= value <= 2099:
            return str(self.rng.randint(1995, 2025))
        if len(digits) == 1:
            return str(self.rng.randint(1, 9))
        return str(self.rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    def vary(self, sentence: str) -> str:
        """A varied copy of sentence."""
        return self.pattern.sub(self._replace, sentence)


class Writer:
    """Builds article texts from templates with a given share of mentioning sentences."""

    def __init__(self, templates: Templates, gazetteer: Gazetteer, rng: random.Random) -> None:
        self.t = templates
        self.gazetteer = gazetteer
        self.rng = rng
        self.varier = Varier(rng)

    def _draw(self, pool: list[str], order: list[str]) -> str:
        # Without replacement within an article, so an article rarely repeats a sentence.
        if not order:
            order.extend(self.rng.sample(pool, len(pool)))
        return order.pop()

    def _plain(self, order: list[str]) -> str:
        template = self._draw(self.t.plain, order)
        varied = self.varier.vary(template)
        return template if find_mentions(varied, self.gazetteer) else varied

    def article(self, mention_share: float) -> str:
        """One article of 3-7 KB (5 KB on average); mention_share 0 makes one that cites nothing."""
        self.varier.new_article()
        target = self.rng.randint(*ARTICLE_BYTES)
        mention_order: list[str] = []
        plain_order: list[str] = []
        while True:
            paragraphs: list[str] = []
            size = 0
            while size < target:
                sentences: list[str] = []
                # Stop mid-paragraph once the article is long enough (a real paragraph may
                # hold 30 sentences).
                for _ in range(self.rng.choice(self.t.paragraph_sizes)):
                    if size >= target:
                        break
                    sentence = (
                        self.varier.vary(self._draw(self.t.mention, mention_order))
                        if self.rng.random() < mention_share
                        else self._plain(plain_order)
                    )
                    sentences.append(sentence)
                    size += len(sentence.encode("utf-8")) + 1
                paragraphs.append(" ".join(sentences))
            text = "\n".join(paragraphs) + "\n"
            # A mention could, in principle, straddle two joined sentences: check the whole.
            if mention_share > 0 or not find_mentions(text, self.gazetteer):
                return text


def density(texts: Sequence[str], gazetteer: Gazetteer) -> float:
    """Citations per MB of texts, counted by the project's tagger."""
    cites = sum(len(cite_article(f"pilot-{i}", t, gazetteer)) for i, t in enumerate(texts))
    return cites / mb(sum(len(t.encode("utf-8")) for t in texts))


def calibrate(
    templates: Templates, gazetteer: Gazetteer, target: float, seed: int
) -> tuple[float, float]:
    """Share of mentioning sentences that gives mentioning articles `target` citations/MB."""
    share = len(templates.mention) / (len(templates.mention) + len(templates.plain))
    measured = 0.0
    for step in range(4):
        writer = Writer(templates, gazetteer, random.Random(f"pilot-{seed}-{step}"))
        measured = density([writer.article(share) for _ in range(PILOT_ARTICLES)], gazetteer)
        if abs(measured / target - 1) < 0.03:
            break
        share = min(0.95, max(0.02, share * target / measured))
    return share, measured


def input_hash() -> str:
    """Hash of what the corpus is made from: the real seeds and the layer YAML files."""
    digest = hashlib.sha256()
    for path in sorted([*SEEDS.glob("*.txt"), SEEDS / "metadata.yaml", *LAYERS.glob("*.yaml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def make_corpus(corpus: Path, n_articles: int, seed: int) -> dict[str, Any]:
    """Write the corpus (or reuse it); return its stamp."""
    wanted = {
        "articles": n_articles,
        "seed": seed,
        "generator": GENERATOR_VERSION,
        "inputs": input_hash(),
    }
    stamp_path = corpus / "stamp.json"
    if stamp_path.is_file():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if {k: stamp.get(k) for k in wanted} == wanted:
            say(f"corpus: reusing {corpus} (stamp matches)")
            return stamp
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    start = time.perf_counter()

    problems = Problems()
    real = load_articles(SEEDS, problems)
    gazetteer = load_gazetteer(LAYERS)
    real_density = len(tag_corpus(real, gazetteer)) / text_mb(real)
    templates = extract_templates(real, gazetteer)
    # Articles that cite nothing dilute the corpus: the others must be denser to match.
    share, pilot = calibrate(templates, gazetteer, real_density / (1 - EMPTY_SHARE), seed)
    say(
        f"corpus: real seeds {real_density:.0f} citations/MB; {len(templates.mention)} "
        f"mentioning and {len(templates.plain)} plain template sentences; mentioning "
        f"sentence share {share:.3f} gives {pilot:.0f} citations/MB in mentioning articles"
    )

    rng = random.Random(seed)
    writer = Writer(templates, gazetteer, rng)
    n_synthetic = n_articles - len(real)
    if n_synthetic < 1:
        raise SystemExit(f"--articles must exceed the {len(real)} real articles")
    empty = set(rng.sample(range(n_synthetic), round(EMPTY_SHARE * n_synthetic)))
    metadata: dict[str, dict[str, str]] = {}
    days = (LAST_DAY - FIRST_DAY).days
    for i in range(n_synthetic):
        name = f"{i:05d}_{rng.getrandbits(64):016x}.txt"
        text = writer.article(0.0 if i in empty else share)
        (corpus / name).write_text(text, encoding="utf-8")
        date = FIRST_DAY + dt.timedelta(days=rng.randint(0, days))
        topic = rng.choice(TITLE_TOPICS).format(year=date.year)
        metadata[name] = {
            "title": f"{rng.choice(TITLE_SUBJECTS)} {rng.choice(TITLE_VERBS)} {topic}",
            "outlet": rng.choice(OUTLETS),
            "date": date.isoformat(),
        }
    # The real articles, whose curated quotes layers/*.yaml cites by file name.
    real_meta = yaml.safe_load((SEEDS / "metadata.yaml").read_text(encoding="utf-8")) or {}
    for article in real:
        shutil.copyfile(article.path, corpus / article.id)
        metadata[article.id] = real_meta.get(article.id, {})
    header = "# Synthetic corpus written by scripts/benchmark.py (plus the five real seeds).\n"
    (corpus / "metadata.yaml").write_text(
        header + yaml.safe_dump(metadata, sort_keys=True, allow_unicode=True, width=1000),
        encoding="utf-8",
    )
    stamp = {
        **wanted,
        "real_citations_per_mb": round(real_density, 1),
        "mention_share": round(share, 4),
        "pilot_citations_per_mb": round(pilot, 1),
        "empty_articles": len(empty),
        "real_articles_included": len(real),
    }
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    say(f"corpus: wrote {n_articles} articles in {time.perf_counter() - start:.1f} s (untimed)")
    return stamp


# --------------------------------------------------------------------------- stages


def time_tagging(corpus: Path, jobs: int) -> dict[str, Any]:
    """Stage 2: tag_corpus in-process, best of 2."""
    problems = Problems()
    articles = load_articles(corpus, problems)
    if problems.errors:
        say(f"tagging: {len(problems.errors)} problem(s) loading the corpus, first: ")
        say(f"  {problems.errors[0]}")
    gazetteer = load_gazetteer(LAYERS)
    citations: list[Any] = []

    def run() -> None:
        nonlocal citations
        citations = tag_corpus(articles, gazetteer, jobs=jobs)

    seconds = best_of(2, run)
    size = text_mb(articles)
    cited = Counter(c.article_id for c in citations)
    silent = sum(1 for a in articles if not cited[a.id])
    result = {
        "articles": len(articles),
        "mb": size,
        "seconds": seconds,
        "articles_per_s": len(articles) / seconds,
        "mb_per_s": size / seconds,
        "citations": len(citations),
        "citations_per_mb": len(citations) / size,
        "silent_articles": silent,
        "aliases": sorted({a for e in gazetteer.entries.values() for a in e.aliases}),
    }
    say(
        f"tagging: {len(articles)} articles, {size:.1f} MB in {seconds:.2f} s (best of 2, "
        f"jobs={jobs}): {result['articles_per_s']:.0f} articles/s, "
        f"{result['mb_per_s']:.2f} MB/s"
    )
    say(
        f"tagging: {len(citations)} citations = {result['citations_per_mb']:.0f}/MB; "
        f"{silent} articles ({silent / len(articles):.0%}) cite nothing"
    )
    return result


def time_grep(workdir: Path, corpus: Path, aliases: Sequence[str]) -> float:
    """Stage 3: grep -F -i -o over the corpus with every alias, best of 2."""
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
    say(f"grep: {len(aliases)} aliases over the corpus in {seconds:.2f} s (best of 2)")
    return seconds


def tree_rss(proc: psutil.Process) -> int:
    """RSS of a process and all its descendants, in bytes (0 for those already gone)."""
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_measured(cmd: Sequence[str], log: Path) -> tuple[int, float, int]:
    """Run cmd from the project folder; return exit status, wall seconds, peak tree RSS."""
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        proc = psutil.Popen(list(cmd), cwd=PROJECT, stdout=out, stderr=err)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc))
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - start
    return proc.returncode, seconds, peak


def citations_per_feature(geojson: Path) -> list[tuple[str, int]]:
    """(feature id, number of citations) from map.geojson, most cited first."""
    doc = json.loads(geojson.read_text(encoding="utf-8"))
    counts = [(f["id"], len(f["properties"].get("citations", []))) for f in doc["features"]]
    return sorted(counts, key=lambda c: (-c[1], c[0]))


def time_build(workdir: Path, corpus: Path, jobs: int, self_contained: bool) -> dict[str, Any]:
    """Stage 4: the real build, as a user runs it."""
    out = workdir / "out"
    for name in ("map.html", "map.geojson"):
        (out / name).unlink(missing_ok=True)
    cmd = [sys.executable, "build_map.py", "--seeds", str(corpus), "--out", str(out)]
    cmd += ["--jobs", str(jobs), "--quiet"]
    if self_contained:
        cmd.append("--self-contained")
    say(f"build: {' '.join(cmd[1:])}")
    # Best wall time of two runs (noise on a shared machine only ever adds time);
    # the highest peak memory of the two.
    runs = [run_measured(cmd, workdir / "build") for _ in range(2)]
    status = max(run[0] for run in runs)
    seconds = min(run[1] for run in runs)
    peak = max(run[2] for run in runs)
    say(f"build: wall times {', '.join(f'{run[1]:.1f} s' for run in runs)}")
    errors = (workdir / "build.err").read_text(encoding="utf-8", errors="replace").strip()
    result: dict[str, Any] = {"status": status, "seconds": seconds, "peak_mb": mb(peak)}
    say(f"build: exit {status}, {seconds:.1f} s wall, peak memory {mb(peak):.0f} MB")
    if errors:
        lines = errors.splitlines()
        say(f"build: stderr ({len(lines)} lines), first lines:")
        for line in lines[:8]:
            say(f"  {line[:200]}")
    html, geojson = out / "map.html", out / "map.geojson"
    if status != 0 or not html.is_file() or not geojson.is_file():
        say("build: FAILED, no map to measure")
        return result
    result["html_mb"] = mb(html.stat().st_size)
    result["geojson_mb"] = mb(geojson.stat().st_size)
    counts = citations_per_feature(geojson)
    result["citations_per_feature"] = counts
    say(f"build: map.html {result['html_mb']:.1f} MB, map.geojson {result['geojson_mb']:.1f} MB")
    say("build: citations per feature (map.geojson):")
    for feature_id, count in counts:
        say(f"  {feature_id:28s} {count:8d}")
    return result


BARE_FOLIUM = '''\
"""Bare folium: draw every layers/*.geojson in its own FeatureGroup; no tagging, no popups.

Usage: python bare_folium.py LAYERS_DIR OUT.html
"""

import sys
from pathlib import Path

import folium
import geopandas


def main() -> None:
    layers, out = Path(sys.argv[1]), Path(sys.argv[2])
    fmap = folium.Map(location=[40.4, 49.9], zoom_start=4)
    for path in sorted(layers.glob("*.geojson")):
        frame = geopandas.read_file(path)
        group = folium.FeatureGroup(name=path.stem)
        # Nested properties come back as numpy arrays, which json cannot write as they are.
        data = frame.to_json(default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v))
        folium.GeoJson(data, name=path.stem).add_to(group)
        group.add_to(fmap)
    folium.LayerControl().add_to(fmap)
    fmap.save(str(out))


if __name__ == "__main__":
    main()
'''


def time_seeds(workdir: Path) -> dict[str, float]:
    """Stage 5: the five real seeds through build_map.py versus bare folium, best of 3."""
    script = workdir / "bare_folium.py"
    script.write_text(BARE_FOLIUM, encoding="utf-8")
    build = [sys.executable, "build_map.py", "--out", str(workdir / "seed-out"), "--quiet"]
    bare = [sys.executable, str(script), str(LAYERS), str(workdir / "bare-folium.html")]

    def runner(cmd: list[str]) -> Callable[[], None]:
        def run() -> None:
            done = subprocess.run(cmd, cwd=PROJECT, capture_output=True, check=False)
            if done.returncode != 0:
                raise SystemExit(
                    f"{cmd[1]} failed ({done.returncode}): "
                    + done.stderr.decode(errors="replace")[-2000:]
                )

        return run

    build_s = best_of(3, runner(build))
    bare_s = best_of(3, runner(bare))
    say(
        f"seeds: build_map.py {build_s:.2f} s, bare folium {bare_s:.2f} s (best of 3 each): "
        f"ratio {build_s / bare_s:.2f}"
    )
    return {"build_s": build_s, "bare_s": bare_s}


POPUP_JS = """(id) => {
  const t0 = performance.now();
  window.citedMap.map.citedFeatures[id].openPopup();
  const el = document.querySelector('.cm-popup');
  return [performance.now() - t0, el !== null];
}"""
FCP_JS = """() => {
  const e = performance.getEntriesByType('paint')
    .find((p) => p.name === 'first-contentful-paint');
  return e ? e.startTime : null;
}"""


def time_browser(html: Path, feature_id: str | None, shot: Path) -> dict[str, Any]:
    """Stage 6: open the map offline in headless Chromium; paint, ready and popup times."""
    from playwright.sync_api import Route, sync_playwright

    url = html.resolve().as_uri()
    result: dict[str, Any] = {"blocked": [], "page_errors": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.set_offline(True)

            def refuse(route: Route) -> None:
                if route.request.url != url:
                    result["blocked"].append(route.request.url)
                    route.abort()
                else:
                    route.continue_()

            context.route("**/*", refuse)
            page = context.new_page()
            page.on("pageerror", lambda exc: result["page_errors"].append(str(exc)))
            start = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=BROWSER_TIMEOUT_MS)
            page.wait_for_function(
                "() => window.citedMap && window.citedMap.map", timeout=BROWSER_TIMEOUT_MS
            )
            result["ready_ms"] = page.evaluate("() => performance.now()")
            result["ready_wall_s"] = time.perf_counter() - start
            page.wait_for_function(f"({FCP_JS})() !== null", timeout=60_000)
            result["fcp_ms"] = page.evaluate(FCP_JS)
            say(
                f"browser: first contentful paint {result['fcp_ms']:.0f} ms, map ready "
                f"{result['ready_ms']:.0f} ms (in-page clock; "
                f"{result['ready_wall_s']:.1f} s wall from goto)"
            )
            if feature_id is not None:
                times = []
                for _ in range(3):
                    ms, found = page.evaluate(POPUP_JS, feature_id)
                    if not found:
                        say("browser: WARNING: no .cm-popup element right after openPopup()")
                    page.wait_for_selector(".cm-popup", state="visible", timeout=60_000)
                    times.append(ms)
                    if len(times) == 3:
                        page.wait_for_timeout(500)  # let the fade-in finish (not timed)
                        page.screenshot(path=str(shot))
                    page.evaluate("() => { window.citedMap.map.closePopup(); }")
                    page.wait_for_selector(".cm-popup", state="detached", timeout=60_000)
                result["popup_ms"] = min(times)
                result["popup_all_ms"] = times
                say(
                    f"browser: popup of {feature_id}: {min(times):.1f} ms in page (best of 3: "
                    + ", ".join(f"{t:.1f}" for t in times)
                    + f"); screenshot {shot}"
                )
        finally:
            browser.close()
    if result["blocked"]:
        say(f"browser: blocked {len(result['blocked'])} request(s), e.g. {result['blocked'][0]}")
    for error in result["page_errors"][:5]:
        say(f"browser: page error: {error[:200]}")
    return result


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10000)")
    p.add_argument("--seed", type=int, default=1, help="random seed of the corpus (default 1)")
    p.add_argument("--jobs", type=int, default=2, help="tagging processes (default 2)")
    p.add_argument(
        "--workdir", type=Path, default=Path("bench-out"), help="output folder (default bench-out)"
    )
    p.add_argument("--skip-browser", action="store_true", help="skip the Chromium stage")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every stage and print the summary."""
    args = parse_args(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus"
    say(f"benchmark: {args.articles} articles, seed {args.seed}, jobs {args.jobs}, in {workdir}")

    stamp = make_corpus(corpus, args.articles, args.seed)
    tagging = time_tagging(corpus, args.jobs)
    grep_s = time_grep(workdir, corpus, tagging["aliases"])
    say(f"grep: tagging / grep = {tagging['seconds'] / grep_s:.1f}")

    leaflet = PROJECT / "node_modules" / "leaflet" / "package.json"
    self_contained = leaflet.is_file()
    if not self_contained:
        say(
            f"NOTE: {leaflet.parent} is missing: run `npm ci` in {PROJECT}. Building without "
            "--self-contained, and skipping the browser stage (the map would need a CDN)."
        )
    build = time_build(workdir, corpus, args.jobs, self_contained)
    seeds = time_seeds(workdir)

    counts = build.get("citations_per_feature") or []
    top = counts[0] if counts else None
    browser: dict[str, Any] = {}
    html = workdir / "out" / "map.html"
    if args.skip_browser:
        say("browser: skipped (--skip-browser)")
    elif not self_contained or not html.is_file():
        say("browser: skipped (no self-contained map.html)")
    else:
        browser = time_browser(html, top[0] if top else None, workdir / "popup.png")

    def r(value: float | None, digits: int) -> float | int | None:
        if value is None:
            return None
        return round(value) if digits == 0 else round(value, digits)

    rows: list[tuple[str, Any, str]] = [
        ("articles", tagging["articles"], "articles"),
        ("corpus MB", r(tagging["mb"], 2), "MB"),
        ("citations per MB", r(tagging["citations_per_mb"], 0), "citations/MB"),
        ("real seeds citations per MB", stamp.get("real_citations_per_mb"), "citations/MB"),
        ("articles citing nothing", tagging["silent_articles"], "articles"),
        ("tagging", r(tagging["seconds"], 2), "s"),
        ("tagging MB/s", r(tagging["mb_per_s"], 2), "MB/s"),
        ("articles/s", r(tagging["articles_per_s"], 0), "articles/s"),
        ("grep", r(grep_s, 3), "s"),
        ("tagging/grep ratio", r(tagging["seconds"] / grep_s, 1), "x"),
        ("build wall", r(build["seconds"], 1), "s"),
        ("build exit status", build["status"], ""),
        ("peak memory", r(build["peak_mb"], 0), "MB"),
        ("map.html", r(build.get("html_mb"), 1), "MB"),
        ("map.geojson", r(build.get("geojson_mb"), 1), "MB"),
        ("seeds build", r(seeds["build_s"], 2), "s"),
        ("bare folium", r(seeds["bare_s"], 2), "s"),
        ("build/bare ratio", r(seeds["build_s"] / seeds["bare_s"], 2), "x"),
        ("first render", r(browser.get("fcp_ms"), 0), "ms"),
        ("map ready", r(browser.get("ready_ms"), 0), "ms"),
        ("most-cited popup", r(browser.get("popup_ms"), 1), "ms"),
        ("most-cited feature", top[0] if top else None, ""),
        ("most-cited feature citations", top[1] if top else None, "citations"),
    ]
    say("")
    say("== summary ==")
    for name, value, unit in rows:
        shown = "n/a" if value is None else value
        say(f"{name}: {shown} {unit}".rstrip())
    results = {
        "parameters": {
            "articles": args.articles,
            "seed": args.seed,
            "jobs": args.jobs,
            "self_contained": self_contained,
            "browser": bool(browser),
        },
        "corpus": stamp,
        "summary": {name: {"value": value, "unit": unit} for name, value, unit in rows},
        "citations_per_feature": dict(counts),
        "browser": {k: v for k, v in browser.items() if k != "page_errors"}
        | {"page_errors": browser.get("page_errors", [])[:20]},
    }
    (workdir / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    say(f"wrote {workdir / 'results.json'}")
    return 0 if build["status"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
