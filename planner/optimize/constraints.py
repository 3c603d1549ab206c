"""The planning model on CP-SAT: one function per rule of PLANNER-SPEC.md, and the objective terms.

The variables are made first, all at once (variables.py); the rules only add constraints over them,
through the `PlanModel` and its `Requirements` (plan_model.py): in a normal solve scenario limits
are hard constraints; when explaining an infeasible scenario each group gets an enforcement literal
so CP-SAT can report which groups conflict (see explain.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from ortools.sat.python import cp_model

from planner.conflicts import requirement
from planner.model import Problem, period_data
from planner.optimize.plan_model import PlanModel as PlanModel
from planner.optimize.plan_model import Requirements
from planner.optimize.variables import make_variables, path_covering, qualified_for
from planner.reasons import Reason

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
        for track, path in pm.problem.paths:  # a path of a track not offered holds the core alone
            hours = pm.term_hours(t, path if track is not None else None)
            if scenario.term_hours_min > 0:
                enforce = pm.requirements.enforce(
                    requirement("term_min", term=t), Reason("term_min", {"hours": scenario.term_hours_min})
                )
                least = pm.units_at_least(scenario.term_hours_min)
                pm.model.add(hours >= least * pm.path_on(track)).only_enforce_if(enforce)
            if scenario.term_hours_max is not None:
                enforce = pm.requirements.enforce(
                    requirement("term_max", term=t), Reason("term_max", {"hours": scenario.term_hours_max})
                )
                pm.model.add(hours <= pm.units_at_most(scenario.term_hours_max)).only_enforce_if(enforce)


def total_hours_within_limit(pm: PlanModel) -> None:
    """The plan's total hours (each student path's, with tracks) are at most total_max."""
    limit = pm.problem.scenario.total_hours_max
    if limit is not None:
        enforce = pm.requirements.enforce(requirement("total_max"), Reason("total_max", {"hours": limit}))
        for track, path in pm.problem.paths:
            hours = total_hours(pm) if track is None else path_hours(pm, path)
            pm.model.add(hours <= pm.units_at_most(limit)).only_enforce_if(enforce)


def modules_per_term_within_bounds(pm: PlanModel) -> None:
    """Each term holds between modules_per_term.min and .max modules."""
    scenario = pm.problem.scenario
    for t in range(1, pm.problem.terms + 1):
        for track, path in pm.problem.paths:
            count = pm.term_modules(t, path if track is not None else None)
            if scenario.modules_per_term_min > 0:
                text = Reason("modules_min", {"count": scenario.modules_per_term_min})
                pm.model.add(count >= scenario.modules_per_term_min * pm.path_on(track)).only_enforce_if(
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
    problem = pm.problem
    trainable = _trainable(pm)
    for i, qualified in enumerate(qualified_for(problem)):
        most = max((problem.sections_of(i, t) for t in pm.terms_of(i)), default=0)
        for t in pm.terms_of(i):
            _groups_of_term(pm, i, t, [pm.teach[i, k, t] for k in qualified])
            dual_sections_taught(pm, i, t, qualified)
        for k in qualified:
            pm.model.add(sum(pm.teach[i, k, t] for t in pm.terms_of(i)) <= most * pm.uses[k])
        for k, bought in trainable.get(i, {}).items():  # taught only once bought
            pm.model.add(sum(pm.teach[i, k, t] for t in pm.terms_of(i)) <= most * bought)


def _groups_switch(pm: PlanModel, t: int) -> list[cp_model.IntVar]:
    """While explaining, a semester's groups are a requirement (fewer groups is a fix)."""
    text = Reason("sections", {"term": t, "groups": pm.problem.sections_in(t)})
    return pm.requirements.enforce(requirement("sections", term=t), text)


def _groups_of_term(pm: PlanModel, i: int, t: int, taught: list[cp_model.IntVar]) -> None:
    """A module taken in term t runs that semester's groups (switched off while explaining, it
    runs one at least)."""
    groups = pm.problem.sections_of(i, t)
    enforce = [] if pm.problem.in_track(i) else _groups_switch(pm, t)
    pm.model.add(sum(taught) == groups * pm.place[i, t]).only_enforce_if(enforce)
    if enforce:
        pm.model.add(sum(taught) >= pm.place[i, t])


