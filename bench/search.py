"""Time the map's search a keystroke at a time, in headless Chromium, offline.

    python -m bench.search --map bench-out/out/map.html [--target-ms 100]

Each query is typed one character at a time; a keystroke's time runs from the
input event to the frame after its results are drawn (the search box's
``data-ready`` names the query it shows). The first keystroke of a word may load
an index shard from map_files/; the figures say cold (the first time through)
and warm (the same queries again). Exit status 1 when the median or the 90th
percentile of either misses the target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.chromium import Watch, headless, open_offline

QUERIES = {
    "names": ["Novorossiysk", "Zangazur", "North-South", "Teheran"],
    "text": ["pipeline", "Astara railway", "Putin visit Baku", "Novorossiysk port"],
}

TYPE_AND_TIME = """
async ([mode, queries]) => {
  const box = document.querySelector('.cr-search');
  const input = box.querySelector('.cr-search-input');
  const button = box.querySelector('.cr-mode[data-mode=' + mode + ']');
  if (button.getAttribute('aria-pressed') !== 'true') button.click();
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const times = [];
  for (const query of queries) {
    for (let i = 1; i <= query.length; i++) {
      const typed = query.slice(0, i);
      const t0 = performance.now();
      input.value = typed;
      input.dispatchEvent(new Event('input', {bubbles: true}));
      while (box.getAttribute('data-ready') !== typed) await frame();
      await frame();
      times.push(performance.now() - t0);
    }
  }
  return times;
}
"""


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which share of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    """Type every query twice and print median, 90th percentile and worst per keystroke."""
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--map", type=Path, required=True, help="the map.html to open")
    parser.add_argument("--target-ms", type=float, default=100.0)
    args = parser.parse_args(argv)
    if not args.map.is_file():
        print(f"{args.map}: no such map (build one with build_map.py)", file=sys.stderr)
        return 2
    held = True
    with headless() as browser:
        watch = Watch()
        page = open_offline(browser, args.map, watch, viewport=(1366, 768))
        page.wait_for_selector("[data-reader=ready]")
        print(f"per keystroke, target <= {args.target_ms:.0f} ms (median and p90)")
        for mode, queries in QUERIES.items():
            for run in ("cold", "warm"):
                times = page.evaluate(TYPE_AND_TIME, [mode, queries])
                median, p90 = statistics.median(times), percentile(times, 0.9)
                ok = median <= args.target_ms and p90 <= args.target_ms
                held = held and ok
                print(
                    f"  {mode:5} {run}: {len(times)} keystrokes, median {median:.1f} ms, "
                    f"p90 {p90:.1f} ms, worst {max(times):.1f} ms  {'held' if ok else 'MISSED'}"
                )
        page.context.close()
        for problem in watch.problems():
            print(f"  {problem}")
            held = False
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
