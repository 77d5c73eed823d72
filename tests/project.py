"""The project's own inputs, loaded once as the build loads them."""

from __future__ import annotations

from pathlib import Path

from geo.articles import Article, load_articles
from geo.build import load_gazetteer
from geo.gazetteer import Gazetteer
from geo.layers import Layer
from geo.problems import Problems

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
LAYERS = ROOT / "layers"
ARTIFACTS = ROOT / "test-artifacts"


def load_project() -> tuple[list[Article], list[Layer], Gazetteer, Problems]:
    """The project's seeds and layers, as the build loads them."""
    problems = Problems()
    articles = load_articles(SEEDS, problems)
    layers, gazetteer = load_gazetteer(LAYERS, problems)
    return articles, layers, gazetteer, problems


PROJECT = load_project()
ALL_FEATURES = [f for layer in PROJECT[1] for f in layer.features]
