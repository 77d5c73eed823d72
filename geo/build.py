"""Build: articles and layers in, map.html and map.geojson out, written atomically."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from filelock import FileLock, Timeout

from geo.articles import Article, ArticleChanged, ArticleInfo, check_seeds_folder, scan_articles
from geo.assets import inline_assets
from geo.background import Elsewhere, exports
from geo.bibliography import Bibliography, check_citations, load_bibliography, sources_csv
from geo.cache import CitationCache, gazetteer_version
from geo.candidates import Candidate, candidates_csv, summarise
from geo.checks import check_all
from geo.citation_store import CitationStore
from geo.distributed import tag_batches_on_dask
from geo.evaluate import FeatureScore, load_gold, score
from geo.frame import corpus_summary
from geo.gazetteer import Gazetteer
from geo.layers import Layer, check_layers_folder, load_layers
from geo.mentions import Citation
from geo.models import MapSettings
from geo.popups import EXCERPT_FOLDER, excerpt_chunks, excerpts_beside, popup_table
from geo.problems import InputError, Problem, Problems
from geo.reader import keep_reader_parts, reader_beside, reader_inline
from geo.render import build_map
from geo.settings import load_settings, load_tagging
from geo.tagging import (
    TASK,
    StreamTagger,
    TaggingCount,
    TaggingRun,
    collector_paused,
    tag_batches,
    tag_corpus,
    tag_stream,
    task_size,
)

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
    # Metadata only: an article's text is read again from its file (ArticleInfo.text).
    articles: list[ArticleInfo]
    # Every citation, only when the build was asked to keep them (keep_citations).
    citations: list[Citation]
    settings: MapSettings
    bibliography: Bibliography
    warnings: list[Problem] = field(default_factory=list)
    gaps: list[tuple[str, str, int, Candidate]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    tagging: TaggingRun | None = None
    # Citations per feature, and the articles that cite nothing, for the report.
    citation_counts: dict[str, int] = field(default_factory=dict)
    silent_articles: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FolderWriter:
    """A folder of files, written by a function into the new, empty folder it is given."""

    write: Callable[[Path], None]


# An output: its bytes, a function that writes the file at the path it is given, a
# folder of files (name: bytes, or a FolderWriter), or None for a folder a previous
# build left that must go.
# Or a file another process is writing (geo.background).
Output = bytes | Callable[[Path], None] | dict[str, bytes] | FolderWriter | Elsewhere | None


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
            if isinstance(data, Elsewhere):
                data.done()
                os.chmod(data.temp, 0o666 & ~umask)
                temps.append((data.temp, target))
            elif data is not None:
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
    target: Path, data: bytes | Callable[[Path], None] | dict[str, bytes] | FolderWriter, umask: int
) -> Path:
    if isinstance(data, dict | FolderWriter):
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        os.chmod(folder, 0o777 & ~umask)
        if isinstance(data, FolderWriter):
            data.write(folder)
            return folder
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
    keep_citations: bool = False,
    cdn: bool = False,
) -> BuildResult:
    """Load, check, tag and render; raise InputError (with every problem) on bad input.

    scheduler: the address of a Dask scheduler to tag on, instead of local processes.
    keep_citations: also return every citation (BuildResult.citations), which a
    large corpus cannot afford; the build itself keeps them on disk.
    """
    options = BuildOptions(
        self_contained,
        strict,
        jobs,
        node_modules,
        progress,
        use_cache,
        scheduler,
        map_folder,
        keep_citations,
        cdn,
    )
    problems = Problems()
    check_output(out, (seeds, layers_dir), problems)
    check_input_folders(seeds, layers_dir, problems)
    if problems.errors:
        raise InputError(problems.errors)
    with collector_paused():
        try:
            return _run_build(seeds, layers_dir, out, options)
        except OSError as exc:
            if exc.errno not in OUTPUT_ERRNOS:
                raise
            # Read-only, full or vanished: nothing was renamed into place.
            problems.error(
                Path(exc.filename or out),
                f"cannot write the map: {exc.strerror}; the previous map is as it was",
                code="output-unwritable",
            )
            raise InputError(problems.errors) from exc


def check_input_folders(seeds: Path, layers_dir: Path, problems: Problems) -> None:
    """Both input folders exist and there are articles to tag. Checked before anything
    is read, so a mistyped folder is one error, not a cascade of warnings about what
    the other folder expected to find in it."""
    check_seeds_folder(seeds, problems)
    check_layers_folder(layers_dir, problems)


# Errors of writing that are the output folder's, not the program's.
OUTPUT_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EDQUOT})
LOCK_FILE = ".build.lock"


@contextmanager
def _one_build_at_a_time(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for the build: a second build into it waits, so the
    outputs of one build always appear together."""
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"waiting for another build into {out} to finish ...", file=sys.stderr)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def check_output(out: Path, inputs: Sequence[Path], problems: Problems) -> None:
    """The output folder's problems, found before anything is read or replaced: inside a
    file, equal to an input folder, read-only, or holding an output of the wrong kind."""
    for parent in out.absolute().parents:
        if parent.exists() and not parent.is_dir():
            problems.error(
                out, f"{parent} is a file, so no folder can be made in it", code="output-in-a-file"
            )
            return
    if out.exists() and not out.is_dir():
        problems.error(
            out, "the output folder is a file (pass --out DIR, a folder)", code="output-is-a-file"
        )
        return
    for folder in inputs:
        if folder.exists() and out.exists() and out.resolve() == folder.resolve():
            problems.error(
                out,
                f"the output folder is the input folder {folder}: pass --out another folder",
                code="output-is-an-input",
            )
            return
    if out.exists() and not os.access(out, os.W_OK | os.X_OK):
        problems.error(out, "the output folder is read-only", code="output-read-only")
        return
    for name in OUTPUTS:
        if (out / name).is_dir():
            problems.error(
                out / name, "is a folder where the map writes a file: remove it", code="output-kind"
            )
    if (out / EXCERPT_FOLDER).exists() and not (out / EXCERPT_FOLDER).is_dir():
        problems.error(
            out / EXCERPT_FOLDER,
            "is a file where the map writes a folder: remove it",
            code="output-kind",
        )


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
    keep_citations: bool = False
    # Leaflet from its CDN rather than inlined: a smaller page that needs the network.
    cdn: bool = False

    def tagger(self) -> StreamTagger:
        """How to tag a stream of articles: local processes, or a Dask cluster."""
        if self.scheduler is not None:
            return partial(tag_batches_on_dask, scheduler=self.scheduler, progress=self.progress)
        return partial(tag_batches, jobs=self.jobs, progress=self.progress)


