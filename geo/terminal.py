"""What the command line prints: the build's report, problems and warnings, in words a
reader parses at a glance (counts with their plurals, the time taken, the file to open),
coloured only where a person reads a terminal."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from geo.build import BuildResult
from geo.problems import Problem

WARNINGS_SHOWN = 5
GAPS_SHOWN = 10
# Select Graphic Rendition codes: bold red, yellow, bold.
_RED, _YELLOW, _BOLD, _RESET = "\033[1;31m", "\033[33m", "\033[1m", "\033[0m"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 citation``, ``2 citations``; plural_form for words that do not take an s."""
    word = singular if count == 1 else plural_form or singular + "s"
    return f"{count:,} {word}"


def wants_colour(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour only for a person at a terminal: not into files or pipes, not under
    NO_COLOR (any non-empty value, as no-color.org asks), not on a dumb terminal."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class Style:
    """Paints words for a terminal, or leaves them plain."""

    colour: bool = False

    @classmethod
    def of(cls, stream: TextIO) -> Style:
        """The style fit for stream."""
        return cls(wants_colour(stream))

    def paint(self, text: str, code: str) -> str:
        """text in the colour code, when colour is on."""
        return f"{code}{text}{_RESET}" if self.colour else text

    def problem(self, problem: Problem) -> str:
        """A problem as ``path:line:column: severity: message``, its severity coloured."""
        text = str(problem)
        marker = f": {problem.severity}: "
        head, found, message = text.partition(marker)
        if not found or not self.colour:
            return text
        code = _RED if problem.severity == "error" else _YELLOW
        return f"{head}: {self.paint(problem.severity, code)}: {message}"


def summarize_warnings(warnings: Sequence[Problem], style: Style = Style()) -> list[str]:
    """The first few warnings, then counts of all of them by kind (their stable code)."""
    lines = [style.problem(w) for w in warnings[:WARNINGS_SHOWN]]
    if len(warnings) > WARNINGS_SHOWN:
        kinds = Counter(w.code for w in warnings)
        lines.append(f"{plural(len(warnings), 'warning')} in all:")
        lines += [f"  {count} × {kind}" for kind, count in kinds.most_common()]
    return lines


def failure_lines(
    problems: Sequence[Problem],
    *,
    strict: bool,
    ending: str = "the previous map was left as it was",
    style: Style = Style(),
) -> list[str]:
    """Every error (and, under --strict, every warning), then what was kept."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    lines = [style.problem(p) for p in (errors if not strict else [*errors, *warnings])]
    if not strict:
        lines += summarize_warnings(warnings, style)
    failing = len(problems) if strict else len(errors)
    verdict = style.paint("build failed", _RED)
    return [*lines, f"{verdict}: {plural(failing, 'problem')}; {ending}"]


def report(result: BuildResult, seconds: float, style: Style = Style()) -> list[str]:
    """The build's report: what was read and cited, what cites nothing, what was
    written, how long it took, and the file to open."""
    return [
        *_counts(result),
        *_gaps(result),
        *_written(result.outputs),
        _verdict(result, seconds),
        f"open {style.paint(_address(result.outputs), _BOLD)}",
    ]


def _counts(result: BuildResult) -> list[str]:
    per_feature = result.citation_counts
    features = sum(len(layer.features) for layer in result.layers)
    lines = [
        f"{plural(len(result.articles), 'article')}, "
        f"{plural(sum(per_feature.values()), 'citation')}, "
        f"{plural(features, 'feature')} in {plural(len(result.layers), 'layer')}"
    ]
    if result.tagging is not None:
        lines.append(result.tagging.summary())
    for layer in result.layers:
        lines.append(f"  {layer.title}: {plural(len(layer.features), 'feature')}")
        lines += [
            f"    {f.id}: {plural(per_feature.get(f.id, 0), 'citation')}" for f in layer.features
        ]
    uncited = [f.id for layer in result.layers for f in layer.features if not per_feature.get(f.id)]
    lines.append(f"features with no citation: {', '.join(uncited) if uncited else 'none'}")
    silent = result.silent_articles
    lines.append(f"articles that cite nothing: {', '.join(silent) if silent else 'none'}")
    return lines


def _gaps(result: BuildResult) -> list[str]:
    gaps = result.gaps
    phrases = plural(len(gaps), "phrase")
    verb = "looks" if len(gaps) == 1 else "look"
    head = (
        f"gazetteer gaps: {phrases} {verb} like a route or a visit but cite nothing "
        "(all in candidates.csv)" + ("; the most frequent:" if gaps else "")
    )
    shown = gaps[:GAPS_SHOWN]
    return [head, *(f"  {count} × {kind}: {phrase}" for kind, phrase, count, _ in shown)]


def _written(outputs: Sequence[Path]) -> list[str]:
    return [f"wrote {path}" for path in outputs]


def _verdict(result: BuildResult, seconds: float) -> str:
    warnings = len(result.warnings)
    said = f"{plural(warnings, 'warning')} (above)" if warnings else "no warnings"
    return f"built in {seconds:.1f} s, {said}"


def _address(outputs: Sequence[Path]) -> str:
    """The page as a file:// address, which a terminal lets a reader click."""
    page = next((p for p in outputs if p.name == "map.html"), None)
    return page.resolve().as_uri() if page is not None else "(no map.html was written)"
