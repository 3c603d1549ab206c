"""Rows into entities: one reader per table, each cell checked and every problem recorded."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from planner.errors import Issue
from planner.i18n import _
from planner.loaders.schema import COLUMNS, MODULE_WINDOW
from planner.loaders.tables import Row, Table
from planner.loaders.text import clip, invisible
from planner.model import (
    Commitment,
    Demand,
    Instructor,
    Lab,
    LabCommitment,
    Module,
    ModuleLab,
    ModuleSkill,
    Origin,
    Prerequisite,
    Qualification,
    Sector,
    Skill,
    Track,
    TrackModule,
    Training,
)

# Whole numbers above this cannot be meant (hours, weights, ...) and would overflow the solver's sums.
LARGEST_NUMBER = 1_000_000

_WHOLE = re.compile(r"-?[0-9]+")
_WHOLE_WITH_ZEROS = re.compile(r"-?[0-9]+\.0*")


class RowReader:
    """Reads the cells of one row, recording every problem instead of stopping at the first."""

    def __init__(self, table: Table, row: Row, issues: list[Issue]) -> None:
        self.table = table
        self.row = row
        self.issues = issues
        self.ok = True

    def report(self, column: str | None, message: str) -> None:
        self.issues.append(Issue(self.table.label, message, row=self.row.number, column=column))
        self.ok = False

    def text(self, column: str) -> str:
        value = self.row.cells.get(column)
        if value is None:  # the missing column was reported once, at the header
            self.ok = False
            return ""
        if value.strip() == "":
            self.report(column, _("this required cell is empty."))
        return value

    def ident(self, column: str) -> str:
        value = self.text(column)
        if value.strip() and value != value.strip():
            self.report(column, _("'{value}' has leading or trailing spaces; ids must not.", value=clip(value)))
        elif hidden := [c for c in value if invisible(c)]:
            what = unicodedata.name(hidden[0], f"U+{ord(hidden[0]):04X}").lower()
            self.report(
                column,
                _("'{value}' holds an invisible character ({what}); ids must not.", value=clip(value), what=what),
            )
        return value

    def whole(self, column: str, minimum: int, maximum: int | None = None, optional: bool = False) -> int | None:
        value = self.row.cells.get(column)
        if value is None:  # the column is absent: fine when optional, else reported at the header
            self.ok = self.ok and optional
            return None
        if value.strip() == "":
            if not optional:
                self.report(column, _("this required cell is empty."))
            return None
        if not _WHOLE.fullmatch(value):
            hint = _("; write {whole}", whole=value.split(".")[0]) if _WHOLE_WITH_ZEROS.fullmatch(value) else ""
            self.report(column, _("'{value}' is not a whole number{hint}.", value=clip(value), hint=hint))
            return None
        # Python refuses to convert thousands of digits, and anything past 15 is too large anyway.
        number = int(value) if len(value) <= 15 else LARGEST_NUMBER + 1
        if maximum is not None and not minimum <= number <= maximum:
            self.report(
                column,
                _(
                    "{column} must be between {minimum} and {maximum}, not {value}.",
                    column=column,
                    minimum=minimum,
                    maximum=maximum,
                    value=value,
                ),
            )
        elif number < minimum:
            self.report(
                column,
                _("{column} must be at least {minimum}, not {value}.", column=column, minimum=minimum, value=value),
            )
        elif number > LARGEST_NUMBER:
            self.report(
                column,
                _(
                    "{column} {value} is too large; the most accepted is {LARGEST_NUMBER}.",
                    column=column,
                    value=clip(value),
                    LARGEST_NUMBER=LARGEST_NUMBER,
                ),
            )
        else:
            return number
        return None

    def build(self, make: Callable[..., Any], blame: str, **fields: Any) -> Any:
        """Create the entity if every cell was readable; its own checks become issues on this row."""
        if not self.ok:
            return None
        try:
            return make(**fields, origin=Origin(self.table.label, self.row.number))
        except ValueError as exc:
            # The entities' messages start with the field they are about ("earliest_term 3 is ...").
            first = str(exc).split(" ", 1)[0]
            self.report(first if first in fields else blame, str(exc))
            return None


def _sector(r: RowReader) -> Sector | None:
    return r.build(
        Sector, "sector_id", sector_id=r.ident("sector_id"), name=r.text("name"), weight=r.whole("weight", 1)
    )


def _skill(r: RowReader) -> Skill | None:
    return r.build(Skill, "skill_id", skill_id=r.ident("skill_id"), name=r.text("name"), cluster=r.text("cluster"))


def _demand(r: RowReader) -> Demand | None:
    return r.build(
        Demand,
        "skill_id",
        sector_id=r.ident("sector_id"),
        skill_id=r.ident("skill_id"),
        level=r.whole("level", 1, 3),
        importance=r.whole("importance", 1),
    )


def _module(r: RowReader) -> Module | None:
    known = set(COLUMNS["modules"]) | set(MODULE_WINDOW)
    return r.build(
        Module,
        "module_id",
        module_id=r.ident("module_id"),
        name=r.text("name"),
        career=r.text("career"),
        hours=r.whole("hours", 1),
        earliest_term=r.whole("earliest_term", 1, optional=True),
        latest_term=r.whole("latest_term", 1, optional=True),
        dual_hours=r.whole("dual_hours", 0, optional=True) or 0,
        # Extra columns (status, code, ...) travel with the module so the export can show them.
        extra={column: value for column, value in r.row.cells.items() if column not in known},
    )


def _module_skill(r: RowReader) -> ModuleSkill | None:
    return r.build(
        ModuleSkill,
        "skill_id",
        module_id=r.ident("module_id"),
        skill_id=r.ident("skill_id"),
        level=r.whole("level", 1, 3),
    )


def _prerequisite(r: RowReader) -> Prerequisite | None:
    return r.build(
        Prerequisite,
        "prerequisite_id",
        module_id=r.ident("module_id"),
        prerequisite_id=r.ident("prerequisite_id"),
    )


def _instructor(r: RowReader) -> Instructor | None:
    return r.build(
        Instructor,
        "instructor_id",
        instructor_id=r.ident("instructor_id"),
        name=r.text("name"),
        max_hours_per_term=r.whole("max_hours_per_term", 0),
        min_hours_per_term=r.whole("min_hours_per_term", 0, optional=True) or 0,
        cost_per_hour=r.whole("cost_per_hour", 0, optional=True) or 0,
    )


def _lab(r: RowReader) -> Lab | None:
    return r.build(
        Lab,
        "lab_id",
        lab_id=r.ident("lab_id"),
        name=r.text("name"),
        max_hours_per_term=r.whole("max_hours_per_term", 0),
    )


def _module_lab(r: RowReader) -> ModuleLab | None:
    return r.build(ModuleLab, "lab_id", module_id=r.ident("module_id"), lab_id=r.ident("lab_id"))


def _qualification(r: RowReader) -> Qualification | None:
    return r.build(Qualification, "module_id", instructor_id=r.ident("instructor_id"), module_id=r.ident("module_id"))


def _training(r: RowReader) -> Training | None:
    return r.build(
        Training,
        "cost",
        instructor_id=r.ident("instructor_id"),
        module_id=r.ident("module_id"),
        cost=r.whole("cost", 0),
    )


def _commitment(r: RowReader) -> Commitment | None:
    return r.build(
        Commitment,
        "hours",
        instructor_id=r.ident("instructor_id"),
        period=r.whole("period", 1),
        hours=r.whole("hours", 0),
    )


def _lab_commitment(r: RowReader) -> LabCommitment | None:
    return r.build(
        LabCommitment, "hours", lab_id=r.ident("lab_id"), period=r.whole("period", 1), hours=r.whole("hours", 0)
    )


def _track(r: RowReader) -> Track | None:
    return r.build(Track, "track_id", track_id=r.ident("track_id"), name=r.text("name"), career=r.text("career"))


def _track_module(r: RowReader) -> TrackModule | None:
    return r.build(TrackModule, "module_id", track_id=r.ident("track_id"), module_id=r.ident("module_id"))


READERS: dict[str, Callable[[RowReader], Any]] = {
    "sectors": _sector,
    "skills": _skill,
    "demands": _demand,
    "modules": _module,
    "module_skills": _module_skill,
    "prerequisites": _prerequisite,
    "instructors": _instructor,
    "qualifications": _qualification,
    "labs": _lab,
    "module_labs": _module_lab,
    "training": _training,
    "commitments": _commitment,
    "lab_commitments": _lab_commitment,
    "tracks": _track,
    "track_modules": _track_module,
}
