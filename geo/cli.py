"""Command line: build the cited map from a folder of articles and a folder of layers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.assets import MissingAssetError
from geo.build import run_build, summary
from geo.problems import InputError

EXIT_OK, EXIT_INPUT = 0, 2
WARNINGS_SHOWN = 10


def parser() -> argparse.ArgumentParser:
    """The argument parser, with every option documented for --help."""
    p = argparse.ArgumentParser(
        prog="build_map.py",
        description=(
            "Build a cited map: tag the articles in SEEDS with the features drawn in LAYERS "
            "and write map.html (a layered Leaflet map whose popups quote the articles) and "
            "map.geojson (every feature with its citations) into OUT."
        ),
        epilog=(
            "Exit status: 0 built; 2 bad input (every problem is listed as path:line:column, "
            "and the previous map is left as it was); 1 internal error."
        ),
    )
    p.add_argument(
        "--seeds",
        type=Path,
        default=Path("seeds"),
        help="folder of article .txt files and metadata.yaml (default: seeds)",
    )
    p.add_argument(
        "--layers",
        type=Path,
        default=Path("layers"),
        help="folder of layer .yaml and .geojson files (default: layers)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        help="folder to write map.html and map.geojson into (default: build)",
    )
    p.add_argument(
        "--self-contained",
        action="store_true",
        help="inline every JS/CSS asset (from node_modules, see `npm ci`) and draw "
        "offline country borders, so map.html opens with no network",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="tag articles in N processes (default: 1)"
    )
    p.add_argument(
        "--node-modules",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the pinned JS/CSS assets are installed (default: ./node_modules)",
    )
    p.add_argument("--quiet", action="store_true", help="print only problems")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    if args.jobs < 1:
        parser().error("--jobs must be at least 1")
    try:
        result = run_build(
            args.seeds,
            args.layers,
            args.out,
            self_contained=args.self_contained,
            strict=args.strict,
            jobs=args.jobs,
            node_modules=args.node_modules,
        )
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" or args.strict for p in exc.problems)
        print(
            f"build failed: {errors} problem(s); the previous map was left as it was",
            file=sys.stderr,
        )
        return EXIT_INPUT
    except MissingAssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    for warning in result.warnings[:WARNINGS_SHOWN]:
        print(warning, file=sys.stderr)
    if len(result.warnings) > WARNINGS_SHOWN:
        print(f"... and {len(result.warnings) - WARNINGS_SHOWN} more warnings", file=sys.stderr)
    if not args.quiet:
        print(summary(result))
    return EXIT_OK
