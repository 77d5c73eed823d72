"""Articles: the text files in the seeds folder and their metadata.

A build keeps every article's metadata (``ArticleInfo``, a few hundred bytes) but
not its text: the text is read again, and checked against the hash taken when the
folder was scanned, when the article is tagged and its excerpts are cut.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml
from pydantic import ValidationError

from geo.models import ArticleMeta
from geo.problems import Problems
from geo.sources import Located, load_yaml, read_text
from geo.validation import validate

METADATA_FILE = "metadata.yaml"


@dataclass(frozen=True)
class Article:
    """One article: its text (offsets index into it) and who published it when."""

    id: str
    path: Path
    text: str
    title: str
    outlet: str
    date: str
    author: str | None = None
    date_note: str | None = None
    url: str | None = None


# A million of these are what a build holds per article, about 400 bytes each: slots,
# the folder shared (a Path per article costs as much again), raw digests.
@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What a build keeps of an article: everything but its text, and hashes of that."""

    id: str
    folder: Path
    title: str
    outlet: str
    date: str
    author: str | None
    date_note: str | None
    url: str | None
    # The text's SHA-256 (as map.gpkg records it) and length.
    digest: bytes
    characters: int
    # What the citation cache knows the article by (geo.cache.article_key).
    key_digest: bytes

    @property
    def path(self) -> Path:
        """The article's file (its id is its file name)."""
        return self.folder / self.id

    @property
    def sha256(self) -> str:
        """The text's SHA-256, in hexadecimal."""
        return self.digest.hex()

    @property
    def key(self) -> str:
        """The citation cache's key of the article (geo.cache.article_key)."""
        return self.key_digest.hex()

    def read(self) -> Article:
        """The article with its text, read again; ArticleChanged if the file changed."""
        problems = Problems()
        text = read_text(self.path, problems)
        if text is None or _digest(text) != self.digest:
            raise ArticleChanged(self.path)
        return Article(
            self.id,
            self.path,
            text,
            self.title,
            self.outlet,
            self.date,
            self.author,
            self.date_note,
            self.url,
        )

    @property
    def text(self) -> str:
        """The article's text, read from its file each time (callers that need it often
        should keep read()'s article)."""
        return self.read().text


class ArticleChanged(Exception):
    """An article's file changed (or went) while the build was running."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: the file changed while the map was being built")
        self.path = path


def info_of(article: Article) -> ArticleInfo:
    """An article's metadata and hashes, its text left out."""
    if article.path.name != article.id:
        raise ValueError(f"article {article.id!r} is not named after its file {article.path}")
    return ArticleInfo(
        id=article.id,
        folder=_folder(article.path.parent),
        title=article.title,
        outlet=sys.intern(article.outlet),
        date=sys.intern(article.date),
        author=article.author,
        date_note=article.date_note,
        url=article.url,
        digest=_digest(article.text),
        characters=len(article.text),
        key_digest=bytes.fromhex(article_key(article)),
    )


@cache
def _folder(path: Path) -> Path:
    # One Path object per folder, however many articles it holds.
    return path


def article_key(article: Article) -> str:
    """A hash of what tagging reads of an article: its id, date and text."""
    digest = hashlib.sha256()
    for part in (article.id, article.date, article.text):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def scan_articles(seeds: Path, problems: Problems) -> list[ArticleInfo]:
    """Every ``*.txt`` in seeds checked as load_articles checks it, keeping no text."""
    return [info_of(article) for article in _each_article(seeds, problems)]


def load_articles(seeds: Path, problems: Problems) -> list[Article]:
    """Load every ``*.txt`` in seeds with its metadata, sorted by file name."""
    return list(_each_article(seeds, problems))


def check_seeds_folder(seeds: Path, problems: Problems) -> bool:
    """Whether seeds is a folder with at least one article; an error where it is not."""
    if not seeds.is_dir():
        problems.error(seeds, "seeds folder not found (pass --seeds DIR)", code="no-seeds")
        return False
    if next(seeds.glob("*.txt"), None) is None:
        problems.error(seeds, "no articles: the folder has no .txt file", code="no-articles")
        return False
    return True


