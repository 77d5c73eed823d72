"""Build: articles and layers in, map.html and map.geojson out, written atomically."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from geo.articles import Article, load_articles
from geo.assets import inline_assets
from geo.bibliography import Bibliography, check_citations, load_bibliography, sources_csv
from geo.cache import CitationCache, gazetteer_version
from geo.candidates import Candidate, candidates_csv, summarise
from geo.checks import check_all
from geo.distributed import tag_on_dask
from geo.evaluate import FeatureScore, load_gold, score
from geo.export import write_citations_csv, write_geojson
from geo.gazetteer import Gazetteer
from geo.layers import Layer, load_layers
from geo.mentions import Citation
from geo.models import MapSettings
from geo.popups import EXCERPT_FOLDER, excerpts_beside, popup_data
from geo.problems import InputError, Problem, Problems
from geo.reader import reader_page
from geo.render import build_map
from geo.settings import load_settings, load_tagging
from geo.store import write_geopackage
from geo.tagging import (
    Tagged,
    Tagger,
    TaggingRun,
    collector_paused,
    tag_articles,
    tag_corpus,
    tag_with_cache,
)

GAPS_SHOWN = 10
# Each article's citations, kept between builds in the output folder (geo.cache).
CACHE_FILE = Path(".cache") / "citations.sqlite"
OUTPUTS = (
    "map.html",
    "map.geojson",
    "candidates.csv",
    "sources.csv",
    "map.gpkg",
    "citations.csv",
)


@dataclass
class BuildResult:
    """What a build produced and found."""

    layers: list[Layer]
    articles: list[Article]
    citations: list[Citation]
    settings: MapSettings
    bibliography: Bibliography
    warnings: list[Problem] = field(default_factory=list)
    gaps: list[tuple[str, str, int, Candidate]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    tagging: TaggingRun | None = None


# An output: its bytes, a function that writes the file at the path it is given, a
# folder of files (name: bytes), or None for a folder a previous build left that must go.
Output = bytes | Callable[[Path], None] | dict[str, bytes] | None


def write_atomically(outputs: dict[Path, Output]) -> None:
    """Write every output to a temporary sibling, then rename them all into place.

    Ctrl-C or a kill while writing leaves the old files untouched; the renames
    themselves run with SIGINT and SIGTERM held back, so the files change together.
    """
    temps: list[tuple[Path, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for target, data in outputs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if data is not None:
                temps.append((_write_temporary(target, data, umask), target))
        held = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            for temp, target in temps:
                _rename_into_place(temp, target)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        for target, data in outputs.items():
            if data is None and target.is_dir():
                shutil.rmtree(target)
    finally:
        for temp, _ in temps:
            if temp.is_dir():
                shutil.rmtree(temp, ignore_errors=True)
            temp.unlink(missing_ok=True)


def _write_temporary(
    target: Path, data: bytes | Callable[[Path], None] | dict[str, bytes], umask: int
) -> Path:
    if isinstance(data, dict):
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        os.chmod(folder, 0o777 & ~umask)
        for name, content in data.items():
            (folder / name).write_bytes(content)
        return folder
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    # mkstemp makes the file private; give it the mode a plain write would.
    os.chmod(name, 0o666 & ~umask)
    with os.fdopen(fd, "wb") as handle:
        if isinstance(data, bytes):
            # No fsync: renames keep the files whole across Ctrl-C and kills, which is
            # the promise; forcing 100 MB to disk cost seconds on a busy disk.
            handle.write(data)
    if not isinstance(data, bytes):
        # A database writer makes its own file: give it a path that is free.
        Path(name).unlink()
        data(Path(name))
    return Path(name)


def _rename_into_place(temp: Path, target: Path) -> None:
    if temp.is_dir() and target.is_dir():
        # A folder cannot replace a folder in one rename: move the old one aside first.
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(temp, target)
        shutil.rmtree(old, ignore_errors=True)
        return
    os.replace(temp, target)


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
    use_cache: bool = True,
    scheduler: str | None = None,
    map_folder: bool | None = None,
) -> BuildResult:
    """Load, check, tag and render; raise InputError (with every problem) on bad input.

    scheduler: the address of a Dask scheduler to tag on, instead of local processes.
    """
    options = BuildOptions(
        self_contained, strict, jobs, node_modules, progress, use_cache, scheduler, map_folder
    )
    with collector_paused():
        return _run_build(seeds, layers_dir, out, options)


@dataclass(frozen=True)
class BuildOptions:
    """How to build, as the command line asks."""

    self_contained: bool = False
    strict: bool = False
    jobs: int = 1
    node_modules: Path | None = None
    progress: Callable[[int], None] | None = None
    use_cache: bool = True
    scheduler: str | None = None
    # Excerpts in map_files/ beside the page: None decides by the corpus's size.
    map_folder: bool | None = None

    def tagger(self) -> Tagger:
        """How to tag a list of articles: local processes, or a Dask cluster."""
        if self.scheduler is not None:
            return partial(tag_on_dask, scheduler=self.scheduler, progress=self.progress)
        return partial(tag_articles, jobs=self.jobs, progress=self.progress)


def load_gazetteer(layers_dir: Path, problems: Problems) -> tuple[list[Layer], Gazetteer]:
    """The layers of a folder and the gazetteer their YAML and tagging.yaml make."""
    tagging = load_tagging(layers_dir, problems) if layers_dir.is_dir() else None
    layers, entries = load_layers(layers_dir, problems)
    return layers, Gazetteer({e.feature_id: e for e in entries}, tagging)


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, loaded and checked."""

    articles: list[Article]
    layers: list[Layer]
    settings: MapSettings | None
    gazetteer: Gazetteer
    bibliography: Bibliography | None


