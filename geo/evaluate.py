"""Measure the tagger against labels: precision and recall per feature, every miss and false hit.

A gold file labels passages of articles, feature by feature, as ``required``
(a reader wants it cited), ``acceptable`` (citing it is fine) or ``must-not``.
A passage is named by a verbatim quote from inside it. A citation of a feature
is correct when its excerpt overlaps a required or acceptable passage of that
feature; any other citation is a false hit. A required passage is found when a
citation of its feature overlaps it. Every (passage, feature) pair not labelled
required or acceptable counts as must-not, so explicit must-not labels only
document the traps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from geo.articles import Article
from geo.mentions import Citation
from geo.passages import excerpt_span
from geo.problems import Problems
from geo.sources import load_yaml
from geo.types import Strict, Text
from geo.validation import validate

Label = Literal["required", "acceptable", "must-not"]


class GoldEntry(Strict):
    """One labelled passage of one article for one feature."""

    feature: Text
    quote: Text = Field(description="verbatim text from inside the passage, unique in the article")
    label: Label
    # Which class of text the passage exercises, for the reader of the file.
    class_: int | list[int] | None = Field(None, alias="class")
    note: str | None = None


class GoldFile(Strict):
    """Labels by article file name."""

    articles: dict[str, list[GoldEntry] | None]


@dataclass(frozen=True)
class Passage:
    """A labelled passage located in its article."""

    article_id: str
    feature_id: str
    start: int
    end: int
    label: Label


@dataclass
class FeatureScore:
    """How one feature fares."""

    feature_id: str
    required: list[Passage] = field(default_factory=list)
    found: list[Passage] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    correct: list[Citation] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        """Share of required passages found (None when none is required)."""
        return len(self.found) / len(self.required) if self.required else None

    @property
    def precision(self) -> float | None:
        """Share of citations that are correct (None when nothing is cited)."""
        return len(self.correct) / len(self.citations) if self.citations else None


def load_gold(path: Path, articles: Sequence[Article], problems: Problems) -> list[Passage]:
    """The labelled passages of path, located in the articles; problems for what is not found."""
    doc = load_yaml(path, problems)
    gold = validate(GoldFile, doc, (), problems, scope="gold") if doc is not None else None
    if doc is None or gold is None:
        return []
    by_id = {a.id: a for a in articles}
    passages = []
    for name, entries in gold.articles.items():
        article = by_id.get(name)
        if article is None:
            problems.error(
                path,
                f"no article '{name}' in the seeds folder",
                doc.at("articles", name, "<key>"),
                code="gold-unknown-article",
            )
            continue
        for index, entry in enumerate(entries or []):
            found = article.text.find(entry.quote)
            if found == -1:
                problems.error(
                    path,
                    f"quote {entry.quote[:60]!r} is not verbatim in {name}",
                    doc.at("articles", name, index, "quote"),
                    code="gold-quote-not-found",
                )
                continue
            end = found + len(entry.quote)
            passages.append(Passage(name, entry.feature, found, end, entry.label))
    return passages


def score(passages: Sequence[Passage], citations: Sequence[Citation]) -> dict[str, FeatureScore]:
    """Scores per feature over the labelled articles only."""
    labelled = {p.article_id for p in passages}
    good: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in passages:
        if p.label != "must-not":
            good[p.article_id, p.feature_id].append(p)
    scores: dict[str, FeatureScore] = {}

    def of(feature_id: str) -> FeatureScore:
        return scores.setdefault(feature_id, FeatureScore(feature_id))

    cited: dict[tuple[str, str], list[Citation]] = defaultdict(list)
    for c in citations:
        if c.article_id not in labelled:
            continue
        cited[c.article_id, c.feature_id].append(c)
        of(c.feature_id).citations.append(c)
        if any(_overlaps(c, p) for p in good[c.article_id, c.feature_id]):
            of(c.feature_id).correct.append(c)
    for p in passages:
        if p.label == "required":
            of(p.feature_id).required.append(p)
            if any(_overlaps(c, p) for c in cited[p.article_id, p.feature_id]):
                of(p.feature_id).found.append(p)
    return dict(sorted(scores.items()))


def _overlaps(citation: Citation, passage: Passage) -> bool:
    return citation.start < passage.end and passage.start < citation.end


def overall(scores: dict[str, FeatureScore]) -> tuple[float | None, float | None]:
    """Micro-averaged precision and recall over every feature."""
    cited = sum(len(s.citations) for s in scores.values())
    required = sum(len(s.required) for s in scores.values())
    precision = sum(len(s.correct) for s in scores.values()) / cited if cited else None
    recall = sum(len(s.found) for s in scores.values()) / required if required else None
    return precision, recall


def table(scores: dict[str, FeatureScore]) -> list[str]:
    """The per-feature table, then the overall figures, as Markdown."""
    lines = [
        "| feature | required | found | recall | cited | correct | precision |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scores.values():
        lines.append(
            f"| {s.feature_id} | {len(s.required)} | {len(s.found)} | {_ratio(s.recall)} | "
            f"{len(s.citations)} | {len(s.correct)} | {_ratio(s.precision)} |"
        )
    precision, recall = overall(scores)
    required = sum(len(s.required) for s in scores.values())
    found = sum(len(s.found) for s in scores.values())
    cited = sum(len(s.citations) for s in scores.values())
    correct = sum(len(s.correct) for s in scores.values())
    lines.append(
        f"| **overall** | {required} | {found} | {_ratio(recall)} | {cited} | {correct} | "
        f"{_ratio(precision)} |"
    )
    return lines


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def errors(scores: dict[str, FeatureScore], articles: Sequence[Article]) -> list[str]:
    """Every miss and every false hit: file, offsets, the passage."""
    by_id = {a.id: a for a in articles}
    lines = []
    for s in scores.values():
        for p in s.required:
            if p not in s.found:
                text = _sentence(by_id[p.article_id].text, p.start, p.end)
                lines.append(f"miss  {s.feature_id}: {p.article_id}:{p.start}-{p.end}: {text}")
        for c in s.citations:
            if c not in s.correct:
                text = by_id[c.article_id].text[c.start : c.end]
                lines.append(f"false {s.feature_id}: {c.article_id}:{c.start}-{c.end}: {text}")
    return lines


def _sentence(text: str, start: int, end: int) -> str:
    a, b = excerpt_span(text, start, end)
    return text[a:b]


def below(
    scores: dict[str, FeatureScore],
    *,
    min_precision: float,
    min_recall: float,
    min_feature_precision: float,
    min_feature_recall: float,
) -> list[str]:
    """What falls short of the thresholds, in words; empty when everything holds."""
    short = []
    precision, recall = overall(scores)
    if precision is not None and precision < min_precision:
        short.append(f"overall precision {precision:.2f} < {min_precision:.2f}")
    if recall is not None and recall < min_recall:
        short.append(f"overall recall {recall:.2f} < {min_recall:.2f}")
    for s in scores.values():
        if s.precision is not None and s.precision < min_feature_precision:
            short.append(f"{s.feature_id}: precision {s.precision:.2f} < {min_feature_precision}")
        if s.recall is not None and s.recall < min_feature_recall:
            short.append(f"{s.feature_id}: recall {s.recall:.2f} < {min_feature_recall}")
    return short