def _each_article(seeds: Path, problems: Problems) -> Iterator[Article]:
    if not check_seeds_folder(seeds, problems):
        return
    metadata, written = _load_metadata(seeds, problems)
    files = sorted(seeds.glob("*.txt"))
    for path in files:
        text = _article_text(path, problems)
        if text is None:
            continue
        meta = metadata.get(path.name)
        if meta is None and path.name not in written:
            problems.warning(
                path,
                f"no metadata: add an entry '{path.name}:' to {seeds / METADATA_FILE}; "
                "the file name stands in for the title",
                code="article-no-metadata",
            )
        yield _article(path, text, meta or NO_METADATA)


# The largest article read, in bytes (CAUCASUS_MAP_MAX_ARTICLE_MB sets it in MB): a news
# article is some kilobytes, and a file of hundreds of megabytes is a mistake.
MAX_ARTICLE_BYTES = int(float(os.environ.get("CAUCASUS_MAP_MAX_ARTICLE_MB", "50")) * 1_000_000)


def _a_plain_file(path: Path, problems: Problems) -> bool:
    """Whether path is a regular file inside its folder, no larger than MAX_ARTICLE_BYTES.

    A FIFO would block the read forever and a link to /dev/zero would never end; a link
    that leaves the folder reads a file the user did not put there.
    """
    try:
        info = path.lstat()
        link = stat.S_ISLNK(info.st_mode)
        # Only a link needs resolving (a tenth of a millisecond, per article of a corpus).
        target = path.resolve(strict=True) if link else path
        info = target.stat() if link else info
    except OSError as exc:
        problems.error(path, f"cannot read file: {exc.strerror or exc}", code="file-unreadable")
        return False
    if not stat.S_ISREG(info.st_mode):
        problems.error(
            path,
            "not a regular file (a pipe, device or folder named .txt): remove it from the folder",
            code="article-not-a-file",
        )
        return False
    if link and target.parent != path.parent.resolve():
        problems.error(
            path,
            f"a link to {target}, outside the folder: copy the article into the folder instead",
            code="article-link-outside",
        )
        return False
    if info.st_size > MAX_ARTICLE_BYTES:
        problems.error(
            path,
            f"{info.st_size / 1e6:.0f} MB is more than the {MAX_ARTICLE_BYTES / 1e6:g} MB an "
            "article may be (set CAUCASUS_MAP_MAX_ARTICLE_MB to allow more)",
            code="article-too-large",
        )
        return False
    return True