def load_gazetteer(layers_dir: Path, problems: Problems) -> tuple[list[Layer], Gazetteer]:
    """The layers of a folder and the gazetteer their YAML and tagging.yaml make."""
    tagging = load_tagging(layers_dir, problems) if layers_dir.is_dir() else None
    layers, entries = load_layers(layers_dir, problems)
    return layers, Gazetteer({e.feature_id: e for e in entries}, tagging)


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, loaded and checked (articles without their text)."""

    articles: list[ArticleInfo]
    layers: list[Layer]
    settings: MapSettings | None
    gazetteer: Gazetteer
    bibliography: Bibliography | None


def load_inputs(seeds: Path, layers_dir: Path, out: Path | None, problems: Problems) -> Inputs:
    """Articles, layers, settings, gazetteer and sources, every input problem in problems."""
    articles = scan_articles(seeds, problems)
    settings = load_settings(layers_dir, problems) if layers_dir.is_dir() else None
    bibliography = load_bibliography(layers_dir, problems) if layers_dir.is_dir() else None
    layers, gazetteer = load_gazetteer(layers_dir, problems)
    check_all(layers, settings, gazetteer, _curated(gazetteer, articles), layers_dir, problems)
    if bibliography is not None:
        check_citations([f for layer in layers for f in layer.features], bibliography, problems)
    return Inputs(articles, layers, settings, gazetteer, bibliography)


def _curated(gazetteer: Gazetteer, articles: Sequence[ArticleInfo]) -> list[Article]:
    """The articles, with their text, that curated citations quote (the checks read them)."""
    quoted = {c.article for entry in gazetteer.entries.values() for c in entry.citations}
    return [a.read() for a in articles if a.id in quoted]


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
    articles, layers = inputs.articles, inputs.layers
    # Locked only once the inputs hold: a build that fails on them makes no folder.
    with _one_build_at_a_time(out), CitationStore(_scratch(out), articles) as store:
        try:
            run = _tag(store, articles, inputs.gazetteer, layers_dir, out, options)
        except ArticleChanged as changed:
            problems.error(changed.path, str(changed), code="article-changed")
            raise InputError(problems.errors) from changed
        store.finish()
        gaps = summarise(store.gaps())
        # With more than one job, the exports are written by a second process meanwhile.
        background = options.jobs > 1 and len(articles) <= EXPORTS_BESIDE_UP_TO
        with exports(out, store, layers, bibliography, background=background) as tables:
            html, excerpt_files = _page(
                layers, store, settings, bibliography, options, inputs.gazetteer
            )
            made: dict[str, Output] = {
                "map.html": html.encode("utf-8"),
                "candidates.csv": _candidates_csv(gaps, articles).encode("utf-8"),
                "sources.csv": sources_csv(bibliography, layers).encode("utf-8"),
                **tables,
            }
            del html
            paths = [out / name for name in OUTPUTS]
            # A previous build's folder goes when this one has none.
            write_atomically(
                {out / EXCERPT_FOLDER: excerpt_files, **{out / n: made[n] for n in OUTPUTS}}
            )
        citing = store.articles_citing()
        return BuildResult(
            layers=layers,
            articles=articles,
            citations=list(store.citations()) if options.keep_citations else [],
            settings=settings,
            bibliography=bibliography,
            warnings=sorted(problems.warnings, key=Problem.sort_key),
            outputs=paths,
            gaps=gaps,
            tagging=run,
            citation_counts=store.counts(),
            silent_articles=[a.id for i, a in enumerate(articles) if i not in citing],
        )


def _scratch(out: Path) -> Path:
    """A free path for the build's citation store, in the output folder (a large
    corpus's store is larger than a temporary folder in memory may be).

    The store is deleted when the build ends; one that a killed build left (its
    process gone) is deleted by the next build.
    """
    out.mkdir(parents=True, exist_ok=True)
    # Each store is two files: its citations and its page (".sqlite-page").
    for left in [*out.glob(".build-*-*.sqlite"), *out.glob(".build-*-*.sqlite-page")]:
        pid = left.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            left.unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".build-{os.getpid()}-", suffix=".sqlite", dir=out)
    os.close(fd)
    Path(name).unlink()
    return Path(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tag(
    store: CitationStore,
    articles: Sequence[ArticleInfo],
    gazetteer: Gazetteer,
    layers_dir: Path,
    out: Path,
    options: BuildOptions,
) -> TaggingRun:
    """Tag the store's articles (or take them from the cache) into the store."""
    cache = (
        CitationCache(out / CACHE_FILE, gazetteer_version(layers_dir))
        if options.use_cache
        else None
    )
    count = TaggingCount()
    try:
        options = _jobs_for(options, cache, articles)
        task = task_size(len(articles), options.jobs) if options.scheduler is None else TASK
        stream = tag_stream(
            articles, gazetteer, options.tagger(), cache, options.progress, count, task
        )
        for i, (article, (citations, gaps)) in enumerate(stream):
            store.add(i, article.text, citations, gaps)
        if cache is None:
            return TaggingRun(tagged=count.tagged, cached=0)
        cache.keep_only(a.key for a in articles)
        stale = min(cache.stale, count.tagged)
        return TaggingRun(tagged=count.tagged, cached=count.cached, stale=stale)
    finally:
        if cache is not None:
            cache.close()


