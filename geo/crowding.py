"""The table of geo/js/crowding.js and geo/js/access.js: each feature's name and its layer's
title, by which the chooser lists it and the keyboard names it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo.layers import Layer


def crowding_table(layers: Sequence[Layer]) -> dict[str, Any]:
    """{"names": {feature id: name}, "layers": {feature id: layer title}}."""
    return {
        "names": {f.id: f.properties.name for layer in layers for f in layer.features},
        "layers": {f.id: layer.title for layer in layers for f in layer.features},
    }
