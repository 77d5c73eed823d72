"""A cited map of the corridors, pipelines and visits that articles about the South Caucasus name.

The data flows through one module per stage:
articles -> passages -> mentions <- gazetteer (aliases) <- layers -> render.
"""

__version__ = "0.1.0"
