"""Map settings: the title, opening view, region, status styles and legend, as data.

They live in ``layers/map.yaml`` beside the layers, so that adding a status or a
legend row is a change of data, validated like every other input. The words
that tagging rules share live in ``layers/tagging.yaml``.
"""

from __future__ import annotations

from pathlib import Path

from geo.models import MapSettings
from geo.problems import Problems
from geo.rules import TaggingSettings
from geo.sources import load_yaml
from geo.validation import validate

SETTINGS_FILE = "map.yaml"
TAGGING_FILE = "tagging.yaml"


def load_settings(folder: Path, problems: Problems) -> MapSettings | None:
    """The map settings of a layers folder, or None with the problems recorded."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        problems.error(
            path,
            f"map settings not found: add {SETTINGS_FILE} (title, view, region, statuses) "
            "to the layers folder",
            code="settings-missing",
        )
        return None
    doc = load_yaml(path, problems)
    if doc is None:
        return None
    return validate(MapSettings, doc, (), problems, scope="settings")


def load_tagging(folder: Path, problems: Problems) -> TaggingSettings | None:
    """The words every feature's rules share, or None with the problems recorded."""
    path = folder / TAGGING_FILE
    if not path.is_file():
        problems.error(
            path,
            f"tagging settings not found: add {TAGGING_FILE} (modifiers, joiners, visit words, "
            "determiners, places) to the layers folder",
            code="tagging-missing",
        )
        return None
    doc = load_yaml(path, problems)
    if doc is None:
        return None
    return validate(TaggingSettings, doc, (), problems, scope="tagging")
