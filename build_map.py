"""Build the cited map: ``python build_map.py --help`` lists the options."""

from geo.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
