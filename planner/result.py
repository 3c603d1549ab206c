"""The result of a planning run: the plan, and every figure recomputed from the plan itself.

Nothing here trusts the solver's own numbers: objective values, coverage, loads and the list of
broken rules are derived from the placements, so tests can cross-check the optimizer and the
CLI can refuse to write a plan that breaks a rule. Standard library only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from planner.changes import Change, plan_changes
from planner.gaps import Gap, GapReasons
from planner.model import Demand, Problem, Training
from planner.paths import StudentPath, offered_tracks, student_paths
from planner.reasons import Reason
from planner.rules import RuleChecker


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"  # every objective stage proven optimal
    FEASIBLE = "FEASIBLE"  # a valid plan, but some stage stopped at the time limit


@dataclass(frozen=True)
class Placement:
    """A taken module, its term, and the instructor of each section (None without instructors)."""

    module_id: str
    term: int
    instructors: tuple[str | None, ...]


class Engine(StrEnum):
    """The engine whose plan ended an objective stage (the one that proved it, when proven)."""

    CP_SAT = "CP-SAT"
    HIGHS = "HiGHS"


@dataclass(frozen=True)
class Stage:
    """One lexicographic objective stage as the solver saw it."""

    objective: str
    value: int
    bound: int
    proven: bool
    seconds: float
    engine: Engine | None = None


@dataclass(frozen=True)
class Progress:
    """What the optimizer reports while solving, for a live progress line."""

    stage: str  # the objective being optimised
    stage_number: int  # 1-based
    stages: int
    best: int | None  # best value found so far in this stage
    bound: int | None  # proven bound on this stage's value
    elapsed: float  # seconds since the run started
    limit: float  # the run's time limit in seconds


@dataclass(frozen=True)
class SolverInfo:
    ortools_version: str
    parameters: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class SectorCoverage:
    sector_id: str
    name: str
    weight: int
    covered_importance: int
    total_importance: int
    min_coverage: Fraction

    @property
    def ratio(self) -> Fraction:
        """Covered share of the sector's importance; a sector with no demands is fully covered."""
        if self.total_importance == 0:
            return Fraction(1)
        return Fraction(self.covered_importance, self.total_importance)

    @property
    def met(self) -> bool:
        return self.ratio >= self.min_coverage


@dataclass(frozen=True)
class DemandCoverage:
    demand: Demand
    taught_level: int | None  # highest level any taken module teaches the skill at
    by_modules: tuple[str, ...]  # taken modules teaching the skill at >= the demanded level

    @property
    def covered(self) -> bool:
        return bool(self.by_modules)


@dataclass(frozen=True)
class InstructorLoad:
    instructor_id: str
    name: str
    capacity: int  # hours per period (the contract's cap)
    floor: int  # hours per period when teaching at all (the contract's floor)
    cost_per_hour: int
    hours_per_term: tuple[int, ...]  # index t-1 holds term t: the plan's hours only
    hours_per_period: tuple[int, ...]  # index p holds Problem.periods[p], its terms summed
    sections: int
    committed: tuple[int, ...] = ()  # per period: hours already taught for the campus's other careers

    @property
    def cost(self) -> int:
        return sum(self.hours_per_term) * self.cost_per_hour

    def committed_in(self, p: int) -> int:
        return self.committed[p] if p < len(self.committed) else 0

    def total_in(self, p: int) -> int:
        """Committed plus plan hours in period p: what the contract's floor and cap bound."""
        return self.committed_in(p) + self.hours_per_period[p]

    def over_cap(self, p: int) -> bool:
        return self.total_in(p) > self.capacity

    def below_floor(self, p: int) -> bool:
        """The plan gives hours in period p, yet with the commitments they stay under the floor."""
        return self.hours_per_period[p] > 0 and self.total_in(p) < self.floor


@dataclass(frozen=True)
class LabUse:
    """Hours a lab is used per period (module hours x sections) against its capacity."""

    lab_id: str
    name: str
    capacity: int
    hours_per_period: tuple[int, ...]  # the plan's use
    committed: tuple[int, ...] = ()  # per period: the campus's other careers' use

    def total_in(self, p: int) -> int:
        return (self.committed[p] if p < len(self.committed) else 0) + self.hours_per_period[p]


