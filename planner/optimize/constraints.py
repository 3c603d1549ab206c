"""The planning model on CP-SAT: variables, one function per rule of PLANNER-SPEC.md, objective terms.

Variables (Boolean unless said otherwise):
- place[i, t]: candidate module i is taken in term t (only for t in the module's window);
  whether i is taken at all is the sum over t (`taken(i)`);
- teach[i, k, t] (integer 0..sections): how many sections of module i qualified instructor k teaches,
  in term t. Folding the term into the assignment keeps instructor capacity linear and its LP
  relaxation tight;
- covered[c]: one per distinct set of covering modules, true exactly when one of them is taken;
- uses[k]: instructor k teaches at least one section.

Scenario limits are added through `Requirements`: in a normal solve they are hard constraints; when
explaining an infeasible scenario each group gets an enforcement literal so CP-SAT can report which
groups conflict (see explain.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from ortools.sat.python import cp_model

from planner.model import Problem


@dataclass
class Requirements:
    """Hands out enforcement literals for requirement groups (only when explaining)."""

    model: cp_model.CpModel
    explaining: bool = False
    groups: dict[str, tuple[cp_model.IntVar, str]] = field(default_factory=dict)

    def enforce(self, key: str, text: str) -> list[cp_model.IntVar]:
        """Literals that switch group `key` on; empty (hard constraint) in a normal solve."""
        if not self.explaining:
            return []
        if key not in self.groups:
            self.groups[key] = (self.model.new_bool_var(key), text)
        return [self.groups[key][0]]


@dataclass
class PlanModel:
    problem: Problem
    model: cp_model.CpModel
    requirements: Requirements
    place: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    teach: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    covered: dict[tuple[int, ...], cp_model.IntVar] = field(default_factory=dict)
    uses: list[cp_model.IntVar] = field(default_factory=list)
    largest_term: cp_model.IntVar | None = None
    # Hours are counted in units of the gcd of all module hours (18 h on CONALEP's 18-week
    # semesters): every sum of hours is a multiple of it, so limits round to whole units and the
    # LP bounds of the hour objectives tighten for free.
    unit: int = 1

    @cached_property
    def hours(self) -> tuple[int, ...]:
        return tuple(h // self.unit for h in self.problem.hours)

    def units_at_most(self, limit: int) -> int:
        return limit // self.unit

    def units_at_least(self, limit: int) -> int:
        return -(-limit // self.unit)

    def terms_of(self, i: int) -> range:
        lo, hi = self.problem.windows[i]
        return range(lo, hi + 1)

    def taken(self, i: int) -> cp_model.LinearExprT:
        return sum(self.place[i, t] for t in self.terms_of(i))

    def term_hours(self, t: int) -> cp_model.LinearExprT:
        hours = self.hours
        return sum(hours[i] * v for (i, term), v in self.place.items() if term == t)

    def term_modules(self, t: int) -> cp_model.LinearExprT:
        return sum(v for (_, term), v in self.place.items() if term == t)


# --- rule 1: selection and term placement ------------------------------------------------------


def one_term_within_window(pm: PlanModel) -> None:
    """A module is taken at most once, in a term of its window; blocked modules are never taken."""
    for i in range(len(pm.problem.candidates)):
        for t in pm.terms_of(i):
            pm.place[i, t] = pm.model.new_bool_var(f"place_{i}_{t}")
        pm.model.add_at_most_one(pm.place[i, t] for t in pm.terms_of(i))
        if i in pm.problem.blocked:
            pm.model.add(pm.taken(i) == 0)


def required_modules_taken(pm: PlanModel) -> None:
    """Required modules are in the plan (excluded ones are not candidates at all)."""
    for i in pm.problem.required:
        module = pm.problem.candidates[i]
        lo, hi = pm.problem.windows[i]
        text = f"required module {module.module_id} ({module.hours} h, terms {lo}-{hi})"
        pm.model.add(pm.taken(i) == 1).only_enforce_if(pm.requirements.enforce(f"required:{module.module_id}", text))


# --- rule 2: prerequisites ------------------------------------------------------------------


def prerequisites_first(pm: PlanModel) -> None:
    """A taken module's prerequisites are taken, each in a strictly earlier term."""
    for module, prerequisite in pm.problem.prerequisites:
        for t in pm.terms_of(module):
            earlier = [pm.place[prerequisite, u] for u in pm.terms_of(prerequisite) if u < t]
            pm.model.add(pm.place[module, t] <= sum(earlier))


# --- rule 3: hours and module counts --------------------------------------------------------


