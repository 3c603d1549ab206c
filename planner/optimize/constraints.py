"""The planning model on CP-SAT: one function per rule of PLANNER-SPEC.md, and the objective terms.

The variables are made first, all at once (variables.py); the rules only add constraints over them.

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

from planner.conflicts import RequirementKey, requirement
from planner.model import Problem, period_data
from planner.optimize.variables import Variables, make_variables, qualified_for
from planner.reasons import Reason


@dataclass
class Requirements:
    """Hands out enforcement literals for requirement groups (only when explaining)."""

    model: cp_model.CpModel
    explaining: bool = False
    groups: dict[RequirementKey, tuple[cp_model.IntVar, Reason]] = field(default_factory=dict)

    def enforce(self, key: RequirementKey, what: Reason) -> list[cp_model.IntVar]:
        """Literals that switch group `key` on; empty (hard constraint) in a normal solve.

        `what` says the requirement as data, for the explanation of an infeasible scenario.
        """
        if not self.explaining:
            return []
        if key not in self.groups:
            self.groups[key] = (self.model.new_bool_var(str(key.as_dict())), what)
        return [self.groups[key][0]]


@dataclass
class PlanModel:
    problem: Problem
    model: cp_model.CpModel
    requirements: Requirements
    variables: Variables
    cost: cp_model.LinearExprT | None = None
    largest_term: cp_model.IntVar | None = None
    changes: cp_model.LinearExprT | None = None  # against the reviewed plan
    # Hours are counted in units of the gcd of all module hours (18 h on CONALEP's 18-week
    # semesters): every sum of hours is a multiple of it, so limits round to whole units and the
    # LP bounds of the hour objectives tighten for free.
    unit: int = 1

    @property
    def place(self) -> dict[tuple[int, int], cp_model.IntVar]:
        return self.variables.place

    @property
    def teach(self) -> dict[tuple[int, int, int], cp_model.IntVar]:
        return self.variables.teach

    @property
    def covered(self) -> dict[tuple[int, ...], cp_model.IntVar]:
        return self.variables.covered

    @property
    def uses(self) -> list[cp_model.IntVar]:
        return self.variables.uses

    @property
    def buy(self) -> list[cp_model.IntVar]:
        return self.variables.buy

    @property
    def active(self) -> dict[tuple[int, int], cp_model.IntVar]:
        return self.variables.active

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
        # Long sums are built in one call: sum() grows the expression term by term, 4x slower,
        # which set covering's 1,000-term rows and objectives felt (docs/PERFORMANCE.md).
        hours = self.hours
        placed = [(v, hours[i]) for (i, term), v in self.place.items() if term == t]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in placed], [h for _, h in placed])

    def term_modules(self, t: int) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.sum([v for (_, term), v in self.place.items() if term == t])


# --- rule 1: selection and term placement ------------------------------------------------------


def one_term_within_window(pm: PlanModel) -> None:
    """A module is taken at most once, in a term of its window; blocked modules are never taken."""
    for i in range(len(pm.problem.candidates)):
        if len(pm.terms_of(i)) > 1:  # a one-term window needs no row
            pm.model.add_at_most_one(pm.place[i, t] for t in pm.terms_of(i))
        if i in pm.problem.blocked:
            pm.model.add(pm.taken(i) == 0)


def required_modules_taken(pm: PlanModel) -> None:
    """Required modules are in the plan (excluded ones are not candidates at all)."""
    for i in pm.problem.required:
        module = pm.problem.candidates[i]
        lo, hi = pm.problem.windows[i]
        text = Reason("required_module", {"module": module.module_id, "hours": module.hours, "first": lo, "last": hi})
        pm.model.add(pm.taken(i) == 1).only_enforce_if(
            pm.requirements.enforce(requirement("required_module", module_id=module.module_id), text)
        )


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
            enforce = pm.requirements.enforce(
                requirement("term_min", term=t), Reason("term_min", {"hours": scenario.term_hours_min})
            )
            pm.model.add(hours >= pm.units_at_least(scenario.term_hours_min)).only_enforce_if(enforce)
        if scenario.term_hours_max is not None:
            enforce = pm.requirements.enforce(
                requirement("term_max", term=t), Reason("term_max", {"hours": scenario.term_hours_max})
            )
            pm.model.add(hours <= pm.units_at_most(scenario.term_hours_max)).only_enforce_if(enforce)


def total_hours_within_limit(pm: PlanModel) -> None:
    """The plan's total hours are at most total_max."""
    limit = pm.problem.scenario.total_hours_max
    if limit is not None:
        enforce = pm.requirements.enforce(requirement("total_max"), Reason("total_max", {"hours": limit}))
        pm.model.add(total_hours(pm) <= pm.units_at_most(limit)).only_enforce_if(enforce)


