"""JSON Schemas of the input files, generated from the models in ``geo.models``.

They ship in ``geo/schemas/`` so that an editor with the YAML language server
validates and completes a file as it is typed (see the README), and
``caucasus-map schema NAME`` prints them. A test checks that the shipped files
are what the models generate.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic import BaseModel, RootModel

from geo.models import ArticleMeta, LayerConfig, LayerFile, MapSettings, SourcesFile
from geo.rules import TaggingSettings


class Metadata(RootModel[dict[str, ArticleMeta]]):
    """seeds/metadata.yaml: each article's file name with who published it, and when."""


SCHEMAS: dict[str, type[BaseModel]] = {
    "layer": LayerConfig,
    "layer-geojson": LayerFile,
    "metadata": Metadata,
    "map": MapSettings,
    "tagging": TaggingSettings,
    "sources": SourcesFile,
}
TITLES = {
    "layer": "Layer YAML (layers/NAME.yaml)",
    "layer-geojson": "Layer GeoJSON (layers/NAME.geojson)",
    "metadata": "Article metadata (seeds/metadata.yaml)",
    "map": "Map settings (layers/map.yaml)",
    "tagging": "Tagging words (layers/tagging.yaml)",
    "sources": "Bibliography (layers/sources.yaml)",
}


def generate(name: str) -> dict[str, Any]:
    """The JSON Schema of one input file kind."""
    schema = SCHEMAS[name].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = TITLES[name]
    return schema


def schema_text(name: str) -> str:
    """The schema as the shipped file holds it: sorted keys, two-space indent."""
    return json.dumps(generate(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def shipped_text(name: str) -> str:
    """The schema file shipped in the package."""
    return resources.files("geo").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
