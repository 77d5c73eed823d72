"""Bad input: every problem named with file, line and column; exit 2; the previous map kept."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.cli import main
from tests.project import LAYERS, SEEDS

Mutation = Callable[[Path, Path], None]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def edit_feature(layers: Path, file: str, feature_id: str, change: Callable[[dict], None]) -> None:
    path = layers / file
    data = json.loads(path.read_text(encoding="utf-8"))
    [feature] = [f for f in data["features"] if f.get("id") == feature_id]
    change(feature)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def set_geometry(layers: Path, file: str, feature_id: str, geometry: dict) -> None:
    edit_feature(layers, file, feature_id, lambda f: f.__setitem__("geometry", geometry))


# (name, mutation, expected "path:line:col: severity: message" as a regex, exit status)
CASES: list[tuple[str, Mutation, str]] = [
    (
        "malformed-yaml",
        lambda s, lay: edit(lay / "pipelines.yaml", "title: Pipelines", "title: [Pipelines"),
        r"layers/pipelines\.yaml:\d+:\d+: error: malformed YAML: ",
    ),
    (
        "malformed-json",
        lambda s, lay: edit(
            lay / "places.geojson", '"type": "FeatureCollection"', '"type": "FeatureCollection",,'
        ),
        r"layers/places\.geojson:\d+:\d+: error: malformed JSON: ",
    ),
    (
        "not-a-feature-collection",
        lambda s, lay: edit(lay / "areas.geojson", '"FeatureCollection"', '"Feature"'),
        r"layers/areas\.geojson:2:\d+: error: not a GeoJSON FeatureCollection",
    ),
    (
        "feature-without-id",
        lambda s, lay: edit_feature(lay, "places.geojson", "shusha", lambda f: f.pop("id")),
        r"layers/places\.geojson:\d+:\d+: error: feature #\d+ has no 'id'",
    ),
    (
        "duplicate-id-across-layers",
        lambda s, lay: edit_feature(
            lay, "places.geojson", "shusha", lambda f: f.__setitem__("id", "tap")
        ),
        r"layers/places\.geojson:\d+:\d+: error: duplicate id 'tap' "
        r"\(also in .*pipelines\.geojson\)",
    ),
    (
        "unexpected-geometry-type",
        lambda s, lay: set_geometry(
            lay,
            "places.geojson",
            "shusha",
            {"type": "LineString", "coordinates": [[46.7, 39.7], [46.8, 39.8]]},
        ),
        r"layers/places\.geojson:\d+:\d+: error: feature 'shusha': geometry type 'LineString' is "
        r"not allowed in a point layer \(use Point or MultiPoint\)",
    ),
    (
        "self-intersecting-polygon",
        lambda s, lay: set_geometry(
            lay,
            "areas.geojson",
            "zangezur-area",
            {
                "type": "Polygon",
                "coordinates": [
                    [[46.0, 39.0], [46.5, 39.5], [46.5, 39.0], [46.0, 39.5], [46.0, 39.0]]
                ],
            },
        ),
        r"layers/areas\.geojson:\d+:\d+: error: feature 'zangezur-area': invalid geometry: "
        r"Self-intersection\[46\.25 39\.25\]",
    ),
    (
        "line-of-one-point",
        lambda s, lay: set_geometry(
            lay,
            "corridors.geojson",
            "rasht-astara",
            {"type": "LineString", "coordinates": [[49.58, 37.28]]},
        ),
        r"layers/corridors\.geojson:\d+:\d+: error: feature 'rasht-astara': a line needs at least "
        r"two distinct positions",
    ),
    (
        "unclosed-ring",
        lambda s, lay: set_geometry(
            lay,
            "areas.geojson",
            "zangezur-area",
            {
                "type": "Polygon",
                "coordinates": [[[46.0, 39.0], [46.5, 39.0], [46.5, 39.5], [46.0, 39.5]]],
            },
        ),
        r"layers/areas\.geojson:\d+:\d+: error: feature 'zangezur-area': polygon ring is not "
        r"closed: it starts at \[46\.0, 39\.0\] but ends at \[46\.0, 39\.5\]",
    ),
    (
        "coordinates-out-of-range",
        lambda s, lay: set_geometry(
            lay, "places.geojson", "shusha", {"type": "Point", "coordinates": [46.75, 139.76]}
        ),
        r"layers/places\.geojson:\d+:\d+: error: feature 'shusha': coordinate \[46\.75, 139\.76\] "
        r"is out of range \(GeoJSON is \[longitude, latitude\] in degrees\)",
    ),
    (
        "coordinates-swapped",
        lambda s, lay: set_geometry(
            lay, "places.geojson", "tehran", {"type": "Point", "coordinates": [35.69, 51.39]}
        ),
        r"layers/places\.geojson:\d+:\d+: error: feature 'tehran': .*look swapped",
    ),
    (
        "coordinates-far-outside-region",
        lambda s, lay: set_geometry(
            lay, "places.geojson", "shusha", {"type": "Point", "coordinates": [-74.0, 40.7]}
        ),
        r"layers/places\.geojson:\d+:\d+: error: feature 'shusha': coordinate \[-74\.0, 40\.7\] "
        r"is far outside the region",
    ),
    (
        "layer-file-missing",
        lambda s, lay: (lay / "areas.geojson").unlink(),
        r"layers/areas\.yaml:\d+:\d+: error: file 'areas\.geojson' not found",
    ),
    (
        "file-no-layer-names",
        lambda s, lay: shutil.copy(lay / "areas.geojson", lay / "stray.geojson"),
        r"layers/stray\.geojson: error: no layer names this file",
    ),
    (
        "curated-quote-not-in-article",
        lambda s, lay: edit(
            lay / "visits.yaml",
            "He arrived from Tehran, where",
            "He flew in from Tehran, where",
        ),
        r"layers/visits\.yaml:\d+:\d+: error: feature 'shoigu-baku-2024': curated quote "
        r"'He flew in from Tehran, where.*' is not verbatim in 000_3c57eeb00faf3a76\.txt; "
        r"closest passage: 'He arrived from Tehran, where he had also been on a business visit\.'",
    ),
    (
        "article-not-utf8",
        lambda s, lay: (s / "latin1.txt").write_bytes("Baku caf\xe9 and TAP.".encode("latin-1")),
        r"seeds/latin1\.txt:1:9: error: not UTF-8: byte 0xe9 cannot be decoded",
    ),
    (
        "article-empty",
        lambda s, lay: (s / "empty.txt").write_text("  \n", encoding="utf-8"),
        r"seeds/empty\.txt: error: the article is empty",
    ),
    (
        "metadata-names-missing-file",
        lambda s, lay: edit(s / "metadata.yaml", "004_cd56af0143716ceb.txt:", "999_missing.txt:"),
        r"seeds/metadata\.yaml:\d+:1: error: metadata names '999_missing\.txt', "
        r"but .* does not exist",
    ),
    (
        "metadata-url-not-http",
        lambda s, lay: edit(
            s / "metadata.yaml",
            "  outlet: Caliber.az\n",
            "  outlet: Caliber.az\n  url: javascript:alert(1)\n",
        ),
        r"seeds/metadata\.yaml:\d+:8: error: metadata of '004_cd56af0143716ceb\.txt': 'url' must "
        r"start with http:// or https://",
    ),
]

CASES += [
    (
        "feature-id-with-template-syntax",
        lambda s, lay: edit_feature(
            lay, "places.geojson", "shusha", lambda f: f.__setitem__("id", "x{{7*7}}")
        ),
        r"layers/places\.geojson:\d+:\d+: error: feature id 'x\{\{7\*7\}\}' may use only "
        r"letters, digits",
    ),
    (
        "reserved-property",
        lambda s, lay: edit_feature(
            lay, "places.geojson", "baku", lambda f: f["properties"].__setitem__("layer", "x")
        ),
        r"layers/places\.geojson:\d+:\d+: error: feature 'baku': property 'layer' is reserved",
    ),
    (
        "countries-not-codes",
        lambda s, lay: edit_feature(
            lay,
            "pipelines.geojson",
            "tap",
            lambda f: f["properties"].__setitem__("countries", "GR"),
        ),
        r"layers/pipelines\.geojson:\d+:\d+: error: feature 'tap': 'countries' must be a list",
    ),
    (
        "coordinates-badly-nested",
        lambda s, lay: set_geometry(
            lay,
            "pipelines.geojson",
            "tap",
            {"type": "MultiLineString", "coordinates": [[20, 40], [21, 41]]},
        ),
        r"layers/pipelines\.geojson:\d+:\d+: error: feature 'tap': coordinates are not nested "
        r"as a MultiLineString needs",
    ),
    (
        "duplicate-layer-title",
        lambda s, lay: edit(lay / "places.yaml", "title: Places", "title: Pipelines"),
        r"layers/places\.yaml:\d+:\d+: error: title 'Pipelines' is also the title of",
    ),
]

CASES += [
    (
        "status-not-in-map-settings",
        lambda s, lay: edit_feature(
            lay,
            "pipelines.geojson",
            "tap",
            lambda f: f["properties"].__setitem__("status", "operatng"),
        ),
        r"layers/pipelines\.geojson:\d+:\d+: error: feature 'tap': 'status' must be one of "
        r"operating, .* \(did you mean 'operating'\?\); add a new status to map\.yaml",
    ),
    (
        "map-settings-missing",
        lambda s, lay: (lay / "map.yaml").unlink(),
        r"layers/map\.yaml: error: settings file not found: add map\.yaml \(title, description, "
        r"view, region, \.\.\.\) to the layers folder",
    ),
    (
        "tagging-settings-missing",
        lambda s, lay: (lay / "tagging.yaml").unlink(),
        r"layers/tagging\.yaml: error: tagging file not found: add tagging\.yaml \(modifiers, ",
    ),
    (
        "map-settings-typo",
        lambda s, lay: edit(lay / "map.yaml", "legend_title:", "legend_titel:"),
        r"layers/map\.yaml:\d+:1: error: unknown key 'legend_titel' \(did you mean "
        r"'legend_title'\?\)",
    ),
    (
        "gazetteer-key-typo",
        lambda s, lay: edit(lay / "places.yaml", "aliases: [Shusha, Shushi]", "alises: [Shusha]"),
        r"layers/places\.yaml:\d+:5: error: unknown key 'alises' \(did you mean 'aliases'\?\)",
    ),
    (
        "metadata-date-not-on-the-calendar",
        lambda s, lay: edit(s / "metadata.yaml", 'date: "2024-08-17"', 'date: "2024-02-30"'),
        r"seeds/metadata\.yaml:\d+:9: error: metadata of '004_cd56af0143716ceb\.txt': 'date' is "
        r"not a calendar date",
    ),
]


def _set_split(feature: dict[str, Any], where: str, value: float) -> None:
    for part in feature["properties"]["published_length"]["split"]:
        if part["where"] == where:
            part["value"] = value


CASES += [
    (
        "source-unknown",
        lambda s, lay: edit_feature(
            lay,
            "pipelines.geojson",
            "tap",
            lambda f: f["properties"]["published_length"].__setitem__("source", "bp-2020-11-16"),
        ),
        r"layers/pipelines\.geojson:\d+:\d+: error: feature 'tap': source 'bp-2020-11-16' is not "
        r"in sources\.yaml \(did you mean 'bp-2020-11-16-tap'\?\)",
    ),
    (
        "fact-without-source",
        lambda s, lay: edit_feature(
            lay, "pipelines.geojson", "tap", lambda f: f["properties"]["facts"][0].pop("source")
        ),
        r"layers/pipelines\.geojson:\d+:\d+: error: feature 'tap': .*'source' is required",
    ),
    (
        "source-not-an-id",
        lambda s, lay: edit_feature(
            lay,
            "pipelines.geojson",
            "tap",
            lambda f: f["properties"]["facts"][0].__setitem__("source", "TAP AG website"),
        ),
        r"layers/pipelines\.geojson:\d+:\d+: error: feature 'tap': .*must be a source id of "
        r"sources\.yaml",
    ),
    (
        "sources-missing",
        lambda s, lay: (lay / "sources.yaml").unlink(),
        r"layers/sources\.yaml: error: bibliography not found: add sources\.yaml",
    ),
    (
        "source-without-address",
        lambda s, lay: edit(
            lay / "sources.yaml",
            "    address: https://www.socar.az/en/page/baku-novorossiysk-pipeline\n",
            "",
        ),
        r"layers/sources\.yaml:\d+:\d+: error: .*'socar-bn'.*a document needs 'address' and "
        r"'consulted'",
    ),
    (
        "source-address-not-http",
        lambda s, lay: edit(
            lay / "sources.yaml",
            "address: https://www.socar.az/en/page/baku-novorossiysk-pipeline",
            "address: javascript:alert(1)",
        ),
        r"layers/sources\.yaml:\d+:\d+: error: .*'address' must start with http:// or https://",
    ),
]

WARNING_CASES: list[tuple[str, Mutation, str]] = [
    (
        "alias-shared",
        lambda s, lay: edit(
            lay / "places.yaml", "aliases: [Shusha, Shushi]", "aliases: [Shusha, Shushi, TANAP]"
        ),
        r"layers/places\.yaml:\d+:\d+: warning: alias 'TANAP' is shared by features shusha, tanap",
    ),
    (
        # A look-alike not in any article yet is fine; one holding no name blocks nothing.
        "exclusion-blocks-nothing",
        lambda s, lay: edit(
            lay / "places.yaml",
            "exclusions: [Tehran Times]",
            "exclusions: [Tehran Times, Theran Times]",
        ),
        r"layers/places\.yaml:\d+:\d+: warning: feature 'tehran': exclusion 'Theran Times' holds "
        r"none of the feature's names",
    ),
    (
        # The Zangezur corridor cut straight through Iran, as no source draws it.
        "route-enters-country",
        lambda s, lay: set_geometry(
            lay,
            "corridors.geojson",
            "zangezur-corridor",
            {"type": "LineString", "coordinates": [[47.335, 39.45], [46.6, 38.7], [45.63, 38.96]]},
        ),
        r"layers/corridors\.geojson:\d+:\d+: warning: feature 'zangezur-corridor': the drawn route "
        r"runs \d+\.\d km inside Iran \(IR\), which is not in its countries AZ, AM",
    ),
    (
        "route-split-mismatch",
        lambda s, lay: edit_feature(
            lay, "pipelines.geojson", "tap", lambda f: _set_split(f, "AL", 300)
        ),
        r"layers/pipelines\.geojson:\d+:\d+: warning: feature 'tap': drawn 190 km in Albania, "
        r"published 300 km \(63%; more than 15% apart\)",
    ),
]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# Nine levels of nine references each: 377 bytes that stand for 387 million values.
BOMB = "x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"x-{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)

# Shapes no map can hold, each an error at its place (geo/shapes.py), beside the valid
# files the other cases start from.
CASES += [
    (
        "yaml-alias-bomb",
        lambda s, lay: _append(lay / "pipelines.yaml", BOMB),
        r"layers/pipelines\.yaml:\d+:\d+: error: expands through its aliases to more than",
    ),
    (
        "yaml-nested-100000-deep",
        lambda s, lay: _append(lay / "areas.yaml", "deep: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        r"layers/areas\.yaml:\d+:\d+: error: nested deeper than 64 levels",
    ),
    (
        "yaml-duplicate-alias-key",
        lambda s, lay: edit(
            lay / "pipelines.yaml",
            "      - Trans Adriatic Pipeline\n",
            "      - Trans Adriatic Pipeline\n    aliases: [X]\n",
        ),
        r"layers/pipelines\.yaml:\d+:5: error: the key 'aliases' is given twice",
    ),
    (
        "metadata-duplicate-entry",
        lambda s, lay: _append(s / "metadata.yaml", "\n000_3c57eeb00faf3a76.txt:\n  outlet: X\n"),
        r"seeds/metadata\.yaml:\d+:\d+: error: the key '.+' is given twice",
    ),
    (
        "exclusion-equal-to-its-alias",
        lambda s, lay: edit(
            lay / "places.yaml", "exclusions: [Tehran Times]", "exclusions: [Tehran Times, Tehran]"
        ),
        r"layers/places\.yaml:\d+:\d+: error: feature 'tehran': exclusion 'Tehran' is one of "
        r"its own names",
    ),
    (
        "feature-id-a-number",
        lambda s, lay: edit(lay / "places.geojson", '"id": "shusha"', '"id": 42'),
        r"layers/places\.geojson:\d+:\d+: error: feature #\d+: its id 42 is not text",
    ),
    (
        "json-duplicate-id",
        lambda s, lay: edit(lay / "places.geojson", '"id": "shusha"', '"id": "shusha", "id": "x"'),
        r"layers/places\.geojson:\d+:\d+: error: the key 'id' is given twice",
    ),
    (
        "json-nan-length",
        lambda s, lay: edit(lay / "places.geojson", '"id": "shusha"', '"id": "shusha", "n": NaN'),
        r"layers/places\.geojson:\d+:\d+: error: malformed JSON: NaN is no number",
    ),
    (
        "yaml-infinite-number",
        lambda s, lay: _append(lay / "areas.yaml", "radius: .inf\n"),
        r"layers/areas\.yaml:\d+:\d+: error: inf is no number a map can show",
    ),
    (
        "json-integer-2-to-the-70",
        lambda s, lay: edit(
            lay / "places.geojson", '"id": "shusha"', f'"id": "shusha", "n": {2**70}'
        ),
        r"layers/places\.geojson:\d+:\d+: error: a 22-digit integer is beyond",
    ),
    (
        "a-400-digit-length",
        lambda s, lay: edit(lay / "corridors.geojson", '"value": 7200', '"value": ' + "9" * 400),
        r"layers/corridors\.geojson:\d+:\d+: error: a 400-digit integer is beyond",
    ),
    (
        "geojson-property-nested-300-deep",
        lambda s, lay: edit(
            lay / "places.geojson",
            '"id": "shusha"',
            '"id": "shusha", "n": ' + "[" * 300 + "]" * 300,
        ),
        r"layers/places\.geojson:\d+:\d+: error: nested deeper than 64 levels",
    ),
    (
        "json-lone-surrogate",
        lambda s, lay: edit(
            lay / "places.geojson", '"id": "shusha"', '"id": "shusha", "n": "\\ud800"'
        ),
        r"layers/places\.geojson:\d+:\d+: error: a lone surrogate",
    ),
]


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Copies of the project's inputs, and an output folder holding a previous good build."""
    seeds, layers, out = tmp_path / "seeds", tmp_path / "layers", tmp_path / "out"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(LAYERS, layers)
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out), "--quiet"]) == 0
    return seeds, layers, out