def modules_per_term_within_bounds(pm: PlanModel) -> None:
    """Each term holds between modules_per_term.min and .max modules."""
    scenario = pm.problem.scenario
    for t in range(1, pm.problem.terms + 1):
        count = pm.term_modules(t)
        if scenario.modules_per_term_min > 0:
            text = Reason("modules_min", {"count": scenario.modules_per_term_min})
            pm.model.add(count >= scenario.modules_per_term_min).only_enforce_if(
                pm.requirements.enforce(requirement("modules_per_term_min", term=t), text)
            )
        if scenario.modules_per_term_max is not None:
            text = Reason("modules_max", {"count": scenario.modules_per_term_max})
            pm.model.add(count <= scenario.modules_per_term_max).only_enforce_if(
                pm.requirements.enforce(requirement("modules_per_term_max", term=t), text)
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
    sections = pm.problem.sections
    trainable = _trainable(pm)
    for i, qualified in enumerate(qualified_for(pm.problem)):
        for t in pm.terms_of(i):
            pm.model.add(sum(pm.teach[i, k, t] for k in qualified) == sections * pm.place[i, t])
        for k in qualified:
            pm.model.add(sum(pm.teach[i, k, t] for t in pm.terms_of(i)) <= sections * pm.uses[k])
        for k, bought in trainable.get(i, {}).items():  # taught only once bought
            pm.model.add(sum(pm.teach[i, k, t] for t in pm.terms_of(i)) <= sections * bought)


def _trainable(pm: PlanModel) -> dict[int, dict[int, cp_model.IntVar]]:
    """Per candidate: instructor -> the buy variable of the training that would qualify them."""
    out: dict[int, dict[int, cp_model.IntVar]] = {}
    for offer, bought in zip(pm.problem.offers, pm.buy, strict=True):
        out.setdefault(offer.module, {})[offer.instructor] = bought
    return out


def training_within_budget(pm: PlanModel) -> None:
    """Bought training costs at most [training] budget; a module short of min_qualified roster
    instructors is taken only when enough of its offers are bought to make up the number."""
    problem = pm.problem
    if not problem.offers:
        return
    budget = problem.scenario.training_budget
    enforce = pm.requirements.enforce(requirement("training_budget"), Reason("training_budget", {"budget": budget}))
    pm.model.add(training_spent(pm) <= budget).only_enforce_if(enforce)
    need = problem.scenario.min_qualified
    for i, named in enumerate(problem.named_qualified):
        bought = [b for o, b in zip(problem.offers, pm.buy, strict=True) if o.module == i]
        if bought and named < need:
            pm.model.add(need * pm.taken(i) <= named + sum(bought))


def instructor_capacity(pm: PlanModel) -> None:
    """In every period, an instructor teaches at most max_hours_per_term hours of sections and, when
    teaching at all, at least min_hours_per_term (the contract floor).

    A period's load sums the terms that run together (odd and even terms with yearly intake).
    Written as floor x active <= load <= capacity x active, with active <= uses[k]: an instructor
    not in use brings no capacity, which lets the LP relaxation see what instructors.max_used costs.
    """
    problem = pm.problem
    for (k, p), (load, most) in sorted(_period_loads(pm).items(), key=lambda item: item[0]):
        instructor = problem.instructors[k]
        capacity = pm.units_at_most(instructor.max_hours_per_term)
        floor = pm.units_at_least(instructor.min_hours_per_term)
        if floor == 0:
            if most > capacity:
                _cap(pm, k, p, load, pm.uses[k])
            continue
        active = pm.active[k, p]
        pm.model.add_implication(active, pm.uses[k])
        if most > capacity:
            _cap(pm, k, p, load, active)
        pm.model.add(load >= floor * active).only_enforce_if(
            pm.requirements.enforce(
                requirement("instructor_floor", instructor_id=instructor.instructor_id, period=p + 1),
                _contract("instructor_floor", problem, k, p, instructor.min_hours_per_term),
            )
        )
    _sections_need_an_active_instructor(pm)
    if pm.requirements.explaining:
        return  # the redundant sums below must not outlive a capacity group switched off
    # Redundant: a period's section hours fit in the capacity of the instructors teaching in it.
    for p, terms in enumerate(problem.periods):
        staffed = cp_model.LinearExpr.weighted_sum(
            [pm.active.get((k, p), pm.uses[k]) for k in range(len(problem.instructors))],
            [pm.units_at_most(i.max_hours_per_term) for i in problem.instructors],
        )
        pm.model.add(problem.sections * sum(pm.term_hours(t) for t in terms) <= staffed)


def _sections_need_an_active_instructor(pm: PlanModel) -> None:
    """Per module, instructor and period: no section without being active in that period.

    One row per module (the module runs in one term, so its sections in a period sum to at most
    `sections`) rather than one per instructor and period: the LP then sees that a section taught
    in a period opens that instructor's contract floor, which is what makes floors hard.
    """
    period_of = pm.problem.period_of
    groups: dict[tuple[int, int, int], list[cp_model.IntVar]] = {}
    for (i, k, t), v in pm.teach.items():
        if (k, period_of[t]) in pm.active:
            groups.setdefault((i, k, period_of[t]), []).append(v)
    for (_i, k, p), taught in groups.items():
        pm.model.add(sum(taught) <= pm.problem.sections * pm.active[k, p])
    for k, uses in enumerate(pm.uses):  # in use means active in some period
        periods = [a for (j, _p), a in pm.active.items() if j == k]
        if periods:
            pm.model.add(uses <= sum(periods))


def _cap(pm: PlanModel, k: int, p: int, load: cp_model.LinearExprT, switch: cp_model.IntVar) -> None:
    instructor = pm.problem.instructors[k]
    text = _contract("instructor_capacity", pm.problem, k, p, instructor.max_hours_per_term)
    capacity = pm.units_at_most(instructor.max_hours_per_term)
    pm.model.add(load <= capacity * switch).only_enforce_if(
        pm.requirements.enforce(
            requirement("instructor_capacity", instructor_id=instructor.instructor_id, period=p + 1), text
        )
    )


def _period_loads(pm: PlanModel) -> dict[tuple[int, int], tuple[cp_model.LinearExprT, int]]:
    """Per (instructor, period): the hour units taught, and the most they could possibly be.

    A module sits in one term, so the most counts each module once, at its full sections.
    """
    parts: dict[tuple[int, int], list[cp_model.LinearExprT]] = {}
    modules: dict[tuple[int, int], set[int]] = {}
    period_of = pm.problem.period_of
    for (i, k, t), v in pm.teach.items():
        parts.setdefault((k, period_of[t]), []).append(pm.hours[i] * v)
        modules.setdefault((k, period_of[t]), set()).add(i)
    sections = pm.problem.sections
    return {key: (sum(terms), sections * sum(pm.hours[i] for i in modules[key])) for key, terms in parts.items()}


def _contract(code: str, problem: Problem, k: int, p: int, hours: int) -> Reason:
    """An instructor's contract bound in a period, as data (hours per term; words shows them per week)."""
    return Reason(
        code,
        {
            "instructor": problem.instructors[k].instructor_id,
            "hours": hours,
            "weeks": problem.scenario.weeks_per_term,
            "period": period_data(problem.scenario, p),
        },
    )


def instructor_limit(pm: PlanModel) -> None:
    """At most instructors.max_used distinct instructors teach."""
    limit = pm.problem.scenario.max_instructors_used
    if limit is not None:
        enforce = pm.requirements.enforce(requirement("max_used"), Reason("max_used", {"limit": limit}))
        pm.model.add(sum(pm.uses) <= limit).only_enforce_if(enforce)


def staffing_cost_within_budget(pm: PlanModel) -> None:
    """The plan's staffing cost (hours x cost per hour over every section) is at most budget.max_cost."""
    budget = pm.problem.scenario.max_cost
    if budget is not None:
        enforce = pm.requirements.enforce(requirement("max_cost"), Reason("max_cost", {"budget": budget}))
        pm.model.add(staffing_cost(pm) <= budget).only_enforce_if(enforce)


# --- rule 6: labs ---------------------------------------------------------------------------


def lab_capacity(pm: PlanModel) -> None:
    """In every period, a lab's hours used (module hours x sections, over the terms that run
    together) are at most its max_hours_per_term."""
    problem = pm.problem
    users: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, t in pm.place:
        for n in problem.module_labs[i]:
            users.setdefault((n, problem.period_of[t]), []).append((i, t))
    for (n, p), placed in sorted(users.items()):
        lab = problem.labs[n]
        capacity = pm.units_at_most(lab.max_hours_per_term)
        use = [problem.sections * pm.hours[i] * pm.place[i, t] for i, t in placed]
        if problem.sections * sum(pm.hours[i] for i in {i for i, _ in placed}) <= capacity:
            continue  # cannot bind
        text = Reason(
            "lab_capacity",
            {
                "lab": lab.lab_id,
                "name": lab.name,
                "hours": lab.max_hours_per_term,
                "period": period_data(problem.scenario, p),
            },
        )
        pm.model.add(sum(use) <= capacity).only_enforce_if(
            pm.requirements.enforce(requirement("lab_capacity", lab_id=lab.lab_id, period=p + 1), text)
        )


# --- rule 5: coverage -----------------------------------------------------------------------


def demand_coverage(pm: PlanModel) -> None:
    """covered[c] is true only when some taken module teaches the skill at the demanded level.

    Coverage is maximised and floored, never minimised, so covered[c] <= (some module) is all the
    plan needs; a plan's coverage is counted from its modules (PlanResult), not from covered[c].
    The converse rows (module => covered) let CP-SAT propagate, which halves the solve time of the
    staffed seeds. Without instructors HiGHS's plan is kept (portfolio), and there they only slow
    it down: set covering solves in 0.13 s without them, 0.22 s with them.
    """
    exact = bool(pm.problem.instructors)
    for key, covered in pm.covered.items():
        modules = [pm.place[i, t] for i in key for t in pm.terms_of(i)]
        if not modules:
            pm.model.add(covered == 0)
            continue
        if exact:
            for v in modules:
                pm.model.add_implication(v, covered)
        pm.model.add_bool_or(modules).only_enforce_if(covered)


def sector_min_coverage(pm: PlanModel) -> None:
    """Covered importance / total importance of each sector's demands >= min_coverage, exactly.

    Covered importance is a whole number, so covered / total >= p/q is exactly
    covered >= ceil(p * total / q): small coefficients whatever the precision of the floor.
    """
    problem = pm.problem
    for k, sector_id in enumerate(problem.sector_ids):
        floor = problem.min_coverage[k]
        rows = [r for r in problem.demand_rows if r.sector == k]
        total = sum(r.demand.importance for r in rows)
        if floor == 0 or total == 0:
            continue
        covered = cp_model.LinearExpr.weighted_sum(
            [pm.covered[r.covering] for r in rows], [r.demand.importance for r in rows]
        )
        text = Reason("coverage_floor", {"sector": sector_id, "floor": [floor.numerator, floor.denominator]})
        pm.model.add(covered >= needed_importance(floor, total)).only_enforce_if(
            pm.requirements.enforce(requirement("min_coverage", sector_id=sector_id), text)
        )


def needed_importance(floor: Fraction, total: int) -> int:
    """The least whole covered importance whose share of `total` reaches `floor`."""
    return math.ceil(floor * total)


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
    staffing_cost_within_budget,
    training_within_budget,
)


