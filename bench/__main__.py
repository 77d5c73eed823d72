"""``python -m bench``: see bench/cli.py for the stages and the exit status."""

from bench.cli import main

raise SystemExit(main())
