"""The command line, run in-process as mercantile tests its CLI: exit codes and exact output."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from geo.cli import main
from tests.project import LAYERS, SEEDS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def copied_seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    return seeds


def build_from(
    capsys: pytest.CaptureFixture[str], seeds: Path, out: Path, *extra: str
) -> tuple[int, str, str]:
    return run(capsys, "--seeds", str(seeds), "--layers", str(LAYERS), "--out", str(out), *extra)


def test_help_documents_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    options = ("--seeds", "--layers", "--out", "--self-contained", "--strict", "--jobs")
    for option in (*options, "--engine", "--scheduler", "--no-cache"):
        assert option in out


def test_build_prints_summary_and_writes_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--seeds", str(SEEDS), "--layers", str(LAYERS), "--out", str(tmp_path)
    )
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("5 articles, ")
    assert "  Pipelines: 4 features" in lines
    assert "features with no citation: sangachal-terminal, astara" in lines
    assert "articles that cite nothing: none" in lines
    assert lines[-8:-2] == [
        f"wrote {tmp_path / 'map.html'}",
        f"wrote {tmp_path / 'map.geojson'}",
        f"wrote {tmp_path / 'candidates.csv'}",
        f"wrote {tmp_path / 'sources.csv'}",
        f"wrote {tmp_path / 'map.gpkg'}",
        f"wrote {tmp_path / 'citations.csv'}",
    ]
    assert re.fullmatch(r"built in \d+\.\d s, no warnings", lines[-2])
    # The last line is the page to open, as an address a terminal lets one click.
    assert lines[-1] == f"open {(tmp_path / 'map.html').resolve().as_uri()}"
    assert "\033[" not in out  # no colour into a pipe
    assert any(line.startswith("gazetteer gaps: ") for line in lines)
    assert (tmp_path / "map.html").stat().st_size > 10_000


def test_article_without_metadata_builds_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = copied_seeds(tmp_path)
    (seeds / "extra.txt").write_bytes(
        "\ufeffThe TAP pipeline reached Italy.\r\nIt carries Azerbaijani gas.\r\n".encode()
    )
    code, out, err = build_from(capsys, seeds, tmp_path / "out", "--quiet")
    assert code == 0
    assert err.splitlines() == [
        f"{seeds / 'extra.txt'}: warning: no metadata: add an entry 'extra.txt:' to "
        f"{seeds / 'metadata.yaml'}; the file name stands in for the title"
    ]
    assert out == ""
    geojson = json.loads((tmp_path / "out" / "map.geojson").read_text(encoding="utf-8"))
    [tap] = [f for f in geojson["features"] if f["id"] == "tap"]
    extra, it = [c for c in tap["properties"]["citations"] if c["article"] == "extra.txt"]
    assert (extra["title"], extra["excerpt"]) == ("extra", "The TAP pipeline reached Italy.")
    assert (extra["start"], extra["end"]) == (0, 31)
    # "It" opening the next sentence refers back to the pipeline; offsets index the
    # text with its BOM removed and CRLF made LF.
    assert (it["excerpt"], it["start"], it["end"]) == ("It carries Azerbaijani gas.", 32, 59)
    assert (it["found_by"], it["refers_to"]) == ("reference", "TAP")


def test_strict_turns_warnings_into_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = copied_seeds(tmp_path)
    (seeds / "extra.txt").write_text("Nothing here.", encoding="utf-8")
    code, _, err = build_from(capsys, seeds, tmp_path / "out", "--strict")
    assert code == 2
    assert "extra.txt: warning: no metadata" in err
    assert not (tmp_path / "out").exists()


def test_warnings_at_scale_are_summarised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = copied_seeds(tmp_path)
    for i in range(40):
        (seeds / f"extra_{i:02}.txt").write_text("The TAP pipeline.", encoding="utf-8")
    code, _, err = build_from(capsys, seeds, tmp_path / "out", "--quiet")
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 5 + 2
    assert lines[5] == "40 warnings in all:"
    assert lines[6] == "  40 × article-no-metadata"


def test_the_package_installs_a_console_command() -> None:
    from importlib.metadata import entry_points

    [command] = [e for e in entry_points(group="console_scripts") if e.name == "caucasus-map"]
    assert command.load() is main


def test_counts_of_one_are_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "one.txt").write_text("The TAP pipeline reached Italy.", encoding="utf-8")
    (seeds / "metadata.yaml").write_text(
        'one.txt: {title: One, outlet: Test Wire, date: "2024-05-01"}\n', encoding="utf-8"
    )
    code, out, err = build_from(capsys, seeds, tmp_path / "out")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("1 article, 1 citation, ")
    assert "    tap: 1 citation" in lines
    assert "    tanap: 0 citations" in lines
    assert "  Zangezur area: 1 feature" in lines
    assert not any("1 citations" in line or "1 articles" in line for line in lines)


def test_warnings_are_counted_in_the_closing_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = copied_seeds(tmp_path)
    (seeds / "extra.txt").write_text("The TAP pipeline.", encoding="utf-8")
    code, out, err = build_from(capsys, seeds, tmp_path / "out")
    assert code == 0
    assert "warning: no metadata" in err
    assert re.fullmatch(r"built in \d+\.\d s, 1 warning \(above\)", out.splitlines()[-2])


@pytest.mark.parametrize("empty", [False, True], ids=["missing", "empty"])
def test_a_missing_or_empty_seeds_folder_is_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], empty: bool
) -> None:
    seeds = tmp_path / "articles"
    if empty:
        seeds.mkdir()
    code, out, err = build_from(capsys, seeds, tmp_path / "out")
    assert code == 2
    assert out == ""
    message = "no articles: the folder has no .txt file" if empty else "seeds folder not found"
    assert err.splitlines()[0].startswith(f"{seeds}: error: {message}")
    assert err.splitlines()[1:] == ["build failed: 1 problem; the previous map was left as it was"]


def test_a_missing_layers_folder_is_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layers = tmp_path / "no-layers"
    code, _, err = run(
        capsys, "--seeds", str(SEEDS), "--layers", str(layers), "--out", str(tmp_path)
    )
    assert code == 2
    assert err.splitlines() == [
        f"{layers}: error: layers folder not found (pass --layers DIR)",
        "build failed: 1 problem; the previous map was left as it was",
    ]