def term_hours_within_bounds(pm: PlanModel) -> None:
    """Each term's hours (modules counted once, not per section) lie in [term_min, term_max]."""
    scenario = pm.problem.scenario
    for t in range(1, pm.problem.terms + 1):
        hours = pm.term_hours(t)
        if scenario.term_hours_min > 0:
            enforce = pm.requirements.enforce(f"term_min:{t}", f"hours.term_min = {scenario.term_hours_min} h")
            pm.model.add(hours >= pm.units_at_least(scenario.term_hours_min)).only_enforce_if(enforce)
        if scenario.term_hours_max is not None:
            enforce = pm.requirements.enforce(f"term_max:{t}", f"hours.term_max = {scenario.term_hours_max} h")
            pm.model.add(hours <= pm.units_at_most(scenario.term_hours_max)).only_enforce_if(enforce)


def total_hours_within_limit(pm: PlanModel) -> None:
    """The plan's total hours are at most total_max."""
    limit = pm.problem.scenario.total_hours_max
    if limit is not None:
        enforce = pm.requirements.enforce("total_max", f"hours.total_max = {limit} h")
        pm.model.add(total_hours(pm) <= pm.units_at_most(limit)).only_enforce_if(enforce)


def modules_per_term_within_bounds(pm: PlanModel) -> None:
    """Each term holds between modules_per_term.min and .max modules."""
    scenario = pm.problem.scenario
    for t in range(1, pm.problem.terms + 1):
        count = pm.term_modules(t)
        if scenario.modules_per_term_min > 0:
            text = f"modules_per_term.min = {scenario.modules_per_term_min}"
            pm.model.add(count >= scenario.modules_per_term_min).only_enforce_if(
                pm.requirements.enforce(f"modules_min:{t}", text)
            )
        if scenario.modules_per_term_max is not None:
            text = f"modules_per_term.max = {scenario.modules_per_term_max}"
            pm.model.add(count <= scenario.modules_per_term_max).only_enforce_if(
                pm.requirements.enforce(f"modules_max:{t}", text)
            )


# --- rule 4: instructors --------------------------------------------------------------------


def every_section_has_a_qualified_instructor(pm: PlanModel) -> None:
    """Every section of a taken module has exactly one qualified instructor.

    Sections of a module are interchangeable, so the model counts how many sections each qualified
    instructor teaches (0..sections) rather than naming them; the plan numbers them afterwards.
    This removes the equivalent plans that differ only in which section is whose.
    An instructor who teaches any section is in use; summed over the module's terms (it runs in
    one) this is the tightest form for the LP: a taken module needs qualified instructors in use.
    """
    problem = pm.problem
    sections = problem.sections
    pm.uses = [pm.model.new_bool_var(f"uses_{k}") for k in range(len(problem.instructors))]
    for i, qualified in enumerate(problem.qualified):
        for t in pm.terms_of(i):
            for k in qualified:
                pm.teach[i, k, t] = pm.model.new_int_var(0, sections, f"teach_{i}_{k}_{t}")
            pm.model.add(sum(pm.teach[i, k, t] for k in qualified) == sections * pm.place[i, t])
        for k in qualified:
            pm.model.add(sum(pm.teach[i, k, t] for t in pm.terms_of(i)) <= sections * pm.uses[k])


def instructor_capacity(pm: PlanModel) -> None:
    """In every term, an instructor teaches at most max_hours_per_term hours of sections.

    Written as load <= capacity x uses[k]: an instructor not in use brings no capacity, which lets
    the LP relaxation see what instructors.max_used costs.
    """
    problem = pm.problem
    hours = pm.hours
    load: dict[tuple[int, int], list[cp_model.LinearExprT]] = {}
    most: dict[tuple[int, int], int] = {}
    for (i, k, t), v in pm.teach.items():
        load.setdefault((k, t), []).append(hours[i] * v)
        most[k, t] = most.get((k, t), 0) + hours[i] * problem.sections
    for (k, t), terms in sorted(load.items()):
        instructor = problem.instructors[k]
        capacity = pm.units_at_most(instructor.max_hours_per_term)
        if most[k, t] <= capacity:
            continue  # cannot bind
        text = f"capacity of instructor {instructor.instructor_id} ({instructor.max_hours_per_term} h per term)"
        pm.model.add(sum(terms) <= capacity * pm.uses[k]).only_enforce_if(
            pm.requirements.enforce(f"capacity:{instructor.instructor_id}", text)
        )
    if pm.requirements.explaining:
        return  # the redundant sum below must not outlive a capacity group switched off
    # Redundant: a term's section hours fit in the capacity of the instructors in use together.
    in_use = sum(
        pm.units_at_most(i.max_hours_per_term) * uses for i, uses in zip(problem.instructors, pm.uses, strict=True)
    )
    for t in range(1, problem.terms + 1):
        pm.model.add(problem.sections * pm.term_hours(t) <= in_use)


