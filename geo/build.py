"""Build: articles and layers in, map.html and map.geojson out, written atomically."""

from __future__ import annotations

import difflib
import gc
import os
import signal
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from geo.articles import Article, load_articles
from geo.assets import default_node_modules, inline_assets
from geo.gazetteer import Entry, Gazetteer, normalize
from geo.layers import Layer, load_layers
from geo.mentions import Citation, cite_article
from geo.passages import sentence_spans
from geo.problems import InputError, Problem, Problems
from geo.render import LENGTH_TOLERANCE, build_map, export_geojson


@dataclass
class BuildResult:
    """What a build produced and found."""

    layers: list[Layer]
    articles: list[Article]
    citations: list[Citation]
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


def tag_corpus(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[Citation]:
    """Citations of every article, in article order; jobs > 1 spreads articles over processes."""
    with _collector_paused():
        return _tag_corpus(articles, gazetteer, jobs, progress)


def _tag_corpus(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    jobs: int,
    progress: Callable[[int], None] | None,
) -> list[Citation]:
    work = [(a.id, a.text) for a in articles]
    batches: Iterable[list[Citation]]
    if jobs > 1 and len(work) > 1:
        # Each worker receives the gazetteer once, then batches of articles.
        size = max(1, min(200, len(work) // (jobs * 4)))
        chunks = [work[i : i + size] for i in range(0, len(work), size)]
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(gazetteer,)) as pool:
            batches = list(_with_progress(pool.map(_cite_chunk, chunks), progress, size))
    else:
        batches = _with_progress(([cite_article(i, t, gazetteer)] for i, t in work), progress, 1)
    return [c for batch in batches for per_article in batch for c in per_article]


_WORKER_GAZETTEER: Gazetteer | None = None


def _init_worker(gazetteer: Gazetteer) -> None:
    global _WORKER_GAZETTEER
    _WORKER_GAZETTEER = gazetteer


def _cite_chunk(chunk: list[tuple[str, str]]) -> list[list[Citation]]:
    assert _WORKER_GAZETTEER is not None
    return [cite_article(article_id, text, _WORKER_GAZETTEER) for article_id, text in chunk]


def _with_progress(
    batches: Iterable[list[list[Citation]]], progress: Callable[[int], None] | None, size: int
) -> Iterable[list[list[Citation]]]:
    for batch in batches:
        if progress:
            progress(len(batch))
        yield batch


def check_gazetteer(
    gazetteer: Gazetteer, articles: Sequence[Article], layers_dir: Path, problems: Problems
) -> None:
    """Curated quotes must be in their article; aliases unshared; exclusions must match."""
    by_id = {a.id: a for a in articles}
    owners: dict[str, list[tuple[str, Entry, str]]] = {}
    for entry in gazetteer.entries.values():
        for alias in entry.aliases:
            owners.setdefault(normalize(alias).strip(), []).append((entry.feature_id, entry, alias))
        for citation in entry.citations:
            article = by_id.get(citation.article)
            where = citation.path or layers_dir
            if article is None:
                # Curated citations belong to a corpus; building from another
                # folder of articles skips them rather than failing.
                problems.warning(
                    where,
                    f"feature '{entry.feature_id}': curated citation names article "
                    f"'{citation.article}', which is not in the seeds folder (skipped)",
                    citation.position,
                )
            elif citation.quote not in article.text:
                problems.error(
                    where,
                    f"feature '{entry.feature_id}': curated quote {citation.quote[:60]!r} is not "
                    f"verbatim in {citation.article}; closest passage: "
                    f"{closest_passage(article.text, citation.quote)!r}",
                    citation.position,
                )
    for _, users in sorted(owners.items()):
        features = sorted({feature_id for feature_id, _, _ in users})
        if len(features) > 1:
            _, entry, written = users[-1]
            problems.warning(
                entry.path or layers_dir,
                f"alias '{written}' is shared by features {', '.join(features)}: "
                "a mention will cite all of them",
                entry.positions.get(f"aliases:{written}"),
            )
    corpus = [normalize(a.text) for a in articles]
    for entry in gazetteer.entries.values():
        for exclusion in entry.exclusions:
            key = normalize(exclusion).strip()
            if not any(key in text for text in corpus):
                problems.warning(
                    entry.path or layers_dir,
                    f"feature '{entry.feature_id}': exclusion '{exclusion}' never matches "
                    "any article (remove it or fix its spelling)",
                    entry.positions.get(f"exclusions:{exclusion}"),
                )


def closest_passage(text: str, quote: str) -> str:
    """The sentence of text most like quote (for error messages)."""
    sentences = [text[a:b] for a, b in sentence_spans(text, 0, len(text))]
    best = max(
        sentences,
        key=lambda s: difflib.SequenceMatcher(None, s, quote, autojunk=False).ratio(),
        default="",
    )
    return best[:160]


def check_lengths(layers: Sequence[Layer], problems: Problems) -> None:
    """Warn where a drawn route's length strays more than 10% from the published one."""
    for layer in layers:
        for f in layer.features:
            published = f.properties.get("published_length_km")
            if f.computed_length_km is None or not published:
                continue
            ratio = f.computed_length_km / float(published)
            if abs(ratio - 1) > LENGTH_TOLERANCE:
                problems.warning(
                    layer.path or layer.id,
                    f"feature '{f.id}': drawn length {f.computed_length_km:.0f} km is "
                    f"{ratio:.0%} of the published {published} km (redraw the route)",
                )


def write_atomically(outputs: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling, then rename them all into place.

    Ctrl-C or a kill while writing leaves the old files untouched; the renames
    themselves run with SIGINT and SIGTERM held back, so the files change together.
    """
    temps: list[tuple[Path, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for target, data in outputs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            temps.append((Path(name), target))
            # mkstemp makes the file private; give it the mode a plain write would.
            os.chmod(name, 0o666 & ~umask)
            with os.fdopen(fd, "wb") as handle:
                # No fsync: renames keep the files whole across Ctrl-C and kills, which
                # is the promise; forcing 100 MB to disk cost seconds on a busy disk.
                handle.write(data)
        held = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            for temp, target in temps:
                os.replace(temp, target)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)


def run_build(
    seeds: Path,
    layers_dir: Path,
    out: Path,
    *,
    self_contained: bool = False,
    strict: bool = False,
    jobs: int = 1,
    node_modules: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Load, check, tag and render; raise InputError (with every problem) on bad input."""
    with _collector_paused():
        return _run_build(
            seeds, layers_dir, out, self_contained, strict, jobs, node_modules, progress
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector.

    The build makes millions of small objects that all live until it ends; the
    collector would only rescan them (half the render time at scale).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _run_build(
    seeds: Path,
    layers_dir: Path,
    out: Path,
    self_contained: bool,
    strict: bool,
    jobs: int,
    node_modules: Path | None,
    progress: Callable[[int], None] | None,
) -> BuildResult:
    problems = Problems()
    if out.exists() and not out.is_dir():
        problems.error(out, "the output folder is a file (pass --out DIR, a folder)")
    articles = load_articles(seeds, problems)
    layers, entries = load_layers(layers_dir, problems)
    gazetteer = Gazetteer({e.feature_id: e for e in entries})
    check_gazetteer(gazetteer, articles, layers_dir, problems)
    check_lengths(layers, problems)
    if problems.errors or (strict and problems.warnings):
        raise InputError(
            sorted(problems.errors, key=Problem.sort_key)
            + sorted(problems.warnings, key=Problem.sort_key)
        )
    citations = tag_corpus(articles, gazetteer, jobs=jobs, progress=progress)
    fmap = build_map(layers, citations, articles, offline_basemap=self_contained)
    html = fmap.get_root().render()
    if self_contained:
        html = inline_assets(html, node_modules or default_node_modules())
    geojson = export_geojson(layers, citations, articles)
    html_path, geojson_path = out / "map.html", out / "map.geojson"
    write_atomically(
        {
            html_path: html.encode("utf-8"),
            # orjson writes UTF-8 bytes directly, about eight times faster than json
            # for the hundreds of thousands of citations of a large corpus.
            geojson_path: orjson.dumps(geojson) + b"\n",
        }
    )
    return BuildResult(
        layers=layers,
        articles=articles,
        citations=citations,
        warnings=[str(w) for w in problems.warnings],
        outputs=[html_path, geojson_path],
    )


def summary(result: BuildResult) -> str:
    """Plain-text report: features per layer, citations per feature, what cites nothing."""
    per_feature = Counter(c.feature_id for c in result.citations)
    per_article = Counter(c.article_id for c in result.citations)
    lines = [
        f"{len(result.articles)} articles, {len(result.citations)} citations, "
        f"{sum(len(layer.features) for layer in result.layers)} features in "
        f"{len(result.layers)} layers"
    ]
    for layer in result.layers:
        lines.append(f"  {layer.title}: {len(layer.features)} features")
        for f in layer.features:
            lines.append(f"    {f.id}: {per_feature.get(f.id, 0)} citations")
    uncited = [f.id for layer in result.layers for f in layer.features if not per_feature[f.id]]
    lines.append(f"features with no citation: {', '.join(uncited) if uncited else 'none'}")
    silent = [a.id for a in result.articles if not per_article[a.id]]
    lines.append(f"articles that cite nothing: {', '.join(silent) if silent else 'none'}")
    lines += [f"wrote {path}" for path in result.outputs]
    return "\n".join(lines)
