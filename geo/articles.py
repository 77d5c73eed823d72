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
    metadata = _load_metadata(seeds, problems)
    files = sorted(seeds.glob("*.txt"))
    if not files:
        problems.error(seeds, "no articles: the folder has no .txt file", code="no-articles")
    articles = []
    entry_names: set[str] | None = None
    for path in files:
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            problems.error(
                path,
                "the file name is not valid UTF-8 (rename the file)",
                code="article-bad-file-name",
            )
            continue
        text = read_text(path, problems)
        if text is None:
            continue
        if not text.strip():
            problems.error(
                path, "the article is empty (remove it or add its text)", code="article-empty"
            )
            continue
        meta = metadata.get(path.name) if metadata is not None else {}
        if meta is None:
            if entry_names is None:
                entry_names = _entry_names(seeds)
            if path.name in entry_names:
                meta = {}  # its entry has errors, reported already
        if meta is None:
            problems.warning(
                path,
                f"no metadata: add an entry '{path.name}:' to {seeds / METADATA_FILE}; "
                "the file name stands in for the title",
                code="article-no-metadata",
            )
            meta = {}
        articles.append(
            Article(
                id=path.name,
                path=path,
                text=text,
                title=meta.get("title") or path.stem,
                outlet=meta.get("outlet") or "unknown outlet",
                date=meta.get("date") or "undated",
                author=meta.get("author"),
                date_note=meta.get("date_note"),
                url=meta.get("url"),
            )
        )
    return articles


def _entry_names(seeds: Path) -> set[str]:
    """Names that metadata.yaml has an entry for, valid or not (parsed again: rare path)."""
    doc = load_yaml(seeds / METADATA_FILE, Problems()) if (seeds / METADATA_FILE).exists() else None
    return {str(k) for k in doc.value} if doc and isinstance(doc.value, dict) else set()


def _load_metadata(seeds: Path, problems: Problems) -> dict[str, dict[str, str]] | None:
    """Metadata by file name; None when the file is unusable (its error is already recorded)."""
    path = seeds / METADATA_FILE
    if not path.exists():
        return {}
    doc = load_yaml(path, problems)
    if doc is None:
        return None
    if doc.value is None:
        return {}
    if not isinstance(doc.value, dict):
        problems.error(
            path,
            "metadata must map article file names to fields",
            doc.at(),
            code="metadata-not-a-mapping",
        )
        return None
    return {
        str(name): fields
        for name, fields in doc.value.items()
        if _valid_entry(doc, seeds, str(name), fields, problems)
    }


def _valid_entry(doc: Located, seeds: Path, name: str, fields: object, problems: Problems) -> bool:
    if not (seeds / name).is_file():
        problems.error(
            doc.path,
            f"metadata names '{name}', but {seeds / name} does not exist",
            doc.at(name, "<key>"),
            code="metadata-missing-file",
        )
        return False
    if not isinstance(fields, dict):
        problems.error(
            doc.path,
            f"metadata for '{name}' must be a mapping of fields",
            doc.at(name, "<key>"),
            code="metadata-not-a-mapping",
        )
        return False
    subject = f"metadata of '{name}': "
    return (
        validate(ArticleMeta, doc, (name,), problems, scope="metadata", subject=subject) is not None
    )
