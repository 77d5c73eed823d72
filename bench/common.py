"""What the corpus and the stages share: the project's folders, printing, timing, units."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from geo.articles import Article
from geo.build import load_gazetteer as load_layers_and_gazetteer
from geo.gazetteer import Gazetteer
from geo.problems import Problems

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT / "seeds"
LAYERS = PROJECT / "layers"


def say(text: str = "") -> None:
    """Print at once: the run is long and often piped to a file."""
    print(text, flush=True)


def best_of(runs: int, action: Callable[[], object]) -> float:
    """Smallest wall time of `runs` calls of action, in seconds.

    Noise on a shared machine only ever adds time, so the minimum is the honest figure.
    """
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def mb(n_bytes: float) -> float:
    """Megabytes (1e6 bytes)."""
    return n_bytes / 1e6


def text_mb(articles: Sequence[Article]) -> float:
    """MB of article text, as UTF-8."""
    return mb(sum(len(a.text.encode("utf-8")) for a in articles))


def load_gazetteer(layers: Path) -> Gazetteer:
    """The project's gazetteer, built from the layer YAML files as the build does."""
    problems = Problems()
    _, gazetteer = load_layers_and_gazetteer(layers, problems)
    if problems.errors:
        raise SystemExit("layers do not load:\n" + "\n".join(map(str, problems.errors)))
    return gazetteer
