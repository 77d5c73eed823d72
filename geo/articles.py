"""Articles: the text files in the seeds folder and their metadata."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def load_articles(seeds: Path, problems: Problems) -> list[Article]:
    """Load every ``*.txt`` in seeds with its metadata, sorted by file name."""
    if not seeds.is_dir():
        problems.error(seeds, "seeds folder not found (pass --seeds DIR)", code="no-seeds")
        return []
    metadata, written = _load_metadata(seeds, problems)
    files = sorted(seeds.glob("*.txt"))
    if not files:
        problems.error(seeds, "no articles: the folder has no .txt file", code="no-articles")
    articles = []
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
        articles.append(_article(path, text, meta or ArticleMeta()))
    return articles


def _article_text(path: Path, problems: Problems) -> str | None:
    """The article's text, or None with the problem recorded."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        problems.error(
            path, "the file name is not valid UTF-8 (rename the file)", code="article-bad-file-name"
        )
        return None
    text = read_text(path, problems)
    if text is not None and not text.strip():
        problems.error(
            path, "the article is empty (remove it or add its text)", code="article-empty"
        )
        return None
    return text


def _article(path: Path, text: str, meta: ArticleMeta) -> Article:
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


def _load_metadata(seeds: Path, problems: Problems) -> tuple[dict[str, ArticleMeta], set[str]]:
    """Valid metadata by file name, and every name with an entry, valid or not.

    An article whose entry has errors is not also warned about as having none.
    """
    path = seeds / METADATA_FILE
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
            valid[str(name)] = meta
    return valid, {str(name) for name in doc.value}


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