def run(inputs: tuple[Path, Path, Path], *extra: str) -> int:
    seeds, layers, out = inputs
    return main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out), *extra])


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_precisely(
    inputs: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    name: str,
    mutate: Mutation,
    expected: str,
) -> None:
    seeds, layers, out = inputs
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    mutate(seeds, layers)
    assert run(inputs) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    # The problem itself comes first, not a consequence of it.
    assert re.search(expected, lines[0]), captured.err
    assert lines[-1].startswith("build failed: ")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.parametrize(
    ("name", "mutate", "expected"), WARNING_CASES, ids=[c[0] for c in WARNING_CASES]
)
def test_warnings_build_unless_strict(
    inputs: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    name: str,
    mutate: Mutation,
    expected: str,
) -> None:
    mutate(*inputs[:2])
    capsys.readouterr()
    assert run(inputs, "--quiet") == 0
    assert re.search(expected, capsys.readouterr().err)
    assert run(inputs, "--strict") == 2
    assert re.search(expected, capsys.readouterr().err)


def test_all_problems_of_a_run_are_reported_together(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    seeds, layers, _ = inputs
    (seeds / "empty.txt").write_text("", encoding="utf-8")
    set_geometry(
        layers, "places.geojson", "shusha", {"type": "Point", "coordinates": [46.7, 139.7]}
    )
    edit(layers / "visits.yaml", "He arrived from Tehran, where", "He came from Tehran, where")
    capsys.readouterr()
    assert run(inputs) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert len(errors) == 3


def test_a_visit_missing_its_fields_names_each_at_its_line(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """What a new user tried: --strict used to build this and draw a broken popup."""
    _, layers, out = inputs
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def break_visit(feature: dict[str, Any]) -> None:
        for key in ("visitor", "origin", "date_start"):
            del feature["properties"][key]
        feature["properties"]["date_end"] = "not a date"

    edit_feature(layers, "visits.geojson", "putin-baku-2024", break_visit)
    edit_feature(
        layers,
        "places.geojson",
        "baku",
        lambda f: f["properties"].__setitem__("place_type", {"kind": "city"}),
    )
    capsys.readouterr()
    assert run(inputs, "--strict") == 2
    err = capsys.readouterr().err
    visits = layers / "visits.geojson"
    lines = visits.read_text(encoding="utf-8").splitlines()
    properties_line = next(i for i, t in enumerate(lines, 1) if '"properties"' in t)
    date_end_line = next(i for i, t in enumerate(lines, 1) if '"date_end"' in t)
    for field in ("date_start", "origin", "visitor"):
        assert (
            f"{visits}:{properties_line}:" in err
            and f"feature 'putin-baku-2024': '{field}' is required" in err
        ), err
    assert f"{visits}:{date_end_line}:" in err
    assert "'date_end' must be a date written YYYY, YYYY-MM or YYYY-MM-DD" in err
    assert "feature 'baku': 'place_type' must be text, not a mapping" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_layer_file_named_with_a_folder_prefix_is_found(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    edit(inputs[1] / "areas.yaml", "file: areas.geojson", "file: ./areas.geojson")
    assert run(inputs, "--quiet") == 0, capsys.readouterr().err


def test_an_output_folder_that_is_a_file_is_an_input_error(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seeds, layers, _ = inputs
    target = tmp_path / "a-file"
    target.write_text("keep me", encoding="utf-8")
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(target)]) == 2
    assert "error: the output folder is a file" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_internal_errors_show_a_traceback_and_exit_1(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import geo.render, sys\n"
        "def boom(*a, **k): raise RuntimeError('bug')\n"
        "geo.render.build_map = boom\n"
        "import geo.build; geo.build.build_map = boom\n"
        "from geo.cli import main\n"
        f"sys.exit(main(['--seeds', {str(SEEDS)!r}, '--layers', {str(LAYERS)!r}, "
        f"'--out', {str(tmp_path)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "RuntimeError: bug" in done.stderr


def _outputs_of(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != LOCK}


LOCK = ".build.lock"


@pytest.mark.parametrize(
    ("name", "spoil", "expected"),
    [
        (
            "map.geojson is a folder",
            lambda out, s, lay: (out / "map.geojson").unlink() or (out / "map.geojson").mkdir(),
            r"out/map\.geojson: error: is a folder where the map writes a file",
        ),
        (
            "out is the layers folder",
            None,
            r"error: the output folder is the input folder",
        ),
    ],
)
def test_output_folder_problems_stop_the_build_before_anything_is_replaced(
    inputs: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    name: str,
    spoil: Callable[[Path, Path, Path], object] | None,
    expected: str,
) -> None:
    seeds, layers, out = inputs
    target = out
    if spoil is None:
        target = layers
    else:
        spoil(out, seeds, layers)
    before_layers = {p.name: p.read_bytes() for p in layers.iterdir()}
    before = _outputs_of(out)
    capsys.readouterr()
    code = main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert re.search(expected, err.splitlines()[0]), err
    assert "Traceback" not in err
    assert _outputs_of(out) == before
    assert {p.name: p.read_bytes() for p in layers.iterdir()} == before_layers


def test_an_output_folder_inside_a_file_is_an_input_error(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seeds, layers, _ = inputs
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    target = tmp_path / "plain" / "out"
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(target)]) == 2
    assert "is a file, so no folder can be made in it" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_an_input_error(
    inputs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    seeds, layers, out = inputs
    before = _outputs_of(out)
    out.chmod(0o555)
    try:
        assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out)]) == 2
    finally:
        out.chmod(0o755)
    assert "the output folder is read-only" in capsys.readouterr().err
    assert _outputs_of(out) == before


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "link outside", "too large"])
def test_only_plain_files_of_the_folder_are_read_as_articles(
    inputs: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    seeds, layers, out = inputs
    article = seeds / "x.txt"
    if kind == "fifo":
        os.mkfifo(article)
        expected = "not a regular file"
    elif kind == "link to /dev/zero":
        article.symlink_to("/dev/zero")
        expected = "not a regular file"
    elif kind == "link outside":
        (tmp_path / "elsewhere.txt").write_text("TAP opened.", encoding="utf-8")
        article.symlink_to(tmp_path / "elsewhere.txt")
        expected = "outside the folder"
    else:
        monkeypatch.setattr("geo.articles.MAX_ARTICLE_BYTES", 10)
        article.write_text("TAP opened in 2020 and carried gas.", encoding="utf-8")
        expected = "CAUCASUS_MAP_MAX_ARTICLE_MB"
    before = _outputs_of(out)
    capsys.readouterr()
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert re.search(rf"seeds/x\.txt: error: .*{re.escape(expected)}", err), err
    assert _outputs_of(out) == before


def test_two_builds_into_one_folder_take_turns(inputs: tuple[Path, Path, Path]) -> None:
    import subprocess
    import sys

    seeds, layers, out = inputs
    other = seeds.parent / "seeds-2"
    shutil.copytree(seeds, other)
    (other / "extra.txt").write_text("The Rasht-Astara railway is planned.", encoding="utf-8")
    command = [sys.executable, "build_map.py", "--layers", str(layers), "--out", str(out)]
    builds = [
        subprocess.Popen([*command, "--seeds", str(folder)], cwd=Path(__file__).parents[1])
        for folder in (seeds, other)
    ]
    assert [b.wait(timeout=600) for b in builds] == [0, 0]
    # Whichever finished last, every output is that one build's: the page, the GeoJSON and
    # the citations agree on whether the extra article is there.
    has_extra = [
        "extra.txt" in (out / name).read_text(encoding="utf-8")
        for name in ("map.geojson", "citations.csv")
    ]
    assert has_extra in ([True, True], [False, False])


def test_a_full_disk_is_an_input_error_and_the_map_is_kept(
    inputs: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    import geo.build

    seeds, layers, out = inputs
    before = _outputs_of(out)
    (seeds / "new.txt").write_text("TAP carried more gas.", encoding="utf-8")

    def full(target: Path, *args: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(geo.build, "_write_temporary", full)
    capsys.readouterr()
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "error: cannot write the map: No space left on device" in err
    assert "Traceback" not in err
    assert _outputs_of(out) == before


def test_a_folder_the_build_cannot_write_is_an_input_error(
    inputs: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As a user without write permission sees it, whoever runs the tests.
    seeds, layers, out = inputs
    monkeypatch.setattr("geo.build.os.access", lambda path, mode: Path(path) != out)
    before = _outputs_of(out)
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out)]) == 2
    assert "error: the output folder is read-only" in capsys.readouterr().err
    assert _outputs_of(out) == before


def test_a_yaml_file_beyond_the_size_limit_is_an_input_error(
    inputs: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeds, layers, out = inputs
    monkeypatch.setattr("geo.sources.MAX_YAML_CHARS", 1000)
    assert main(["--seeds", str(seeds), "--layers", str(layers), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"layers/\w+\.yaml: error: .* MB a YAML file may be", err), err