def load_inputs(seeds: Path, layers_dir: Path, out: Path | None, problems: Problems) -> Inputs:
    """Articles, layers, settings, gazetteer and sources, every input problem in problems."""
    if out is not None and out.exists() and not out.is_dir():
        problems.error(
            out, "the output folder is a file (pass --out DIR, a folder)", code="output-is-a-file"
        )
    articles = load_articles(seeds, problems)
    settings = load_settings(layers_dir, problems) if layers_dir.is_dir() else None
    bibliography = load_bibliography(layers_dir, problems) if layers_dir.is_dir() else None
    layers, gazetteer = load_gazetteer(layers_dir, problems)
    check_all(layers, settings, gazetteer, articles, layers_dir, problems)
    if bibliography is not None:
        check_citations([f for layer in layers for f in layer.features], bibliography, problems)
    return Inputs(articles, layers, settings, gazetteer, bibliography)


def _run_build(seeds: Path, layers_dir: Path, out: Path, options: BuildOptions) -> BuildResult:
    problems = Problems()
    inputs = load_inputs(seeds, layers_dir, out, problems)
    settings, bibliography = inputs.settings, inputs.bibliography
    if (
        problems.errors
        or (options.strict and problems.warnings)
        or settings is None
        or bibliography is None
    ):
        raise InputError(
            sorted(problems.errors, key=Problem.sort_key)
            + sorted(problems.warnings, key=Problem.sort_key)
        )
    articles, layers, gazetteer = inputs.articles, inputs.layers, inputs.gazetteer
    tagged, run = _tag(articles, gazetteer, layers_dir, out, options)
    citations = [c for cs, _ in tagged for c in cs]
    html, excerpt_files = _page(
        layers, citations, articles, settings, bibliography, options, gazetteer
    )
    gaps = summarise(g for _, gs in tagged for g in gs)
    paths = [out / name for name in OUTPUTS]
    write_atomically(
        {
            # A previous build's folder goes when this one has none.
            out / EXCERPT_FOLDER: excerpt_files,
            **dict(
                zip(
                    paths,
                    [
                        html.encode("utf-8"),
                        # Written a feature (and a row) at a time, so that the build does
                        # not hold a second copy of every citation as text.
                        partial(
                            write_geojson,
                            layers=layers,
                            citations=citations,
                            articles=articles,
                            bibliography=bibliography,
                        ),
                        candidates_csv(gaps, articles).encode("utf-8"),
                        sources_csv(bibliography, layers).encode("utf-8"),
                        partial(
                            write_geopackage,
                            layers=layers,
                            citations=citations,
                            articles=articles,
                            bibliography=bibliography,
                        ),
                        partial(write_citations_csv, citations=citations, articles=articles),
                    ],
                    strict=True,
                )
            ),
        }
    )
    return BuildResult(
        layers=layers,
        articles=articles,
        citations=citations,
        settings=settings,
        bibliography=bibliography,
        warnings=sorted(problems.warnings, key=Problem.sort_key),
        outputs=paths,
        gaps=gaps,
        tagging=run,
    )


