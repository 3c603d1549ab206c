"""The result of a planning run: the plan, and every figure recomputed from the plan itself.

Nothing here trusts the solver's own numbers: objective values, coverage, loads and the list of
broken rules are derived from the placements, so tests can cross-check the optimizer and the
CLI can refuse to write a plan that breaks a rule. Standard library only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from planner.changes import Change, decision_violations, plan_changes
from planner.model import Demand, DemandRow, Problem, Training, period_data
from planner.paths import (
    StudentPath,
    offered_tracks,
    path_violations,
    student_paths,
    track_gap_reason,
    track_violations,
)
from planner.reasons import Reason


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"  # every objective stage proven optimal
    FEASIBLE = "FEASIBLE"  # a valid plan, but some stage stopped at the time limit


@dataclass(frozen=True)
class Placement:
    """A taken module, its term, and the instructor of each section (None without instructors)."""

    module_id: str
    term: int
    instructors: tuple[str | None, ...]


@dataclass(frozen=True)
class Stage:
    """One lexicographic objective stage as the solver saw it."""

    objective: str
    value: int
    bound: int
    proven: bool
    seconds: float


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
class Gap:
    """An uncovered demand and why, as data (planner.words.reasons.say words it)."""

    demand: Demand
    reason: Reason


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
        catalog = self.problem.catalog
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
            Gap(cov.demand, self._gap_reason(row_index))
            for row_index, cov in enumerate(self.demand_coverage)
            if not cov.covered
        )

    @cached_property
    def _teachers(self) -> dict[str, list[tuple[str, int]]]:
        """Skill -> (module, level) over the whole catalog, so each gap need not scan every module."""
        return teachers(self.problem)

    def _gap_reason(self, row_index: int) -> Reason:
        problem = self.problem
        row = problem.demand_rows[row_index]
        why = uncoverable(problem, row, self._teachers)
        if why is not None:
            return why
        open_ = [i for i in row.covering if i not in problem.blocked]
        cheapest = min(open_, key=lambda i: (problem.candidates[i].hours, i))
        return track_gap_reason(problem, cheapest, self.tracks) or self._limit_reason(cheapest)

    def _limit_reason(self, module: int) -> Reason:
        """Which scenario limit taking this (cheapest covering) module would break."""
        problem, scenario = self.problem, self.problem.scenario
        candidate = problem.candidates[module]
        hours = candidate.hours
        name = candidate.module_id
        total = sum(self.term_hours)
        if scenario.total_hours_max is not None and total + hours > scenario.total_hours_max:
            return Reason(
                "total_hours_full", {"module": name, "hours": hours, "limit": scenario.total_hours_max, "used": total}
            )
        lo, hi = problem.windows[module]
        fits = [
            t
            for t in range(lo, hi + 1)
            if (scenario.term_hours_max is None or self.term_hours[t - 1] + hours <= scenario.term_hours_max)
            and (
                scenario.modules_per_term_max is None or self.term_module_counts[t - 1] < scenario.modules_per_term_max
            )
        ]
        if not fits:
            return Reason("terms_full", {"module": name, "hours": hours, "first": lo, "last": hi})
        lab_full = self._lab_reason(module, fits)
        if lab_full:
            return lab_full
        if problem.instructors:
            staffing = self._staffing_reason(module, fits)
            if staffing:
                return staffing
        missing = [
            problem.candidates[q].module_id
            for m, q in problem.prerequisites
            if m == module and problem.candidates[q].module_id not in self.taken
        ]
        if missing:
            return Reason("prerequisites_missing", {"module": name, "modules": missing})
        return self._trade_off(name, hours)

    def _lab_reason(self, module: int, fits: list[int]) -> Reason | None:
        """A lab the module needs that is too full in every period it could run in."""
        problem = self.problem
        for n in problem.module_labs[module]:
            use = self.lab_uses[n]
            if all(use.total_in(problem.period_of[t]) + problem.group_hours(module, t) > use.capacity for t in fits):
                t = min(fits, key=lambda t: use.total_in(problem.period_of[t]))
                p, need = problem.period_of[t], problem.group_hours(module, t)
                free = use.capacity - use.total_in(p)
                return Reason(
                    "lab_full",
                    {
                        "lab": use.lab_id,
                        "name": use.name,
                        "period": period_data(problem.scenario, p),
                        "module": problem.candidates[module].module_id,
                        "need": need,
                        "free": max(free, 0),
                        "capacity": use.capacity,
                    },
                )
        return None

    def _staffing_reason(self, module: int, fits: list[int]) -> Reason | None:
        """The instructor contracts, instructor limit or budget that adding the module would break."""
        problem, scenario = self.problem, self.problem.scenario
        name, hours = problem.candidates[module].module_id, problem.hours[module]
        sections = min(problem.sections_of(module, t) for t in fits)
        qualified = {problem.instructors[k].instructor_id for k in problem.qualified[module]}
        loads = [load for load in self.instructor_loads if load.instructor_id in qualified]
        if not loads:  # only bought training could staff it, and none was bought for it
            return Reason("needs_training", {"module": name})
        periods = sorted({problem.period_of[t] for t in fits})
        if not any(sum((ld.capacity - ld.total_in(p)) // hours for ld in loads) >= sections for p in periods):
            ld, p = min(((ld, p) for ld in loads for p in periods), key=lambda x: x[0].total_in(x[1]) - x[0].capacity)
            return Reason(
                "instructor_full",
                {
                    "instructor": ld.instructor_id,
                    "module": name,
                    "would": ld.total_in(p) + hours * sections,
                    "capacity": ld.capacity,
                    "weeks": scenario.weeks_per_term,
                    "period": period_data(scenario, p),
                    "groups": sections,
                },
            )
        spare = {ld.instructor_id for ld in loads if any(ld.capacity - ld.total_in(p) >= hours for p in periods)}
        teaching = {load.instructor_id for load in self.instructor_loads if load.sections}
        limit = scenario.max_instructors_used
        if limit is not None and self.instructors_used >= limit and not spare & teaching:
            return Reason("instructor_limit_reached", {"module": name, "limit": limit})
        cheapest = min((ld.cost_per_hour for ld in loads), default=0) * hours * sections
        cost = self.objectives["cost"]
        if scenario.max_cost is not None and cost + cheapest > scenario.max_cost:
            return Reason(
                "budget_reached", {"module": name, "extra": cheapest, "cost": cost, "budget": scenario.max_cost}
            )
        return None

    def _trade_off(self, name: str, hours: int) -> Reason:
        """The module fits on its own, so the objective order kept it out."""
        first = self.problem.scenario.objective[0]
        if first != "coverage":
            return Reason("objective_order", {"module": name, "hours": hours, "objective": first})
        if self.status is Status.OPTIMAL:
            return Reason("better_modules", {"module": name, "hours": hours})
        return Reason("search_time", {"module": name, "hours": hours})

    # --- against a review (planner plan --review) ---------------------------------------------

    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """Each change against the reviewed plan, with its reason; empty without a review."""
        return tuple(plan_changes(self.problem.review, *self._plan_maps))

    def decision_violations(self) -> list[Reason]:
        """Every decision of the review that this plan breaks (empty if all hold)."""
        return decision_violations(self.problem.review, *self._plan_maps, self.problem.catalog.track_of)

    @property
    def _plan_maps(self) -> tuple[dict[str, int], dict[str, tuple[str | None, ...]]]:
        return {p.module_id: p.term for p in self.placements}, {p.module_id: p.instructors for p in self.placements}

    # --- the rules, checked on the plan ------------------------------------------------------

    def violations(self) -> list[Reason]:
        """Every rule of the planning model that this plan breaks, as reasons (empty if valid)."""
        problem, scenario = self.problem, self.problem.scenario
        out: list[Reason] = []
        index = problem.index_of
        seen: set[str] = set()
        for p in self.placements:
            if p.module_id in seen:
                out.append(Reason("taken_twice", {"module": p.module_id}))
            seen.add(p.module_id)
            if p.module_id not in index:
                out.append(Reason("not_candidate", {"module": p.module_id}))
                continue
            i = index[p.module_id]
            if i in problem.blocked:
                out.append(Reason("blocked_taken", {"module": p.module_id, "why": as_data(problem.blocked[i])}))
            lo, hi = problem.windows[i]
            if not lo <= p.term <= hi:
                out.append(Reason("outside_window", {"module": p.module_id, "term": p.term, "first": lo, "last": hi}))
            out.extend(self._section_violations(p, i))
        for module_id in scenario.required_modules:
            if module_id not in self.taken:
                out.append(Reason("required_missing", {"module": module_id}))
        for module_id in scenario.excluded_modules:
            if module_id in self.taken:
                out.append(Reason("excluded_taken", {"module": module_id}))
        for module, prerequisite in problem.prerequisites:
            m, q = problem.candidates[module].module_id, problem.candidates[prerequisite].module_id
            if m in self.taken and (q not in self.taken or self.taken[q].term >= self.taken[m].term):
                out.append(Reason("prerequisite_order", {"module": m, "prerequisite": q}))
        out.extend(self._limit_violations())
        out.extend(self.decision_violations())
        if problem.has_tracks:  # rules 3 and 5 hold on every offered path
            out.extend(track_violations(problem, {p.module_id: p.term for p in self.placements}))
            return out + [reason for path in self.paths for reason in path_violations(problem, path)]
        for sector in self.sector_coverage:
            if not sector.met:
                floor = sector.min_coverage
                out.append(
                    Reason(
                        "sector_below_floor",
                        {
                            "sector": sector.sector_id,
                            "covered": sector.covered_importance,
                            "total": sector.total_importance,
                            "floor": [floor.numerator, floor.denominator],
                        },
                    )
                )
        return out

    def _section_violations(self, p: Placement, i: int) -> list[Reason]:
        problem = self.problem
        needed = problem.sections_of(i, p.term) if 1 <= p.term <= problem.terms else len(p.instructors)
        if len(p.instructors) != needed:
            return [Reason("wrong_sections", {"module": p.module_id, "count": len(p.instructors), "needed": needed})]
        if not problem.instructors:
            named = any(p.instructors)
            return [Reason("instructor_without_roster", {"module": p.module_id})] if named else []
        qualified = {problem.instructors[k].instructor_id for k in problem.qualified[i]}
        qualified |= {t.instructor_id for t in self.training if t.module_id == p.module_id}
        return [
            Reason("unqualified_instructor", {"section": s, "module": p.module_id, "instructor": who})
            for s, who in enumerate(p.instructors, start=1)
            if who not in qualified
        ]

    def _limit_violations(self) -> list[Reason]:
        scenario = self.problem.scenario
        out = []
        for t, (hours, count) in enumerate(zip(self.term_hours, self.term_module_counts, strict=True), start=1):
            if self.problem.has_tracks:
                break  # per path, in violations()
            if hours < scenario.term_hours_min:
                out.append(Reason("term_hours_low", {"term": t, "hours": hours, "limit": scenario.term_hours_min}))
            if scenario.term_hours_max is not None and hours > scenario.term_hours_max:
                out.append(Reason("term_hours_high", {"term": t, "hours": hours, "limit": scenario.term_hours_max}))
            if count < scenario.modules_per_term_min:
                out.append(
                    Reason("term_modules_low", {"term": t, "count": count, "limit": scenario.modules_per_term_min})
                )
            if scenario.modules_per_term_max is not None and count > scenario.modules_per_term_max:
                out.append(
                    Reason("term_modules_high", {"term": t, "count": count, "limit": scenario.modules_per_term_max})
                )
        total = sum(self.term_hours)
        if scenario.total_hours_max is not None and total > scenario.total_hours_max and not self.problem.has_tracks:
            out.append(Reason("total_hours_high", {"hours": total, "limit": scenario.total_hours_max}))
        if scenario.max_instructors_used is not None and self.instructors_used > scenario.max_instructors_used:
            out.append(
                Reason("instructors_high", {"count": self.instructors_used, "limit": scenario.max_instructors_used})
            )
        cost = self.objectives["cost"]
        if scenario.max_cost is not None and cost > scenario.max_cost:
            out.append(Reason("cost_high", {"cost": cost, "limit": scenario.max_cost}))
        return out + self._period_violations() + self.training_violations()

    def training_violations(self) -> list[Reason]:
        """Bought training must be on offer for a roster instructor, and within [training] budget."""
        problem = self.problem
        offered = {(t.instructor_id, t.module_id): t.cost for t in problem.catalog.training}
        roster = {i.instructor_id for i in problem.instructors}
        out = [
            Reason("training_not_offered", {"instructor": t.instructor_id, "module": t.module_id, "cost": t.cost})
            for t in self.training
            if offered.get((t.instructor_id, t.module_id)) != t.cost or t.instructor_id not in roster
        ]
        need = problem.scenario.min_qualified
        for module_id in self.taken:  # short of min_qualified on the roster: bought training makes it up
            i = problem.index_of.get(module_id)
            if i is None or i in problem.blocked or i >= len(problem.named_qualified) or not problem.instructors:
                continue
            bought = sum(1 for t in self.training if t.module_id == module_id)
            if problem.named_qualified[i] + bought < need:
                out.append(Reason("too_few_qualified_taken", {"module": module_id, "needed": need}))
        spent = sum(t.cost for t in self.training)
        if spent > problem.scenario.training_budget:
            out.append(Reason("training_over_budget", {"spent": spent, "budget": problem.scenario.training_budget}))
        return out

    def _period_violations(self) -> list[Reason]:
        """Instructor contracts and lab capacities, per period (the terms that run together)."""
        out = []
        for load in self.instructor_loads:
            for p in range(len(load.hours_per_period)):
                where = period_data(self.problem.scenario, p)
                said = {"instructor": load.instructor_id, "hours": load.total_in(p), "period": where}
                if load.over_cap(p):
                    out.append(Reason("instructor_over", {**said, "limit": load.capacity}))
                if load.below_floor(p):
                    out.append(Reason("instructor_under", {**said, "limit": load.floor}))
        for lab in self.lab_uses:
            for p in range(len(lab.hours_per_period)):
                if lab.total_in(p) > lab.capacity:
                    where = period_data(self.problem.scenario, p)
                    out.append(
                        Reason(
                            "lab_over",
                            {"lab": lab.lab_id, "hours": lab.total_in(p), "period": where, "limit": lab.capacity},
                        )
                    )
        limit = self.problem.scenario.max_company_hours
        for p, hours in enumerate(self.company_hours):
            if limit is not None and hours > limit:
                where = period_data(self.problem.scenario, p)
                out.append(Reason("company_hours_over", {"hours": hours, "period": where, "limit": limit}))
        return out


def as_data(reason: Reason) -> dict[str, object]:
    """A reason inside another reason's parameters, kept JSON-able."""
    return {"code": reason.code, "params": dict(reason.params)}


def teachers(problem: Problem) -> dict[str, list[tuple[str, int]]]:
    """Skill -> (module, level) over the whole catalog."""
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for ms in problem.catalog.module_skills:
        out[ms.skill_id].append((ms.module_id, ms.level))
    return out


def uncoverable(problem: Problem, row: DemandRow, taught: Mapping[str, list[tuple[str, int]]]) -> Reason | None:
    """Why no plan of this scenario can cover a demand, from the catalog alone; None if one could.

    The one explanation of an uncoverable demand: gaps and the infeasibility explanation both use it.
    """
    demand = row.demand
    said = {"skill": demand.skill_id, "level": demand.level}
    in_catalog = sorted(m for m, level in taught.get(demand.skill_id, ()) if level >= demand.level)
    if not in_catalog:
        return Reason("not_taught", said)
    if not row.covering:
        return Reason("no_candidate", {**said, "modules": in_catalog})
    if any(i not in problem.blocked for i in row.covering):
        return None
    modules = [{"module": problem.candidates[i].module_id, "why": as_data(problem.blocked[i])} for i in row.covering]
    return Reason("uncoverable", {**said, "modules": modules})
