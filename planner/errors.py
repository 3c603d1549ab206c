"""The package's exceptions: each carries what the CLI needs to print and the exit code it maps to."""

from __future__ import annotations

from dataclasses import dataclass

from planner.conflicts import Conflict
from planner.i18n import _


@dataclass(frozen=True)
class Issue:
    """One problem in the input, located as a spreadsheet user would look for it.

    `row` counts like a spreadsheet (header = row 1); `column` is a column name or a scenario key.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column is not None:
            where = _("{file} row {row}, column {column}", file=self.file, row=self.row, column=self.column)
        elif self.row is not None:
            where = _("{file} row {row}", file=self.file, row=self.row)
        elif self.column is not None:
            where = f"{self.file}, {self.column}"
        else:
            where = self.file
        return f"{where}: {self.message}"


class PlannerError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = 1


class InputError(PlannerError):
    """The catalog, the scenario or the command's options are invalid; nothing was solved."""

    exit_code = 2

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class InfeasibleError(PlannerError):
    """No plan satisfies the scenario (proven): `found` are its conflicts, which share no
    requirement; `complete` is False when time ran out before every one was isolated
    (planner.words.conflicts.infeasibility words them)."""

    exit_code = 3

    def __init__(self, found: tuple[Conflict, ...], complete: bool, scenario: str = "") -> None:
        self.found = found
        self.complete = complete
        self.scenario = scenario
        super().__init__(" ".join(c.requirements[0].kind for c in found if c.requirements))


class NoPlanFoundError(PlannerError):
    """The time limit passed before any feasible plan was found."""

    exit_code = 4


class OutputError(PlannerError):
    """An output file could not be written (exists without --force, or the folder is not writable)."""

    exit_code = 2


class SomeCampusesNotPlanned(PlannerError):
    """`batch`: some campuses have no plan; each is named with its reason, the others were written."""

    exit_code = 5
