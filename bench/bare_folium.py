"""The bare-folium floor: every layers/*.geojson in its own FeatureGroup, nothing else.

No tagging, no popups, no legend: what drawing the same layers costs with folium alone,
for the benchmark to compare the real five-seed build with.

Usage: python -m bench.bare_folium LAYERS_DIR OUT.html (or python bench/bare_folium.py ...)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas

USAGE = "usage: python -m bench.bare_folium LAYERS_DIR OUT.html"


def _jsonable(value: object) -> object:
    # Nested properties come back as numpy arrays, which json cannot write as they are.
    tolist = getattr(value, "tolist", None)
    return tolist() if callable(tolist) else str(value)


def draw(layers: Path, out: Path) -> None:
    """Write out: a folium map of every GeoJSON file in layers, with a layer control."""
    fmap = folium.Map(location=[40.4, 49.9], zoom_start=4)
    for path in sorted(layers.glob("*.geojson")):
        frame = geopandas.read_file(path)
        group = folium.FeatureGroup(name=path.stem)
        folium.GeoJson(frame.to_json(default=_jsonable), name=path.stem).add_to(group)
        group.add_to(fmap)
    folium.LayerControl().add_to(fmap)
    fmap.save(str(out))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: LAYERS_DIR OUT.html."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print(USAGE, file=sys.stderr)
        return 2
    draw(Path(args[0]), Path(args[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