# Up to this many articles, the exports are written by a second process: it holds a
# copy of every article's metadata (about 0.5 KB each), which a corpus of a million
# would add to the memory of the build.
EXPORTS_BESIDE_UP_TO = 300_000
# Below this many articles to tag, a build tags them itself: starting worker processes
# (each imports the package and receives the gazetteer) takes longer than that.
IN_PROCESS_BELOW = TASK


def _jobs_for(
    options: BuildOptions, cache: CitationCache | None, articles: Sequence[ArticleInfo]
) -> BuildOptions:
    """options, with one job when the cache holds all but a few of the articles."""
    if options.jobs <= 1 or options.scheduler is not None or cache is None:
        return options
    if cache.missing(a.key for a in articles) >= IN_PROCESS_BELOW:
        return options
    return replace(options, jobs=1)


# Gap rows whose example articles are read at a time to write candidates.csv.
GAP_ROWS = 1000


def _candidates_csv(
    rows: Sequence[tuple[str, str, int, Candidate]], articles: Sequence[ArticleInfo]
) -> str:
    """candidates.csv, reading the example articles a batch of rows at a time."""
    index = {a.id: i for i, a in enumerate(articles)}
    parts = []
    for i in range(0, max(1, len(rows)), GAP_ROWS):
        batch = rows[i : i + GAP_ROWS]
        needed = sorted({index[c.article_id] for *_, c in batch})
        part = candidates_csv(batch, [articles[j].read() for j in needed])
        # Each part has the header: keep the first's.
        parts.append(part if i == 0 else part.split("\n", 1)[1])
    return "".join(parts)


