"""The bibliography: every source a fact, length or capacity cites, from layers/sources.yaml.

Features cite sources by id; this module loads the sources, checks that every
id a feature uses is declared (naming the file and place of each that is not),
and words a source as the popup shows it ("Trend News Agency, 28 Sep 2021").
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.features import Feature
from geo.layers import Layer
from geo.models import BaseProperties, RouteProperties, Source, SourcesFile
from geo.problems import Problems
from geo.sources import Located, load_yaml
from geo.validation import validate

SOURCES_FILE = "sources.yaml"
# Characters of an undated source's title in its short citation.
SHORT_TITLE = 40
# The path of keys from a feature's properties to a list of source ids.
PathKeys = tuple[str | int, ...]


@dataclass(frozen=True)
class Bibliography:
    """The sources by id, in the order sources.yaml lists them."""

    sources: dict[str, Source]
    path: Path = Path(SOURCES_FILE)
    doc: Located | None = None

    def short(self, source_id: str) -> str:
        """The short citation as a popup shows it: publisher and date, or title if undated."""
        source = self.sources[source_id]
        if source.kind == "estimate":
            return f"{source.publisher} (own estimate)"
        if source.published:
            return f"{source.publisher}, {readable_date(source.published)}"
        # Undated pages of one publisher (an operator's pages) differ by their titles.
        title = source.title
        if len(title) > SHORT_TITLE:
            title = title[: SHORT_TITLE - 1].rstrip() + "…"
        return f"{source.publisher}, “{title}”"

    def entry(self, source_id: str) -> dict[str, str]:
        """One source as the page and the export carry it."""
        source = self.sources[source_id]
        return {
            "id": source_id,
            "kind": source.kind,
            "short": self.short(source_id),
            "publisher": source.publisher,
            "title": source.title,
            "published": source.published or "",
            "date": readable_date(source.published) if source.published else "",
            "address": source.address or "",
            "consulted": source.consulted or "",
            "states": source.states or "",
        }


def load_bibliography(folder: Path, problems: Problems) -> Bibliography | None:
    """The sources of a layers folder, or None with the problems recorded."""
    path = folder / SOURCES_FILE
    if not path.is_file():
        problems.error(
            path,
            "bibliography not found: add sources.yaml (sources: {id: {publisher, title, "
            "published, address, consulted}}) to the layers folder",
            code="sources-missing",
        )
        return None
    doc = load_yaml(path, problems)
    if doc is None:
        return None
    parsed = validate(SourcesFile, doc, (), problems, scope="sources")
    return Bibliography(dict(parsed.sources), path, doc) if parsed is not None else None


def cited_ids(props: BaseProperties) -> Iterator[tuple[PathKeys, str]]:
    """Every source id a feature's properties cite, with the path of keys to it."""
    for source_id in props.sources:
        yield ("sources",), source_id
    for i, fact in enumerate(props.facts):
        for source_id in fact.source:
            yield ("facts", i, "source"), source_id
    if isinstance(props, RouteProperties):
        for source_id in props.published_length.source:
            yield ("published_length", "source"), source_id
        for i, part in enumerate(props.published_length.split):
            for source_id in part.source:
                yield ("published_length", "split", i, "source"), source_id
        if props.capacity is not None:
            for source_id in props.capacity.source:
                yield ("capacity", "source"), source_id


def feature_sources(props: BaseProperties) -> list[str]:
    """The ids of every source of a feature, each once, in the order first cited."""
    return list(dict.fromkeys(source_id for _, source_id in cited_ids(props)))


def check_citations(
    features: Sequence[Feature], bibliography: Bibliography, problems: Problems
) -> None:
    """Every source id a feature cites is in sources.yaml; every source is cited."""
    used: set[str] = set()
    known = list(bibliography.sources)
    for feature in features:
        for keys, source_id in cited_ids(feature.properties):
            used.add(source_id)
            if source_id in bibliography.sources:
                continue
            close = difflib.get_close_matches(source_id, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.error(
                feature.path,
                f"feature '{feature.id}': source '{source_id}' is not in {SOURCES_FILE}{hint}; "
                "add it there with its publisher, title, date and address",
                _at(feature, keys),
                code="source-unknown",
            )
    for source_id in bibliography.sources:
        if source_id in used:
            continue
        doc = bibliography.doc
        problems.warning(
            bibliography.path,
            f"source '{source_id}' is cited by no feature",
            doc.at("sources", source_id) if doc is not None else None,
            code="source-unused",
        )


def _at(feature: Feature, keys: PathKeys) -> tuple[int, int] | None:
    if feature.source is None:
        return None
    doc, index = feature.source
    return doc.at("features", index, "properties", *keys)


CSV_COLUMNS = (
    "id",
    "kind",
    "publisher",
    "title",
    "published",
    "address",
    "consulted",
    "states",
    "cited_by",
)


def sources_csv(bibliography: Bibliography, layers: Sequence[Layer]) -> str:
    """The bibliography as CSV: every source with the features that cite it."""
    cited_by: dict[str, list[str]] = {}
    for layer in layers:
        for feature in layer.features:
            for source_id in feature_sources(feature.properties):
                cited_by.setdefault(source_id, []).append(feature.id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for source_id in bibliography.sources:
        row = bibliography.entry(source_id)
        row["cited_by"] = " ".join(cited_by.get(source_id, []))
        writer.writerow([row[column] for column in CSV_COLUMNS])
    return out.getvalue()


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def readable_date(value: str) -> str:
    """2021-09-28 as 28 Sep 2021, 2020-11 as Nov 2020, 2019 as 2019."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])
