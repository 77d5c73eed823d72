"""Map settings: the title, opening view, region, status styles and legend, as data.

They live in ``layers/map.yaml`` beside the layers, so that adding a status or a
legend row is a change of data, validated like every other input. The words
that tagging rules share live in ``layers/tagging.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from geo.models import MapSettings
from geo.problems import Problems
from geo.rules import TaggingSettings
from geo.sources import load_yaml
from geo.validation import validate

SETTINGS_FILE = "map.yaml"
TAGGING_FILE = "tagging.yaml"
M = TypeVar("M", bound=BaseModel)


def load_settings(folder: Path, problems: Problems) -> MapSettings | None:
    """The map settings of a layers folder, or None with the problems recorded."""
    return _load(folder / SETTINGS_FILE, MapSettings, "settings", problems)


def load_tagging(folder: Path, problems: Problems) -> TaggingSettings | None:
    """The words every feature's rules share, or None with the problems recorded."""
    return _load(folder / TAGGING_FILE, TaggingSettings, "tagging", problems)


def _load(path: Path, model: type[M], scope: str, problems: Problems) -> M | None:
    if not path.is_file():
        # The fields the file cannot do without, the first few of them.
        required = [name for name, field in model.model_fields.items() if field.is_required()]
        fields = ", ".join(required[:4])
        problems.error(
            path,
            f"{scope} file not found: add {path.name} ({fields}, ...) to the layers folder",
            code=f"{scope}-missing",
        )
        return None
    doc = load_yaml(path, problems)
    return validate(model, doc, (), problems, scope=scope) if doc is not None else None
