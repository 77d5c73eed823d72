"""``python -m bench.extreme``: tagging time on hostile shapes of text, against targets.

Each case is one article whose single paragraph is built to make a careless
implementation quadratic or worse: tens of thousands of mentions in one sentence
(highlights merged one by one, places compared with every route), and a
megabyte of short quoted sentences (quotes counted from the paragraph's start at
every cut). Each is timed at two sizes, so that the ratio shows how the cost
grows: linear when a size four times larger costs about four times as much.

Exit status: 0 when every case met its target, 1 when one did not.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.build import load_gazetteer
from geo.gazetteer import Gazetteer
from geo.mentions import cite_article
from geo.problems import Problems

ROOT = Path(__file__).resolve().parents[1]
NAMES = (
    "TAP",
    "TANAP",
    "Baku",
    "the Rasht-Astara railway",
    "Nakhchivan",
    "the Zangezur corridor",
    "Shah Deniz",
    "Astara",
)


def many_mentions(mentions: int) -> str:
    """One sentence naming features `mentions` times."""
    pick = random.Random(1).choice
    return " ".join(f"{pick(NAMES)} and {pick(NAMES)} rose" for _ in range(mentions // 2)) + "."


def quoted_sentences(sentences: int) -> str:
    """One paragraph of short quoted sentences, each naming a feature."""
    return " ".join(f'"TAP is {i}." He said.' for i in range(sentences))


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[int], str]
    small: int
    large: int
    # Seconds the large size may take on this machine, and how much faster than the
    # size ratio the cost may grow (1.0 is linear).
    target_s: float
    growth: float = 1.5


CASES = (
    Case("32,000 mentions in one sentence", many_mentions, 8_000, 32_000, 10.0),
    Case("1.2 MB of short quoted sentences", quoted_sentences, 12_500, 50_000, 15.0),
)


def seconds(text: str, gazetteer: Gazetteer) -> float:
    start = time.perf_counter()
    cite_article("extreme.txt", text, gazetteer)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extreme", description=__doc__)
    parser.parse_args(argv)
    _, gazetteer = load_gazetteer(ROOT / "layers", Problems())
    held = True
    print("| case | size | bytes | seconds | growth vs size | target | held |")
    print("|---|---|---|---|---|---|---|")
    for case in CASES:
        small_text, large_text = case.make(case.small), case.make(case.large)
        small, large = seconds(small_text, gazetteer), seconds(large_text, gazetteer)
        ratio = (large / small) / (case.large / case.small) if small > 0 else 0.0
        ok = large <= case.target_s and ratio <= case.growth
        held &= ok
        print(
            f"| {case.name} | {case.small:,} → {case.large:,} | {len(large_text):,} | "
            f"{small:.2f} → {large:.2f} | {ratio:.2f}× linear | ≤ {case.target_s:g} s, "
            f"≤ {case.growth:g}× | {'yes' if ok else 'NO'} |"
        )
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
