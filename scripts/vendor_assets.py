"""Copy the pinned JS/CSS assets from node_modules/ into the package (geo/data/vendor/).

The map inlines Leaflet so that it opens with no network; a user who installs the
tool with pip alone has no node_modules, so the pinned files ship inside the
package. Run after `npm ci` whenever package.json changes a pinned version:

    python scripts/vendor_assets.py

A test checks that the shipped copy is byte for byte the pinned npm package's.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.assets import VENDOR, vendored_files  # noqa: E402


def main() -> int:
    node_modules = ROOT / "node_modules"
    for relative in vendored_files(node_modules):
        source, target = node_modules / relative, VENDOR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        print(f"copied {relative}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
