"""Input problems: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in one input file, with its position where one exists."""

    path: str
    line: int | None
    column: int | None
    message: str
    severity: Severity = "error"
    # A stable name for the kind of problem (``geometry-unclosed-ring``), for
    # grouping and for tests; the message may be reworded, the code may not.
    code: str = "input"

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, then position (problems without one first), then message."""
        return (self.path, self.line or 0, self.column or 0, self.message)

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class Problems:
    """A collector, so that one run reports every problem at once."""

    items: list[Problem] = field(default_factory=list)

    def error(
        self,
        path: object,
        message: str,
        position: tuple[int, int] | None = None,
        *,
        code: str,
    ) -> None:
        """Record an error at path (and 1-based line, column)."""
        self._add(path, message, position, "error", code)

    def warning(
        self,
        path: object,
        message: str,
        position: tuple[int, int] | None = None,
        *,
        code: str,
    ) -> None:
        """Record a warning at path (and 1-based line, column)."""
        self._add(path, message, position, "warning", code)

    def _add(
        self,
        path: object,
        message: str,
        position: tuple[int, int] | None,
        severity: Severity,
        code: str,
    ) -> None:
        line, column = position if position else (None, None)
        self.items.append(Problem(str(path), line, column, message, severity, code))

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the build."""
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that only warn."""
        return [p for p in self.items if p.severity == "warning"]


class InputError(Exception):
    """Raised when the inputs have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} input problem(s)")
        self.problems = problems
