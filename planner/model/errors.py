"""Errors the planner raises: every one is a PlanError."""

from __future__ import annotations

from dataclasses import dataclass


class PlanError(Exception):
    """Base of every error the planner raises on purpose."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InvariantError(PlanError):
    """An edit or a file would break one of the plan's rules."""


class UnknownIdError(InvariantError):
    """A reference names an id that does not exist."""


class DuplicateIdError(InvariantError):
    """An id is used twice."""


class CycleError(InvariantError):
    """A reporting line would loop back on itself."""


class BoundsError(InvariantError):
    """A number or a text is outside what the planner accepts."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file: where, what, and how to fix it."""

    message: str
    hint: str = ""
    path: tuple[str | int, ...] = ()
    line: int | None = None
    column: int | None = None

    def render(self, source: str) -> str:
        """Word the problem as `file:line:col: message; hint`."""
        where = source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        return f"{text}\n    fix: {self.hint}" if self.hint else text


class PlanFileError(PlanError):
    """A plan file could not be loaded; holds every problem found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: {len(problems)} problem(s)")

    def render(self) -> str:
        """All problems, one block each, as `planner check` prints them."""
        return "\n".join(problem.render(self.source) for problem in self.problems)