def dual_sections_taught(pm: PlanModel, i: int, t: int, qualified: tuple[int, ...]) -> None:
    """The first dual.groups[t] sections of a module taken in term t are dual: each is one of the
    sections an instructor teaches there (only where the module has company hours)."""
    if not qualified or (i, qualified[0], t) not in pm.dual:
        return  # no company hours, or no dual group in term t
    for k in qualified:
        pm.model.add(pm.dual[i, k, t] <= pm.teach[i, k, t])
    total = sum(pm.dual[i, k, t] for k in qualified)
    enforce = [] if pm.problem.in_track(i) else _groups_switch(pm, t)
    pm.model.add(total == pm.problem.dual_of(i, t) * pm.place[i, t]).only_enforce_if(enforce)


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
    """In every period, an instructor's committed hours (the campus's other careers) plus the hours
    this plan gives them are at most max_hours_per_term and, when the plan gives any, at least
    min_hours_per_term (the contract floor).

    A period's load sums the terms that run together (odd and even terms with yearly intake).
    Written as floor x active <= load <= capacity x active, with active <= uses[k]: an instructor
    not in use brings no capacity, which lets the LP relaxation see what instructors.max_used costs.
    """
    problem = pm.problem
    for (k, p), (load, most) in sorted(_period_loads(pm).items(), key=lambda item: item[0]):
        instructor = problem.instructors[k]
        committed = problem.committed.get((k, p), 0)
        capacity = pm.units_at_most(instructor.max_hours_per_term - committed)
        floor = pm.units_at_least(max(instructor.min_hours_per_term - committed, 0))
        if (k, p) not in pm.active:
            if most > capacity:
                _cap(pm, k, p, load, pm.uses[k])
            continue
        active = pm.active[k, p]
        pm.model.add_implication(active, pm.uses[k])
        if most > capacity:
            _cap(pm, k, p, load, active)
        if floor == 0:
            continue  # the commitments alone reach the floor
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
            [
                pm.units_at_most(i.max_hours_per_term - problem.committed.get((k, p), 0))
                for k, i in enumerate(problem.instructors)
            ],
        )
        placed = [(v, pm.group_units(i, t)) for (i, t), v in pm.place.items() if t in terms]
        needed = cp_model.LinearExpr.weighted_sum([v for v, _ in placed], [units for _, units in placed])
        pm.model.add(needed <= staffed)


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
    most = pm.problem.most_sections
    for (_i, k, p), taught in groups.items():
        pm.model.add(sum(taught) <= most * pm.active[k, p])
    for k, uses in enumerate(pm.uses):  # in use means active in some period
        periods = [a for (j, _p), a in pm.active.items() if j == k]
        if periods:
            pm.model.add(uses <= sum(periods))


def _cap(pm: PlanModel, k: int, p: int, load: cp_model.LinearExprT, switch: cp_model.IntVar) -> None:
    """The contract's cap less the commitments. While explaining, the commitments are a requirement
    of their own (a number that could fall): switched off, the contract's whole cap holds."""
    instructor = pm.problem.instructors[k]
    committed = pm.problem.committed.get((k, p), 0)
    text = _contract("instructor_capacity", pm.problem, k, p, instructor.max_hours_per_term)
    capacity = pm.units_at_most(instructor.max_hours_per_term - committed)
    cap = pm.requirements.enforce(
        requirement("instructor_capacity", instructor_id=instructor.instructor_id, period=p + 1), text
    )
    if committed and pm.requirements.explaining:
        said = Reason("instructor_commitment", {**text.params, "hours": committed})
        commitment = requirement("instructor_commitment", instructor_id=instructor.instructor_id, period=p + 1)
        pm.model.add(load <= capacity * switch).only_enforce_if([*cap, *pm.requirements.enforce(commitment, said)])
        capacity = pm.units_at_most(instructor.max_hours_per_term)
    pm.model.add(load <= capacity * switch).only_enforce_if(cap)