def instructor_limit(pm: PlanModel) -> None:
    """At most instructors.max_used distinct instructors teach."""
    limit = pm.problem.scenario.max_instructors_used
    if limit is not None:
        enforce = pm.requirements.enforce("max_used", f"instructors.max_used = {limit}")
        pm.model.add(sum(pm.uses) <= limit).only_enforce_if(enforce)


# --- rule 5: coverage -----------------------------------------------------------------------


def demand_coverage(pm: PlanModel) -> None:
    """covered[c] is true exactly when some taken module teaches the skill at the demanded level."""
    for row in pm.problem.demand_rows:
        key = row.covering
        if key in pm.covered:
            continue
        covered = pm.model.new_bool_var(f"covered_{len(pm.covered)}")
        pm.covered[key] = covered
        modules = [pm.place[i, t] for i in key for t in pm.terms_of(i)]
        if not modules:
            pm.model.add(covered == 0)
            continue
        for v in modules:
            pm.model.add_implication(v, covered)
        pm.model.add_bool_or(modules).only_enforce_if(covered)


def sector_min_coverage(pm: PlanModel) -> None:
    """Covered importance / total importance of each sector's demands >= min_coverage, exactly.

    With min_coverage = p/q the rule is q * covered >= p * total, all in integers.
    """
    problem = pm.problem
    for k, sector_id in enumerate(problem.sector_ids):
        floor = problem.min_coverage[k]
        rows = [r for r in problem.demand_rows if r.sector == k]
        total = sum(r.demand.importance for r in rows)
        if floor == 0 or total == 0:
            continue
        covered = sum(r.demand.importance * pm.covered[r.covering] for r in rows)
        text = f"sector {sector_id} needs min_coverage {_share(floor)} of its demand importance"
        pm.model.add(floor.denominator * covered >= floor.numerator * total).only_enforce_if(
            pm.requirements.enforce(f"coverage:{sector_id}", text)
        )


def _share(value: Fraction) -> str:
    """A coverage floor as the user wrote it: a whole percent, else the exact fraction."""
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{value.numerator}/{value.denominator} ({float(value):.2%})"


RULES: tuple[Callable[[PlanModel], None], ...] = (
    one_term_within_window,
    required_modules_taken,
    prerequisites_first,
    term_hours_within_bounds,
    total_hours_within_limit,
    modules_per_term_within_bounds,
    demand_coverage,
    sector_min_coverage,
)
INSTRUCTOR_RULES: tuple[Callable[[PlanModel], None], ...] = (
    every_section_has_a_qualified_instructor,
    instructor_capacity,
    instructor_limit,
)


def build(problem: Problem, explaining: bool = False) -> PlanModel:
    """The whole planning model; instructor rules apply only when the catalog has instructors."""
    model = cp_model.CpModel()
    pm = PlanModel(problem, model, Requirements(model, explaining), unit=math.gcd(*problem.hours) or 1)
    for rule in RULES:
        rule(pm)
    if problem.instructors:
        for rule in INSTRUCTOR_RULES:
            rule(pm)
    return pm


# --- objective terms --------------------------------------------------------------------------


def coverage_score(pm: PlanModel) -> cp_model.LinearExprT:
    """Sum over covered demands of sector weight x importance (maximised)."""
    return sum(row.weight * pm.covered[row.covering] for row in pm.problem.demand_rows)


def total_hours(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours of all taken modules (minimised)."""
    hours = pm.hours
    return sum(hours[i] * v for (i, _), v in pm.place.items())


def largest_term_hours(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours of the heaviest term (minimised)."""
    if pm.largest_term is None:
        upper = sum(pm.hours)
        pm.largest_term = pm.model.new_int_var(0, upper, "largest_term")
        for t in range(1, pm.problem.terms + 1):
            pm.model.add(pm.largest_term >= pm.term_hours(t))
    return pm.largest_term


OBJECTIVE_TERMS: dict[str, tuple[Callable[[PlanModel], cp_model.LinearExprT], bool, bool]] = {
    "coverage": (coverage_score, True, False),  # (term, maximise?, counted in hour units?)
    "hours": (total_hours, False, True),
    "balance": (largest_term_hours, False, True),
}