def build(problem: Problem, explaining: bool = False) -> PlanModel:
    """The whole planning model; instructor rules apply only when the catalog has instructors."""
    model = cp_model.CpModel()
    variables = make_variables(problem, model)
    pm = PlanModel(problem, model, Requirements(model, explaining), variables, unit=math.gcd(*problem.hours) or 1)
    for rule in RULES:
        rule(pm)
    lab_capacity(pm)
    if problem.instructors:
        for rule in INSTRUCTOR_RULES:
            rule(pm)
    for rule in REVIEW_RULES:
        rule(pm)
    return pm


# --- objective terms --------------------------------------------------------------------------


def coverage_score(pm: PlanModel) -> cp_model.LinearExprT:
    """Sum over covered demands of sector weight x importance (maximised)."""
    rows = pm.problem.demand_rows
    return cp_model.LinearExpr.weighted_sum([pm.covered[r.covering] for r in rows], [r.weight for r in rows])


def total_hours(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours of all taken modules (minimised)."""
    hours = pm.hours
    return cp_model.LinearExpr.weighted_sum(list(pm.place.values()), [hours[i] for i, _ in pm.place])


def largest_term_hours(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours of the heaviest term (minimised)."""
    if pm.largest_term is None:
        upper = sum(pm.hours)
        pm.largest_term = pm.variables.measure(pm.model.new_int_var(0, upper, "largest_term"))
        for t in range(1, pm.problem.terms + 1):
            pm.model.add(pm.largest_term >= pm.term_hours(t))
    return pm.largest_term


def staffing_cost(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours x cost per hour over every section of every taken module (minimised); whole currency."""
    if pm.cost is None:
        problem = pm.problem
        pm.cost = sum(
            problem.hours[i] * problem.instructors[k].cost_per_hour * v
            for (i, k, _), v in pm.teach.items()
            if problem.instructors[k].cost_per_hour
        )
    return pm.cost


def training_spent(pm: PlanModel) -> cp_model.LinearExprT:
    """Money spent on bought training (minimised in a last stage, after the scenario's objectives)."""
    return sum(offer.cost * bought for offer, bought in zip(pm.problem.offers, pm.buy, strict=True))


OBJECTIVE_TERMS: dict[str, tuple[Callable[[PlanModel], cp_model.LinearExprT], bool, bool]] = {
    "coverage": (coverage_score, True, False),  # (term, maximise?, counted in hour units?)
    "hours": (total_hours, False, True),
    "balance": (largest_term_hours, False, True),
    "cost": (staffing_cost, False, False),
}


# --- review decisions (planner plan --review) --------------------------------------------------


def _decision_switch(pm: PlanModel, row: int, decision: dict[str, object]) -> list[cp_model.IntVar]:
    """One requirement group per decision row, so a conflict names the rows by sheet and row."""
    review = pm.problem.review
    assert review is not None
    key = requirement("decision", sheet=review.sheet, row=row)
    return pm.requirements.enforce(key, Reason("decision", {"sheet": review.sheet, "row": row, **decision}))


def dropped_modules_not_taken(pm: PlanModel) -> None:
    """A module with a `drop` decision on any of its rows is not taken."""
    review = pm.problem.review
    if review is None:
        return
    for r in review.decisions:
        i = pm.problem.index_of.get(r.module_id)
        if r.decision == "drop" and i is not None:
            switch = _decision_switch(pm, r.row, {"decision": "drop", "module": r.module_id})
            pm.model.add(pm.taken(i) == 0).only_enforce_if(switch)


def locked_modules_taken(pm: PlanModel) -> None:
    """A `lock` row takes its module in the row's term; if it names an instructor, that instructor
    teaches at least as many sections of the module as there are lock rows naming them."""
    review = pm.problem.review
    if review is None:
        return
    problem = pm.problem
    for r in review.decisions:
        if r.decision != "lock":
            continue
        decision = {"decision": "lock", "module": r.module_id, "term": r.term, "instructor": r.instructor_id}
        switch = _decision_switch(pm, r.row, decision)
        i = problem.index_of.get(r.module_id)
        if i is None or (i, r.term) not in pm.place:
            pm.model.add_bool_or([]).only_enforce_if(switch)  # not a candidate, or outside its window
            continue
        pm.model.add(pm.place[i, r.term] == 1).only_enforce_if(switch)
        if r.instructor_id and problem.instructors:
            teaching = _teaching(pm).get((i, r.instructor_id), [])
            pm.model.add(sum(teaching) >= review.lock_rank(r)).only_enforce_if(switch)


def _teaching(pm: PlanModel) -> dict[tuple[int, str], list[cp_model.IntVar]]:
    """(module, instructor id) -> the variables counting the sections they teach, over the terms."""
    out: dict[tuple[int, str], list[cp_model.IntVar]] = {}
    for (i, k, _t), v in pm.teach.items():
        out.setdefault((i, pm.problem.instructors[k].instructor_id), []).append(v)
    return out


REVIEW_RULES: tuple[Callable[[PlanModel], None], ...] = (dropped_modules_not_taken, locked_modules_taken)


def changes_from_review(pm: PlanModel) -> cp_model.LinearExprT:
    """Changes against the reviewed plan (minimised): modules added, removed or moved to another
    term, plus, for every module both plans take and each instructor, the sections the reviewed
    plan gave that instructor and this plan does not. 0 without a review.

    A removed module counts once, not again for its sections (the Changes sheet lists it once).
    """
    review = pm.problem.review
    if review is None:
        return 0
    if pm.changes is None:
        pm.changes = cp_model.LinearExpr.sum([_module_changes(pm, review.terms), _section_changes(pm, review.sections)])
    return pm.changes


def _module_changes(pm: PlanModel, reviewed: dict[str, int]) -> cp_model.LinearExprT:
    problem = pm.problem
    parts: list[cp_model.LinearExprT] = []
    for i, module in enumerate(problem.candidates):
        term = reviewed.get(module.module_id)
        if term is None:
            parts.append(pm.taken(i))  # added
        else:
            parts.append(1 - pm.place[i, term] if (i, term) in pm.place else 1)  # removed or moved
    removed_for_good = sum(1 for m in reviewed if m not in problem.index_of)  # no longer a candidate
    return sum(parts) + removed_for_good


def _section_changes(pm: PlanModel, reviewed: dict[tuple[str, str], int]) -> cp_model.LinearExprT:
    problem = pm.problem
    parts: list[cp_model.LinearExprT] = []
    teach = _teaching(pm)
    for (module_id, instructor_id), count in sorted(reviewed.items()):
        i = problem.index_of.get(module_id)
        if i is None:
            continue  # the module is removed: counted once above
        teaching = cp_model.LinearExpr.sum(teach.get((i, instructor_id), []))
        lost = pm.variables.measure(pm.model.new_int_var(0, count, f"lost_{i}_{instructor_id}"))
        pm.model.add(lost + teaching >= count * pm.taken(i))
        parts.append(lost)
    return sum(parts)


OBJECTIVE_TERMS["changes"] = (changes_from_review, False, False)


TRAINING_STAGE = "training"  # not a scenario objective: the last stage whenever training can be bought
