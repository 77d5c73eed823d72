"""The JSON Schemas: generated from the models, shipped, printed, and true to the data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from geo.cli import main
from geo.layers import NOT_LAYERS
from geo.schema import SCHEMAS, schema_text, shipped_text
from tests.project import LAYERS, SEEDS

LAYER_YAMLS = sorted(p for p in LAYERS.glob("*.yaml") if p.name not in NOT_LAYERS)
LAYER_GEOJSONS = sorted(LAYERS.glob("*.geojson"))


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(shipped_text(name))
    return loaded


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_shipped_schema_is_what_the_models_generate(name: str) -> None:
    assert shipped_text(name) == schema_text(name), (
        "regenerate: for n in layer layer-geojson metadata map; do "
        "caucasus-map schema $n > geo/schemas/$n.schema.json; done"
    )


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_command_prints_it(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", name]) == 0
    assert capsys.readouterr().out == shipped_text(name)


def test_schema_command_rejects_an_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["schema", "layers"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'layers'" in capsys.readouterr().err


@pytest.mark.parametrize("path", LAYER_YAMLS, ids=lambda p: p.name)
def test_every_layer_yaml_validates_and_names_its_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema("layer"))
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../geo/schemas/layer.schema.json"


@pytest.mark.parametrize("path", LAYER_GEOJSONS, ids=lambda p: p.name)
def test_every_layer_geojson_validates(path: Path) -> None:
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema("layer-geojson"))


def test_map_settings_and_metadata_validate() -> None:
    jsonschema.validate(yaml.safe_load((LAYERS / "map.yaml").read_text("utf-8")), schema("map"))
    tagging = yaml.safe_load((LAYERS / "tagging.yaml").read_text("utf-8"))
    jsonschema.validate(tagging, schema("tagging"))
    metadata = yaml.safe_load((SEEDS / "metadata.yaml").read_text("utf-8"))
    jsonschema.validate(metadata, schema("metadata"))
    sources = yaml.safe_load((LAYERS / "sources.yaml").read_text("utf-8"))
    jsonschema.validate(sources, schema("sources"))


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("layer", {"aliases": ["Baku"]}, {"alises": ["Baku"]}),
        ("layer", {"citations": []}, {"citations": [{"article": "a.txt"}]}),
    ],
)
def test_the_schema_flags_what_the_build_rejects(
    name: str, good: dict[str, Any], bad: dict[str, Any]
) -> None:
    layer = yaml.safe_load((LAYERS / "places.yaml").read_text(encoding="utf-8"))
    layer["features"]["baku"] = good
    jsonschema.validate(layer, schema(name))
    layer["features"]["baku"] = bad
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(layer, schema(name))


def test_a_visit_without_its_fields_fails_the_geojson_schema() -> None:
    visits = json.loads((LAYERS / "visits.geojson").read_text(encoding="utf-8"))
    del visits["features"][0]["properties"]["visitor"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(visits, schema("layer-geojson"))
