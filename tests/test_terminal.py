"""The words and colours of the terminal report, side by side with what they must not be."""

from __future__ import annotations

import io

import pytest

from geo.problems import Problem
from geo.terminal import Style, failure_lines, plural, wants_colour


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 citations"), (1, "1 citation"), (2, "2 citations"), (12_345, "12,345 citations")],
)
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "citation") == expected


def test_plural_of_a_word_without_an_s() -> None:
    assert plural(2, "country", "countries") == "2 countries"
    assert plural(1, "country", "countries") == "1 country"


@pytest.mark.parametrize(
    ("stream", "environ", "expected"),
    [
        (Terminal(), {}, True),
        (Terminal(), {"NO_COLOR": "1"}, False),
        (Terminal(), {"NO_COLOR": ""}, True),  # an empty NO_COLOR does not count
        (Terminal(), {"TERM": "dumb"}, False),
        (io.StringIO(), {}, False),  # a file or a pipe
    ],
    ids=["terminal", "no-color", "empty-no-color", "dumb", "pipe"],
)
def test_colour_only_for_a_terminal(
    stream: io.StringIO, environ: dict[str, str], expected: bool
) -> None:
    assert wants_colour(stream, environ) is expected


def test_colour_paints_the_severity_not_the_message() -> None:
    problem = Problem("layers/a.yaml", 3, 7, "error: in the message", "error", "x")
    assert Style(colour=False).problem(problem) == "layers/a.yaml:3:7: error: error: in the message"
    coloured = Style(colour=True).problem(problem)
    assert coloured == "layers/a.yaml:3:7: \033[1;31merror\033[0m: error: in the message"


def test_failure_lines_count_problems_with_their_plural() -> None:
    one = [Problem("seeds", None, None, "seeds folder not found", "error", "no-seeds")]
    assert failure_lines(one, strict=False)[-1] == (
        "build failed: 1 problem; the previous map was left as it was"
    )
    two = [*one, Problem("layers", None, None, "layers folder not found", "error", "no-layers")]
    assert failure_lines(two, strict=False)[-1].startswith("build failed: 2 problems;")