def _period_loads(pm: PlanModel) -> dict[tuple[int, int], tuple[cp_model.LinearExprT, int]]:
    """Per (instructor, period): the hour units taught, and the most they could possibly be.

    A module sits in one term, so the most counts each module once, at its full sections.
    """
    parts: dict[tuple[int, int], list[cp_model.LinearExprT]] = {}
    modules: dict[tuple[int, int], dict[int, int]] = {}
    period_of = pm.problem.period_of
    for i, k, t in pm.teach:
        parts.setdefault((k, period_of[t]), []).append(pm.taught_units(i, k, t))
        most = modules.setdefault((k, period_of[t]), {})
        most[i] = max(most.get(i, 0), pm.hours[i] * pm.problem.sections_of(i, t))
    return {key: (sum(terms), sum(modules[key].values())) for key, terms in parts.items()}


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
    """In every period, a lab's committed hours (the campus's other careers) plus its hours used
    (module hours x sections, less the company's part of dual sections, over the terms that run
    together) are at most its max_hours_per_term."""
    problem = pm.problem
    users: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, t in pm.place:
        for n in problem.module_labs[i]:
            users.setdefault((n, problem.period_of[t]), []).append((i, t))
    for (n, p), placed in sorted(users.items()):
        lab = problem.labs[n]
        capacity = pm.units_at_most(lab.max_hours_per_term - problem.lab_committed.get((n, p), 0))
        use = [pm.group_units(i, t) * pm.place[i, t] for i, t in placed]
        most: dict[int, int] = {}
        for i, t in placed:
            most[i] = max(most.get(i, 0), pm.group_units(i, t))
        if sum(most.values()) <= capacity:
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


def company_hours_within_limit(pm: PlanModel) -> None:
    """In every period, the company hours of the dual sections (the module's dual_hours per dual
    section) are at most [dual] max_company_hours."""
    problem = pm.problem
    limit = problem.scenario.max_company_hours
    if limit is None:
        return
    for p, terms in enumerate(problem.periods):
        placed = [(v, problem.company_hours(i, t)) for (i, t), v in pm.place.items() if t in terms]
        placed = [(v, hours) for v, hours in placed if hours]
        if sum(hours for _, hours in placed) <= limit:
            continue  # cannot bind
        text = Reason("max_company_hours", {"hours": limit, "period": period_data(problem.scenario, p)})
        enforce = pm.requirements.enforce(requirement("max_company_hours", period=p + 1), text)
        company = cp_model.LinearExpr.weighted_sum([v for v, _ in placed], [hours for _, hours in placed])
        pm.model.add(company <= limit).only_enforce_if(enforce)


# --- trayectos técnicos -----------------------------------------------------------------------


def track_modules_follow_their_track(pm: PlanModel) -> None:
    """A track module is taken exactly when its track is offered; a track with a module outside the
    candidates cannot be offered (modules of tracks of other careers are blocked)."""
    problem = pm.problem
    for r, members in enumerate(problem.track_members):
        for i in members:
            pm.model.add(pm.taken(i) == pm.variables.offered[r])
        if r in problem.closed_tracks:
            pm.model.add(pm.variables.offered[r] == 0)


