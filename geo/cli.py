"""Command line: build the cited map from a folder of articles and a folder of layers."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from geo.assets import MissingAssetError
from geo.build import evaluate_corpus, run_build
from geo.evaluate import below, errors, table
from geo.problems import InputError, Problem
from geo.schema import SCHEMAS, schema_text
from geo.terminal import Style, failure_lines, report, summarize_warnings

EXIT_OK, EXIT_BELOW, EXIT_INPUT = 0, 1, 2


class ProgressLine:
    """A one-line progress counter on a terminal; silent when stderr is not a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.enabled = stream.isatty() and total >= 50

    def __call__(self, count: int) -> None:
        self.done += count
        if self.enabled:
            self.stream.write(f"\rtagging articles: {self.done}/{self.total}")
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()


def parser() -> argparse.ArgumentParser:
    """The argument parser, with every option documented for --help."""
    p = argparse.ArgumentParser(
        prog="build_map.py",
        description=(
            "Build a cited map: tag the articles in SEEDS with the features drawn in LAYERS "
            "and write map.html (a layered Leaflet map whose popups quote the articles) and "
            "map.geojson (every feature with its citations) into OUT. "
            "`caucasus-map schema NAME` prints the JSON Schema of an input file."
        ),
        epilog=(
            "Exit status: 0 built; 2 bad input (every problem is listed as path:line:column, "
            "and the previous map is left as it was); 1 internal error."
        ),
    )
    _folders(p)
    p.add_argument(
        "--self-contained",
        action="store_true",
        default=True,
        help="the default: offline country borders under the features (tiles only when the "
        "reader picks them), so map.html makes no network request at all",
    )
    p.add_argument(
        "--online",
        dest="self_contained",
        action="store_false",
        help="draw OpenStreetMap tiles under the features instead of the offline borders "
        "(the tiles need the network; the features and popups do not)",
    )
    p.add_argument(
        "--cdn",
        action="store_true",
        help="load Leaflet from its CDN instead of inlining it (a smaller page that needs "
        "the network)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="tag articles in N processes (default: 1)"
    )
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where to tag: local processes (--jobs), or a Dask cluster (--scheduler; "
        'needs pip install ".[dask]")',
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler to tag on with --engine dask, such as tcp://10.0.0.5:8786",
    )
    p.add_argument(
        "--map-folder",
        action="store_true",
        default=None,
        help="keep the excerpts in OUT/map_files/ beside map.html, loaded on demand "
        "(the default above 16 MB of compressed excerpts; open map.html from its folder)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="tag every article afresh, ignoring and not writing the citation cache "
        "(OUT/.cache/citations.sqlite)",
    )
    p.add_argument("--quiet", action="store_true", help="print only problems")
    return p


def _folders(p: argparse.ArgumentParser, *, out: bool = True) -> None:
    folders = [
        ("--seeds", "seeds", "folder of article .txt files and metadata.yaml"),
        ("--layers", "layers", "folder of layer .yaml and .geojson files, and map.yaml"),
    ]
    if out:
        folders.append(("--out", "build", "folder to write map.html and map.geojson into"))
    for option, default, what in folders:
        p.add_argument(
            option, type=Path, default=Path(default), help=f"{what} (default: {default})"
        )
    if not out:
        return
    p.add_argument(
        "--node-modules",
        type=Path,
        default=None,
        metavar="DIR",
        help="inline the pinned JS/CSS assets from this node_modules folder (default: "
        "the copy shipped in the package)",
    )


def schema_parser() -> argparse.ArgumentParser:
    """The parser of ``caucasus-map schema``."""
    p = argparse.ArgumentParser(
        prog="caucasus-map schema",
        description="Print the JSON Schema of an input file kind, generated from the models.",
    )
    p.add_argument("name", choices=sorted(SCHEMAS), help="which input file kind")
    return p


def evaluate_parser() -> argparse.ArgumentParser:
    """The parser of ``caucasus-map evaluate``."""
    p = argparse.ArgumentParser(
        prog="caucasus-map evaluate",
        description="Measure the gazetteer against labelled passages: precision and recall "
        "per feature and overall, with every miss and false hit.",
        epilog="Exit status: 0 every threshold held; 1 one did not; 2 bad input.",
    )
    p.add_argument("--gold", type=Path, required=True, help="the labels (YAML, see eval/)")
    _folders(p, out=False)
    for name, what in (("precision", "precision"), ("recall", "recall")):
        p.add_argument(f"--min-{name}", type=float, default=0.0, help=f"overall {what} needed")
        p.add_argument(
            f"--min-feature-{name}", type=float, default=0.0, help=f"{what} needed per feature"
        )
    p.add_argument("--quiet", action="store_true", help="print the table, not each error")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["schema"]:
        sys.stdout.write(schema_text(schema_parser().parse_args(args[1:]).name))
        return EXIT_OK
    if args[:1] == ["evaluate"]:
        return evaluate_command(evaluate_parser().parse_args(args[1:]))
    return build_command(args)


def evaluate_command(args: argparse.Namespace) -> int:
    """Tag the articles, score them against the gold labels, print the report."""
    try:
        scores, articles = evaluate_corpus(args.gold, args.seeds, args.layers)
    except InputError as exc:
        report_failure(exc.problems, strict=False, ending="nothing was evaluated")
        return EXIT_INPUT
    if not args.quiet:
        for line in errors(scores, articles):
            print(line)
        print()
    print("\n".join(table(scores)))
    short = below(
        scores,
        min_precision=args.min_precision,
        min_recall=args.min_recall,
        min_feature_precision=args.min_feature_precision,
        min_feature_recall=args.min_feature_recall,
    )
    for line in short:
        print(f"below threshold: {line}", file=sys.stderr)
    return EXIT_BELOW if short else EXIT_OK


def build_command(argv: Sequence[str]) -> int:
    """Build the map; return the exit status."""
    args = parser().parse_args(argv)
    if args.jobs < 1:
        parser().error("--jobs must be at least 1")
    if (args.engine == "dask") != (args.scheduler is not None):
        parser().error("--engine dask and --scheduler ADDRESS go together")
    total = len(list(args.seeds.glob("*.txt"))) if args.seeds.is_dir() else 0
    progress = ProgressLine(total, sys.stderr) if not args.quiet else None
    started = time.perf_counter()
    try:
        result = run_build(
            args.seeds,
            args.layers,
            args.out,
            self_contained=args.self_contained,
            strict=args.strict,
            jobs=args.jobs,
            node_modules=args.node_modules,
            cdn=args.cdn,
            progress=progress,
            use_cache=not args.no_cache,
            scheduler=args.scheduler,
            map_folder=args.map_folder,
        )
    except InputError as exc:
        report_failure(exc.problems, strict=args.strict)
        return EXIT_INPUT
    except MissingAssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    elapsed = time.perf_counter() - started
    for line in summarize_warnings(result.warnings, Style.of(sys.stderr)):
        print(line, file=sys.stderr)
    if not args.quiet:
        print("\n".join(report(result, elapsed, Style.of(sys.stdout))))
    return EXIT_OK


def report_failure(
    problems: Sequence[Problem],
    *,
    strict: bool,
    ending: str = "the previous map was left as it was",
) -> None:
    """Every error (and, under --strict, every warning), then what was kept."""
    for line in failure_lines(problems, strict=strict, ending=ending, style=Style.of(sys.stderr)):
        print(line, file=sys.stderr)