def _article_text(path: Path, problems: Problems) -> str | None:
    """The article's text, or None with the problem recorded."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        problems.error(
            path, "the file name is not valid UTF-8 (rename the file)", code="article-bad-file-name"
        )
        return None
    if not _a_plain_file(path, problems):
        return None
    text = read_text(path, problems)
    if text is not None and not text.strip():
        problems.error(
            path, "the article is empty (remove it or add its text)", code="article-empty"
        )
        return None
    return text


class Published(NamedTuple):
    """An article's checked metadata, kept compact until its file is read (a corpus's
    ArticleMeta models would take several times the memory)."""

    title: str | None
    outlet: str | None
    date: str | None
    author: str | None
    date_note: str | None
    url: str | None


NO_METADATA = Published(None, None, None, None, None, None)


def _published(meta: ArticleMeta) -> Published:
    return Published(meta.title, meta.outlet, meta.date, meta.author, meta.date_note, meta.url)


def _article(path: Path, text: str, meta: Published) -> Article:
    return Article(
        id=path.name,
        path=path,
        text=text,
        title=meta.title or path.stem,
        outlet=meta.outlet or "unknown outlet",
        date=meta.date or "undated",
        author=meta.author,
        date_note=meta.date_note,
        url=meta.url,
    )


def _load_metadata(seeds: Path, problems: Problems) -> tuple[dict[str, Published], set[str]]:
    """Valid metadata by file name, and every name with an entry, valid or not.

    An article whose entry has errors is not also warned about as having none.
    """
    path = seeds / METADATA_FILE
    quick = _quick_metadata(path, seeds)
    if quick is not None:
        return quick
    doc = load_yaml(path, problems) if path.exists() else None
    if doc is None or doc.value is None:
        # A file that cannot be read has its error already: do not warn for each article.
        return {}, ({p.name for p in seeds.glob("*.txt")} if path.exists() else set())
    if not isinstance(doc.value, dict):
        problems.error(
            path,
            "metadata must map article file names to fields",
            doc.at(),
            code="metadata-not-a-mapping",
        )
        return {}, {p.name for p in seeds.glob("*.txt")}
    valid = {}
    for name, fields in doc.value.items():
        meta = _valid_entry(doc, seeds, str(name), fields, problems)
        if meta is not None:
            valid[str(name)] = _published(meta)
    return valid, {str(name) for name in doc.value}


def _quick_metadata(path: Path, seeds: Path) -> tuple[dict[str, Published], set[str]] | None:
    """The metadata of a file that has no problem, read an entry at a time; None for any
    other file, which the full reader then reads and reports on.

    PyYAML composes a whole document before it builds its values: for a corpus's
    metadata that is several KB per article, gone after loading but the build's
    largest moment. This reads the plain shape (file name: {field: value}) from the
    parser's events, building and checking each entry, as the safe loader would.
    """
    try:
        events = yaml.parse(path.read_text(encoding="utf-8"), Loader=_LOADER)
        head = [next(events) for _ in range(3)]
        if not isinstance(head[2], yaml.MappingStartEvent) or head[2].anchor is not None:
            return None
        valid: dict[str, Published] = {}
        while (name := _scalar(next(events))) is not _END:
            fields = _fields(events)
            if not isinstance(name, str) or name in valid or not (seeds / name).is_file():
                # A name given twice is the full reader's to report, with its place.
                return None
            valid[name] = _published(ArticleMeta.model_validate(fields))
        ends = [type(event) for event in events]
        if ends != [yaml.DocumentEndEvent, yaml.StreamEndEvent]:
            return None
        return valid, set(valid)
    except (OSError, UnicodeError, yaml.YAMLError, ValidationError, StopIteration, _Unusual):
        return None


class _Unusual(Exception):
    """The metadata file has something other than plain scalars in mappings."""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
# What _scalar gives at the end of a mapping.
_END = object()


def _scalar(event: yaml.Event) -> object:
    """A plain scalar's value as the safe loader builds it; _END at the mapping's end."""
    if isinstance(event, yaml.MappingEndEvent):
        return _END
    if not isinstance(event, yaml.ScalarEvent) or event.anchor is not None or event.tag:
        raise _Unusual
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _STR:
        return event.value
    if tag == "tag:yaml.org,2002:merge":
        raise _Unusual
    # Dates, numbers, null: the safe loader's own constructor, node by node.
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    return yaml.constructor.SafeConstructor().construct_object(node)


def _fields(events: Iterator[yaml.Event]) -> dict[object, object]:
    start = next(events)
    if not isinstance(start, yaml.MappingStartEvent) or start.anchor is not None or start.tag:
        raise _Unusual
    fields: dict[object, object] = {}
    while (key := _scalar(next(events))) is not _END:
        value = _scalar(next(events))
        if value is _END or key in fields:
            raise _Unusual
        fields[key] = value
    return fields


def _valid_entry(
    doc: Located, seeds: Path, name: str, fields: object, problems: Problems
) -> ArticleMeta | None:
    if not (seeds / name).is_file():
        problems.error(
            doc.path,
            f"metadata names '{name}', but {seeds / name} does not exist",
            doc.at(name, "<key>"),
            code="metadata-missing-file",
        )
        return None
    if not isinstance(fields, dict):
        problems.error(
            doc.path,
            f"metadata for '{name}' must be a mapping of fields",
            doc.at(name, "<key>"),
            code="metadata-not-a-mapping",
        )
        return None
    subject = f"metadata of '{name}': "
    return validate(ArticleMeta, doc, (name,), problems, scope="metadata", subject=subject)