@dataclass(frozen=True)
class PlanResult:
    problem: Problem
    status: Status
    placements: tuple[Placement, ...]
    stages: tuple[Stage, ...] = ()
    solver: SolverInfo = SolverInfo("")
    training: tuple[Training, ...] = ()  # qualifications bought for this plan

    # --- derived figures ---------------------------------------------------------------------

    @cached_property
    def taken(self) -> dict[str, Placement]:
        return {p.module_id: p for p in self.placements}

    @cached_property
    def term_hours(self) -> tuple[int, ...]:
        hours = [0] * self.problem.terms
        for p in self.placements:
            if 1 <= p.term <= self.problem.terms:
                hours[p.term - 1] += self.problem.catalog.module_by_id[p.module_id].hours
        return tuple(hours)

    @cached_property
    def group_hours(self) -> int:
        """Hours x groups over the terms: the teaching the students receive, school and company."""
        if not self.problem.has_tracks:
            return sum(h * g for h, g in zip(self.term_hours, self.problem.scenario.groups, strict=True))
        catalog = self.problem.catalog  # a track module runs its track's groups
        return sum(catalog.module_by_id[p.module_id].hours * len(p.instructors) for p in self.placements)

    @cached_property
    def tracks(self) -> tuple[str, ...]:
        """The tracks this plan offers (empty without [tracks])."""
        return offered_tracks(self.problem, {p.module_id: p.term for p in self.placements})

    @cached_property
    def paths(self) -> tuple[StudentPath, ...]:
        """Each offered student path (the core and one track); the whole plan without tracks."""
        return student_paths(self.problem, {p.module_id: p.term for p in self.placements})

    @cached_property
    def term_module_counts(self) -> tuple[int, ...]:
        counts = [0] * self.problem.terms
        for p in self.placements:
            if 1 <= p.term <= self.problem.terms:
                counts[p.term - 1] += 1
        return tuple(counts)

    @cached_property
    def demand_coverage(self) -> tuple[DemandCoverage, ...]:
        taught: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for ms in self.problem.catalog.module_skills:
            if ms.module_id in self.taken:
                taught[ms.skill_id].append((ms.level, ms.module_id))
        rows = []
        for row in self.problem.demand_rows:
            levels = taught.get(row.demand.skill_id, [])
            rows.append(
                DemandCoverage(
                    demand=row.demand,
                    taught_level=max((level for level, _ in levels), default=None),
                    by_modules=tuple(sorted(m for level, m in levels if level >= row.demand.level)),
                )
            )
        return tuple(rows)

    @cached_property
    def sector_coverage(self) -> tuple[SectorCoverage, ...]:
        problem = self.problem
        covered = [0] * len(problem.sector_ids)
        total = [0] * len(problem.sector_ids)
        for row, cov in zip(problem.demand_rows, self.demand_coverage, strict=True):
            total[row.sector] += row.demand.importance
            if cov.covered:
                covered[row.sector] += row.demand.importance
        return tuple(
            SectorCoverage(
                sector_id=sector_id,
                name=problem.catalog.sector_by_id[sector_id].name,
                weight=problem.sector_weights[k],
                covered_importance=covered[k],
                total_importance=total[k],
                min_coverage=problem.min_coverage[k],
            )
            for k, sector_id in enumerate(problem.sector_ids)
        )

    @cached_property
    def objectives(self) -> dict[str, int]:
        """All three objective values of this plan, whatever the scenario's order."""
        coverage = sum(
            row.weight for row, cov in zip(self.problem.demand_rows, self.demand_coverage, strict=True) if cov.covered
        )
        balance = max(self.term_hours, default=0)
        if self.problem.has_tracks:  # summed over the offered paths; the heaviest path's term
            coverage = sum(path.coverage for path in self.paths)
            balance = max((max(path.term_hours, default=0) for path in self.paths), default=0)
        return {
            "coverage": coverage,
            "hours": sum(self.term_hours),
            "balance": balance,
            "cost": sum(load.cost for load in self.instructor_loads),
        } | ({"changes": len(self.changes)} if self._counts_changes else {})

    @property
    def _counts_changes(self) -> bool:
        """`changes` is a figure of a plan made with --review, or one that ranks it (then 0)."""
        return self.problem.review is not None or "changes" in self.problem.scenario.objective

    @cached_property
    def max_coverage(self) -> int:
        """The coverage objective if every demand were covered (on every offered path, with tracks)."""
        paths = self.problem.scenario.tracks_offer or 1
        return paths * sum(row.weight for row in self.problem.demand_rows)

    def section_hours(self, p: Placement, section: int) -> int:
        """The hours a section (from 1) needs of its instructor and labs: a dual section, one of the
        first dual.groups of its term, leaves the module's dual_hours to the partner company."""
        module = self.problem.catalog.module_by_id[p.module_id]
        dual = self.problem.scenario.dual_groups is not None and self.is_dual(p, section)
        return module.hours - (module.dual_hours if dual else 0)

    def is_dual(self, p: Placement, section: int) -> bool:
        """A track module's first min(dual.groups, tracks.groups) sections are dual."""
        if not 1 <= p.term <= self.problem.terms:
            return False
        i = self.problem.index_of.get(p.module_id)
        return section <= (self.problem.dual_in(p.term) if i is None else self.problem.dual_of(i, p.term))

    @cached_property
    def company_hours(self) -> tuple[int, ...]:
        """Per period: the hours the partner companies give the plan's dual sections."""
        per_term = [0] * self.problem.terms
        for p in self.placements:
            if 1 <= p.term <= self.problem.terms:
                module = self.problem.catalog.module_by_id[p.module_id]
                for s in range(1, len(p.instructors) + 1):
                    per_term[p.term - 1] += module.hours - self.section_hours(p, s)
        return self._per_period(per_term)

    @cached_property
    def instructor_loads(self) -> tuple[InstructorLoad, ...]:
        hours: dict[str, list[int]] = {i.instructor_id: [0] * self.problem.terms for i in self.problem.instructors}
        sections: dict[str, int] = defaultdict(int)
        for p in self.placements:
            for s, instructor_id in enumerate(p.instructors, start=1):
                if instructor_id in hours and 1 <= p.term <= self.problem.terms:
                    hours[instructor_id][p.term - 1] += self.section_hours(p, s)
                    sections[instructor_id] += 1
        committed = self.problem.committed
        periods = range(len(self.problem.periods))
        return tuple(
            InstructorLoad(
                instructor_id=i.instructor_id,
                name=i.name,
                capacity=i.max_hours_per_term,
                floor=i.min_hours_per_term,
                cost_per_hour=i.cost_per_hour,
                hours_per_term=tuple(hours[i.instructor_id]),
                hours_per_period=self._per_period(hours[i.instructor_id]),
                sections=sections[i.instructor_id],
                committed=tuple(committed.get((k, p), 0) for p in periods),
            )
            for k, i in enumerate(self.problem.instructors)
        )

    def _per_period(self, per_term: list[int]) -> tuple[int, ...]:
        return tuple(sum(per_term[t - 1] for t in terms) for terms in self.problem.periods)

    @cached_property
    def lab_uses(self) -> tuple[LabUse, ...]:
        problem = self.problem
        hours = [[0] * problem.terms for _ in problem.labs]
        for p in self.placements:
            i = problem.index_of.get(p.module_id)
            if i is None or not 1 <= p.term <= problem.terms:
                continue
            for n in problem.module_labs[i]:
                hours[n][p.term - 1] += sum(self.section_hours(p, s) for s in range(1, len(p.instructors) + 1))
        periods = range(len(problem.periods))
        return tuple(
            LabUse(
                lab.lab_id,
                lab.name,
                lab.max_hours_per_term,
                self._per_period(hours[n]),
                tuple(problem.lab_committed.get((n, p), 0) for p in periods),
            )
            for n, lab in enumerate(problem.labs)
        )

    @cached_property
    def sole_teacher(self) -> dict[str, str]:
        """Taken modules that only one instructor of the roster can teach, with that instructor."""
        problem = self.problem
        out = {}
        for module_id in self.taken:
            i = problem.index_of.get(module_id)
            if i is not None and len(problem.qualified[i]) == 1:
                out[module_id] = problem.instructors[problem.qualified[i][0]].instructor_id
        return out

    @cached_property
    def instructors_used(self) -> int:
        return sum(1 for load in self.instructor_loads if load.sections > 0)

    @cached_property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(
            Gap(cov.demand, reasons.reason(row_index))
            for reasons in [GapReasons(self)]
            for row_index, cov in enumerate(self.demand_coverage)
            if not cov.covered
        )

    @property
    def proven(self) -> bool:
        return self.status is Status.OPTIMAL

    # --- against a review (planner plan --review) ---------------------------------------------

    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """Each change against the reviewed plan, with its reason; empty without a review."""
        return tuple(plan_changes(self.problem.review, *self._plan_maps))

    @property
    def _plan_maps(self) -> tuple[dict[str, int], dict[str, tuple[str | None, ...]]]:
        return {p.module_id: p.term for p in self.placements}, {p.module_id: p.instructors for p in self.placements}

    # --- the rules, checked on the plan ------------------------------------------------------

    def violations(self) -> list[Reason]:
        """Every rule of the planning model that this plan breaks, as reasons (empty if valid).

        Judged by the rule checker (planner/rules.py) from the catalog and scenario themselves, not
        from the problem's derived structures that the optimizer shares."""
        problem = self.problem
        return RuleChecker(problem.catalog, problem.scenario, problem.review).violations(self.placements, self.training)
