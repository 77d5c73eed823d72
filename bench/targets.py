"""Targets as data: read bench/targets.yaml and say whether a figure holds its target.

A target is written as the README shows it, ``figure_key: "<= 1.5 GB"``: a comparison
(<, <=, >, >=), a number and a unit. Units are converted to the figure's own (seconds,
MB of 1e6 bytes, or a plain ratio), so a target may say 300 ms of a figure kept in s.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

Kind = Literal["time", "size", "ratio"]
Verdict = Literal["yes", "no", "skipped", ""]
UNITS: dict[str, tuple[Kind, float]] = {
    "ms": ("time", 1e-3),
    "s": ("time", 1.0),
    "MB": ("size", 1.0),
    "GB": ("size", 1e3),
    "x": ("ratio", 1.0),
    "×": ("ratio", 1.0),
}
OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SHOWN_OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
TARGET = re.compile(r"(<=|>=|<|>|≤|≥)\s*(\d+(?:\.\d+)?)\s*(ms|s|MB|GB|x|×)")


class TargetsError(ValueError):
    """The targets file cannot be used as it is; the message says where and why."""


@dataclass(frozen=True)
class Target:
    """One figure's target, with its limit in the figure's own unit."""

    figure: str
    op: str
    limit: float
    text: str

    def holds(self, value: float) -> bool:
        """Whether a measured value (in the figure's unit) meets the target."""
        return OPS[self.op](value, self.limit)


def parse_target(figure: str, text: str, kind: Kind) -> Target:
    """The target `text` ("<= 15 s") of a figure measured as `kind`."""
    found = TARGET.fullmatch(text.strip())
    if found is None:
        raise TargetsError(
            f"{figure}: {text!r} is not a target like '<= 15 s' "
            f"(comparisons < <= > >=; units {', '.join(UNITS)})"
        )
    op = {"≤": "<=", "≥": ">="}.get(found[1], found[1])
    unit_kind, scale = UNITS[found[3]]
    if unit_kind != kind:
        raise TargetsError(f"{figure}: unit {found[3]!r} measures a {unit_kind}, not a {kind}")
    unit = "×" if unit_kind == "ratio" else f" {found[3]}"
    return Target(figure, op, float(found[2]) * scale, f"{SHOWN_OPS[op]} {found[2]}{unit}")


# The key of the targets of larger corpora: {articles: {figure: target}}.
BY_SIZE = "at_articles"


def parse_targets(
    doc: object, kinds: Mapping[str, Kind], articles: int | None = None
) -> dict[str, Target]:
    """Targets from a parsed YAML mapping of figure key to target text (None: no targets).

    Under ``at_articles``, a corpus size maps to targets of its own: a run of at least
    that many articles takes them in place of those above (smaller sizes first; a
    target of null drops the figure's target).
    """
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise TargetsError("expected a mapping of figure key to target, like build_wall: '<= 15 s'")
    scoped = doc.get(BY_SIZE) or {}
    if not isinstance(scoped, dict) or not all(
        isinstance(n, int) and isinstance(t, dict) for n, t in scoped.items()
    ):
        raise TargetsError(f"{BY_SIZE}: expected a mapping of a number of articles to targets")
    targets = _targets({k: v for k, v in doc.items() if k != BY_SIZE}, kinds)
    for size in sorted(scoped):
        if articles is not None and articles >= size:
            for figure in scoped[size]:
                targets.pop(figure, None)
            targets.update(_targets(scoped[size], kinds, f"{BY_SIZE} {size}: "))
        else:
            _targets(scoped[size], kinds, f"{BY_SIZE} {size}: ")
    return targets


def _targets(
    doc: dict[object, object], kinds: Mapping[str, Kind], where: str = ""
) -> dict[str, Target]:
    targets: dict[str, Target] = {}
    for figure, text in doc.items():
        if figure not in kinds:
            raise TargetsError(f"{where}{figure}: no such figure (known: {', '.join(kinds)})")
        if text is None and where:
            continue
        if not isinstance(text, str):
            raise TargetsError(f"{where}{figure}: the target must be text, like '<= 15 s'")
        targets[str(figure)] = parse_target(str(figure), text, kinds[str(figure)])
    return targets


def load_targets(
    path: Path, kinds: Mapping[str, Kind], articles: int | None = None
) -> dict[str, Target]:
    """The targets in the YAML file at path (for a corpus of that many articles);
    TargetsError names the file and the problem."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return parse_targets(doc, kinds, articles)
    except (OSError, yaml.YAMLError, TargetsError) as problem:
        raise TargetsError(f"{path}: {problem}") from problem


def verdict(value: float | None, target: Target | None) -> Verdict:
    """yes / no when measured against a target, skipped when not measured, "" without one."""
    if target is None:
        return ""
    if value is None:
        return "skipped"
    return "yes" if target.holds(value) else "no"
