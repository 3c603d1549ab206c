"""The scenario as a domain type: the planning question read from a TOML file.

Its fields check themselves in `__post_init__` (raising `ValueError` with a plain sentence); the
reader (planner/scenario.py) turns those into messages naming the file and key. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from planner.i18n import _

OBJECTIVES = ("coverage", "hours", "balance", "cost", "changes")  # changes: against a --review
DEFAULT_OBJECTIVE = ("coverage", "hours", "balance")
# How cohorts are admitted, which decides the terms that run together in one period (a real
# school term): yearly intake runs odd terms together (autumn) and even terms together (spring).
INTAKES = ("yearly", "every_term", "single")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class SectorGoal:
    """A priority sector of a scenario: its coverage floor and (optionally) its own weight."""

    sector_id: str
    min_coverage: Fraction = Fraction(0)
    weight: int | None = None

    def __post_init__(self) -> None:
        _require(0 <= self.min_coverage <= 1, _("min_coverage must lie between 0 and 1."))
        _require(self.weight is None or self.weight >= 1, _("weight must be at least 1."))


@dataclass(frozen=True)
class Scenario:
    """A planning question, as read from a TOML file (see PLANNER-SPEC.md, Scenario format)."""

    name: str
    terms: int
    sections: int | tuple[int, ...] = 1  # groups per module: the same every semester, or per semester
    catalog: Path | None = None
    campus: Path | None = None
    careers: tuple[str, ...] | None = None
    required_modules: tuple[str, ...] = ()
    excluded_modules: tuple[str, ...] = ()
    objective: tuple[str, ...] = DEFAULT_OBJECTIVE
    time_limit_seconds: float | None = None
    language: str | None = None  # of the workbook and messages; --lang wins; None: the default
    total_hours_max: int | None = None
    term_hours_min: int = 0
    term_hours_max: int | None = None
    modules_per_term_min: int = 0
    modules_per_term_max: int | None = None
    max_instructors_used: int | None = None
    min_qualified: int = 1
    max_cost: int | None = None
    training_budget: int = 0  # [training] budget: money for buying qualifications (0: none bought)
    intake: str = "yearly"
    weeks_per_term: int = 18  # CONALEP semesters run 18 weeks; used to show hours per week
    dual_groups: tuple[int, ...] | None = None  # [dual] groups: per semester, its groups in dual training
    max_company_hours: int | None = None  # [dual] max_company_hours: per period, what the companies give
    tracks_offer: int | None = None  # [tracks] offer: how many candidate tracks are offered (None: no [tracks])
    track_groups: int = 1  # [tracks] groups: the groups of each offered track, in every semester
    sectors: tuple[SectorGoal, ...] | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        _require(self.terms >= 1, _("terms {terms} must be at least 1.", terms=self.terms))
        if isinstance(self.sections, tuple):
            _require(
                len(self.sections) == self.terms,
                _(
                    "sections lists {count} semesters, but terms is {terms}.",
                    count=len(self.sections),
                    terms=self.terms,
                ),
            )
            _require(min(self.sections) >= 1, _("sections must be at least 1 in every semester."))
        else:
            _require(self.sections >= 1, _("sections {sections} must be at least 1.", sections=self.sections))
        if self.dual_groups is not None:
            _require(
                len(self.dual_groups) == self.terms,
                _(
                    "dual.groups lists {count} semesters, but terms is {terms}.",
                    count=len(self.dual_groups),
                    terms=self.terms,
                ),
            )
            for t, (dual, groups) in enumerate(zip(self.dual_groups, self.groups, strict=True), start=1):
                _require(
                    0 <= dual <= groups,
                    _(
                        "dual.groups puts {dual} groups of semester {term} in dual training, but it has {groups}.",
                        dual=dual,
                        term=t,
                        groups=groups,
                    ),
                )
        _require(
            self.tracks_offer is None or self.tracks_offer >= 1,
            _("tracks.offer {offer} must be at least 1.", offer=self.tracks_offer),
        )
        _require(self.track_groups >= 1, _("tracks.groups {groups} must be at least 1.", groups=self.track_groups))
        _require(len(self.objective) > 0, _("objective must name at least one objective."))
        for name in self.objective:
            _require(
                name in OBJECTIVES,
                _("objective '{name}' is not one of {items}.", name=name, items=", ".join(OBJECTIVES)),
            )
        _require(len(set(self.objective)) == len(self.objective), _("objective repeats a name."))
        _require(
            self.intake in INTAKES,
            _("intake '{intake}' is not one of {items}.", intake=self.intake, items=", ".join(INTAKES)),
        )
        _require(
            self.min_qualified >= 1,
            _("min_qualified {min_qualified} must be at least 1.", min_qualified=self.min_qualified),
        )
        _require(
            self.training_budget >= 0,
            _("training budget {budget} must not be negative.", budget=self.training_budget),
        )

    @property
    def groups(self) -> tuple[int, ...]:
        """The groups (sections) of each semester, index t-1 for term t."""
        if isinstance(self.sections, tuple):
            return self.sections
        return (self.sections,) * self.terms

    @property
    def dual(self) -> tuple[int, ...]:
        """The groups of each semester in dual training (its first ones), index t-1 for term t."""
        return self.dual_groups if self.dual_groups is not None else (0,) * self.terms

    @property
    def periods(self) -> tuple[tuple[int, ...], ...]:
        """The terms that run together in each period (a real school term), in order."""
        terms = range(1, self.terms + 1)
        if self.intake == "single":
            return tuple((t,) for t in terms)
        if self.intake == "every_term":
            return (tuple(terms),)
        return tuple(p for p in (tuple(terms[0::2]), tuple(terms[1::2])) if p)

    @property
    def file_name(self) -> str:
        return self.path.name if self.path else "scenario"


def per_week(hours: int, weeks: int) -> str:
    """Hours of a term as hours per week, the way contracts are written: 6, 5.6."""
    return f"{hours / weeks:.1f}".removesuffix(".0")


def period_data(scenario: Scenario, p: int) -> dict[str, object]:
    """A period as reason data (planner.words.reasons.period says it)."""
    return {"intake": scenario.intake, "season": p, "terms": list(scenario.periods[p])}