def _tag(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    layers_dir: Path,
    out: Path,
    options: BuildOptions,
) -> tuple[list[Tagged], TaggingRun]:
    tagger = options.tagger()
    if not options.use_cache:
        return tagger(articles, gazetteer), TaggingRun(tagged=len(articles), cached=0)
    cache = CitationCache(out / CACHE_FILE, gazetteer_version(layers_dir))
    try:
        return tag_with_cache(articles, gazetteer, cache, tagger, options.progress)
    finally:
        cache.close()


# Above this much compressed excerpt text, the excerpts move to map_files/ beside the
# page, which then stays light (and far below the browser's largest string).
FOLDER_ABOVE_BYTES = 16_000_000


def _page(
    layers: Sequence[Layer],
    citations: Sequence[Citation],
    articles: Sequence[Article],
    settings: MapSettings,
    bibliography: Bibliography,
    options: BuildOptions,
    gazetteer: Gazetteer,
) -> tuple[str, dict[str, bytes] | None]:
    """The page, and the excerpt files beside it when the corpus is large (or asked)."""
    table = popup_data(layers, citations, articles, bibliography)
    size = sum(len(chunk) for chunk in table["excerpt_chunks"])
    folder = options.map_folder if options.map_folder is not None else size > FOLDER_ABOVE_BYTES
    files = None
    if folder:
        table, files = excerpts_beside(table)
    reader, reader_files = reader_page(layers, citations, articles, gazetteer, beside=folder)
    if files is not None:
        files.update(reader_files)
    fmap = build_map(
        layers,
        citations,
        articles,
        settings,
        bibliography,
        offline_basemap=options.self_contained,
        popup_table=table,
        reader_table=reader,
    )
    # Leaflet is always inlined: a map that needs the network to draw is no offline map.
    html = inline_assets(fmap.get_root().render(), options.node_modules)
    return html, files


def evaluate_corpus(
    gold: Path, seeds: Path, layers_dir: Path
) -> tuple[dict[str, FeatureScore], list[Article]]:
    """Tag the articles of seeds as a build would and score them against gold."""
    problems = Problems()
    inputs = load_inputs(seeds, layers_dir, None, problems)
    passages = load_gold(gold, inputs.articles, problems)
    if problems.errors or inputs.settings is None:
        raise InputError(sorted(problems.errors, key=Problem.sort_key))
    return score(passages, tag_corpus(inputs.articles, inputs.gazetteer)), inputs.articles


def summary(result: BuildResult) -> str:
    """Plain-text report: features per layer, citations per feature, what cites nothing."""
    per_feature = Counter(c.feature_id for c in result.citations)
    per_article = Counter(c.article_id for c in result.citations)
    lines = [
        f"{len(result.articles)} articles, {len(result.citations)} citations, "
        f"{sum(len(layer.features) for layer in result.layers)} features in "
        f"{len(result.layers)} layers"
    ]
    if result.tagging is not None:
        lines.append(result.tagging.summary())
    for layer in result.layers:
        lines.append(f"  {layer.title}: {len(layer.features)} features")
        for f in layer.features:
            lines.append(f"    {f.id}: {per_feature.get(f.id, 0)} citations")
    uncited = [f.id for layer in result.layers for f in layer.features if not per_feature[f.id]]
    lines.append(f"features with no citation: {', '.join(uncited) if uncited else 'none'}")
    silent = [a.id for a in result.articles if not per_article[a.id]]
    lines.append(f"articles that cite nothing: {', '.join(silent) if silent else 'none'}")
    lines.append(
        f"gazetteer gaps: {len(result.gaps)} phrases look like a route or a visit but cite "
        "nothing (all in candidates.csv)" + ("; the most frequent:" if result.gaps else "")
    )
    lines += [
        f"  {count} × {kind}: {phrase}" for kind, phrase, count, _ in result.gaps[:GAPS_SHOWN]
    ]
    lines += [f"wrote {path}" for path in result.outputs]
    return "\n".join(lines)
