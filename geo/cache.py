"""The citation cache: each article's citations and gaps, kept by content and gazetteer version.

Tagging is a pure function of (article id, text, date, gazetteer), so its result
can be kept: a rebuild after adding or changing a few articles tags only those.
The key is a hash of the article's id, date and text; the version is a hash of
everything else tagging reads (the layer files, tagging.yaml and the code of the
package). Entries of another version are dropped when the cache opens, so a
changed gazetteer re-tags every article, and the build says so.

The cache is one SQLite file (standard library, safe for two builds at once).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import orjson

from geo.articles import Article, article_key
from geo.candidates import Candidate
from geo.mentions import Citation

# An article's citations and its gaps (as geo.tagging names them).
Tagged = tuple[list[Citation], list[Candidate]]

# Inputs of the layers folder that only change how the map looks, not what cites what.
NOT_TAGGING = frozenset({"map.yaml", "sources.yaml"})
# The modules that loading the gazetteer and tagging an article import (a test checks
# that this covers them): a change to rendering or exporting keeps the cache.
TAGGING_MODULES = [
    "articles",
    "cache",
    "candidates",
    "tagging",
    "coreference",
    "events",
    "features",
    "folding",
    "gazetteer",
    "geometry",
    "layers",
    "lengths",
    "matching",
    "mentions",
    "models",
    "passages",
    "problems",
    "routes",
    "rules",
    "settings",
    "shapes",
    "sources",
    "types",
    "validation",
    "when",
    "words",
    "basemap",
]
BATCH = 500


def gazetteer_version(layers_dir: Path) -> str:
    """A hash of all that tagging reads besides the article: layer files and its code."""
    digest = hashlib.sha256()
    for path in sorted(layers_dir.iterdir()):
        if path.is_file() and path.name not in NOT_TAGGING:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    package = resources.files("geo")
    for name in sorted(TAGGING_MODULES):
        source = package.joinpath(f"{name}.py").read_bytes()
        digest.update(name.encode() + b"\0" + source + b"\0")
    return digest.hexdigest()


class CitationCache:
    """Citations per article key, for one gazetteer version.

    Used a batch of articles at a time, so a build holds only that batch's entries."""

    def __init__(self, path: Path, version: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=60)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS citations "
            "(key TEXT PRIMARY KEY, version TEXT NOT NULL, citations BLOB NOT NULL)"
        )
        dropped = self.db.execute("DELETE FROM citations WHERE version != ?", (version,))
        self.stale = dropped.rowcount
        self.db.commit()
        self.version = version

    def get(self, articles: Sequence[Article]) -> dict[str, Tagged]:
        """The cached citations and gaps of those articles that have them, by article id."""
        keys = {article_key(a): a.id for a in articles}
        found: dict[str, Tagged] = {}
        key_list = list(keys)
        for i in range(0, len(key_list), BATCH):
            batch = key_list[i : i + BATCH]
            marks = ",".join("?" * len(batch))
            for key, blob in self.db.execute(
                f"SELECT key, citations FROM citations WHERE key IN ({marks})", batch
            ):
                found[keys[key]] = _decode(keys[key], blob)
        return found

    def put(self, tagged: Iterable[tuple[Article, Tagged]]) -> None:
        """Keep the citations and gaps of freshly tagged articles."""
        self.db.executemany(
            "INSERT OR REPLACE INTO citations VALUES (?, ?, ?)",
            ((article_key(a), self.version, _encode(cs)) for a, cs in tagged),
        )
        self.db.commit()

    def missing(self, keys: Iterable[str]) -> int:
        """How many of these article keys the cache does not hold."""
        self._live(keys)
        found = self.db.execute(
            "SELECT count(*) FROM live WHERE key NOT IN (SELECT key FROM citations)"
        )
        return int(found.fetchone()[0])

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget articles no longer in the corpus (keys: article_key of those that are),
        so the cache does not outgrow it."""
        self._live(keys)
        self.db.execute("DELETE FROM citations WHERE key NOT IN (SELECT key FROM live)")
        self.db.commit()

    def _live(self, keys: Iterable[str]) -> None:
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM live")
        self.db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((key,) for key in keys))

    def close(self) -> None:
        self.db.close()


def _encode(tagged: Tagged) -> bytes:
    # The article id is the key's; each citation and gap keeps the rest of its fields.
    citations, gaps = tagged
    return orjson.dumps(
        {"citations": [c[:1] + c[2:] for c in citations], "gaps": [g[:2] + g[3:] for g in gaps]}
    )


def _decode(article_id: str, blob: bytes) -> Tagged:
    stored = orjson.loads(blob)
    citations = [
        Citation(
            feature_id,
            article_id,
            start,
            end,
            tuple((a, b) for a, b in highlights),
            curated,
            how,
            tuple(antecedent) if antecedent else None,
        )
        for feature_id, start, end, highlights, curated, how, antecedent in stored["citations"]
    ]
    gaps = [
        Candidate(kind, phrase, article_id, start, end)
        for kind, phrase, start, end in stored["gaps"]
    ]
    return citations, gaps
