"""Layers: hand-written GeoJSON files and the YAML that titles, styles and orders them.

Each ``layers/NAME.yaml`` (a ``LayerConfig``) names its GeoJSON file, its title,
order, geometry and style, and gives each feature id its gazetteer entry. This
module loads and validates each file on its own; checks that span files (region,
countries, quotes, aliases, lengths) are in ``geo.checks``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geo.features import Feature, load_feature
from geo.gazetteer import CuratedCitation, Entry
from geo.models import LayerConfig, Style, VisitProperties
from geo.problems import Problems
from geo.rules import AliasRule
from geo.settings import SETTINGS_FILE, TAGGING_FILE
from geo.sources import Located, load_json, load_yaml
from geo.validation import validate

# YAML files in the layers folder that are not layers.
NOT_LAYERS = frozenset({SETTINGS_FILE, TAGGING_FILE, "sources.yaml"})


@dataclass(frozen=True)
class Layer:
    """One layer: its config and the features of its GeoJSON file."""

    id: str
    config: LayerConfig
    path: str = ""
    features: list[Feature] = field(default_factory=list)
    ids_in_file: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The layer's title."""
        return self.config.title

    @property
    def style(self) -> Style:
        """How the layer is drawn."""
        return self.config.style

    @property
    def geometry_kind(self) -> str:
        """line, polygon or point."""
        return self.config.geometry


def check_layers_folder(folder: Path, problems: Problems) -> bool:
    """Whether folder exists to hold the layers; an error where it does not."""
    if not folder.is_dir():
        problems.error(folder, "layers folder not found (pass --layers DIR)", code="no-layers")
        return False
    return True


def load_layers(folder: Path, problems: Problems) -> tuple[list[Layer], list[Entry]]:
    """Load every layer YAML in folder with its GeoJSON; return layers and gazetteer entries."""
    if not check_layers_folder(folder, problems):
        return [], []
    layers: list[Layer] = []
    entries: list[Entry] = []
    seen_ids: dict[str, str] = {}
    claimed: set[Path] = set()
    unreadable: set[str] = set()
    for yaml_path, doc, config, valid in _configs(folder, problems, unreadable):
        claimed.add((folder / config.file).resolve())
        layer = _load_layer(folder, yaml_path.stem, config, doc, problems, seen_ids)
        if layer is not None and valid:
            entries += _layer_entries(layer, doc, problems)
            layers.append(layer)
    _check_orphans(folder, claimed, unreadable, problems)
    if not layers and not problems.errors:
        problems.error(folder, "no layers: the folder has no layer .yaml file", code="no-layers")
    return sorted(layers, key=lambda layer: (layer.config.order, layer.id)), entries


def _configs(
    folder: Path, problems: Problems, unreadable: set[str]
) -> Iterator[tuple[Path, Located, LayerConfig, bool]]:
    """Each layer YAML with its config, and whether the config is valid.

    An invalid config whose file and geometry are still usable comes too, so that
    one run also reports the problems of its GeoJSON; an unusable one is
    remembered, so that its GeoJSON is not also called an orphan.
    """
    titles: dict[str, Path] = {}
    for yaml_path in sorted(folder.glob("*.yaml")):
        if yaml_path.name in NOT_LAYERS:
            continue
        doc = load_yaml(yaml_path, problems)
        config = _layer_config(doc, problems) if doc is not None else None
        if doc is not None and config is None:
            fallback = _usable_part(doc.value)
            if fallback is not None:
                yield yaml_path, doc, fallback, False
                continue
        if doc is None or config is None:
            unreadable.add(yaml_path.stem)
            continue
        if config.title in titles:
            problems.error(
                yaml_path,
                f"title '{config.title}' is also the title of {titles[config.title]}: "
                "the layer control needs a different title for each layer",
                doc.at("title"),
                code="layer-duplicate-title",
            )
            unreadable.add(yaml_path.stem)
            continue
        titles[config.title] = yaml_path
        yield yaml_path, doc, config, True


def _usable_part(value: Any) -> LayerConfig | None:
    """What an invalid layer config still says reliably: its file, geometry and kind."""
    if not isinstance(value, dict):
        return None
    try:
        return LayerConfig.model_validate(
            {
                "title": "-",
                "order": 0,
                "file": value.get("file"),
                "geometry": value.get("geometry"),
                "kind": value.get("kind"),
                "style": {"color": "black"},
            }
        )
    except ValidationError:
        return None


