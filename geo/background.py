"""The exports (map.geojson, map.gpkg, citations.csv), written by a second process.

Once every citation is in the build's store, the exports need nothing but the store
and the layers, and the page needs nothing of the exports: a build with more than one
job writes them in a spawned process that reads the store again (read-only), while it
makes the page itself. The files are the very bytes the build would have written; they
go to free paths beside their targets, which the build renames into place with the
rest (geo.build.write_atomically).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from geo.bibliography import Bibliography
from geo.citation_store import ArticleLike, CitationStore
from geo.export import write_citations_csv, write_geojson
from geo.layers import Layer
from geo.store import write_geopackage

# An export: what writes the file at the path it is given.
Writer = Callable[[Path, Sequence[Layer], CitationStore, Bibliography], None]


def _csv(
    path: Path, layers: Sequence[Layer], store: CitationStore, bibliography: Bibliography
) -> None:
    write_citations_csv(path, store)


EXPORTS: dict[str, Writer] = {
    "map.geojson": write_geojson,
    "map.gpkg": write_geopackage,
    "citations.csv": _csv,
}


@dataclass(frozen=True)
class Elsewhere:
    """An output another process is writing to temp, a free path beside its target;
    done() waits until it is whole, and raises what the writing raised."""

    temp: Path
    done: Callable[[], None]


def write_exports(
    store_path: Path,
    articles: Sequence[ArticleLike],
    layers: Sequence[Layer],
    bibliography: Bibliography,
    paths: dict[str, Path],
) -> None:
    """Write each export named in paths to its path, from the finished store at store_path."""
    store = CitationStore.reopen(store_path, articles)
    try:
        for name, path in paths.items():
            EXPORTS[name](path, layers, store, bibliography)
    finally:
        store.close()


def in_process(
    store: CitationStore, layers: Sequence[Layer], bibliography: Bibliography
) -> dict[str, Callable[[Path], None]]:
    """The exports as writers the build runs itself, by file name."""
    return {
        name: partial(_run, write, layers, store, bibliography) for name, write in EXPORTS.items()
    }


def _run(
    write: Writer,
    layers: Sequence[Layer],
    store: CitationStore,
    bibliography: Bibliography,
    path: Path,
) -> None:
    write(path, layers, store, bibliography)


@contextmanager
def exports(
    out: Path,
    store: CitationStore,
    layers: Sequence[Layer],
    bibliography: Bibliography,
    *,
    background: bool,
) -> Iterator[dict[str, Callable[[Path], None] | Elsewhere]]:
    """The exports by file name: written by a second process (background, for a store in
    a file), or writers for the build to run itself."""
    if not background or store.path is None:
        yield dict(in_process(store, layers, bibliography))
        return
    with exports_beside(out, store, layers, bibliography) as started:
        yield dict(started)


@contextmanager
def exports_beside(
    out: Path, store: CitationStore, layers: Sequence[Layer], bibliography: Bibliography
) -> Iterator[dict[str, Elsewhere]]:
    """Start writing the exports in a second process; yield them by file name.

    On leaving, the process has ended and any file it left that was not renamed into
    place is gone.
    """
    assert store.path is not None and store.finished
    paths = {name: _free_path(out / name) for name in EXPORTS}
    spawn = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            future = pool.submit(
                write_exports, store.path, store.articles, layers, bibliography, paths
            )
            try:
                yield {name: Elsewhere(path, future.result) for name, path in paths.items()}
            finally:
                # A build that failed first still lets the writing end before the
                # store it reads is deleted; its own error is the one reported.
                future.exception()
    finally:
        for path in paths.values():
            path.unlink(missing_ok=True)


def _free_path(target: Path) -> Path:
    """A free path beside target, named as write_atomically names its temporaries."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    # The writers make their own files (a database, a CSV): the path must be free.
    Path(name).unlink()
    return Path(name)