def tracks_offered(pm: PlanModel) -> None:
    """Exactly tracks.offer of the candidate tracks are offered."""
    offer = pm.problem.scenario.tracks_offer
    assert offer is not None
    text = Reason("tracks_offer", {"offer": offer, "tracks": [r.track_id for r in pm.problem.tracks]})
    pm.model.add(sum(pm.variables.offered) == offer).only_enforce_if(
        pm.requirements.enforce(requirement("tracks_offer"), text)
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
    for (track, key), covered in pm.variables.path_covered.items():  # with [tracks]: per path
        pm.model.add_implication(covered, pm.variables.offered[track])
        pm.model.add_bool_or([pm.place[i, t] for i in key for t in pm.terms_of(i)]).only_enforce_if(covered)
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
        text = Reason("coverage_floor", {"sector": sector_id, "floor": [floor.numerator, floor.denominator]})
        enforce = pm.requirements.enforce(requirement("min_coverage", sector_id=sector_id), text)
        for track, _path in problem.paths:  # the floor holds on every offered path
            covered = cp_model.LinearExpr.weighted_sum(
                [covered_on(pm, track, r.covering) for r in rows], [r.demand.importance for r in rows]
            )
            pm.model.add(covered >= needed_importance(floor, total) * pm.path_on(track)).only_enforce_if(enforce)


def covered_on(pm: PlanModel, track: int | None, covering: tuple[int, ...]) -> cp_model.IntVar:
    """The variable saying a demand with these covering modules is covered on a path."""
    if track is None:
        return pm.covered[covering]
    return pm.variables.path_covered[track, path_covering(pm.problem, track, covering)]


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


def hour_unit(problem: Problem) -> int:
    """The gcd of every hour a section can need: module hours and their company hours."""
    dual = [problem.dual_hours(i) for i in range(len(problem.candidates))]
    return math.gcd(*problem.hours, *dual) or 1


def build(problem: Problem, explaining: bool = False) -> PlanModel:
    """The whole planning model; instructor rules apply only when the catalog has instructors."""
    model = cp_model.CpModel()
    variables = make_variables(problem, model)
    pm = PlanModel(problem, model, Requirements(model, explaining), variables, unit=hour_unit(problem))
    for rule in RULES:
        rule(pm)
    lab_capacity(pm)
    company_hours_within_limit(pm)
    if problem.has_tracks:
        track_modules_follow_their_track(pm)
        tracks_offered(pm)
    if problem.instructors:
        for rule in INSTRUCTOR_RULES:
            rule(pm)
    for rule in REVIEW_RULES:
        rule(pm)
    return pm


# --- objective terms --------------------------------------------------------------------------


def coverage_score(pm: PlanModel) -> cp_model.LinearExprT:
    """Sum over covered demands of sector weight x importance (maximised); with tracks, summed over
    the offered paths."""
    rows = pm.problem.demand_rows
    paths = [track for track, _path in pm.problem.paths]
    return cp_model.LinearExpr.weighted_sum(
        [covered_on(pm, track, r.covering) for track in paths for r in rows], [r.weight for _ in paths for r in rows]
    )


def total_hours(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours of all taken modules (minimised)."""
    hours = pm.hours
    return cp_model.LinearExpr.weighted_sum(list(pm.place.values()), [hours[i] for i, _ in pm.place])


def path_hours(pm: PlanModel, path: tuple[int, ...]) -> cp_model.LinearExprT:
    """The hour units of a student path's taken modules."""
    on = set(path)
    placed = [(v, pm.hours[i]) for (i, _t), v in pm.place.items() if i in on]
    return cp_model.LinearExpr.weighted_sum([v for v, _ in placed], [h for _, h in placed])


def largest_term_hours(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours of the heaviest term (minimised); with tracks, over every path (a path of a track not
    offered holds the core alone, never heavier than an offered one)."""
    if pm.largest_term is None:
        upper = sum(pm.hours)
        pm.largest_term = pm.variables.measure(pm.model.new_int_var(0, upper, "largest_term"))
        for t in range(1, pm.problem.terms + 1):
            for track, path in pm.problem.paths:
                pm.model.add(pm.largest_term >= pm.term_hours(t, path if track is not None else None))
    return pm.largest_term


def staffing_cost(pm: PlanModel) -> cp_model.LinearExprT:
    """Hours x cost per hour over every section of every taken module (minimised); whole currency."""
    if pm.cost is None:
        problem = pm.problem
        pm.cost = sum(
            problem.instructors[k].cost_per_hour * (problem.hours[i] * v - problem.dual_hours(i) * pm.dual[i, k, t])
            if (i, k, t) in pm.dual
            else problem.hours[i] * problem.instructors[k].cost_per_hour * v
            for (i, k, t), v in pm.teach.items()
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


def decided_tracks(pm: PlanModel) -> None:
    """A `lock` row naming a track takes every module of it (offers it, with [tracks]); a `drop`
    row takes none. A module of a locked track outside the candidates makes the row impossible."""
    review = pm.problem.review
    if review is None:
        return
    problem = pm.problem
    for d in review.tracks:
        switch = _decision_switch(pm, d.row, {"decision": d.decision, "track": d.track_id})
        for tm in problem.catalog.track_modules:
            if tm.track_id != d.track_id:
                continue
            i = problem.index_of.get(tm.module_id)
            if i is None:
                if d.decision == "lock":
                    pm.model.add_bool_or([]).only_enforce_if(switch)
                continue
            pm.model.add(pm.taken(i) == (1 if d.decision == "lock" else 0)).only_enforce_if(switch)


REVIEW_RULES: tuple[Callable[[PlanModel], None], ...] = (
    dropped_modules_not_taken,
    locked_modules_taken,
    decided_tracks,
)


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