def _layer_config(doc: Located, problems: Problems) -> LayerConfig | None:
    if not isinstance(doc.value, dict):
        problems.error(
            doc.path,
            "a layer file must be a mapping (title, order, file, ...)",
            doc.at(),
            code="layer-not-a-mapping",
        )
        return None
    return validate(LayerConfig, doc, (), problems, scope="layer")


def _check_orphans(
    folder: Path, claimed: set[Path], unreadable: set[str], problems: Problems
) -> None:
    for path in sorted(folder.glob("*.geojson")):
        if path.resolve() not in claimed and path.stem not in unreadable:
            problems.error(
                path,
                f"no layer names this file: add a layer YAML with 'file: {path.name}'",
                code="layer-orphan-file",
            )


def _layer_entries(layer: Layer, doc: Located, problems: Problems) -> list[Entry]:
    """The gazetteer entry of every drawn feature; a feature without one is known by its name."""
    written = layer.config.features
    present = set(layer.ids_in_file)
    for feature_id in sorted(set(written) - present):
        problems.error(
            doc.path,
            f"feature '{feature_id}' is listed here but not drawn in {layer.config.file}",
            doc.at("features", feature_id, "<key>"),
            code="layer-feature-not-drawn",
        )
    return [_entry(f, layer.config, doc) for f in layer.features]


def _entry(feature: Feature, config: LayerConfig, doc: Located) -> Entry:
    feature_id, props = feature.id, feature.properties
    visit = props if isinstance(props, VisitProperties) else None
    dates = (visit.date_start, visit.date_end) if visit else None
    origin = visit.origin.split("(")[0].strip() if visit else None
    spec = config.features.get(feature_id)
    if spec is None:
        return Entry(
            feature_id,
            (AliasRule(name=props.name),),
            dates=dates,
            kind=config.feature_kind,
            origin=origin,
        )
    base = ("features", feature_id)
    citations = tuple(
        CuratedCitation(c.article, c.quote, str(doc.path), doc.at(*base, "citations", i, "quote"))
        for i, c in enumerate(spec.citations)
    )
    aliases = tuple(a if isinstance(a, AliasRule) else AliasRule(name=a) for a in spec.aliases)
    positions = _positions(doc, base, [a.name for a in aliases], spec.exclusions)
    return Entry(
        feature_id,
        aliases,
        citations,
        tuple(spec.exclusions),
        str(doc.path),
        positions,
        route=spec.route,
        event=spec.event,
        refer=tuple(spec.refer),
        dates=dates,
        kind=config.feature_kind,
        origin=origin,
    )


def _positions(
    doc: Located, base: tuple[str, ...], aliases: list[str], exclusions: list[str]
) -> dict[str, tuple[int, int]]:
    """Where each alias and exclusion is written, for warnings about them."""
    return {
        f"{kind}:{text}": doc.at(*base, kind, i) or (0, 0)
        for kind, texts in (("aliases", aliases), ("exclusions", exclusions))
        for i, text in enumerate(texts)
    }


def _load_layer(
    folder: Path,
    layer_id: str,
    config: LayerConfig,
    doc: Located,
    problems: Problems,
    seen_ids: dict[str, str],
) -> Layer | None:
    path = folder / config.file
    if not path.is_file():
        problems.error(
            doc.path,
            f"file '{config.file}' not found in {folder}",
            doc.at("file"),
            code="layer-file-missing",
        )
        return None
    geo = load_json(path, problems)
    raw_features = _feature_list(geo, problems) if geo is not None else None
    if geo is None or raw_features is None:
        return None
    features = []
    for index in range(len(raw_features)):
        feature = load_feature(geo, index, layer_id, config, problems, seen_ids)
        if feature is not None:
            features.append(feature)
    ids = tuple(str(raw["id"]) for raw in raw_features if isinstance(raw, dict) and "id" in raw)
    return Layer(layer_id, config, str(path), features, ids)


def _feature_list(geo: Located, problems: Problems) -> list[Any] | None:
    value = geo.value
    if not isinstance(value, dict) or value.get("type") != "FeatureCollection":
        problems.error(
            geo.path,
            "not a GeoJSON FeatureCollection ('type' must be 'FeatureCollection')",
            geo.at("type"),
            code="geojson-not-a-collection",
        )
        return None
    if not isinstance(value.get("features"), list):
        problems.error(
            geo.path, "'features' must be a list", geo.at("features"), code="geojson-no-features"
        )
        return None
    features: list[Any] = value["features"]
    return features
