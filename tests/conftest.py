"""Shared fixtures: one real build of the project's own inputs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from geo.build import BuildResult, run_build
from tests.project import LAYERS, SEEDS


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One real build of the project's seeds and layers (CDN flavour)."""
    out = tmp_path_factory.mktemp("build")
    return run_build(SEEDS, LAYERS, out, keep_citations=True)


@pytest.fixture(scope="session")
def exported(built: BuildResult) -> dict[str, Any]:
    """The map.geojson of that build, parsed."""
    return json.loads(built.outputs[1].read_text(encoding="utf-8"))
