"""Fuzzing the inputs: every mutated build ends in a map or a precise error, never worse.

Hypothesis mutates one input file at a time (a layer's YAML or GeoJSON, the
metadata, an article): lines dropped, doubled, swapped or cut short, hostile
values written over a word (NaN, huge numbers, anchors and aliases, brackets,
lone surrogate escapes, invisible characters). Each build must exit 0, or exit 2
with its first line naming a file (and a line where there is one), with no
traceback, within a time bound, and with the previous map untouched on exit 2.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli import main
from tests.project import LAYERS, SEEDS

# Values a careless or hostile editor writes over a word.
HOSTILE = [
    ".nan",
    ".inf",
    "NaN",
    "1e400",
    "1180591620717411303424",
    "&a",
    "*a",
    "[",
    "{",
    "]]]]",
    "\\ud800",
    '"\\ud800"',
    "\u00ad",
    "\u200b",
    "-1",
    "''",
    "null",
    "~",
    "<script>alert(1)</script>",
    "\t",
    ": :",
    "- -",
    "!!python/object:os.system",
]
# A build that runs longer than this is taken for a hang (a seeds build takes seconds).
HANG_S = 120
FIRST_LINE = re.compile(r"^\S+?(?::\d+(?::\d+)?)?: error: ")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A good build's inputs and outputs, copied afresh for every example."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(LAYERS, root / "layers")
    out = root / "out"
    assert (
        main(
            [
                "--seeds",
                str(root / "seeds"),
                "--layers",
                str(root / "layers"),
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    return root, out


def _files(root: Path) -> list[Path]:
    return sorted(
        [
            *(root / "layers").glob("*.yaml"),
            *(root / "layers").glob("*.geojson"),
            *(root / "seeds").glob("*.txt"),
            root / "seeds" / "metadata.yaml",
        ]
    )


def _mutate(text: str, op: str, at: float, other: float, value: str) -> str:
    lines = text.split("\n")
    k, j = int(at * len(lines)) % len(lines), int(other * len(lines)) % len(lines)
    if op == "drop":
        del lines[k]
    elif op == "double":
        lines.insert(k, lines[k])
    elif op == "swap":
        lines[k], lines[j] = lines[j], lines[k]
    elif op == "cut":
        return text[: int(at * len(text))]
    else:
        words = list(re.finditer(r"[^\s\"',:\[\]{}]+", lines[k]))
        if words:
            w = words[int(other * len(words)) % len(words)]
            lines[k] = lines[k][: w.start()] + value + lines[k][w.end() :]
        else:
            lines[k] += value
    return "\n".join(lines)


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".build.lock"
    }


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pick=st.integers(min_value=0, max_value=10_000),
    op=st.sampled_from(["drop", "double", "swap", "cut", "write"]),
    at=st.floats(min_value=0, max_value=1, allow_nan=False),
    other=st.floats(min_value=0, max_value=1, allow_nan=False),
    value=st.sampled_from(HOSTILE),
)
def test_a_mutated_input_builds_or_fails_precisely(
    baseline: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    pick: int,
    op: str,
    at: float,
    other: float,
    value: str,
) -> None:
    source, good = baseline
    root = tmp_path_factory.mktemp("case")
    shutil.copytree(source / "seeds", root / "seeds")
    shutil.copytree(source / "layers", root / "layers")
    # The cache comes along, so that only what the mutation touched is tagged again.
    shutil.copytree(good, root / "out")
    files = _files(root)
    target = files[pick % len(files)]
    target.write_text(
        _mutate(target.read_text(encoding="utf-8"), op, at, other, value), encoding="utf-8"
    )
    before = _outputs(root / "out")
    capsys.readouterr()
    started = time.monotonic()
    code = main(
        [
            "--seeds",
            str(root / "seeds"),
            "--layers",
            str(root / "layers"),
            "--out",
            str(root / "out"),
        ]
    )
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    if os.environ.get("FUZZ_LOG"):
        with open(os.environ["FUZZ_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{code} {elapsed:.2f} {target.name} {op} {value!r}\n")
    assert elapsed < HANG_S, f"{target.name} {op}: {elapsed:.0f} s"
    assert "Traceback" not in err, err[-3000:]
    assert code in (0, 2), err[-3000:]
    if code == 2:
        assert FIRST_LINE.match(err.splitlines()[0]), err[:2000]
        assert _outputs(root / "out") == before, f"{target.name} {op}: the previous map changed"
    shutil.rmtree(root)