# Above this much compressed excerpt text, the excerpts move to map_files/ beside the
# page, which then stays light (and far below the browser's largest string).
FOLDER_ABOVE_BYTES = 16_000_000


def _page(
    layers: Sequence[Layer],
    store: CitationStore,
    settings: MapSettings,
    bibliography: Bibliography,
    options: BuildOptions,
    gazetteer: Gazetteer,
) -> tuple[str, FolderWriter | None]:
    """The page, and the excerpt files beside it when the corpus is large (or asked).

    The excerpt chunks and the reader's parts are made into the store first, so their
    size decides where they go; then they are read back a part at a time, into the page
    or into files beside it.
    """
    n_chunks, size = store.keep_chunks(excerpt_chunks(store))
    reader_shape = keep_reader_parts(layers, store, gazetteer)
    # The page's size is its excerpts' and the reader's parts' (article texts, the index).
    size += store.parts_size()
    folder = options.map_folder if options.map_folder is not None else size > FOLDER_ABOVE_BYTES
    files = None
    if folder:
        table, write_excerpts = excerpts_beside(layers, store, bibliography, n_chunks, store.chunks)
        reader, write_reader = reader_beside(reader_shape, store)
        files = FolderWriter(partial(_write_both, write_excerpts, write_reader))
    else:
        table = popup_table(layers, store, bibliography, list(store.chunks()))
        reader = reader_inline(reader_shape, store)
    fmap = build_map(
        layers,
        [],
        [],
        settings,
        bibliography,
        offline_basemap=options.self_contained,
        popup_table=table,
        reader_table=reader,
        summary=corpus_summary(store.articles),
    )
    del table, reader
    # Leaflet is inlined unless asked: a map that needs the network to draw is no offline map.
    html = fmap.get_root().render()
    if not options.cdn:
        html = inline_assets(html, options.node_modules)
    return html, files


def _write_both(
    write_excerpts: Callable[[Path], None], write_reader: Callable[[Path], None], folder: Path
) -> None:
    """The excerpt files, then the reader's, into one new folder."""
    write_excerpts(folder)
    write_reader(folder)


def evaluate_corpus(
    gold: Path, seeds: Path, layers_dir: Path
) -> tuple[dict[str, FeatureScore], list[Article]]:
    """Tag the articles of seeds as a build would and score them against gold."""
    problems = Problems()
    inputs = load_inputs(seeds, layers_dir, None, problems)
    articles = [a.read() for a in inputs.articles]
    passages = load_gold(gold, articles, problems)
    if problems.errors or inputs.settings is None:
        raise InputError(sorted(problems.errors, key=Problem.sort_key))
    return score(passages, tag_corpus(articles, inputs.gazetteer)), articles
