"""The streaming build: texts read a batch at a time, citations in an on-disk store."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from jinja2.utils import htmlsafe_json_dumps

import geo.tagging
from geo.articles import Article, ArticleInfo, info_of
from geo.build import OUTPUTS, BuildResult, run_build
from geo.citation_store import CitationStore
from geo.cli import main
from geo.gazetteer import Gazetteer
from geo.popups import EXCERPT_FOLDER, PAGE, REFS_PER_FILE, popup_data
from geo.problems import InputError, Problems
from geo.tagging import READ_BATCH, Tagged, tag_stream
from tests.project import LAYERS, SEEDS, load_project


def test_the_store_gives_back_the_citations_it_was_given(built: BuildResult) -> None:
    with CitationStore.in_memory(built.citations, built.articles) as store:
        assert list(store.citations()) == built.citations
        assert store.total() == len(built.citations)
        counts = store.counts()
    assert counts == built.citation_counts
    assert sum(counts.values()) == len(built.citations)


def test_a_build_keeps_no_article_text(built: BuildResult) -> None:
    """What a build returns of its articles is metadata; the text is read from the file."""
    assert all(isinstance(a, ArticleInfo) for a in built.articles)
    assert not any(hasattr(a, "__dict__") for a in built.articles), "slots, no per-article dict"
    first = built.articles[0]
    assert first.read().text == first.path.read_text(encoding="utf-8")


def test_tagging_reads_a_bounded_batch_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However long the corpus, the stream holds at most a batch or two of texts."""
    _, _, gazetteer, _ = load_project()
    for i in range(3 * READ_BATCH + 7):
        (tmp_path / f"a{i:05}.txt").write_text(f"Article {i}.\n", encoding="utf-8")
    infos = [info_of(a) for a in _load(tmp_path)]
    reads = 0
    read = ArticleInfo.read

    def counted(self: ArticleInfo) -> Any:
        nonlocal reads
        reads += 1
        return read(self)

    monkeypatch.setattr(ArticleInfo, "read", counted)
    yielded = 0

    def tagger(batches: Iterable[Sequence[Article]], _: Gazetteer) -> Iterator[list[Tagged]]:
        # Tagging itself is not what is measured: every article cites nothing.
        return ([([], []) for _ in batch] for batch in batches)

    for article, _ in tag_stream(infos, gazetteer, tagger):
        yielded += 1
        assert article.id == infos[yielded - 1].id, "in corpus order"
        assert reads - yielded < 2 * READ_BATCH
    assert yielded == reads == len(infos)


def _load(folder: Path) -> list[Any]:
    from geo.articles import load_articles
    from geo.problems import Problems

    return load_articles(folder, Problems())


def test_an_article_changed_during_the_build_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(SEEDS, seeds)
    run_build(seeds, LAYERS, out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    # One article per batch, so that the build reads the last only after the first is in.
    monkeypatch.setattr(geo.tagging, "READ_BATCH", 1)
    last = sorted(seeds.glob("*.txt"))[-1]

    def edit(_: int) -> None:
        last.write_text("An edited article about the TAP pipeline.", encoding="utf-8")

    with pytest.raises(InputError) as error:
        run_build(seeds, LAYERS, out, progress=edit, use_cache=False)
    [problem] = error.value.problems
    assert problem.path == str(last) and "changed while the map was being built" in problem.message
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert not list(out.glob(".build-*")), "the citation store went with the build"


def test_a_store_left_by_a_killed_build_goes_with_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # A process that has ended: its id is free (or reused by another, which is kept).
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    pid = int(done.stdout)
    left = out / f".build-{pid}-x1y2.sqlite"
    left.write_bytes(b"left behind")
    left_page = out / f".build-{pid}-x1y2.sqlite-page"
    left_page.write_bytes(b"its page, left behind")
    mine = out / f".build-{os.getpid()}-a1b2.sqlite"
    mine.write_bytes(b"a build under way")
    assert main(["--seeds", str(SEEDS), "--layers", str(LAYERS), "--out", str(out), "--quiet"]) == 0
    assert mine.exists(), "a store of a live process is not touched"
    if not _alive(pid):
        assert not left.exists() and not left_page.exists()
    assert sorted(p.name for p in out.glob(".build-*")) == [mine.name]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _part(path: Path) -> tuple[str, Any]:
    match = re.fullmatch(r'window\.citedMap\.part\("([^"]+)", "([^"]+)"\);\n', path.read_text())
    assert match is not None, path
    return match[1], json.loads(gzip.decompress(base64.b64decode(match[2])))


def test_a_map_folder_holds_what_the_one_file_table_holds(tmp_path: Path) -> None:
    """map_files/, written from the store a file at a time, is the one-file table cut up."""
    out = tmp_path / "out"
    result = run_build(SEEDS, LAYERS, out, map_folder=True, keep_citations=True)
    whole = popup_data(result.layers, result.citations, result.articles, result.bibliography)
    folder = out / EXCERPT_FOLDER
    excerpts = [row for f in sorted(folder.glob("excerpts-*.js")) for row in _part(f)[1]]
    chunks = whole["excerpt_chunks"]
    assert excerpts == [
        row for c in chunks for row in json.loads(gzip.decompress(base64.b64decode(c)))
    ]
    articles = [row for f in sorted(folder.glob("articles-*.js")) for row in _part(f)[1]]
    assert articles == whole["articles"]
    page = (out / "map.html").read_text(encoding="utf-8")
    for n, (feature_id, entry) in enumerate(whole["features"].items()):
        files = sorted(folder.glob(f"refs-{n:04}-*.js"))
        keys = [_part(f)[0] for f in files]
        assert keys == [f"refs/{feature_id}/{k}" for k in range(len(files))]
        refs = [ref for f in files for ref in _part(f)[1]]
        assert refs == entry["citations"]
        assert len(files) == -(-len(refs) // REFS_PER_FILE)
        # As the page writes its data (geo/plugins.py).
        first = htmlsafe_json_dumps(
            entry["citations"][:PAGE], ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        assert not refs or first in page, "the first page of each popup is in the page"


@pytest.mark.parametrize(
    "metadata",
    [
        "a.txt: {title: A, outlet: O, date: 2024-08-17}\nb.txt:\n  title: B\n  author: ~\n",
        "a.txt: {title: '2024', date: '2024-08'}\na.txt: {title: again}\n",
        "a.txt: &x {title: A}\nb.txt: *x\n",
        "a.txt: {title: [not, text]}\n",
        "a.txt: {title: A, colour: red}\n",
        "c.txt: {title: C}\n",
        "- a.txt\n",
        "a.txt: {title: A}\n---\nb.txt: {title: B}\n",
        "",
    ],
)
def test_metadata_read_entry_by_entry_is_what_the_full_reader_reads(
    metadata: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick reader gives the full one's result, or leaves the file to it."""
    import geo.articles

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("The TAP pipeline.\n", encoding="utf-8")
    (tmp_path / "metadata.yaml").write_text(metadata, encoding="utf-8")
    quick_problems, full_problems = Problems(), Problems()
    quick = geo.articles.scan_articles(tmp_path, quick_problems)
    monkeypatch.setattr(geo.articles, "_quick_metadata", lambda path, seeds: None)
    full = geo.articles.scan_articles(tmp_path, full_problems)
    assert quick == full
    assert quick_problems.items == full_problems.items
